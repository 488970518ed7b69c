/* Host tests of the function and function_graph tracers through the real trampolines:
 * test_fgraph_funcs.c is compiled with -pg -mfentry -mrecord-mcount -mnop-mcount, its
 * call sites are patched at run time by patch.c, and the calls go through fentry.S into
 * fgraph.c / function.c and the ring buffer, exactly as in the kernel. Each case runs a
 * known call tree and compares the records with the exact expected sequence. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <ucontext.h>
#include "test/unit/check.h"
#include "test/unit/test_fgraph_funcs.h"
#include "test/unit/trace_host_env.h"
#include "trace/config.h"
#include "trace/core.h"
#include "trace/hook.h"
#include "trace/patch.h"
#include "trace/ring.h"
#include "trace/trace.h"

extern const uint64_t __start___mcount_loc[], __stop___mcount_loc[];
extern const uint64_t __start___return_loc[], __stop___return_loc[];

#define SLOTS_MIN (RING_MIN_BYTES / RING_SLOT_BYTES)

static const struct { void *fn; const char *name; } names[] = {
	{ (void *)fg_leaf, "leaf" },	   { (void *)fg_mid, "mid" },
	{ (void *)fg_top, "top" },	   { (void *)fg_tail, "tail" },
	{ (void *)fg_recurse, "recurse" }, { (void *)fg_args, "args" },
	{ (void *)fg_slow, "slow" },	   { (void *)fg_callback, "callback" },
	{ (void *)fg_show_slot, "show_slot" }, { (void *)fg_spin, "spin" },
};

/* The traced function starting at ip, or the one whose code contains a return address. */
static const char *name_of(uint32_t ip, bool inside)
{
	const char *best = "?";
	uint32_t best_start = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint32_t start = (uint32_t)(uintptr_t)names[i].fn;

		if (start == ip)
			return names[i].name;
		if (inside && start < ip && start > best_start && ip - start < 256) {
			best = names[i].name;
			best_start = start;
		}
	}
	return best;
}

static struct ring_event ev;
static char text[1 << 16];
static unsigned last_tid[1 << 12];

/* Consumes CPU 0 and renders each record: "E<func>@<depth>[!irq]", "R<func>@<depth>",
 * "F<func><<parent>", "S<prev>><next>". */
