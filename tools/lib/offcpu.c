/* Time off the CPU, from the order of each CPU's lines. When a CPU's lines go from thread
 * A to thread B (the proc column, or a context-switch block naming B), A left that CPU at
 * the time of B's first line there, and it is off the CPU until its own next line, on
 * whatever CPU. That interval is charged to the call that was innermost on A's stack, the
 * one A blocked in; its callers see it in their totals (tstack.c). The estimate counts
 * the switch itself as A's time on the CPU: it only needs timestamps (funcgraph-abstime).
 *
 * A thread whose first line comes after other threads' lines on its CPU was switched out
 * before: when that line closes a call begun before the trace, the whole call is taken as
 * off the CPU. Time the trace does not show a thread running is not counted as work.
 *
 * A sched_switch event, when the trace has them, gives the switch's exact time instead.
 *
 * With the nosleep-time option the kernel's durations already exclude the time switched
 * out, while the timestamps stay real: a call whose printed duration falls short of its
 * entry-to-return span by about its time off the CPU says so. From then on in that file,
 * calls count no time off the CPU (there is none in their durations).
 *
 * Without timestamps the same switches mark the call each thread left in, and
 * offcpu_est.c estimates its waiting from its self time. */
#include <stdlib.h>

#include "tools/lib/tparse_internal.h"
#include "tools/lib/xalloc.h"

#define NO_THREAD INT64_MIN

static int64_t *last_tid_slot(struct tparse *tp, int cpu)
{
	size_t old = tp->ncpu_last_tid;

	if ((size_t)cpu >= old) {
		xgrow((void **)&tp->cpu_last_tid, &tp->ncpu_last_tid, (size_t)cpu + 1,
		      sizeof(*tp->cpu_last_tid));
		for (size_t i = old; i < tp->ncpu_last_tid; i++)
			tp->cpu_last_tid[i] = NO_THREAD;
	}
	return &tp->cpu_last_tid[cpu];
}

/* A left cpu, unless its last line was on another CPU already (it moved on). */
static void switched_out(struct tparse *tp, int cpu, int64_t prev, int64_t abs_ns)
{
	struct task *a;

	if (prev == -1)
		return;		/* an unknown thread has nothing to account */
	a = tp_task(tp, cpu, prev);
	if (a->last_cpu == cpu && a->out_since_ns < 0)
		a->out_since_ns = abs_ns;
}

/* No timestamps: a thread's line after another thread's on its CPU, or on another CPU
 * than its last one, says it had left the CPU; so does a first line that closes a call
 * begun before the trace, after another thread's lines. */
static struct task *untimed_line(struct tparse *tp, const struct fgl *l, int64_t tid,
				 bool switched)
{
	struct task *t = tp_task(tp, l->cpu, tid);

	if (tid == -1)
		return t;
	if (t->last_cpu >= 0 ? switched || t->last_cpu != l->cpu :
			       switched && l->kind == FGL_RETURN)
		tp_offcpu_est_back(t);
	t->last_cpu = l->cpu;
	return t;
}

struct task *tp_offcpu_line(struct tparse *tp, const struct fgl *l, int64_t tid)
{
	int cpu = l->cpu;
	int64_t abs_ns = l->abs_ns;
	int64_t *last = last_tid_slot(tp, cpu);
	bool switched = *last != NO_THREAD && *last != tid;

	if (abs_ns < 0) {
		*last = tid;
		return untimed_line(tp, l, tid, switched);
	}

	if (switched)
		switched_out(tp, cpu, *last, abs_ns);
	*last = tid;
	/* looked up after switched_out(): a new task may move the task array */
	struct task *t = tp_task(tp, cpu, tid);
	if (t->last_cpu < 0 && !t->n && switched && tid != -1 && l->kind == FGL_RETURN &&
	    l->dur_ns >= 0 && abs_ns >= l->dur_ns)
		t->out_since_ns = abs_ns - l->dur_ns;
	if (t->out_since_ns >= 0 && abs_ns > t->out_since_ns)
		t->pending_off_ns += abs_ns - t->out_since_ns;
	t->out_since_ns = -1;
	t->last_cpu = cpu;
	return t;
}

void tp_offcpu_event(struct tparse *tp, int cpu, int64_t prev, int64_t next, int64_t abs_ns)
{
	int64_t *last = last_tid_slot(tp, cpu);
	struct task *t;

	if (prev != -1) {
		t = tp_task(tp, cpu, prev);
		if (t->out_since_ns < 0)	/* the event is the truth, wherever prev ran */
			t->out_since_ns = abs_ns;
		t->last_cpu = cpu;
	}
	/* looked up after prev's: a new task may move the task array */
	t = tp_task(tp, cpu, next);
	if (t->last_cpu < 0 && !t->n) {
		/* not seen yet: its first line decides, as without the event */
		*last = prev != -1 ? prev : *last;
		return;
	}
	if (t->out_since_ns >= 0 && abs_ns > t->out_since_ns)
		t->pending_off_ns += abs_ns - t->out_since_ns;
	t->out_since_ns = -1;
	t->last_cpu = cpu;
	*last = next;	/* next's first line is no switch of its own */
}

void tp_offcpu_block(struct tparse *tp, int cpu, int64_t prev_tid)
{
	int64_t *last = last_tid_slot(tp, cpu);

	if (*last == NO_THREAD)
		*last = prev_tid;
}

void tp_offcpu_adopt(struct tparse *tp, int cpu, struct task *owner)
{
	int64_t *last = last_tid_slot(tp, cpu);

	if (*last == -1)
		*last = owner->tid;
	owner->last_cpu = cpu;
	/* the frames counted from the unknown thread's zero */
	for (size_t i = 0; i < owner->n; i++)
		owner->frames[i].off_base_ns += owner->off_ns;
}

void tp_offcpu_charge(struct task *t, bool keep)
{
	tp_offcpu_est_charge(t, keep);
	if (!t->pending_off_ns || (keep && !t->n))
		return;
	t->off_ns += t->pending_off_ns;
	if (t->n)
		t->frames[t->n - 1].off_self_ns += t->pending_off_ns;
	t->pending_off_ns = 0;
}

/* Timestamps are truncated to microseconds: a span is within 1 us of the true one. */
#define SPAN_SLACK_NS 1000

void tp_offcpu_row(struct tparse *tp, struct task *t, const struct frame *f,
		   const struct fgl *l, struct tp_row *r)
{
	int64_t off = t->off_ns - f->off_base_ns;

	if (l->abs_ns < 0) {
		tp_offcpu_est_row(t, f, r);
		return;
	}

	if (off > 0 && f->start_ns >= 0 && l->abs_ns >= 0 && l->dur_ns >= 0) {
		int64_t missing = l->abs_ns - f->start_ns - l->dur_ns;
		if (missing > SPAN_SLACK_NS && missing > off / 2)
			tp->nosleep = true;
	}
	r->off_ns = tp->nosleep ? 0 : off;
	r->off_self_ns = tp->nosleep ? 0 : f->off_self_ns;
}

void tp_offcpu_reset(struct tparse *tp)
{
	tp->nosleep = false;
	free(tp->cpu_last_tid);
	tp->cpu_last_tid = NULL;
	tp->ncpu_last_tid = 0;
}
