/* Unit tests of the scanners for the formats besides function_graph text: the function
 * tracer's lines (fnline.c), trace-cmd report lines (tcmdline.c), the format detection
 * (tdetect.c) and other tools' microsecond numbers (usnum.c). */
#include <stdlib.h>

#include "test/unit/check.h"
#include "tools/lib/fnline.h"
#include "tools/lib/tcmdline.h"
#include "tools/lib/tparse.h"
#include "tools/lib/usnum.h"

static char *str(struct fgl_str s)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%.*s", (int)s.n, s.p);
	return buf;
}

static int fn(const char *s, struct fnl *l)
{
	const char *reason;

	return fnl_parse(s, strlen(s), l, &reason);
}

static void test_fnline(void)
{
	struct fnl l;

	TEST_CASE("fnline: 5 flags, 7-column pid (Linux 5.14+, glass)");
	CHECK_EQ(fn("          <idle>-0       [004] d..1.   812.500150: tick_nohz_idle_enter <-do_idle", &l), 0);
	CHECK_STR(str(l.ctx.comm), "<idle>");
	CHECK_EQ(l.ctx.tid, 0);
	CHECK_EQ(l.ctx.cpu, 4);
	CHECK_EQ(l.ctx.ts_ns, 812500150000LL);
	CHECK_STR(str(l.func), "tick_nohz_idle_enter");
	CHECK_STR(str(l.parent), "do_idle");
	TEST_END();

	TEST_CASE("fnline: no flags (Linux 3.2), no parent, CRLF");
	CHECK_EQ(fn("           timer-510   [000]  4200.123456: schedule_timeout\r", &l), 0);
	CHECK_EQ(l.ctx.tid, 510);
	CHECK_STR(str(l.func), "schedule_timeout");
	CHECK_EQ(l.parent.n, 0);
	TEST_END();

	TEST_CASE("fnline: record-tgid, comm with a space, module symbol, ns timestamp");
	CHECK_EQ(fn(" Web Content-42 (   40) [001] .... 12.000000001: ovl_open [overlay] <-f", &l), 0);
	CHECK_STR(str(l.ctx.comm), "Web Content");
	CHECK_EQ(l.ctx.tid, 42);
	CHECK_EQ(l.ctx.ts_ns, 12000000001LL);
	CHECK_STR(str(l.func), "ovl_open [overlay]");
	TEST_END();

	TEST_CASE("fnline: trace-cmd report of the function tracer, also with -l");
	CHECK_EQ(fn("  mysh-501  [000]   321.000010: function:             f <-- do_syscall_64", &l), 0);
	CHECK_STR(str(l.func), "f");
	CHECK_STR(str(l.parent), "do_syscall_64");
	CHECK_EQ(fn("worker/-12      0...1    77.000001: function:                   net_rx_action", &l), 0);
	CHECK_STR(str(l.ctx.comm), "worker/");
	CHECK_EQ(l.ctx.tid, 12);
	CHECK_EQ(l.ctx.cpu, 0);
	CHECK_STR(str(l.func), "net_rx_action");
	CHECK_EQ(l.parent.n, 0);
	CHECK_EQ(fn("  <idle>-0   12d.h1 5.000001: function:   g <-- h", &l), 0);
	CHECK_EQ(l.ctx.cpu, 12);
	CHECK_EQ(fn("  mydaemon-77   [000]   321.000030: kernel_stack:         <stack trace>", &l), 1);
	TEST_END();

	TEST_CASE("fnline: context-info off");
	CHECK_EQ(fnl_parse_bare("do_nanosleep <-hrtimer_nanosleep", 32, &l), 0);
	CHECK_STR(str(l.func), "do_nanosleep");
	CHECK_STR(str(l.parent), "hrtimer_nanosleep");
	CHECK_EQ(l.ctx.cpu, -1);
	CHECK_EQ(l.ctx.tid, -1);
	CHECK_EQ(l.ctx.ts_ns, -1);
	CHECK_EQ(fnl_parse_bare("tracing_mark_write: hello", 25, &l), 1);
	CHECK_EQ(fnl_parse_bare("two words", 9, &l), -1);
	TEST_END();

	TEST_CASE("fnline: other events and garbage");
	CHECK_EQ(fn("  bash-1 [000] ..... 1.000001: tracing_mark_write: hi", &l), 1);
	CHECK_EQ(fn("  bash-1 [000] ..... 1.000001: <stack trace>", &l), 1);
	CHECK_EQ(fn(" 0)   0.198 us    |  f();", &l), -1);
	CHECK_EQ(fn("  bash-1 [000] ..... 1.0001: f <-g", &l), -1);
	CHECK_EQ(fn("  bash [000] ..... 1.000001: f <-g", &l), -1);
	CHECK_EQ(fn("  bash-1 [000] ..... 1.000001: f x <-g", &l), -1);
	CHECK_EQ(fn("  bash-1 [000] ..... 1.000001: ", &l), -1);
	/* seconds whose ns would overflow 63 bits (found by the fuzzer) */
	CHECK_EQ(fn("  bash-1 [000] .... 123456789012.000001: f", &l), -1);
	CHECK_EQ(fn("  bash-1 [000] .... 9000000000.000000: f", &l), 0);
	TEST_END();
}

