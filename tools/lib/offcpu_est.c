/* Time off the CPU estimated from a trace without timestamps (the default trace options:
 * no funcgraph-abstime), whose switch blocks or proc column still tell which thread ran
 * where (offcpu.c finds the switches). Without times, the moment a thread left the CPU and
 * the moment it came back are unknown; what is known is the call it left in: its innermost
 * open call, the one its next line returns from (or calls into). That call's duration, with
 * sleep-time on (the default), holds the whole time away, and its self time is the time
 * away plus the call's own work on the CPU (the switch path: saving state, picking the
 * next thread).
 *
 * The estimate: a call during which its thread switched out counts its whole self time as
 * waiting (offcpu_us_self = its self time), and each open caller's offcpu_us includes it.
 * It is never below the waiting timestamps would measure, and overstates it (understating
 * the work) by the switching calls' own time on the CPU, which the trace does not show (on
 * a webg capture checked with its timestamps: 15.9 us per switch on average). Nothing
 * finer is sound: the other threads' calls seen on that CPU meanwhile give only a lower
 * bound of the time away (idle and untraced time are not in them). With timestamps
 * (funcgraph-abstime) offcpu.c measures the time away instead.
 *
 * Limits: a switch in untraced code (a filter hides the switch path) charges the traced
 * caller's self time, work included; with nosleep-time, durations already leave the
 * waiting out, and the switching calls' own time is counted as waiting. */
#include "tools/lib/tparse_internal.h"

void tp_offcpu_est_back(struct task *t)
{
	if (t->n)
		t->frames[t->n - 1].switched = true;
	else
		t->pending_switch = true;	/* the call the next return closes */
}

void tp_offcpu_est_charge(struct task *t, bool keep)
{
	if (!t->pending_switch || (keep && !t->n))
		return;
	if (t->n)
		t->frames[t->n - 1].switched = true;
	t->pending_switch = false;
}

void tp_offcpu_est_row(struct task *t, const struct frame *f, struct tp_row *r)
{
	int64_t wait = f->switched ? r->self_ns : 0;

	if (r->self_ns < 0) {	/* no durations: nothing to estimate from */
		r->off_ns = r->off_self_ns = -1;
		return;
	}
	t->off_ns += wait;
	r->off_ns = t->off_ns - f->off_base_ns;
	r->off_self_ns = wait;
}
