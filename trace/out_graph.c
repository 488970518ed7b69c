/* The `function_graph` printer (print_graph_entry(), print_graph_return() and their
 * columns): a leaf call is one `func();` line, a call with children `func() {` ... `}`;
 * context switches, interrupts (funcgraph-irqs) and markers as Linux prints them.
 *
 * Speed matters: the whole buffer is served over HTTP, and under QEMU TCG every call and
 * return costs, so everything an event needs is inlined into the merge loop
 * (out_graph_read()), which is compiled twice: with the default options as a constant
 * (their tests fold away) and with any options. */
#include "trace/out_merge.h"

#define GRAPH_INDENT 2
#define PROC_WIDTH 14 /* TRACE_GRAPH_PROCINFO_LENGTH */

static const char dashes[] = " ------------------------------------------\n";

/* print_graph_proc(): comm cut to 7 characters, "-tid", centred in 14 columns. */
static char *format_proc(char *s, unsigned tid, uint64_t ts)
{
	const char *comm = out_comm(tid, ts);
	char tmp[24];
	char *e = put_mem(tmp, comm, strnlen(comm, 7));
	int len, spaces;

	*e++ = '-';
	e = out_put_u64(e, tid);
	len = (int)(e - tmp);
	spaces = len < PROC_WIDTH ? PROC_WIDTH - len : 0;
	s = put_spaces(s, spaces / 2);
	s = put_mem(s, tmp, (size_t)len);
	return put_spaces(s, spaces - spaces / 2);
}

/* The cache is per tid: a reused tid's new thread comes after a switch to another tid. */
OUT_HOT char *put_proc(struct out_printer *p, char *s, unsigned cpu, unsigned tid, uint64_t ts)
{
	struct out_cpu_state *c = &p->cpu[cpu];

	if (c->proc_tid != (int)tid) {
		c->proc_len = (uint8_t)(format_proc(c->proc, tid, ts) - c->proc);
		c->proc_tid = (int)tid;
	}
	return put_mem(s, c->proc, c->proc_len);
}

/* print_graph_cpu(): " %*d) " sized for the highest CPU number (made by out_init). */
OUT_HOT char *put_cpu(struct out_printer *p, char *s, unsigned cpu)
{
	move8(s, p->cpu_col[cpu]);
	return s + p->cpu_width + 3;
}

/* trace_find_mark(): the overhead mark of a duration in ns, the first limit it is
 * strictly greater than. */
OUT_HOT char duration_mark(uint64_t ns)
{
	static const struct {
		uint64_t ns;
		char mark;
	} marks[] = {
		{ 1000000000, '$' }, { 100000000, '@' }, { 10000000, '*' },
		{ 1000000, '#' }, { 100000, '!' }, { 10000, '+' },
	};

	if (ns <= 10000) /* nearly every call: no table walk */
		return ' ';
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (ns > marks[i].ns)
			return marks[i].mark;
	return ' ';
}

/* print_graph_duration() with a time: mark, microseconds with up to 7 significant
 * digits (decimals truncated), " us ", padding to 8, "|  ". */
OUT_HOT char *put_duration(unsigned o, char *s, uint64_t ns)
{
	char *num;
	int len;

	*s++ = has(o, OUT_OPT_OVERHEAD) ? duration_mark(ns) : ' ';
	*s++ = ' ';
	num = s;
	s = put_u64(s, ns / 1000);
	len = (int)(s - num);
	if (len < 7) {
		int n = 7 - len < 3 ? 7 - len : 3;

		/* all three digits, then keep n of them */
		*s++ = '.';
		put_u64_zero(s, ns % 1000, 3);
		s += n;
		len += n + 1;
	}
	s = put_mem(s, " us ", 4);
	s = put_spaces(s, 8 - len);
	return put_mem(s, "|  ", 3);
}

/* The duration column without a time (nested entries, comments). */
OUT_HOT char *put_no_duration(unsigned o, char *s)
{
	if (has(o, OUT_OPT_DURATION) && has(o, OUT_OPT_CONTEXT))
		s = put_mem(s, "              |  ", 17);
	return s;
}

/* verif_pid(): a context-switch block when this CPU's tid changed since its last line.
 * Out of line: it is rare, and the check for it (put_switch) is inlined per event. */