static struct fgl tc(const char *s)
{
	struct fgl l;

	tcl_parse(s, strlen(s), &l);
	return l;
}

static void test_tcmdline(void)
{
	struct fgl l;

	TEST_CASE("tcmdline: preamble");
	CHECK_EQ(tc("cpus=2").kind, FGL_HEADER);
	CHECK_EQ(tc("version = 6").kind, FGL_HEADER);
	CHECK_EQ(tc("CPU 0 is empty").kind, FGL_HEADER);
	CHECK_EQ(tc("CPU:1 [LOST 3 EVENTS]").kind, FGL_LOST);
	TEST_END();

	TEST_CASE("tcmdline: entry, leaf, exit");
	l = tc("  myapp-4711  [001] 5012.000200: funcgraph_entry:                   |  vfs_write() {");
	CHECK_EQ(l.kind, FGL_ENTRY);
	CHECK_EQ(l.tid, 4711);
	CHECK_EQ(l.cpu, 1);
	CHECK_EQ(l.abs_ns, 5012000200000LL);
	CHECK_EQ(l.depth, 0);
	CHECK_STR(str(l.func), "vfs_write");
	l = tc("  myapp-4711  [001] 5012.000203: funcgraph_entry:        0.412 us   |        f();");
	CHECK_EQ(l.kind, FGL_LEAF);
	CHECK_EQ(l.dur_ns, 412);
	CHECK_EQ(l.depth, 3);
	l = tc("  <idle>-0   [000] d..1. 5.000001: funcgraph_exit:       ! 170.100 us |  } /* g */");
	CHECK_EQ(l.kind, FGL_RETURN);
	CHECK_EQ(l.dur_ns, 170100);
	CHECK_EQ(l.tid, 0);
	CHECK_STR(str(l.func), "g");
	TEST_END();

	TEST_CASE("tcmdline: report -l (CPU and latency flags without brackets)");
	l = tc("  <idle>-0       0d..1 52117.406512: funcgraph_entry:   0.095 us   |    f();");
	CHECK_EQ(l.kind, FGL_LEAF);
	CHECK_EQ(l.cpu, 0);
	CHECK_EQ(l.tid, 0);
	CHECK_EQ(l.depth, 1);
	TEST_END();

	TEST_CASE("tcmdline: other events ignored, garbage reported");
	CHECK_EQ(tc("  myapp-4711  [001] 1.000001: sched_switch: a ==> b").kind, FGL_COMMENT);
	l = tc("  myapp-4711  [001] 1.000001: funcgraph_exit:       x us |  }");
	CHECK_EQ(l.kind, FGL_BAD);
	l = tc("  myapp-4711  [001] 1.000001: funcgraph_entry: no bar");
	CHECK_EQ(l.kind, FGL_BAD);
	CHECK(l.reason != NULL);
	CHECK_EQ(tc("garbage").kind, FGL_BAD);
	TEST_END();
}

