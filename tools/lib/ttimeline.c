/* The text parser's side of the timeline events (tools/lib/timeline.h): the call stacks
 * (tstack.c) and the line dispatch (tparse.c) report what they see here. */
#include <string.h>
#include "tools/lib/fnline.h"
#include "tools/lib/timeline.h"
#include "tools/lib/tparse_internal.h"

static struct tl_call call_at(const struct task *t, const struct fgl *l, uint32_t func,
			      int64_t start_ns, int64_t vstart_ns)
{
	return (struct tl_call){ .tid = t->tid, .cpu = l->cpu, .depth = l->depth, .func = func,
				 .ts_ns = start_ns >= 0 ? start_ns : vstart_ns,
				 .synthetic = start_ns < 0 };
}

void tp_tl_begin(struct tparse *tp, const struct task *t, const struct fgl *l, uint32_t func,
		 int64_t start_ns, int64_t vstart_ns)
{
	const struct tl_sink *s = tp->cfg.timeline;

	if (!s)
		return;
	struct tl_call c = call_at(t, l, func, start_ns, vstart_ns);
	s->begin(s->ctx, &c);
}

/* A call ends at its start plus its duration (ns precision) when both are known, else at
 * the time printed on its return line; on the synthetic clock where the trace has none. */
void tp_tl_end(struct tparse *tp, const struct task *t, const struct fgl *l, uint32_t func,
	       int64_t start_ns, int64_t vstart_ns, int64_t dur_ns)
{
	const struct tl_sink *s = tp->cfg.timeline;
	int64_t dur = dur_ns > 0 ? dur_ns : 0;

	if (!s)
		return;
	struct tl_call c = call_at(t, l, func, start_ns, vstart_ns);
	if (start_ns >= 0 && dur_ns >= 0)
		c.ts_ns = start_ns + dur;
	else if (l->abs_ns >= 0)
		c.ts_ns = l->abs_ns, c.synthetic = false;
	else
		c.ts_ns = vstart_ns + dur;
	if (dur_ns >= 0)
		c.begin_ns = c.ts_ns - dur;
	else if (start_ns >= 0)
		c.begin_ns = start_ns;
	else	/* neither entry nor duration: a call of no known length */
		c.begin_ns = c.synthetic ? vstart_ns : c.ts_ns;
	if (c.begin_ns > c.ts_ns)	/* times that go back (broken input) */
		c.begin_ns = c.ts_ns;
	s->end(s->ctx, &c);
}

void tp_tl_thread(struct tparse *tp, int64_t tid, const struct fgl_str *comm)
{
	const struct tl_sink *s = tp->cfg.timeline;

	if (s)
		s->thread(s->ctx, tid, comm->p, comm->n);
}

/* The text between the comment delimiters, without the spaces around it. */
static void comment_text(const struct fgl_str *c, const char **p, size_t *n)
{
	const char *s = c->p, *e = c->p + c->n;

	if (e - s >= 2 && s[0] == '/' && s[1] == '*')
		s += 2;
	if (e - s >= 2 && e[-2] == '*' && e[-1] == '/')
		e -= 2;
	while (s < e && *s == ' ')
		s++;
	while (e > s && e[-1] == ' ')
		e--;
	*p = s;
	*n = (size_t)(e - s);
}

/* "/- text -/" on a thread: at the line's time, or the thread's synthetic clock. */
void tp_tl_marker(struct tparse *tp, const struct fgl *l)
{
	const struct tl_sink *s = tp->cfg.timeline;
	const char *text;
	size_t n;

	if (!s || l->cpu < 0 || !l->func.n)
		return;
	comment_text(&l->func, &text, &n);
	int64_t tid = l->tid >= 0 ? l->tid : tp_cpu_tid(tp, l->cpu);
	const struct task *t = tp_task(tp, l->cpu, tid);
	struct tl_call c = call_at(t, l, 0, l->abs_ns, t->vclock);
	s->marker(s->ctx, &c, text, n);
}

void tp_tl_fn_event(struct tparse *tp, const struct fnl *f)
{
	static const char mark[] = "tracing_mark_write: ";
	const struct tl_sink *s = tp->cfg.timeline;
	const char *text = f->func.p;
	size_t n = f->func.n;

	if (!s || f->ctx.cpu < 0 || (n && *text == '<')) /* "<stack trace>" */
		return;
	if (n >= sizeof(mark) - 1 && !memcmp(text, mark, sizeof(mark) - 1))
		text += sizeof(mark) - 1, n -= sizeof(mark) - 1;
	int64_t tid = f->ctx.tid >= 0 ? f->ctx.tid : tp_cpu_tid(tp, f->ctx.cpu);
	const struct task *t = tp_task(tp, f->ctx.cpu, tid);
	struct tl_call c = { .tid = t->tid, .cpu = f->ctx.cpu, .ts_ns = f->ctx.ts_ns };

	if (c.ts_ns < 0)
		c.ts_ns = t->vclock, c.synthetic = true;
	s->marker(s->ctx, &c, text, n);
}

/* A switch as tswitch.c times it: a sched_switch event's own time, a block's from the
 * CPU's next line (-1 when that has none). */
void tp_tl_switch(struct tparse *tp, const struct tp_switch *sw)
{
	const struct tl_sink *s = tp->cfg.timeline;

	if (s)
		s->sched_switch(s->ctx, sw->cpu, sw->ts_ns, sw->prev_tid, sw->next_tid,
				sw->prev_state);
}

void tp_tl_lost(struct tparse *tp, const struct fgl *l)
{
	const struct tl_sink *s = tp->cfg.timeline;

	if (s)
		s->lost(s->ctx, l->cpu, l->lost);
}

void tp_tl_input_end(struct tparse *tp)
{
	const struct tl_sink *s = tp->cfg.timeline;

	if (s)
		s->input_end(s->ctx);
}
