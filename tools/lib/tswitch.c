/* Context switches for tparse_cfg.sw. A block carries no time, but Linux (and glass) print
 * it as the prologue of the next thread's first line on that CPU, so each block waits in a
 * per-CPU slot until that line gives its abstime. A sched_switch event has its own time and
 * goes out at once. */

#include "tools/lib/tparse_internal.h"
#include "tools/lib/xalloc.h"

static void deliver(struct tparse *tp, struct tp_switch *s)
{
	if (s->lineno && tp->cfg.sw)
		tp->cfg.sw(tp->cfg.ctx, s);
	if (s->lineno)
		tp_tl_switch(tp, s);
	s->lineno = 0;	/* the slot is free */
}

void tp_switch_seen(struct tparse *tp, const struct fgl *l)
{
	size_t old = tp->nsw_pending;

	if ((!tp->cfg.sw && !tp->cfg.timeline) || l->cpu < 0)
		return;
	if (l->abs_ns >= 0) {	/* a sched_switch event */
		struct tp_switch ev = { .cpu = l->cpu, .prev_tid = l->prev_tid,
					.next_tid = l->next_tid, .ts_ns = l->abs_ns,
					.lineno = tp->lineno, .event = true,
					.prev_state = l->prev_state };
		deliver(tp, &ev);
		return;
	}
	if ((size_t)l->cpu >= old) {
		xgrow((void **)&tp->sw_pending, &tp->nsw_pending, (size_t)l->cpu + 1,
		      sizeof(*tp->sw_pending));
		for (size_t i = old; i < tp->nsw_pending; i++)
			tp->sw_pending[i].lineno = 0;
	}
	struct tp_switch *s = &tp->sw_pending[l->cpu];
	deliver(tp, s);		/* two blocks in a row: the first gets no time */
	*s = (struct tp_switch){ .cpu = l->cpu, .prev_tid = l->prev_tid, .next_tid = l->next_tid,
				 .ts_ns = -1, .lineno = tp->lineno };
}

void tp_switch_line(struct tparse *tp, const struct fgl *l)
{
	if ((size_t)l->cpu >= tp->nsw_pending || !tp->sw_pending[l->cpu].lineno)
		return;
	tp->sw_pending[l->cpu].ts_ns = l->abs_ns;
	deliver(tp, &tp->sw_pending[l->cpu]);
}

void tp_switch_flush(struct tparse *tp)
{
	for (size_t i = 0; i < tp->nsw_pending; i++)
		deliver(tp, &tp->sw_pending[i]);
}
