/* test_fgraph's cases about tasks: interrupts nesting on the interrupted task (a signal
 * handler), and context switches between two tasks on their own stacks (ucontext), with
 * and without the sleep-time option. */
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>
#include "test/unit/check.h"
#include "test/unit/fgraph_harness.h"
#include "test/unit/test_fgraph_funcs.h"
#include "test/unit/trace_host_env.h"
#include "trace/config.h"
#include "trace/core.h"
#include "trace/hook.h"
#include "trace/ring.h"
#include "trace/trace.h"

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

void test_interrupts(void)
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

/* Threads 1 (run_a) and 2 (b), each on its own stack, from task A's start until both
 * are done and control is back here. */
static void run_two_tasks(void (*b)(void))
{
	static char stack_a[64 << 10], stack_b[64 << 10];

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
	makecontext(&ctx_b, b, 0);
	trace_host_set_task(&task_a);
	trace_host_set_tid(1);
	swapcontext(&ctx_main, &ctx_a);
	trace_host_set_task(NULL);
	trace_host_set_tid(0);
}

void test_context_switch(void)
{

	TEST_CASE("function_graph: the shadow stack follows its thread across switches");
	setup(TRACE_GRAPH);
	run_two_tasks(run_b);
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
	struct away_times at = { 0 };
	struct ring_reader r;

	setup(TRACE_GRAPH);
	trace_set_sleep_time(sleep_time);
	run_two_tasks(run_away_b);
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

void test_sleep_time(void)
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
