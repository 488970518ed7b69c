/* The `function` tracer's printer: one line per call, "task-tid [cpu] flags ts: func
 * <-parent" (trace_fn_trace()), and markers in the same format. */
#include "trace/out_merge.h"

/* trace_print_context(): "%16s-%-7d [%03d] " + irq-info flags + " %5lu.%06lu: ". Our
 * records carry no irq/preempt state, so the five irq-info flags are always `.....`. */
static char *fn_context(struct out_printer *p, char *s, unsigned cpu, const struct out_event *ev)
{
	const struct trace_rec *r = &ev->rec;
	const char *comm = out_comm(rec_tid(r), ev->ts);
	size_t n = strnlen(comm, 15);

	if (!opt(p, OUT_OPT_CONTEXT))
		return s;
	s = put_spaces(s, 16 - (int)n);
	s = put_mem(s, comm, n);
	*s++ = '-';
	s = put_u64_left(s, rec_tid(r), 7);
	s = put_mem(s, " [", 2);
	s = put_u64_zero(s, cpu, cpu > 999 ? 4 : 3);
	s = put_mem(s, "] ", 2);
	if (opt(p, OUT_OPT_IRQ_INFO))
		s = put_mem(s, ".....", 5);
	*s++ = ' ';
	s = out_put_timestamp(p, s, ev->ts, true);
	return put_mem(s, ": ", 2);
}

char *out_fn_line(struct out_printer *p, char *s, unsigned cpu, const struct out_event *ev)
{
	const struct trace_rec *r = &ev->rec;

	s = fn_context(p, s, cpu, ev);
	s = put_sym(p, s, rec_func(r));
	if (opt(p, OUT_OPT_PARENT) && rec_parent(r)) {
		s = put_mem(s, " <-", 3);
		s = put_sym(p, s, rec_parent(r));
	}
	return put_mem(s, "\n", 1);
}

/* trace_print_print(): a trace_marker write, from tracing_mark_write(); or a trace
 * event, after the same context columns. */
static char *fn_marker(struct out_printer *p, char *s, unsigned cpu, const struct out_event *ev)
{
	s = fn_context(p, s, cpu, ev);
	s = out_put_payload(p, s, ev);
	return put_mem(s, "\n", 1);
}

OUT_HOT char *fn_event(struct out_printer *p, char *s, unsigned cpu, const struct out_event *ev)
{
	switch (rec_type(&ev->rec)) {
	case REC_FUNC:
		return out_fn_line(p, s, cpu, ev);
	case REC_SWITCH: /* printed only while sched_switch was enabled when recorded */
		if (!(ev->rec.w1 >> 32 & TS_EVENT))
			return s;
		s = fn_context(p, s, cpu, ev);
		s = out_put_switch(s, ev->rec.w1 & 0xffff, ev->rec.w1 >> 16 & 0xffff,
				   ev->rec.w1 >> 32 & 0xff, ev->ts);
		return put_mem(s, "\n", 1);
	default: /* graph records cannot be in the buffer: changing tracer clears it */
		return s;
	}
}

size_t out_fn_read(struct out_printer *p, char *buf, size_t len)
{
	return out_merge_read(p, buf, len, fn_event, fn_marker);
}
