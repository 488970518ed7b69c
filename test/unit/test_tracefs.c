/* tracefs control files (trace/tracefs*.c) over the real ring buffer, config and printer,
 * with a fake table of patch sites: each file's read text, its writes, and the errors
 * (-EINVAL with a reason and nothing changed). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include "test/unit/check.h"
#include "trace/flow.h"
#include "test/unit/trace_host_env.h"
#include "trace/config.h"
#include "trace/filter.h"
#include "trace/hook.h"
#include "trace/output.h"
#include "trace/patch.h"
#include "trace/ring.h"
#include "trace/trace.h"
#include "trace/tracefs.h"
#include "test/unit/tracefs_fixture.h"

/* A small call tree on two CPUs (see test_trace for the text it prints). */
static void write_tree(void)
{
	entry(0, 3 * HZ, 3, 0x1000, 0);
	entry(1, 3 * HZ + 100, 0, 0x1200, 0);
	ret(1, 3 * HZ + 200, 0, 0x1200, 100);
	entry(0, 3 * HZ + 250, 3, 0x1100, 1);
	ret_at(0, 3 * HZ + 500, 3, 0x1100, 1, 250);
	ret(0, 3 * HZ + 1000, 3, 0x1000, 1000);
}

static const char graph_header[] =
	"# tracer: function_graph\n#\n"
	"# CPU  DURATION                  FUNCTION CALLS\n"
	"# |     |   |                     |   |   |   |\n";

static const char tree_text[] =
	" 0)               |  sys_read() {\n"
	" 1)   0.040 us    |  do_idle();\n"
	" 0)   0.100 us    |    vfs_read();\n"
	" 0)   0.400 us    |  }\n";

/* ---- tests ---- */

static void test_open_errors(void)
{
	struct tracefs_file *f;

	TEST_CASE("open: unknown file, wrong modes");
	CHECK_EQ(tracefs_open("nosuch", TRACEFS_READ, &f), -ENOENT);
	CHECK_EQ(tracefs_open("per_cpu/cpu2/trace", TRACEFS_READ, &f), -ENOENT);
	CHECK_EQ(tracefs_open("per_cpu/cpu0/bogus", TRACEFS_READ, &f), -ENOENT);
	CHECK_EQ(tracefs_open("available_tracers", TRACEFS_WRITE, &f), -EACCES);
	CHECK_EQ(tracefs_open("trace_marker", TRACEFS_READ, &f), -EACCES);
	CHECK_EQ(tracefs_open("per_cpu/cpu1/stats", TRACEFS_WRITE, &f), -EACCES);
	CHECK_STR(cat("available_tracers"), "function_graph function nop\n");
	TEST_END();
}

static void test_files_list(void)
{
	const char *const *list = tracefs_files();
	bool trace = false, stats1 = false;
	size_t n = 0;

	TEST_CASE("tracefs_files: every control file and per_cpu files for each CPU");
	for (; list[n]; n++) {
		trace |= !strcmp(list[n], "trace");
		stats1 |= !strcmp(list[n], "per_cpu/cpu1/stats");
	}
	CHECK(trace);
	CHECK(stats1);
	/* 27 top files (with trace_pipe_raw, trace_raw, raw_header, available_events,
	 * set_event, profile_frequency, alloc_every, profile_stats, stack_table), 5 per CPU,
	 * 42 below events/ (test_events checks them) */
	CHECK_EQ(n, 27 + 5 * 2 + 42);
	TEST_END();
}