static __attribute__((noinline)) char *put_switch_block(struct out_printer *p, char *s,
							unsigned cpu, unsigned tid, uint64_t ts)
{
	struct out_cpu_state *c = &p->cpu[cpu];
	int prev = c->last_tid;

	c->last_tid = (int)tid;
	if (prev < 0)
		return s;
	s = put_mem(s, dashes, sizeof(dashes) - 1);
	s = put_cpu(p, s, cpu);
	s = format_proc(s, (unsigned)prev, ts);
	s = put_mem(s, " => ", 4);
	s = put_proc(p, s, cpu, tid, ts);
	s = put_mem(s, "\n", 1);
	s = put_mem(s, dashes, sizeof(dashes) - 1);
	return put_mem(s, "\n", 1);
}

OUT_HOT char *put_switch(struct out_printer *p, char *s, unsigned cpu, unsigned tid, uint64_t ts)
{
	if (p->cpu[cpu].last_tid == (int)tid)
		return s;
	return put_switch_block(p, s, cpu, tid, ts);
}

/* The context part of print_graph_prologue(): abstime, CPU, proc. */
OUT_HOT char *put_context(struct out_printer *p, unsigned o, char *s, unsigned cpu,
			const struct out_event *ev)
{
	if (!has(o, OUT_OPT_CONTEXT))
		return s;
	if (has(o, OUT_OPT_ABSTIME)) {
		s = out_put_timestamp(p, s, ev->ts, false);
		s = put_mem(s, " |  ", 4);
	}
	if (has(o, OUT_OPT_CPU))
		s = put_cpu(p, s, cpu);
	if (has(o, OUT_OPT_PROC)) {
		s = put_proc(p, s, cpu, rec_tid(&ev->rec), ev->ts);
		s = put_mem(s, " | ", 3);
	}
	return s;
}

/* print_graph_irq(): the `==========>` / `<==========` line around an irq entry. */
static char *put_irq_mark(struct out_printer *p, char *s, unsigned cpu,
			  const struct out_event *ev, bool enter)
{
	bool fill = opt(p, OUT_OPT_DURATION) && opt(p, OUT_OPT_CONTEXT);

	s = put_context(p, p->cfg.opts, s, cpu, ev);
	if (fill)
		s = put_mem(s, "  ", 2);
	s = put_mem(s, enter ? "==========>" : "<==========", 11);
	if (fill)
		s = put_mem(s, " |", 2);
	return put_mem(s, "\n", 1);
}

/* ---- function_graph events ---- */

/* check_irq_entry(): with funcgraph-irqs off, hides everything from an irq entry until
 * its return. */
OUT_HOT bool irq_entry_hidden(struct out_printer *p, unsigned o, unsigned cpu,
			  const struct trace_rec *r)
{
	struct out_cpu_state *c = &p->cpu[cpu];

	if (has(o, OUT_OPT_IRQS))
		return false;
	if (c->depth_irq >= 0)
		return true;
	if (!(rec_flags(r) & REC_F_IRQ))
		return false;
	c->depth_irq = (int)rec_depth(r);
	return true;
}

/* check_irq_return(): the return that leaves hidden irq code is hidden too. */
OUT_HOT bool irq_return_hidden(struct out_printer *p, unsigned o, unsigned cpu, int depth)
{
	struct out_cpu_state *c = &p->cpu[cpu];

	if (has(o, OUT_OPT_IRQS) || c->depth_irq < 0)
		return false;
	if (c->depth_irq >= depth)
		c->depth_irq = -1;
	return true;
}

/* Whether the printer shows nothing at all for ev (and it carries no loss): a context
 * switch record, which Linux's function_graph buffer does not even hold. */
OUT_HOT bool graph_hidden(const struct out_event *ev)
{
	return !ev->lost && rec_type(&ev->rec) == REC_SWITCH &&
	       !(ev->rec.w1 >> 32 & TS_EVENT);
}

/* Whether ev is a call of an interrupt that funcgraph-irqs off hides (Linux does not even
 * record those); keeps the hidden interrupt's state as printing it would. */
