/* tracefs control files over the real ring, config and printer (test/unit/tracefs_fixture.c):
 * function filters and pid lists, number files, buffer_size_kb, stats, the function
 * tracer's text, the header's counts against the lines printed, the panic dump and
 * raw_header. (trace, trace_pipe, markers and options: test_tracefs.c.) */
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

int main(void)
{
	if (fixture_init())
		return 1;
	/* These start where test_tracefs leaves the tracer: function_graph. */
	if (echo("current_tracer", "function_graph") != 14) {
		printf("not ok - current_tracer function_graph\n");
		return 1;
	}
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
