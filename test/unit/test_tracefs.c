/* tracefs control files (trace/tracefs*.c) over the real ring buffer, config and printer,
 * with a fake table of patch sites: each file's read text, its writes, and the errors
 * (-EINVAL with a reason and nothing changed). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include "test/unit/check.h"
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

static void entry(unsigned cpu, uint64_t tsc, unsigned tid, uint32_t func, unsigned depth)
{
	ring_write(cpu, rec_w0(tsc, tid, REC_ENTRY), func | (uint64_t)depth << 32);
}

static bool ret_at(unsigned cpu, uint64_t tsc, unsigned tid, uint32_t func, unsigned depth,
		   uint64_t ticks)
{
	const struct trace_rec r = { rec_w0(tsc, tid, REC_RETURN), rec_call_w1(func, depth), ticks };

	return ring_write_rec(cpu, &r, NULL);
}

static void ret(unsigned cpu, uint64_t tsc, unsigned tid, uint32_t func, uint64_t ticks)
{
	ret_at(cpu, tsc, tid, func, 0, ticks);
}

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

static void test_filters(void)
{
	char why[128];

	TEST_CASE("set_ftrace_filter: globs, >>, !, errors, repatching");
	CHECK_STR(cat("set_ftrace_filter"), "#### all functions enabled ####\n");
	CHECK_STR(cat("set_ftrace_notrace"), "");
	CHECK_EQ(echo("set_ftrace_filter", "tcp_*"), 5);
	CHECK_STR(cat("set_ftrace_filter"), "tcp_input\ntcp_output\n");
	CHECK_STR(patched_str(), "00011");
	CHECK_EQ(echo_mode("set_ftrace_filter", "*_read", TRACEFS_WRITE | TRACEFS_APPEND, NULL, 0),
		 6);
	CHECK_STR(cat("set_ftrace_filter"), "sys_read\nvfs_read\ntcp_input\ntcp_output\n");
	CHECK_EQ(echo_append("set_ftrace_filter", "!tcp_output"), 11);
	CHECK_STR(patched_str(), "11010");
	CHECK_EQ(echo_mode("set_ftrace_filter", "nosuch", TRACEFS_APPEND, why, sizeof(why)),
		 -EINVAL);
	CHECK_STR(why, "no function matches: nosuch");
	CHECK_STR(cat("set_ftrace_filter"), "sys_read\nvfs_read\ntcp_input\n");
	CHECK_EQ(echo("set_ftrace_filter", "nosuch"), -EINVAL); /* `>` that fails */
	CHECK_STR(cat("set_ftrace_filter"), "sys_read\nvfs_read\ntcp_input\n");
	CHECK_EQ(echo("set_ftrace_notrace", "vfs_read"), 8);
	CHECK_STR(cat("set_ftrace_notrace"), "vfs_read\n");
	CHECK_STR(patched_str(), "10010");
	CHECK_EQ(echo("set_ftrace_filter", ""), 0);
	CHECK_EQ(echo("set_ftrace_notrace", ""), 0);
	CHECK_STR(cat("set_ftrace_filter"), "#### all functions enabled ####\n");
	CHECK_STR(patched_str(), "11111");
	TEST_END();

	TEST_CASE("set_ftrace_filter: an open for write with no write still clears");
	struct tracefs_file *f;

	CHECK_EQ(echo("set_ftrace_filter", "do_idle"), 7);
	CHECK_EQ(tracefs_open("set_ftrace_filter", TRACEFS_WRITE, &f), 0);
	tracefs_close(f);
	CHECK_EQ(filter_ftrace.n, 0);
	TEST_END();

	TEST_CASE("set_graph_function: the hooks' function list follows the file");
	CHECK_EQ(echo("set_graph_function", "vfs_read tcp_input"), 18);
	CHECK_STR(cat("set_graph_function"), "vfs_read\ntcp_input\n");
	CHECK_EQ(trace_cfg.graph_funcs.set[trace_cfg.graph_funcs.cur].n, 2);
	CHECK_EQ(trace_cfg.graph_funcs.set[trace_cfg.graph_funcs.cur].ip[0], 0x1100);
	CHECK_EQ(trace_cfg.graph_funcs.set[trace_cfg.graph_funcs.cur].ip[1], 0x1300);
	CHECK_STR(patched_str(), "11111"); /* graph functions do not change patching */
	CHECK_EQ(echo("set_graph_function", "\n"), 1);
	CHECK_EQ(trace_cfg.graph_funcs.set[trace_cfg.graph_funcs.cur].n, 0);
	CHECK_STR(cat("set_graph_function"), "#### all functions enabled ####\n");
	TEST_END();

	TEST_CASE("set_graph_notrace: the hooks' list follows the file, kept apart");
	CHECK_EQ(echo("set_graph_notrace", "tcp_input"), 9);
	CHECK_EQ(echo_append("set_graph_notrace", "vfs_read"), 8);
	CHECK_STR(cat("set_graph_notrace"), "vfs_read\ntcp_input\n");
	CHECK_EQ(trace_cfg.graph_notrace.set[trace_cfg.graph_notrace.cur].n, 2);
	CHECK_EQ(trace_cfg.graph_notrace.set[trace_cfg.graph_notrace.cur].ip[1], 0x1300);
	CHECK_EQ(trace_cfg.graph_funcs.set[trace_cfg.graph_funcs.cur].n, 0);
	CHECK_STR(patched_str(), "11111");
	CHECK_EQ(echo("set_graph_notrace", ""), 0);
	CHECK_EQ(trace_cfg.graph_notrace.set[trace_cfg.graph_notrace.cur].n, 0);
	CHECK_STR(cat("set_graph_notrace"), "");
	TEST_END();

	TEST_CASE("available_filter_functions: every patch site, in site order");
	CHECK_STR(cat("available_filter_functions"),
		  "sys_read\nvfs_read\ndo_idle\ntcp_input\ntcp_output\n");
	CHECK_STR(cat_chunked("available_filter_functions", 3),
		  "sys_read\nvfs_read\ndo_idle\ntcp_input\ntcp_output\n");
	TEST_END();
}