OUT_HOT bool irq_event_hidden(struct out_printer *p, unsigned o, unsigned cpu,
			      const struct out_event *ev)
{
	if (ev->lost)
		return false;
	if (rec_type(&ev->rec) == REC_ENTRY)
		return irq_entry_hidden(p, o, cpu, &ev->rec);
	return rec_type(&ev->rec) == REC_RETURN &&
	       irq_return_hidden(p, o, cpu, (int)rec_depth(&ev->rec));
}

/* The next event of this CPU, if it is the return of the entry *entry just taken (a
 * leaf); NULL if not. Hidden events in between (switches, hidden interrupts) are taken:
 * Linux, which has none of them in its buffer, sees the return right after the entry. The
 * return stays valid until this CPU's run is fetched again; so does the entry, which is
 * copied (and *entry pointed at the copy) if that must happen to see the next event. */
OUT_HOT const struct trace_rec *take_leaf_return(struct out_printer *p, unsigned o,
						 unsigned cpu, const struct out_event **entry)
{
	struct out_cpu_state *c = &p->cpu[cpu];
	const struct trace_rec *e = &(*entry)->rec;
	const struct out_event *h;

	for (;;) {
		if (c->ev == c->end) {
			if (*entry != &c->spare) {
				c->spare = **entry;
				*entry = &c->spare;
				e = &c->spare.rec;
			}
			if (!refill(p, cpu))
				return NULL;
		}
		h = c->ev;
		if (!graph_hidden(h) && !irq_event_hidden(p, o, cpu, h))
			break;
		take(p, cpu);
	}
	if (h->lost || rec_type(&h->rec) != REC_RETURN || rec_tid(&h->rec) != rec_tid(e) ||
	    rec_func(&h->rec) != rec_func(e))
		return NULL;
	take(p, cpu);
	return &h->rec;
}

OUT_HOT char *graph_leaf(struct out_printer *p, unsigned o, char *s, unsigned cpu,
		     const struct out_event *ev, const struct trace_rec *ret)
{
	const struct trace_rec *e = &ev->rec;
	int depth = (int)rec_depth(e);

	p->cpu[cpu].depth = depth - 1;
	p->cpu[cpu].enter_funcs[depth] = 0;
	p->cpu[cpu].enter_irq[depth] = 0;
	if (has(o, OUT_OPT_DURATION) && has(o, OUT_OPT_CONTEXT))
		s = put_duration(o, s, ticks_ns(p, rec_duration(ret)));
	s = put_spaces(s, depth * GRAPH_INDENT);
	s = put_sym(p, s, rec_func(e));
	s = put_mem(s, "();\n", 4);
	if (rec_flags(e) & REC_F_IRQ)
		s = put_irq_mark(p, s, cpu, ev, false);
	return s;
}

OUT_HOT char *graph_nested(struct out_printer *p, unsigned o, char *s, unsigned cpu,
		       const struct trace_rec *e)
{
	int depth = (int)rec_depth(e);

	p->cpu[cpu].depth = depth;
	p->cpu[cpu].enter_funcs[depth] = rec_func(e);
	p->cpu[cpu].enter_irq[depth] = (rec_flags(e) & REC_F_IRQ) != 0;
	s = put_no_duration(o, s);
	s = put_spaces(s, depth * GRAPH_INDENT);
	s = put_sym(p, s, rec_func(e));
	return put_mem(s, "() {\n", 5);
}

/* print_graph_entry(): the entry has been consumed; its return may follow (leaf). */
OUT_HOT char *graph_entry(struct out_printer *p, unsigned o, char *s, unsigned cpu,
		      const struct out_event *ev)
{
	const struct trace_rec *e = &ev->rec, *ret;
	unsigned tid = rec_tid(e);

	if (irq_entry_hidden(p, o, cpu, e))
		return s;
	s = put_switch(p, s, cpu, tid, ev->ts);
	if ((rec_flags(e) & REC_F_IRQ) && has(o, OUT_OPT_IRQS))
		s = put_irq_mark(p, s, cpu, ev, true);
	s = put_context(p, o, s, cpu, ev);
	ret = take_leaf_return(p, o, cpu, &ev);
	if (ret)
		return graph_leaf(p, o, s, cpu, ev, ret);
	return graph_nested(p, o, s, cpu, &ev->rec);
}