static enum tp_format detect(const char *s)
{
	return tp_detect(s, strlen(s));
}

static void test_detect(void)
{
	TEST_CASE("tdetect: headers and line shapes");
	CHECK_EQ(detect("# tracer: function"), TPF_FUNCTION);
	CHECK_EQ(detect("# tracer: function_graph"), TPF_GRAPH);
	CHECK_EQ(detect("# tracer: nop"), TPF_EVENTS);	/* profile events, no calls */
	CHECK_EQ(detect("# tracer: wakeup"), TPF_GRAPH);	/* then refused by its name */
	CHECK_EQ(detect("  a-1 [000] .... 1.000001: profile_sample: hz=99 stack=1: f"), TPF_EVENTS);
	CHECK_EQ(detect("#"), TPF_UNKNOWN);
	CHECK_EQ(detect(""), TPF_UNKNOWN);
	CHECK_EQ(detect("CPU:0 [LOST 2 EVENTS]"), TPF_UNKNOWN);
	CHECK_EQ(detect("cpus=4"), TPF_UNKNOWN);	/* trace-cmd records other tracers too */
	CHECK_EQ(detect("  a-1 [000] 1.000001: funcgraph_entry:   1.000 us   |  f();"), TPF_TCMD);
	CHECK_EQ(detect("  a-1 [000] .... 1.000001: f <-g"), TPF_FUNCTION);
	CHECK_EQ(detect("  a-1 [000] 1.000001: function:   f <-- g"), TPF_FUNCTION);
	CHECK_EQ(detect(" 0)   0.198 us    |  f();"), TPF_GRAPH);
	CHECK_EQ(detect(" ------------------------------------------"), TPF_GRAPH);
	CHECK_EQ(detect("Tracing \"f\"... Ctrl-C to end."), TPF_UNKNOWN);
	TEST_END();
}

static int64_t us(const char *s, bool neg_ok)
{
	int64_t v = 0;

	return us_to_ns(s, strlen(s), neg_ok, &v) ? INT64_MIN : v;
}

static void test_usnum(void)
{
	TEST_CASE("usnum: Python float reprs to ns");
	CHECK_EQ(us("0.1", false), 100);
	CHECK_EQ(us("12", false), 12000);
	CHECK_EQ(us("1e-05", false), 0);	/* 0.01 ns */
	CHECK_EQ(us("5e-04", false), 1);	/* 0.5 ns rounds up */
	CHECK_EQ(us("4.9e-04", false), 0);
	CHECK_EQ(us("1.5e+01", false), 15000);
	CHECK_EQ(us("2E3", false), 2000000);
	CHECK_EQ(us("0.0012345", false), 1);
	CHECK_EQ(us("1.0000000000000002", false), 1000);
	CHECK_EQ(us("123456789.123456789", false), 123456789123LL);	/* .456789 ns */
	CHECK_EQ(us("-0.75", true), -750);
	TEST_END();

	TEST_CASE("usnum: malformed or out of range");
	CHECK_EQ(us("-0.75", false), INT64_MIN);
	CHECK_EQ(us("", false), INT64_MIN);
	CHECK_EQ(us(".", false), INT64_MIN);
	CHECK_EQ(us("1e", false), INT64_MIN);
	CHECK_EQ(us("1e+", false), INT64_MIN);
	CHECK_EQ(us("1x", false), INT64_MIN);
	CHECK_EQ(us("nan", false), INT64_MIN);
	CHECK_EQ(us("1e99", false), INT64_MIN);
	CHECK_EQ(us("1e-99999", false), INT64_MIN);
	CHECK_EQ(us("99999999999999999999", false), INT64_MIN);
	TEST_END();
}

int main(void)
{
	test_fnline();
	test_tcmdline();
	test_detect();
	test_usnum();
	return test_exit_status();
}