static const char *records(void)
{
	struct ring_reader r;
	size_t len = 0;

	text[0] = 0;
	if (ring_reader_open(&r, 0, true))
		return "reader busy";
	while (ring_reader_peek(&r, &ev) && len < sizeof(text) - 64) {
		const struct trace_rec *rec = &ev.rec;
		const char *sep = len ? " " : "";
		const char *fn = name_of(rec_func(rec), false);

		switch (rec_type(rec)) {
		case REC_ENTRY:
			len += snprintf(text + len, 64, "%sE%s@%u%s", sep, fn, rec_depth(rec),
					rec_flags(rec) & REC_F_IRQ ? "!" : "");
			break;
		case REC_RETURN:
			len += snprintf(text + len, 64, "%sR%s@%u", sep, fn, rec_depth(rec));
			break;
		case REC_FUNC:
			len += snprintf(text + len, 64, "%sF%s<%s", sep, fn,
					name_of(rec_parent(rec), true));
			break;
		default:
			len += snprintf(text + len, 64, "%s?%d", sep, rec_type(rec));
		}
		last_tid[rec_tid(rec)]++;
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	return text;
}

static bool all_sites(uint64_t ip, void *arg)
{
	(void)ip;
	(void)arg;
	return true;
}

static bool no_site(uint64_t ip, void *arg)
{
	(void)ip;
	(void)arg;
	return false;
}

static bool only_site(uint64_t ip, void *arg)
{
	return ip == (uint64_t)(uintptr_t)arg;
}

/* A clean tracer: empty buffer, default settings, every site patched for tracer t. */
static void setup(enum trace_tracer t)
{
	ring_set_overwrite(false);
	ring_init(1, 1 << 20);
	trace_set_max_graph_depth(0);
	trace_set_thresh_us(0);
	trace_set_graph_funcs(NULL, 0);
	trace_set_pids(NULL, 0);
	trace_set_notrace_pids(NULL, 0);
	trace_set_tracer(t);
	trace_set_on(true);
	patch_set_return_hooks(t == TRACE_GRAPH);
	patch_apply(t == TRACE_NOP ? no_site : all_sites, NULL);
}

#if CONFIG_FGRAPH_RETHOOK
/* The return sites of the function at entry site fn that are calls of __fexit__. */
static int returns_on(void *fn)
{
	int n = 0;

	for (const uint64_t *p = __start___return_loc; p < __stop___return_loc; p++) {
		uint64_t site = *p;
		int32_t rel;

		if (patch_return_owner(site) != (uint64_t)(uintptr_t)fn)
			continue;
		memcpy(&rel, (uint8_t *)site + 1, sizeof(rel));
		n += *(uint8_t *)site == 0xe8 && site + 5 + rel == (uint64_t)(uintptr_t)__fexit__;
	}
	return n;
}

static void test_return_sites(void)
{
	const uint8_t nop[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	int every = 0;

	TEST_CASE("rethook: every return site is a NOP before a ret, in the function it belongs to");
	setup(TRACE_NOP);
	CHECK_EQ(patch_return_sites(), (size_t)(__stop___return_loc - __start___return_loc));
	CHECK(patch_return_sites() >= patch_sites()); /* each function here returns */
	CHECK_EQ(patch_return_sites_on(), 0);
	for (const uint64_t *p = __start___return_loc; p < __stop___return_loc; p++) {
		uint64_t site = *p, owner = patch_return_owner(site);

		CHECK(memcmp((void *)site, nop, 5) == 0);
		CHECK_EQ(*(uint8_t *)(site + 5), 0xc3);
		/* The owner is the traced function whose code holds the site. */
		CHECK_STR(name_of((uint32_t)owner, false), name_of((uint32_t)site, true));
		every += strcmp(name_of((uint32_t)owner, false), "?") != 0;
	}
	CHECK_EQ(every, (int)patch_return_sites());
	TEST_END();

	TEST_CASE("rethook: return sites are patched with their function's entry, for function_graph only");
	setup(TRACE_GRAPH);
	CHECK_EQ(patch_return_sites_on(), patch_return_sites());
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CHECK(returns_on(names[i].fn) >= 1);
	patch_apply(only_site, (void *)fg_mid);
	CHECK_EQ(patch_return_sites_on(), (size_t)returns_on((void *)fg_mid));
	CHECK(returns_on((void *)fg_mid) >= 1);
	CHECK_EQ(returns_on((void *)fg_leaf), 0);
	setup(TRACE_FUNCTION);
	CHECK_EQ(patch_sites_on(), patch_sites());
	CHECK_EQ(patch_return_sites_on(), 0);
	TEST_END();
}
#endif

static void test_sites(void)
{
	const uint8_t nop[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	int32_t rel;

	TEST_CASE("patch: every traced function is a site, NOP until patched, call when on");
	CHECK_EQ(patch_sites(), sizeof(names) / sizeof(names[0]));
	setup(TRACE_NOP);
	CHECK_EQ(patch_sites_on(), 0);
	CHECK(memcmp((void *)fg_leaf, nop, 5) == 0);
	setup(TRACE_GRAPH);
	CHECK_EQ(patch_sites_on(), patch_sites());
	CHECK_EQ(*(uint8_t *)fg_leaf, 0xe8);
	memcpy(&rel, (uint8_t *)fg_leaf + 1, sizeof(rel));
	CHECK_EQ((uint64_t)fg_leaf + 5 + rel, (uint64_t)__fentry__);
	patch_apply(only_site, (void *)fg_mid);
	CHECK_EQ(patch_sites_on(), 1);
	CHECK(patch_site_on(0) == (patch_site(0) == (uint64_t)fg_mid));
	TEST_END();
#if CONFIG_FGRAPH_RETHOOK
	test_return_sites();
#endif
}

static void test_graph_tree(void)
{
	TEST_CASE("function_graph: exact entry/return sequence and depths of a call tree");
	setup(TRACE_GRAPH);
	CHECK_EQ(fg_top(2), (1 + 4) + 7);
	CHECK_STR(records(), "Etop@0 Emid@1 Eleaf@2 Rleaf@2 Eleaf@2 Rleaf@2 Rmid@1 Eleaf@1 Rleaf@1 "
			     "Rtop@0");
	TEST_END();
}

/* The fast path's one-slot W_RETURN (one level above the last leaf or return) and the C
 * path's W_LONG for a return at any other depth both carry the call's depth. */
static void test_return_depth(void)
{
	struct ring_stats st;

	TEST_CASE("function_graph: returns carry their depth, in one slot where it is implied");
	setup(TRACE_GRAPH);
	fg_top(1);
	ring_get_stats(0, &st);
	/* sync (2 slots), top, mid, leaf, mid's return, leaf, top's return */
	CHECK_EQ(st.bytes, 8 * RING_SLOT_BYTES);
	CHECK_STR(records(), "Etop@0 Emid@1 Eleaf@2 Rleaf@2 Rmid@1 Eleaf@1 Rleaf@1 Rtop@0");
	/* Too long for a leaf, and at the depth of the last return, not one above it: its
	 * entry, then a two-slot W_LONG_RET. */
	fg_spin(100000);
	ring_get_stats(0, &st);
	CHECK_EQ(st.bytes, 3 * RING_SLOT_BYTES);
	CHECK_STR(records(), "Espin@0 Rspin@0");
	TEST_END();
}

static void clear_buffer(void)
{
	CHECK_EQ(ring_clear(), 0);
}

static void nested_clear(void)
{
	fg_callback(clear_buffer, 2);
}

/* The buffer cleared two calls deep: what follows are returns whose entries are gone, each
 * still at its call's depth. */
static void test_return_depth_after_clear(void)
{
	TEST_CASE("function_graph: returns whose entries were cleared keep their depths");
	setup(TRACE_GRAPH);
	fg_callback(nested_clear, 1);
	CHECK_STR(records(), "Eleaf@2 Rleaf@2 Rcallback@1 Eleaf@1 Rleaf@1 Rcallback@0");
	TEST_END();
}

/* Parent durations cover their children; timestamps do not go backwards. */
static void test_graph_durations(void)
{
	struct ring_reader r;
	uint64_t last = 0, child_sum = 0, mid_dur = 0;
	uint32_t leaf = (uint32_t)(uintptr_t)fg_leaf, mid = (uint32_t)(uintptr_t)fg_mid;
	int n = 0;

	TEST_CASE("function_graph: a parent's duration is at least the sum of its children's");
	setup(TRACE_GRAPH);
	fg_mid(5);
	ring_reader_open(&r, 0, true);
	while (ring_reader_peek(&r, &ev)) {
		CHECK(ev.ts >= last);
		last = ev.ts;
		if (rec_type(&ev.rec) == REC_RETURN && rec_func(&ev.rec) == leaf)
			child_sum += rec_duration(&ev.rec);
		if (rec_type(&ev.rec) == REC_RETURN && rec_func(&ev.rec) == mid)
			mid_dur = rec_duration(&ev.rec);
		n++;
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	CHECK_EQ(n, 12);
	CHECK(mid_dur > 0);
	CHECK(mid_dur >= child_sum);
	TEST_END();
}

static void test_registers(void)
{
	struct fg_pair p;

	TEST_CASE("trampolines: six arguments and a two-register result pass through unchanged");
	setup(TRACE_GRAPH);
	p = fg_args(1, 2, 3, 4, 5, 6);
	CHECK_EQ(p.lo, 1 + 4 + 9);
	CHECK_EQ(p.hi, 16 + 25 + 36);
	CHECK_STR(records(), "Eargs@0 Rargs@0");
	setup(TRACE_FUNCTION);
	p = fg_args(-1, -2, -3, 7, 8, 9);
	CHECK_EQ(p.lo, -14);
	CHECK_EQ(p.hi, 28 + 40 + 54);
	TEST_END();
}

static void test_tail_call(void)
{
#if CONFIG_FGRAPH_RETHOOK
	/* Built without sibling calls, as the kernel: a call in tail position is a call. */
	TEST_CASE("function_graph: a call in tail position nests inside its caller");
#else
	TEST_CASE("function_graph: a sibling call nests inside the caller it replaced");
#endif
	setup(TRACE_GRAPH);
	CHECK_EQ(fg_tail(4), 16);
	CHECK_STR(records(), "Etail@0 Eleaf@1 Rleaf@1 Rtail@0");
	TEST_END();
}

static void test_function(void)
{
	TEST_CASE("function: one record per call with the caller it returns into");
	setup(TRACE_FUNCTION);
	fg_top(2);
	CHECK_STR(records(), "Ftop<? Fmid<top Fleaf<mid Fleaf<mid Fleaf<top");
	patch_apply(only_site, (void *)fg_leaf);
	fg_top(1);
	CHECK_STR(records(), "Fleaf<mid Fleaf<top");
	TEST_END();
}

static void test_off(void)
{
	TEST_CASE("tracer off: no records, NOP sites or tracing_on 0");
	setup(TRACE_NOP);
	fg_top(3);
	CHECK_STR(records(), "");
	setup(TRACE_GRAPH);
	trace_set_on(false);
	fg_top(3);
	CHECK_STR(records(), "");
	trace_set_on(true);
	fg_leaf(1);
	CHECK_STR(records(), "Eleaf@0 Rleaf@0");
	TEST_END();
}

static void tracing_off(void)
{
	trace_set_on(false);
}

static void test_return_while_off(void)
{
	struct trace_cpu_counts c0, c1;

	TEST_CASE("function_graph: a call that returns while tracing is off leaves no open frame");
	setup(TRACE_GRAPH);
	trace_get_counts(0, &c0);
	fg_callback(tracing_off, 1); /* entered on, returns off */
	trace_set_on(true);
	fg_top(1); /* at depth 0 again: the callback's frame is gone */
	CHECK_STR(records(), "Ecallback@0 Etop@0 Emid@1 Eleaf@2 Rleaf@2 Rmid@1 Eleaf@1 Rleaf@1 "
			     "Rtop@0");
	CHECK_EQ(trace_env_task()->depth, 0);
	trace_get_counts(0, &c1);
	/* rethook: dropped by the next entry at its slot; hijack: popped by its return. */
	CHECK_EQ(c1.abandoned - c0.abandoned, CONFIG_FGRAPH_RETHOOK ? 1 : 0);
	TEST_END();
}

static void test_deep_recursion(void)
{
	struct trace_task *t = trace_env_task();
	struct trace_cpu_counts c0, c1;
	char want[64 * 24 * 2];
	size_t len = 0;
	uint64_t over = t->overflow;

	TEST_CASE("function_graph: calls deeper than the shadow stack are skipped and counted");
	setup(TRACE_GRAPH);
	trace_get_counts(0, &c0);
	CHECK_EQ(fg_recurse(100), 101 + 1);
	for (int d = 0; d < TRACE_STACK_DEPTH; d++)
		len += snprintf(want + len, 32, "%sErecurse@%d", d ? " " : "", d);
	for (int d = TRACE_STACK_DEPTH - 1; d >= 0; d--)
		len += snprintf(want + len, 32, " Rrecurse@%d", d);
	CHECK_STR(records(), want);
	trace_get_counts(0, &c1);
	CHECK_EQ(t->overflow - over, 101 + 1 - TRACE_STACK_DEPTH);
	CHECK_EQ(c1.overflow - c0.overflow, 101 + 1 - TRACE_STACK_DEPTH);
	CHECK_EQ(t->depth, 0);
	fg_top(1); /* the stack is usable again */
	CHECK_STR(records(), "Etop@0 Emid@1 Eleaf@2 Rleaf@2 Rmid@1 Eleaf@1 Rleaf@1 Rtop@0");
	TEST_END();
}

static void test_max_depth(void)
{
	TEST_CASE("function_graph: max_graph_depth cuts the tree below that depth");
	setup(TRACE_GRAPH);
	trace_set_max_graph_depth(2);
	fg_top(2);
	CHECK_STR(records(), "Etop@0 Emid@1 Rmid@1 Eleaf@1 Rleaf@1 Rtop@0");
	trace_set_max_graph_depth(1);
	fg_top(2);
	CHECK_STR(records(), "Etop@0 Rtop@0");
	TEST_END();
}

static void test_graph_function(void)
{
	uint64_t mid = (uint64_t)(uintptr_t)fg_mid;

	TEST_CASE("function_graph: set_graph_function traces only inside it, depth from 0");
	setup(TRACE_GRAPH);
	CHECK_EQ(trace_set_graph_funcs(&mid, 1), 0);
	fg_top(2);
	fg_leaf(3);
	CHECK_STR(records(), "Emid@0 Eleaf@1 Rleaf@1 Eleaf@1 Rleaf@1 Rmid@0");
	trace_set_max_graph_depth(1);
	fg_top(2);
	CHECK_STR(records(), "Emid@0 Rmid@0");
	trace_set_max_graph_depth(0);
	CHECK_EQ(trace_set_graph_funcs(NULL, 0), 0);
	fg_mid(1);
	CHECK_STR(records(), "Emid@0 Eleaf@1 Rleaf@1 Rmid@0");
	TEST_END();
}

static void test_graph_notrace(void)
{
	uint64_t mid = (uint64_t)(uintptr_t)fg_mid, top = (uint64_t)(uintptr_t)fg_top;

	TEST_CASE("function_graph: set_graph_notrace leaves out those calls and all they call");
	setup(TRACE_GRAPH);
	CHECK_EQ(trace_set_graph_notrace(&mid, 1), 0);
	fg_top(2);
	CHECK_STR(records(), "Etop@0 Eleaf@1 Rleaf@1 Rtop@0");
	fg_mid(1);
	fg_leaf(1);
	CHECK_STR(records(), "Eleaf@0 Rleaf@0");
	/* Inside a set_graph_function region, the notrace call is cut out of it. */
	CHECK_EQ(trace_set_graph_funcs(&top, 1), 0);
	fg_top(1);
	fg_leaf(2);
	CHECK_STR(records(), "Etop@0 Eleaf@1 Rleaf@1 Rtop@0");
	CHECK_EQ(trace_set_graph_funcs(NULL, 0), 0);
	CHECK_EQ(trace_set_graph_notrace(NULL, 0), 0);
	fg_top(1);
	CHECK_STR(records(), "Etop@0 Emid@1 Eleaf@2 Rleaf@2 Rmid@1 Eleaf@1 Rleaf@1 Rtop@0");
	TEST_END();
}

static void slow_callback(void)
{
	fg_slow(8000000);
}

static void test_thresh(void)
{
	TEST_CASE("function_graph: tracing_thresh keeps only returns of calls that long");
	setup(TRACE_GRAPH);
	trace_set_thresh_us(1000); /* fg_slow is 4 ms, fg_leaf far less */
	fg_slow(8000000);
	fg_top(1);
	CHECK_STR(records(), "Rslow@0");
	/* Only returns are recorded, each at its call's depth. */
	fg_callback(slow_callback, 1);
	CHECK_STR(records(), "Rslow@1 Rcallback@0");
	trace_set_thresh_us(1000);
	CHECK(trace_cfg.thresh_tsc > 0);
	CHECK_EQ(trace_thresh_us(), 1000);
	TEST_END();
}

static void test_pid_filter(void)
{
	unsigned me = 42, other = 43;

	TEST_CASE("pid filters: set_ftrace_pid and set_ftrace_notrace_pid per task");
	setup(TRACE_GRAPH);
	trace_host_set_tid(me);
	trace_set_pids(&other, 1);
	fg_leaf(1);
	CHECK_STR(records(), "");
	trace_set_pids(&me, 1);
	fg_leaf(1);
	CHECK_STR(records(), "Eleaf@0 Rleaf@0");
	trace_set_notrace_pids(&me, 1);
	fg_leaf(1);
	CHECK_STR(records(), "");
	trace_set_notrace_pids(NULL, 0);
	trace_set_pids(NULL, 0);
	setup(TRACE_FUNCTION);
	trace_set_notrace_pids(&me, 1);
	fg_leaf(1);
	CHECK_STR(records(), "");
	trace_host_set_tid(0);
	TEST_END();
}

static void test_server_work(void)
{
	TEST_CASE("the trace server's own work is recorded only with the trace-server option");
	setup(TRACE_GRAPH);
	trace_server_work_begin();
	fg_leaf(1);
	CHECK_STR(records(), "");
	trace_server_work_begin();  /* nests */
	trace_server_work_end();
	fg_leaf(1);
	CHECK_STR(records(), "");
	trace_set_trace_server(true);
	fg_leaf(1);
	CHECK_STR(records(), "Eleaf@0 Rleaf@0");
	trace_set_trace_server(false);
	fg_leaf(1);
	CHECK_STR(records(), "");
	trace_server_work_end();
	fg_leaf(1);
	CHECK_STR(records(), "Eleaf@0 Rleaf@0");
	setup(TRACE_FUNCTION);
	trace_server_work_begin();
	fg_leaf(1);
	CHECK_STR(records(), "");
	trace_server_work_end();
	TEST_END();
}

/* ---- interrupts: a signal handler runs on the interrupted stack, like an IRQ ---- */

static volatile int handler_calls;

static void on_alarm(int sig)
{
	(void)sig;
	trace_host_set_irq_depth(1);
	fg_leaf(7);
	trace_host_set_irq_depth(0);
	handler_calls++;
}

/* Checks that records of one task nest: every return closes the innermost open entry, at
 * its depth, and every entry's depth is the number of entries open. Returns the entries seen. */
static long check_nesting(int *bad, long *irq_entries)
{
	struct ring_reader r;
	uint32_t open[TRACE_STACK_DEPTH + 1];
	int depth = 0;
	long entries = 0;

	ring_reader_open(&r, 0, true);
	while (ring_reader_peek(&r, &ev)) {
		if (rec_type(&ev.rec) == REC_ENTRY) {
			*bad += rec_depth(&ev.rec) != (unsigned)depth || depth >= TRACE_STACK_DEPTH;
			*irq_entries += (rec_flags(&ev.rec) & REC_F_IRQ) != 0;
			if (depth < TRACE_STACK_DEPTH)
				open[depth++] = rec_func(&ev.rec);
			entries++;
		} else if (rec_type(&ev.rec) == REC_RETURN) {
			*bad += depth == 0 || open[depth - 1] != rec_func(&ev.rec) ||
				rec_depth(&ev.rec) != (unsigned)depth - 1;
			depth -= depth > 0;
		}
		*bad += ev.lost != 0;
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	*bad += depth != 0;
	return entries;
}

static void test_interrupts(void)
{
	struct itimerval it = { { 0, 20 }, { 0, 20 } };
	struct trace_cpu_counts c0, c1;
	long irq_entries = 0, entries;
	int bad = 0, rounds = 0;

	TEST_CASE("function_graph: interrupts nest on the interrupted task's shadow stack");
	setup(TRACE_GRAPH);
	ring_init(1, 64 << 20);
	trace_get_counts(0, &c0);
	handler_calls = 0;
	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
	while (handler_calls < 2000 && rounds < 2000000) {
		fg_top(3);
		rounds++;
	}
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	trace_get_counts(0, &c1);
	entries = check_nesting(&bad, &irq_entries);
	CHECK_EQ(bad, 0);
	CHECK(handler_calls >= 2000);
	/* Every handler call is traced, unless it hit the tracer itself: then it is counted. */
	CHECK_EQ(irq_entries + (long)(c1.recursion - c0.recursion), handler_calls);
	CHECK_EQ(entries, rounds * 6L + irq_entries);
	CHECK_EQ(trace_env_task()->depth, 0);
	TEST_END();
}

/* ---- context switches: two tasks on their own stacks, switched mid-call ---- */

static ucontext_t ctx_main, ctx_a, ctx_b;
static struct trace_task task_a, task_b;
static int switches;

/* The "scheduler": records the switch like the kernel and changes stack and task. */
static void switch_to(ucontext_t *from, ucontext_t *to, struct trace_task *t, unsigned from_tid,
		      unsigned to_tid)
{
	trace_sched_switch(trace_env_task(), from_tid, t, to_tid, 1);
	trace_host_set_task(t);
	trace_host_set_tid(to_tid);
	switches++;
	swapcontext(from, to);
}

static void yield_a(void) { switch_to(&ctx_a, &ctx_b, &task_b, 1, 2); }
static void yield_b(void) { switch_to(&ctx_b, &ctx_a, &task_a, 2, 1); }

static void run_a(void)
{
	fg_callback(yield_a, 10); /* A sleeps inside fg_callback, B runs */
	trace_host_set_task(NULL);
	trace_host_set_tid(0);
}

static void run_b(void)
{
	fg_mid(1);
	fg_callback(yield_b, 20); /* B sleeps inside fg_callback, A finishes */
}

static void test_context_switch(void)
{
	static char stack_a[64 << 10], stack_b[64 << 10];

	TEST_CASE("function_graph: the shadow stack follows its thread across switches");
	setup(TRACE_GRAPH);
	trace_task_init(&task_a, 1);
	trace_task_init(&task_b, 2);
	getcontext(&ctx_a);
	ctx_a.uc_stack.ss_sp = stack_a;
	ctx_a.uc_stack.ss_size = sizeof(stack_a);
	ctx_a.uc_link = &ctx_main;
	makecontext(&ctx_a, run_a, 0);
	getcontext(&ctx_b);
	ctx_b.uc_stack.ss_sp = stack_b;
	ctx_b.uc_stack.ss_size = sizeof(stack_b);
	ctx_b.uc_link = &ctx_main;
	makecontext(&ctx_b, run_b, 0);
	trace_host_set_task(&task_a);
	trace_host_set_tid(1);
	swapcontext(&ctx_main, &ctx_a);
	trace_host_set_task(NULL);
	trace_host_set_tid(0);
	/* A: callback { switch } ... B: mid { leaf } callback { switch } ... A: leaf } */
	CHECK_STR(records(), "Ecallback@0 ?4 Emid@0 Eleaf@1 Rleaf@1 Rmid@0 Ecallback@0 ?4 "
			     "Eleaf@1 Rleaf@1 Rcallback@0");
	CHECK_EQ(task_a.depth, 0);
	CHECK_EQ(task_b.depth, 1); /* B never resumed: its call is still open */
	TEST_END();
}

/* ---- sleep-time: A switches out inside fg_callback while B runs for a while ---- */

static uint64_t rdtsc_now(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#define AWAY_TICKS 20000000ull /* B's run while A is switched out: ~10 ms */

static void run_away_b(void)
{
	uint64_t t0 = rdtsc_now();

	while (rdtsc_now() - t0 < AWAY_TICKS)
		;
	yield_b(); /* back to A, which finishes; B never resumes */
}

/* The times of A's fg_callback (entry, return, recorded duration) and of the two switches
 * around B's run, from the buffer. */
struct away_times {
	uint64_t entry, ret, dur, out, in;
	int switches;
};

static struct away_times run_away(bool sleep_time)
{
	static char stack_a[64 << 10], stack_b[64 << 10];
	struct away_times at = { 0 };
	struct ring_reader r;

	setup(TRACE_GRAPH);
	trace_set_sleep_time(sleep_time);
	trace_task_init(&task_a, 1);
	trace_task_init(&task_b, 2);
	getcontext(&ctx_a);
	ctx_a.uc_stack.ss_sp = stack_a;
	ctx_a.uc_stack.ss_size = sizeof(stack_a);
	ctx_a.uc_link = &ctx_main;
	makecontext(&ctx_a, run_a, 0);
	getcontext(&ctx_b);
	ctx_b.uc_stack.ss_sp = stack_b;
	ctx_b.uc_stack.ss_size = sizeof(stack_b);
	ctx_b.uc_link = &ctx_main;
	makecontext(&ctx_b, run_away_b, 0);
	trace_host_set_task(&task_a);
	trace_host_set_tid(1);
	swapcontext(&ctx_main, &ctx_a);
	trace_host_set_task(NULL);
	trace_host_set_tid(0);
	trace_set_sleep_time(true);
	ring_reader_open(&r, 0, true);
	while (ring_reader_peek(&r, &ev)) {
		const char *fn = name_of(rec_func(&ev.rec), false);

		if (rec_type(&ev.rec) == REC_SWITCH)
			*(at.switches++ ? &at.in : &at.out) = ev.ts;
		else if (rec_type(&ev.rec) == REC_ENTRY && !strcmp(fn, "callback"))
			at.entry = ev.ts;
		else if (rec_type(&ev.rec) == REC_RETURN && !strcmp(fn, "callback"))
			at.ret = ev.ts, at.dur = rec_duration(&ev.rec);
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	return at;
}

static void test_sleep_time(void)
{
	struct away_times at;

	TEST_CASE("sleep-time (default): a duration includes the time its thread was away");
	at = run_away(true);
	CHECK_EQ(at.switches, 2);
	CHECK(at.in - at.out >= AWAY_TICKS);
	CHECK_EQ(at.dur, at.ret - at.entry);
	TEST_END();

	TEST_CASE("nosleep-time: a duration leaves out exactly the time its thread was away");
	at = run_away(false);
	CHECK_EQ(at.switches, 2);
	CHECK(at.in - at.out >= AWAY_TICKS);
	CHECK_EQ(at.dur, (at.ret - at.entry) - (at.in - at.out));
	CHECK(at.dur < AWAY_TICKS / 10);
	CHECK_EQ(task_a.depth, 0);
	TEST_END();
}

/* ---- unwinding: the real return address of a hooked call, found by its stack slot ---- */

static uint64_t slot_held, slot_unwound;

static void look_at_slot(uint64_t *slot)
{
	slot_held = *slot;
	slot_unwound = trace_graph_ret_addr(*slot, (uint64_t)(uintptr_t)slot);
}

/* One call site, so the real return address is the same with and without the tracer. */
static __attribute__((noinline)) void show_slot(void)
{
	fg_show_slot(look_at_slot);
	__asm__ volatile(""); /* not a tail call */
}

static void test_unwind(void)
{
	uint64_t real;

	TEST_CASE("unwinding: trace_graph_ret_addr() gives a hooked call's real return address");
	setup(TRACE_NOP);
	show_slot();
	real = slot_held;
	CHECK_EQ(slot_unwound, real);
	setup(TRACE_GRAPH);
	show_slot();
#if CONFIG_FGRAPH_RETHOOK
	/* Nothing to translate: the return address on the stack is never rewritten. */
	CHECK_EQ(slot_held, real);
	CHECK_EQ(slot_unwound, real);
	CHECK_STR(records(), "Eshow_slot@0 Rshow_slot@0");
	TEST_END();
}
#else
	CHECK_EQ(slot_held, (uint64_t)(uintptr_t)return_to_handler);
	CHECK_EQ(slot_unwound, real);
	CHECK_EQ(trace_graph_ret_addr((uint64_t)(uintptr_t)return_to_handler, 8), /* no frame */
		 (uint64_t)(uintptr_t)return_to_handler);
	TEST_END();
}
#endif

static void test_full_buffer(void)
{
	struct ring_reader r;
	int orphan = 0, open = 0, pairs = 0;

	TEST_CASE("function_graph: with a full buffer no return is recorded without its entry");
	setup(TRACE_GRAPH);
	ring_init(1, RING_MIN_BYTES);
	for (int i = 0; i < 10000; i++)
		fg_mid(2);
	ring_reader_open(&r, 0, true);
	while (ring_reader_peek(&r, &ev)) {
		if (rec_type(&ev.rec) == REC_ENTRY)
			open++;
		else if (rec_type(&ev.rec) == REC_RETURN && open == 0)
			orphan++;
		else if (rec_type(&ev.rec) == REC_RETURN)
			open--, pairs++;
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	CHECK_EQ(orphan, 0);
	CHECK(pairs > 100);
	TEST_END();
}

/* A call whose children were dropped (buffer full) is no leaf: its return, even where it
 * could still merge into its entry, comes after the loss. */
static void test_no_leaf_over_drops(void)
{
	struct ring_reader r;
	struct ring_stats st;
	uint64_t lost = 0;
	int mid_entries = 0, mid_returns = 0;

	TEST_CASE("function_graph: a return does not merge into its entry over dropped events");
	setup(TRACE_GRAPH);
	ring_init(1, RING_MIN_BYTES);
	/* Fill all but the last slot with one-slot records (stop mode, nothing consumed). */
	while ((uint32_t)ring.cpu[0].head < SLOTS_MIN - 1)
		CHECK(ring_write(0, rec_w0(trace_env_clock(), trace_env_tid(), REC_FUNC),
				 (uint32_t)(uintptr_t)fg_leaf | (uint64_t)(uintptr_t)fg_mid << 32));
	CHECK_EQ((uint32_t)ring.cpu[0].head, SLOTS_MIN - 1);
	fg_mid(2); /* its entry takes the last slot, both leaf calls are dropped */
	CHECK_EQ(ring_reader_open(&r, 0, false), 0);
	while (ring_reader_peek(&r, &ev)) {
		lost += ev.lost;
		mid_entries += rec_type(&ev.rec) == REC_ENTRY;
		mid_returns += rec_type(&ev.rec) == REC_RETURN;
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	ring_get_stats(0, &st);
	CHECK_EQ(mid_entries, 1);
	CHECK_EQ(mid_returns, 0); /* dropped too: no room for a record of its own */
	CHECK_EQ(lost, 3);        /* after the entry: two leaf calls, the return */
	CHECK_EQ(st.dropped, 3);
	TEST_END();
}

static void test_marker(void)
{
	TEST_CASE("trace_marker: text goes into the buffer while tracing is on");
	setup(TRACE_GRAPH);
	CHECK_EQ(trace_marker_write("hello", 5), 0);
	fg_leaf(0);
	CHECK_STR(records(), "?5 Eleaf@0 Rleaf@0");
	trace_set_on(false);
	CHECK_EQ(trace_marker_write("x", 1), -EBUSY);
	TEST_END();
}

int main(void)
{
	patch_set_sites(__start___mcount_loc, __stop___mcount_loc);
#if CONFIG_FGRAPH_RETHOOK
	patch_set_return_sites(__start___return_loc, __stop___return_loc);
#endif
	trace_host_set_ncpus(1);
	test_sites();
	test_graph_tree();
	test_return_depth();
	test_return_depth_after_clear();
	test_graph_durations();
	test_registers();
	test_tail_call();
	test_function();
	test_off();
	test_return_while_off();
	test_deep_recursion();
	test_max_depth();
	test_graph_function();
	test_graph_notrace();
	test_thresh();
	test_pid_filter();
	test_server_work();
	test_interrupts();
	test_context_switch();
	test_sleep_time();
	test_unwind();
	test_full_buffer();
	test_no_leaf_over_drops();
	test_marker();
	setup(TRACE_NOP);
	return test_exit_status();
}