/* print_graph_return(): at the depth the return carries (its entry's), so a return whose
 * entry is not in the buffer (a read that began mid-call, an overwritten entry,
 * tracing_thresh) prints where it belongs, with the function's name after the brace. */
OUT_HOT char *graph_return(struct out_printer *p, unsigned o, char *s, unsigned cpu,
		       const struct out_event *ev)
{
	const struct trace_rec *r = &ev->rec;
	struct out_cpu_state *c = &p->cpu[cpu];
	int depth = (int)rec_depth(r);
	bool match, irq;

	if (irq_return_hidden(p, o, cpu, depth))
		return s;
	c->depth = depth - 1;
	match = c->enter_funcs[depth] == rec_func(r);
	irq = match && c->enter_irq[depth];
	c->enter_funcs[depth] = 0;
	c->enter_irq[depth] = 0;

	s = put_switch(p, s, cpu, rec_tid(r), ev->ts);
	s = put_context(p, o, s, cpu, ev);
	if (has(o, OUT_OPT_DURATION) && has(o, OUT_OPT_CONTEXT))
		s = put_duration(o, s, ticks_ns(p, rec_duration(r)));
	s = put_spaces(s, depth * GRAPH_INDENT);
	if (match && !has(o, OUT_OPT_TAIL)) {
		*s++ = '}';
	} else {
		s = put_mem(s, "} /* ", 5);
		s = put_sym(p, s, rec_func(r));
		s = put_mem(s, " */", 3);
	}
	*s++ = '\n';
	if (irq && has(o, OUT_OPT_IRQS))
		s = put_irq_mark(p, s, cpu, ev, false);
	return s;
}

/* print_graph_comment(): a marker (or an event: "name: fields") as a comment one level
 * below the open call. */
static char *graph_comment(struct out_printer *p, char *s, unsigned cpu,
			   const struct out_event *ev)
{
	int depth = p->cpu[cpu].depth;

	s = put_switch(p, s, cpu, rec_tid(&ev->rec), ev->ts);
	s = put_context(p, p->cfg.opts, s, cpu, ev);
	s = put_no_duration(p->cfg.opts, s);
	if (depth > 0)
		s = put_spaces(s, (depth + 1) * GRAPH_INDENT);
	s = put_mem(s, "/* ", 3);
	if (rec_type(&ev->rec) == REC_SWITCH)
		s = out_put_switch(s, ev->rec.w1 & 0xffff, ev->rec.w1 >> 16 & 0xffff,
				   ev->rec.w1 >> 32 & 0xff, ev->ts);
	else if (rec_type(&ev->rec) == REC_EVENT)
		s = out_put_payload(p, s, ev);
	else
		s = out_put_text(s, ev);
	return put_mem(s, " */\n", 4);
}

OUT_HOT char *graph_event(struct out_printer *p, unsigned o, char *s, unsigned cpu,
		      const struct out_event *ev)
{
	switch (rec_type(&ev->rec)) {
	case REC_ENTRY:
		return graph_entry(p, o, s, cpu, ev);
	case REC_RETURN:
		return graph_return(p, o, s, cpu, ev);
	case REC_FUNC: /* Linux prints function events in their own format */
		return out_fn_line(p, s, cpu, ev);
	case REC_SWITCH: /* shown as a context-switch block at the next tid change; as an
			  * event too while sched_switch was enabled (Linux: both) */
		return ev->rec.w1 >> 32 & TS_EVENT ? graph_comment(p, s, cpu, ev) : s;
	default:
		return s;
	}
}

OUT_HOT char *graph_event_default(struct out_printer *p, char *s, unsigned cpu,
				 const struct out_event *ev)
{
	return graph_event(p, OUT_OPT_DEFAULT, s, cpu, ev);
}

OUT_HOT char *graph_event_any(struct out_printer *p, char *s, unsigned cpu,
			     const struct out_event *ev)
{
	return graph_event(p, p->cfg.opts, s, cpu, ev);
}

size_t out_graph_read(struct out_printer *p, char *buf, size_t len)
{
	if (p->cfg.opts == OUT_OPT_DEFAULT)
		return out_merge_read(p, buf, len, graph_event_default, graph_comment);
	return out_merge_read(p, buf, len, graph_event_any, graph_comment);
}