static void test_tracing_on(void)
{
	char why[128];

	TEST_CASE("tracing_on: 0/1, invalid -> EINVAL and unchanged");
	CHECK_EQ(echo("tracing_on", "0\n"), 2);
	CHECK_STR(cat("tracing_on"), "0\n");
	CHECK(!trace_cfg.on);
	CHECK_EQ(echo_mode("tracing_on", "yes", TRACEFS_WRITE, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "expected an unsigned decimal number");
	CHECK_EQ(echo("tracing_on", "1"), 1);
	CHECK(trace_cfg.on);
	CHECK_STR(cat("tracing_on"), "1\n");
	TEST_END();
}

static void test_current_tracer(void)
{
	char why[128];

	TEST_CASE("current_tracer: switching clears the buffer and patches the sites");
	CHECK_STR(cat("current_tracer"), "nop\n");
	write_tree();
	CHECK_EQ(echo("current_tracer", "function_graph\n"), 15);
	CHECK_EQ(trace_cfg.tracer, TRACE_GRAPH);
	CHECK_STR(cat("current_tracer"), "function_graph\n");
	CHECK_STR(patched_str(), "11111");
	CHECK_STR(cat("trace"), graph_header);
	CHECK_EQ(echo_mode("current_tracer", "wakeup", TRACEFS_WRITE, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "no such tracer (available: function_graph function nop)");
	CHECK_EQ(trace_cfg.tracer, TRACE_GRAPH);
	CHECK_EQ(echo("current_tracer", "nop"), 3);
	CHECK_STR(patched_str(), "00000");
	CHECK_EQ(echo("current_tracer", "function_graph"), 14);
	TEST_END();
}

static void test_trace(void)
{
	struct tracefs_file *f;
	char small[2048];

	TEST_CASE("trace: header + merged snapshot; non-destructive; chunked reads equal");
	write_tree();
	strcpy(small, cat_chunked("trace", 7));
	CHECK(!strncmp(small, graph_header, sizeof(graph_header) - 1));
	CHECK_STR(small + sizeof(graph_header) - 1, tree_text);
	CHECK_STR(cat("trace"), small);
	TEST_END();

	TEST_CASE("trace: per_cpu/cpu0/trace shows CPU 0 only");
	CHECK_STR(cat("per_cpu/cpu0/trace") + sizeof(graph_header) - 1,
		  " 0)               |  sys_read() {\n"
		  " 0)   0.100 us    |    vfs_read();\n"
		  " 0)   0.400 us    |  }\n");
	TEST_END();

	TEST_CASE("trace: pause-on-trace stops recording while a reader is open");
	CHECK_EQ(tracefs_open("trace", TRACEFS_READ, &f), 0);
	CHECK(!trace_cfg.on);
	CHECK_STR(cat("tracing_on"), "1\n");
	CHECK_EQ(trace_cfg.active, TRACER_NOP); /* what the hooks dispatch on */
	tracefs_close(f);
	CHECK(trace_cfg.on);
	CHECK_EQ(trace_cfg.active, TRACER_GRAPH);
	CHECK_EQ(echo("trace_options", "nopause-on-trace"), 16);
	CHECK_EQ(tracefs_open("trace", TRACEFS_READ, &f), 0);
	CHECK(trace_cfg.on);
	tracefs_close(f);
	CHECK_EQ(echo("trace_options", "pause-on-trace"), 14);
	TEST_END();

	TEST_CASE("trace: tracing_on written while paused applies at the last close");
	CHECK_EQ(tracefs_open("trace", TRACEFS_READ, &f), 0);
	CHECK_EQ(echo("tracing_on", "0"), 1);
	CHECK_STR(cat("tracing_on"), "0\n");
	tracefs_close(f);
	CHECK(!trace_cfg.on);
	CHECK_EQ(echo("tracing_on", "1"), 1);
	CHECK(trace_cfg.on);
	TEST_END();

	TEST_CASE("trace: echo > per_cpu/cpu1/trace clears CPU 1 only, as in Linux");
	CHECK_EQ(echo("per_cpu/cpu1/trace", ""), 0);
	CHECK_STR(cat("per_cpu/cpu1/trace"), graph_header);
	CHECK(strstr(cat("per_cpu/cpu1/stats"), "entries: 0\n") != NULL);
	CHECK(strstr(cat("per_cpu/cpu0/stats"), "entries: 4\n") != NULL);
	CHECK_STR(cat("trace") + sizeof(graph_header) - 1,
		  " 0)               |  sys_read() {\n"
		  " 0)   0.100 us    |    vfs_read();\n"
		  " 0)   0.400 us    |  }\n");
	TEST_END();

	TEST_CASE("trace: opening for write clears (echo > trace)");
	CHECK_EQ(echo("trace", ""), 0);
	CHECK_STR(cat("trace"), graph_header);
	TEST_END();
}

static void test_pipe(void)
{
	struct tracefs_file *f, *g;
	char buf[4096];
	long n;

	TEST_CASE("trace_pipe: no header, consumes, -EAGAIN when empty, one reader");
	CHECK_EQ(tracefs_open("trace_pipe", TRACEFS_READ | TRACEFS_NONBLOCK, &f), 0);
	CHECK_EQ(tracefs_read(f, buf, sizeof(buf)), -EAGAIN);
	CHECK_EQ(tracefs_open("trace_pipe", TRACEFS_READ, &g), -EBUSY);
	CHECK_EQ(tracefs_open("per_cpu/cpu1/trace_pipe", TRACEFS_READ, &g), -EBUSY);
	write_tree();
	n = tracefs_read(f, buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n > 0 ? n : 0] = 0;
	CHECK_STR(buf, tree_text);
	CHECK_EQ(tracefs_read(f, buf, sizeof(buf)), -EAGAIN);
	tracefs_close(f);
	CHECK_STR(cat("trace"), graph_header); /* consumed */
	TEST_END();

	TEST_CASE("trace_pipe: live reading prints an unfinished call as nested");
	CHECK_EQ(tracefs_open("per_cpu/cpu0/trace_pipe", TRACEFS_READ | TRACEFS_NONBLOCK, &f), 0);
	entry(0, 5 * HZ, 3, 0x1300, 0);
	n = tracefs_read(f, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK_STR(buf, " 0)               |  tcp_input() {\n");
	ret(0, 5 * HZ + 25, 3, 0x1300, 25);
	n = tracefs_read(f, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK_STR(buf, " 0)   0.010 us    |  }\n");
	tracefs_close(f);
	TEST_END();

	/* As Linux: the returns carry their depth and print there, named (funcgraph_exit). */
	TEST_CASE("trace_pipe: a read that begins mid-call prints the returns at their depths");
	entry(0, 6 * HZ, 3, 0x1000, 0);
	entry(0, 6 * HZ + 100, 3, 0x1100, 1);
	entry(0, 6 * HZ + 200, 3, 0x1300, 2);
	CHECK_EQ(tracefs_open("per_cpu/cpu0/trace_pipe", TRACEFS_READ | TRACEFS_NONBLOCK, &f), 0);
	CHECK(tracefs_read(f, buf, sizeof(buf)) > 0); /* an earlier reader took the entries */
	tracefs_close(f);
	ret_at(0, 6 * HZ + 1000, 3, 0x1300, 2, 800);
	ret_at(0, 6 * HZ + 1100, 3, 0x1100, 1, 1000);
	ret_at(0, 11 * HZ, 3, 0x1000, 0, 5 * HZ); /* 5 s: past 2^32 ticks */
	CHECK_EQ(tracefs_open("per_cpu/cpu0/trace_pipe", TRACEFS_READ | TRACEFS_NONBLOCK, &f), 0);
	n = tracefs_read(f, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK_STR(buf, " 0)   0.320 us    |      } /* tcp_input */\n"
		       " 0)   0.400 us    |    } /* vfs_read */\n"
		       " 0) $ 5000000 us  |  } /* sys_read */\n");
	tracefs_close(f);
	TEST_END();

	/* Linux's buffer holds no switches: there the return follows the entry at once. */
	TEST_CASE("trace: a call with only context switches before its return is one leaf line");
	ring_clear();
	entry(0, 12 * HZ, 3, 0x1300, 0);
	ring_write(0, rec_w0(12 * HZ + 100, 3, REC_SWITCH), 3 | 5u << 16 | 1ull << 32);
	ring_write(0, rec_w0(12 * HZ + 200, 5, REC_SWITCH), 5 | 3u << 16);
	ret(0, 12 * HZ + 250, 3, 0x1300, 250);
	CHECK_STR(cat("per_cpu/cpu0/trace") + sizeof(graph_header) - 1,
		  " 0)   0.100 us    |  tcp_input();\n");
	CHECK_EQ(tracefs_open("trace_pipe", TRACEFS_READ | TRACEFS_NONBLOCK, &f), 0);
	n = tracefs_read(f, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK_STR(buf, " 0)   0.100 us    |  tcp_input();\n");
	tracefs_close(f);
	TEST_END();
}

static int wait_calls;

/* The blocking trace_pipe's sleep: the first sleep "lets a writer run". */
void tracefs_wait(void)
{
	if (wait_calls++ == 0)
		ring_write_text(1, 6 * HZ, 0, "wake", 4);
}

static void test_pipe_blocking(void)
{
	struct tracefs_file *f;
	char buf[256];
	long n;

	TEST_CASE("trace_pipe: a blocking read waits (tracefs_wait) until data arrives");
	ring_clear();
	wait_calls = 0;
	CHECK_EQ(tracefs_open("trace_pipe", TRACEFS_READ, &f), 0);
	n = tracefs_read(f, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK_EQ(wait_calls, 1);
	CHECK_STR(buf, " 1)               |  /* wake */\n");
	tracefs_close(f);
	TEST_END();
}

/* trace_pipe without follow (httpd's GET): what was buffered at open, then the end. */
static void test_pipe_bounded(void)
{
	struct tracefs_file *f;
	char buf[4096];
	long n;

	TEST_CASE("trace_pipe: SNAPSHOT_END consumes what was buffered at open, then ends");
	ring_clear();
	write_tree();
	CHECK_EQ(tracefs_open("trace_pipe", TRACEFS_READ | TRACEFS_NONBLOCK | TRACEFS_SNAPSHOT_END,
			      &f), 0);
	/* Events written after the open, as the network path writes while the trace is sent. */
	entry(0, 4 * HZ, 3, 0x1400, 0);
	ret(0, 4 * HZ + 25, 3, 0x1400, 25);
	n = tracefs_read(f, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK_STR(buf, tree_text);
	CHECK_EQ(tracefs_read(f, buf, sizeof(buf)), 0); /* the end, not -EAGAIN */
	entry(1, 4 * HZ + 50, 0, 0x1200, 0);
	CHECK_EQ(tracefs_read(f, buf, sizeof(buf)), 0); /* still the end */
	tracefs_close(f);
	/* The next read gets what arrived meanwhile, and nothing was lost. */
	CHECK_EQ(tracefs_open("trace_pipe", TRACEFS_READ | TRACEFS_SNAPSHOT_END, &f), 0);
	n = tracefs_read(f, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK_STR(buf, " 0)   0.010 us    |  tcp_output();\n"
		       " 1)               |  do_idle() {\n");
	CHECK_EQ(tracefs_read(f, buf, sizeof(buf)), 0);
	tracefs_close(f);
	TEST_END();

	TEST_CASE("trace_pipe: SNAPSHOT_END on an empty buffer ends at once, even blocking");
	ring_clear();
	wait_calls = 0;
	CHECK_EQ(tracefs_open("trace_pipe", TRACEFS_READ | TRACEFS_SNAPSHOT_END, &f), 0);
	CHECK_EQ(tracefs_read(f, buf, sizeof(buf)), 0);
	CHECK_EQ(wait_calls, 0);
	tracefs_close(f);
	TEST_END();
}

static void test_marker(void)
{
	char why[128];

	TEST_CASE("trace_marker: a comment in function_graph, refused while tracing is off");
	ring_clear();
	trace_host_set_cpu(1);
	trace_host_set_tid(5);
	now_tsc = 7 * HZ;
	CHECK_EQ(echo("trace_marker", "hello world\n"), 12);
	CHECK_STR(cat("trace") + sizeof(graph_header) - 1,
		  " 1)               |  /* hello world */\n");
	CHECK_EQ(echo("tracing_on", "0"), 1);
	CHECK_EQ(echo_mode("trace_marker", "x", TRACEFS_WRITE, why, sizeof(why)), -EBADF);
	CHECK_STR(why, "tracing is off");
	CHECK_EQ(echo("tracing_on", "1"), 1);
	CHECK_EQ(echo("trace_options", "nomarkers"), 9);
	CHECK_EQ(echo("trace_marker", "x"), -EINVAL);
	CHECK_EQ(echo("trace_options", "markers"), 7);
	trace_host_set_cpu(0);
	trace_host_set_tid(0);
	TEST_END();
}

static void test_options(void)
{
	static const char defaults[] =
		"print-parent\ncontext-info\nnooverwrite\nirq-info\nmarkers\npause-on-trace\nnotrace-server\n"
		"noflow-control\n"
		"funcgraph-cpu\nfuncgraph-overhead\nnofuncgraph-proc\nfuncgraph-duration\n"
		"nofuncgraph-abstime\nfuncgraph-irqs\nnofuncgraph-tail\nsleep-time\n";
	char why[128];

	TEST_CASE("trace_options: Linux-style list, opt/noopt, unknown -> EINVAL");
	CHECK_STR(cat("trace_options"), defaults);
	CHECK_EQ(echo("trace_options", "funcgraph-proc\n"), 15);
	CHECK(out_options & OUT_OPT_PROC);
	CHECK_EQ(echo("trace_options", "nofuncgraph-cpu"), 15);
	CHECK(!(out_options & OUT_OPT_CPU));
	CHECK_EQ(echo("trace_options", "overwrite"), 9);
	CHECK(ring.overwrite);
	CHECK(!trace_flow_enabled());
	CHECK_EQ(echo("trace_options", "flow-control"), 12);
	CHECK(trace_flow_enabled());
	CHECK_EQ(echo("trace_options", "noflow-control"), 14);
	CHECK(!trace_flow_enabled());
	CHECK_EQ(echo_mode("trace_options", "nosuchopt", TRACEFS_WRITE, why, sizeof(why)),
		 -EINVAL);
	CHECK_STR(why, "unknown option (see trace_options)");
	CHECK_EQ(echo("trace_options", "no"), -EINVAL);
	CHECK_EQ(echo("trace_options", "nooverwrite"), 11);
	CHECK_EQ(echo("trace_options", "nofuncgraph-proc"), 16);
	CHECK_EQ(echo("trace_options", "funcgraph-cpu"), 13);
	CHECK_STR(cat("trace_options"), defaults);
	TEST_END();

	TEST_CASE("trace_options: sleep-time, on by default as in Linux");
	CHECK(trace_cfg.sleep_time);
	CHECK_EQ(echo("trace_options", "nosleep-time"), 12);
	CHECK(!trace_cfg.sleep_time);
	CHECK(strstr(cat("trace_options"), "\nnosleep-time\n") != NULL);
	CHECK_EQ(echo("trace_options", "sleep-time"), 10);
	CHECK(trace_cfg.sleep_time);
	TEST_END();
}

/* ---- `test_tracefs --bench`: reading a full 2 x 64 MiB buffer through tracefs ---- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fills both CPUs with call trees (3 levels, leaves) until the buffers are full. */
static uint64_t bench_fill(void)
{
	uint64_t events = 0, tsc = 20 * HZ;
	bool room = true;

	while (room) {
		for (unsigned cpu = 0; cpu < 2; cpu++) {
			uint32_t f = (uint32_t)sites[events % NSITES].ip;

			room &= ring_write(cpu, rec_w0(tsc, 3, REC_ENTRY), f);
			room &= ring_write(cpu, rec_w0(tsc + 30, 3, REC_ENTRY), 0x1100 | 1ull << 32);
			room &= ret_at(cpu, tsc + 90, 3, 0x1100, 1, 60);
			room &= ret_at(cpu, tsc + 120, 3, f, 0, 120);
			events += 4;
		}
		tsc += 150;
	}
	return events;
}

static void bench_read(const char *path, uint64_t events)
{
	static char buf[1 << 16];
	struct tracefs_file *f;
	uint64_t bytes = 0;
	double t = now_s();
	long n;

	if (tracefs_open(path, TRACEFS_READ | TRACEFS_NONBLOCK, &f))
		return;
	while ((n = tracefs_read(f, buf, sizeof(buf))) > 0)
		bytes += (uint64_t)n;
	tracefs_close(f);
	t = now_s() - t;
	printf("tracefs %-10s %8.1f MB/s  %6.1f ns/event  (%llu MB of text, %llu events)\n",
	       path, (double)bytes / t / 1e6, t * 1e9 / (double)events,
	       (unsigned long long)(bytes >> 20), (unsigned long long)events);
}

static int bench(void)
{
	uint64_t events;

	if (ring_resize(64ul << 20) || echo("current_tracer", "function_graph") < 0)
		return 1;
	trace_host_set_comm(3, "worker");
	events = bench_fill();
	bench_read("trace", events);
	CHECK_EQ(echo("trace_options", "funcgraph-proc"), 14);
	CHECK_EQ(echo("trace_options", "funcgraph-abstime"), 17);
	bench_read("trace", events);
	bench_read("trace_pipe", events);
	return 0;
}

/* raw_header: the settings, the options on one line, a line per CPU, then exactly as many
 * symbol and thread lines as announced (docs/raw-transport.md). */

int main(int argc, char **argv)
{
	if (fixture_init())
		return 1;
	if (argc > 1 && !strcmp(argv[1], "--bench"))
		return bench();
	test_open_errors();
	test_files_list();
	test_tracing_on();
	test_current_tracer();
	test_trace();
	test_pipe();
	test_pipe_blocking();
	test_pipe_bounded();
	test_marker();
	test_options();
	return test_exit_status();
}
