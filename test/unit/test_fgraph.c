/* Host tests of the function and function_graph tracers through the real trampolines:
 * test_fgraph_funcs.c is compiled as the kernel's traced code (-pg -mfentry ..., with
 * FGRAPH=rethook also its return sites), its sites are patched at run time by patch.c, and the calls go through fentry.S into
 * fgraph.c / function.c and the ring buffer, exactly as in the kernel. Each case runs a
 * known call tree and compares the records with the exact expected sequence. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "test/unit/check.h"
#include "test/unit/fgraph_harness.h"
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
	test_far_sites();
	setup(TRACE_NOP);
	return test_exit_status();
}