static void test_pids(void)
{
	char why[128];

	TEST_CASE("set_ftrace_pid / set_ftrace_notrace_pid: lists, >>, clear, errors");
	CHECK_STR(cat("set_ftrace_pid"), "no pid\n");
	CHECK_EQ(echo("set_ftrace_pid", "3 5\n"), 4);
	CHECK_STR(cat("set_ftrace_pid"), "3\n5\n");
	CHECK_EQ(echo_append("set_ftrace_pid", "7"), 1);
	CHECK_STR(cat("set_ftrace_pid"), "3\n5\n7\n");
	CHECK(trace_pid_allowed(5));
	CHECK(!trace_pid_allowed(4));
	CHECK_EQ(echo_mode("set_ftrace_pid", "8 x", TRACEFS_APPEND, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "expected thread ids (decimal)");
	CHECK_STR(cat("set_ftrace_pid"), "3\n5\n7\n");
	CHECK_EQ(echo("set_ftrace_pid", ""), 0);
	CHECK_STR(cat("set_ftrace_pid"), "no pid\n");
	CHECK_EQ(echo("set_ftrace_notrace_pid", "9"), 1);
	CHECK(!trace_pid_allowed(9));
	CHECK_STR(cat("set_ftrace_notrace_pid"), "9\n");
	CHECK_EQ(echo("set_ftrace_notrace_pid", ""), 0);
	CHECK(trace_pid_allowed(9));
	TEST_END();
}

static void test_numbers(void)
{
	char why[128];

	TEST_CASE("max_graph_depth and tracing_thresh (us) read back what was written");
	CHECK_STR(cat("max_graph_depth"), "0\n");
	CHECK_EQ(echo("max_graph_depth", "3\n"), 2);
	CHECK_EQ(trace_cfg.max_graph_depth, 3);
	CHECK_STR(cat("max_graph_depth"), "3\n");
	CHECK_EQ(echo("max_graph_depth", "-1"), -EINVAL);
	CHECK_EQ(echo("max_graph_depth", "0"), 1);
	CHECK_EQ(echo("tracing_thresh", "100"), 3);
	CHECK_EQ(trace_cfg.thresh_tsc, 100 * (HZ / 1000000));
	CHECK_STR(cat("tracing_thresh"), "100\n");
	CHECK_EQ(echo_mode("tracing_thresh", "1.5", TRACEFS_WRITE, why, sizeof(why)), -EINVAL);
	CHECK_STR(cat("tracing_thresh"), "100\n");
	CHECK_EQ(echo("tracing_thresh", "0"), 1);
	TEST_END();
}

static void test_buffer_size(void)
{
	struct tracefs_file *f;
	char why[128], want[64];

	TEST_CASE("buffer_size_kb: per CPU, resize, errors; buffer_total_size_kb");
	snprintf(want, sizeof(want), "%zu\n", RING_MIN_BYTES / 1024);
	CHECK_STR(cat("buffer_size_kb"), want);
	snprintf(want, sizeof(want), "%zu\n", 2 * (RING_MIN_BYTES / 1024));
	CHECK_STR(cat("buffer_total_size_kb"), want);
	snprintf(want, sizeof(want), "%zu", 2 * (RING_MIN_BYTES / 1024));
	CHECK_EQ(echo("buffer_size_kb", want), (long)strlen(want));
	CHECK_EQ(ring_size(), 2 * RING_MIN_BYTES);
	CHECK_EQ(echo_mode("buffer_size_kb", "0", TRACEFS_WRITE, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "buffer_size_kb: at least 16 KiB per CPU (two 8 KiB blocks)");
	/* The smallest size the docs give is the smallest accepted, exactly. */
	CHECK_EQ(RING_MIN_BYTES, 16 * 1024);
	CHECK_EQ(echo_mode("buffer_size_kb", "15", TRACEFS_WRITE, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "buffer_size_kb: at least 16 KiB per CPU (two 8 KiB blocks)");
	CHECK_EQ(ring_size(), 2 * RING_MIN_BYTES);
	CHECK_EQ(echo_mode("buffer_size_kb", "x", TRACEFS_WRITE, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "expected a size in KiB");
	CHECK_EQ(echo("buffer_size_kb", "16"), 2);
	CHECK_EQ(ring_size(), RING_MIN_BYTES);
	CHECK_STR(cat("buffer_size_kb"), "16\n");
	CHECK_EQ(echo("buffer_size_kb", "63"), 2); /* rounded down to a power of two */
	CHECK_STR(cat("buffer_size_kb"), "32\n");
	snprintf(want, sizeof(want), "%zu", 2 * (RING_MIN_BYTES / 1024));
	CHECK_EQ(echo("buffer_size_kb", want), (long)strlen(want));
	CHECK_EQ(echo("buffer_size_kb", "99999999"), -EINVAL);
	CHECK_EQ(tracefs_open("trace", TRACEFS_READ, &f), 0);
	CHECK_EQ(echo_mode("buffer_size_kb", "64", TRACEFS_WRITE, why, sizeof(why)), -EBUSY);
	CHECK_STR(why, "the buffer is being read (close trace/trace_pipe first)");
	tracefs_close(f);
	CHECK_EQ(ring_size(), 2 * RING_MIN_BYTES);
	TEST_END();
}

static void test_stats(void)
{
	static const char untraced_head[] = "# tracer: function_graph\n#\n"
		"# untraced calls: 0 recursion, 2 overflow, 0 abandoned\n#\n# CPU  DURATION";

	TEST_CASE("per_cpu/cpuN/stats: Linux's fields");
	ring_clear();
	now_tsc = 8 * HZ + 1250; /* 8.0000005 s rounds to 8.000001 */
	/* A W_SYNC (2 slots) and two one-slot W_FUNC (function and parent in text): 32 bytes. */
	uint64_t f = (uint32_t)(ring.text_base + 0x1000);

	ring_write(1, rec_w0(8 * HZ, 3, REC_FUNC), f | f << 32);
	ring_write(1, rec_w0(8 * HZ + 10, 3, REC_FUNC), f | f << 32);
	CHECK_STR(cat("per_cpu/cpu1/stats"),
		  "entries: 2\noverrun: 0\ncommit overrun: 0\nbytes: 32\n"
		  "oldest event ts:     8.000000\nnow ts:     8.000001\n"
		  "dropped events: 0\nread events: 0\n"
		  "untraced recursion: 0\nuntraced overflow: 0\nuntraced abandoned: 0\n");
	TEST_END();

	TEST_CASE("untraced calls: counted in stats and in the trace header");
	trace_counts[1].overflow = 2;
	CHECK(strstr(cat("per_cpu/cpu1/stats"), "untraced overflow: 2\n") != NULL);
	CHECK(!strncmp(cat("trace"), untraced_head, sizeof(untraced_head) - 1));
	trace_counts[1].overflow = 0;
	TEST_END();
}

static void test_function_tracer(void)
{
	const char *text;

	TEST_CASE("function tracer: header with entries and function lines");
	CHECK_EQ(echo("current_tracer", "function"), 8);
	trace_host_set_comm(3, "worker");
	ring_write(0, rec_w0(9 * HZ, 3, REC_FUNC), 0x1100 | (uint64_t)0x1010 << 32);
	text = cat("trace");
	/* the header's layout is checked by the printer's goldens */
	CHECK(!strncmp(text, "# tracer: function\n#\n"
		       "# entries-in-buffer/entries-written: 1/1   #P:2\n", 69));
	CHECK(strstr(text, "|||||     |         |\n"
			   "          worker-3       [000] .....     9.000000: vfs_read <-sys_read\n")
	      != NULL);
	CHECK_EQ(echo("current_tracer", "function_graph"), 14);
	TEST_END();
}

/* ---- the header's counts against what a reader of the text gets ---- */

struct text_counts {
	unsigned long long entries, written; /* the header's, or ~0 without one */
	unsigned long long events, lost;     /* from the lines */
};

/* Events one line of text stands for: a function line or a marker 1; with function_graph a
 * leaf `f();` 2 (its entry and its return, as Linux counts), `f() {` or `}` 1, a
 * context-switch block 0. `CPU:N [LOST M EVENTS]` adds M to lost. */
static void count_line(const char *l, size_t n, bool graph, struct text_counts *c)
{
	unsigned long long m;

	if (!n || l[0] == '#' || (n > 4 && !strncmp(l, " ---", 4)) || memmem(l, n, " => ", 4))
		return;
	if (sscanf(l, "CPU:%*u [LOST %llu EVENTS]", &m) == 1)
		c->lost += m;
	else if (graph && n >= 3 && !strncmp(l + n - 3, "();", 3))
		c->events += 2;
	else
		c->events += 1;
}

static struct text_counts count_text(const char *text, bool graph)
{
	struct text_counts c = { ~0ull, ~0ull, 0, 0 };
	const char *h = strstr(text, "# entries-in-buffer/entries-written: ");

	if (h)
		sscanf(h, "# entries-in-buffer/entries-written: %llu/%llu", &c.entries, &c.written);
	for (const char *l = text; *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);

		count_line(l, n, graph, &c);
		l += n + (e != NULL);
	}
	return c;
}

static void func_ev(unsigned cpu, uint64_t tsc, unsigned tid)
{
	ring_write(cpu, rec_w0(tsc, tid, REC_FUNC), 0x1100 | (uint64_t)0x1000 << 32);
}

static void switch_ev(unsigned cpu, uint64_t tsc, unsigned prev, unsigned next)
{
	ring_write(cpu, rec_w0(tsc, prev, REC_SWITCH), prev | (uint64_t)next << 16);
}

static void test_header_counts(void)
{
	struct text_counts c;
	unsigned calls = 0, refused = 0;

	TEST_CASE("function tracer: entries-in-buffer is the number of lines printed "
		  "(context switches and markers included)");
	CHECK_EQ(echo("current_tracer", "function"), 8);
	for (unsigned i = 0; i < 5; i++)
		func_ev(0, 12 * HZ + i, 3);
	switch_ev(0, 12 * HZ + 10, 3, 4);
	for (unsigned i = 0; i < 3; i++)
		func_ev(0, 12 * HZ + 20 + i, 4);
	ring_write_text(0, 12 * HZ + 30, 4, "mark", 4);
	func_ev(1, 12 * HZ + 5, 5);
	switch_ev(1, 12 * HZ + 6, 5, 0);
	func_ev(1, 12 * HZ + 7, 0);
	c = count_text(cat("trace"), false);
	CHECK_EQ(c.events, 11);
	CHECK_EQ(c.entries, 11);
	CHECK_EQ(c.written, 11);
	CHECK(strstr(cat("per_cpu/cpu0/stats"), "entries: 9\n") != NULL);
	c = count_text(cat("per_cpu/cpu1/trace"), false);
	CHECK_EQ(c.events, 2);
	CHECK_EQ(c.entries, 2);
	TEST_END();

	TEST_CASE("function_graph: the header's counts are the events printed and the events "
		  "lost, with a full buffer and context switches");
	CHECK_EQ(echo("current_tracer", "function_graph"), 14);
	for (uint64_t t = 13 * HZ; refused < 3; t += 100) {
		bool ok = true;

		if (calls % 50 == 49)
			switch_ev(0, t, 3 + calls % 2, 3 + (calls + 1) % 2);
		ok &= ring_write(0, rec_w0(t, 3 + (calls + 1) % 2, REC_ENTRY), 0x1000);
		if (calls % 3 == 0) /* not a leaf: an entry, a leaf under it, then its return */
			entry(0, t + 10, 3 + (calls + 1) % 2, 0x1100, 1),
				ret(0, t + 20, 3 + (calls + 1) % 2, 0x1100, 10);
		ok &= ring_write(0, rec_w0(t + 50, 3 + (calls + 1) % 2, REC_RETURN),
				 0x1000 | 50ull << 32);
		refused += !ok;
		calls++;
	}
	c = count_text(cat("trace"), true);
	CHECK(c.lost > 0);
	CHECK_EQ(c.entries, c.events);
	CHECK_EQ(c.written, c.events + c.lost);
	TEST_END();
	ring_clear();
}

static char console[1 << 16];
static size_t console_len;

/* The panic dump's console (trace/dump.c writes through the platform API). */
void plat_console_write(const char *s, size_t n)
{
	if (n > sizeof(console) - 1 - console_len)
		n = sizeof(console) - 1 - console_len;
	memcpy(console + console_len, s, n);
	console_len += n;
	console[console_len] = 0;
}

static size_t count_lines(const char *s, const char *prefix)
{
	size_t n = 0;

	for (; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : s)
		n += !strncmp(s, prefix, strlen(prefix));
	return n;
}

/* Last, as it stops the tracer for good. */
static void test_panic_dump(void)
{
	/* Call i lasts i * 10 ns: the first line shows which call the tail starts at. */
	static const char head[] = "trace: dump of the trace buffers (tracing stopped)\n"
				   "trace: last events of CPU 0:\n"
				   " 0)   1.000 us    |  sys_read();\n"
				   " 0)   1.010 us    |  vfs_read();\n";

	TEST_CASE("panic dump: the last 100 events of each CPU, then tracing stays off");
	ring_clear();
	for (unsigned i = 0; i < 150; i++) {
		entry(0, 10 * HZ + i * 1000, 3, i % 2 ? 0x1100 : 0x1000, 0);
		ret(0, 10 * HZ + i * 1000 + 500, 3, i % 2 ? 0x1100 : 0x1000, i * 25);
	}
	ring_write_text(1, 11 * HZ, 0, "cpu1 marker", 11);
	trace_dump_on_panic();
	CHECK(!strncmp(console, head, sizeof(head) - 1));
	CHECK_EQ(count_lines(console, " 0) "), 50);
	CHECK(strstr(console, " 0)   1.490 us    |  vfs_read();\n"
			      "trace: last events of CPU 1:\n"
			      " 1)               |  /* cpu1 marker */\n"
			      "trace: end of dump\n") != NULL);
	CHECK_STR(trace_stopped_reason(), "panic");
	CHECK_EQ(trace_cfg.active, TRACER_NOP);
	console_len = 0;
	trace_dump_on_panic(); /* only once */
	CHECK_EQ(console_len, 0);
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
static void test_raw_header(void)
{
	const char *text, *p;
	unsigned long nsyms = 0, nthreads = 0, lines = 0;

	TEST_CASE("raw_header: version first, keys, options on one line, symbols and threads "
		  "(every thread of a reused tid)");
	trace_host_set_comm(3, "worker two");
	trace_host_add_past_thread(3, 100, 200, "worker one"); /* tid 3's earlier thread */
	text = cat("raw_header");
	CHECK(text && !strncmp(text, "glass-raw 1\ntsc_hz ", 19));
	CHECK(strstr(text, "\ncpus 2\n") && strstr(text, "\nblock_bytes 8192\n"));
	CHECK(strstr(text, "\ntrace_options print-parent "));
	CHECK(strstr(text, "\ncpu 0 lost ") && strstr(text, "\ncpu 1 lost "));
	CHECK(strstr(text, " 3 0 - worker_two\n") || strstr(text, "\n3 0 - worker_two\n"));
	/* every thread: the reused tid's earlier one too, after the latest ones */
	CHECK(strstr(text, "\n3 0 - worker_two\n") &&
	      strstr(text, "\n3 100 200 worker_one\n") > strstr(text, "\n3 0 - worker_two\n"));
	p = text ? strstr(text, "\nsymbols ") : NULL;
	CHECK(p && sscanf(p, "\nsymbols %lu", &nsyms) == 1 && nsyms == NSITES);
	for (p = p ? strchr(p + 1, '\n') : NULL; p && p[1] && strncmp(p + 1, "threads ", 8);
	     p = strchr(p + 1, '\n'))
		lines++;
	CHECK_EQ(lines, nsyms);
	CHECK(p && sscanf(p + 1, "threads %lu", &nthreads) == 1 && nthreads >= 1);
	for (lines = 0, p = p ? strchr(p + 1, '\n') : NULL; p && p[1] &&
	     strncmp(p + 1, "profile_hz ", 11); p = strchr(p + 1, '\n'))
		lines++;
	CHECK_EQ(lines, nthreads);
	/* then the profiler's counts and the stack table, as announced */
	CHECK(p && !strncmp(p + 1, "profile_hz 99\n", 14));
	CHECK(text && strstr(text, "\nprofile_cpu 0 samples 0 lost 0\nprofile_cpu 1 samples 0 "
			     "lost 0\nstacks 0\n"));
	CHECK(text && !strcmp(text + strlen(text) - 9, "stacks 0\n"));
	TEST_END();
}

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
	test_filters();
	test_pids();
	test_numbers();
	test_buffer_size();
	test_stats();
	test_function_tracer();
	test_header_counts();
	test_panic_dump();
	test_raw_header();
	return test_exit_status();
}
