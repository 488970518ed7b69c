/* The merge of CPUs, private to the printers: the oldest event of all CPUs next, after
 * the header, into the reader's buffer or a stage. Each printer instantiates it with its
 * event and marker formatters (out_graph_read() in trace/out_graph.c, out_fn_read() in
 * trace/out_function.c): they are constants there, so the whole of an event's formatting
 * is inlined into one loop. Under QEMU TCG a call per event costs. */
#ifndef TRACE_OUT_MERGE_H
#define TRACE_OUT_MERGE_H

#include "trace/out_internal.h"

/* Formats an event (consumed already) or a marker (not yet) of this CPU at s; returns
 * the end. */
typedef char *out_event_fn(struct out_printer *p, char *s, unsigned cpu,
			   const struct out_event *ev);

/* Reports the events of cpu's run printed since the last report (struct out_source). */
OUT_HOT void report_consumed(struct out_printer *p, unsigned cpu)
{
	struct out_cpu_state *c = &p->cpu[cpu];

	if (c->ev != c->run) {
		p->src.consume(p->src.ctx, cpu, (unsigned)(c->ev - c->run));
		c->run = c->ev;
	}
}

/* Fetches cpu's next run once the current one is used up; false if there is none now. */
OUT_HOT bool refill(struct out_printer *p, unsigned cpu)
{
	struct out_cpu_state *c = &p->cpu[cpu];
	const struct out_event *evs = NULL;
	unsigned n;

	report_consumed(p, cpu);
	n = p->src.fill(p->src.ctx, cpu, &evs);
	c->run = c->ev = evs;
	c->end = evs + n;
	if (!n)
		return false;
	p->have |= 1u << cpu;
	return true;
}

/* Moves past cpu's next event. */
OUT_HOT void take(struct out_printer *p, unsigned cpu)
{
	struct out_cpu_state *c = &p->cpu[cpu];

	if (++c->ev == c->end)
		p->have &= ~(1u << cpu);
}

/* trace_find_next_entry(): the CPU whose next event is oldest (lowest CPU on a tie). */
OUT_HOT int oldest_cpu(struct out_printer *p)
{
	uint32_t m;
	uint64_t best_ts;
	int best;

	for (m = p->cfg.cpus & ~p->have; m; m &= m - 1)
		refill(p, (unsigned)__builtin_ctz(m));
	m = p->have;
	if (!m)
		return -1;
	best = __builtin_ctz(m);
	best_ts = p->cpu[best].ev->ts;
	for (m &= m - 1; m; m &= m - 1) {
		unsigned cpu = (unsigned)__builtin_ctz(m);

		if (p->cpu[cpu].ev->ts < best_ts) {
			best = (int)cpu;
			best_ts = p->cpu[cpu].ev->ts;
		}
	}
	return best;
}

/* The oldest CPU as oldest_cpu() finds it, with a turn: once every CPU has its next event
 * in hand (a CPU without one may get one, which is looked for at every event then), only
 * the CPU printing changes what the CPUs' next events are, so it stays the oldest until
 * its next event passes the others' oldest. One compare per event instead of a look at
 * each CPU: CPUs take turns every dozen events or so. */
OUT_HOT int next_cpu(struct out_printer *p)
{
	int cpu = p->turn;
	uint32_t m;

	if (cpu >= 0 && p->have == p->cfg.cpus) {
		uint64_t ts = p->cpu[cpu].ev->ts;

		if (ts < p->until || (ts == p->until && p->tie))
			return cpu;
	}
	cpu = oldest_cpu(p);
	p->turn = -1;
	/* no turn while a CPU has no event in hand, nor for the last of a run (a source of
	 * runs of one, trace_pipe's, would pay for a turn at every event) */
	if (cpu < 0 || p->have != p->cfg.cpus || p->cpu[cpu].end - p->cpu[cpu].ev < 2)
		return cpu;
	p->turn = cpu;
	p->until = ~0ull;
	p->tie = true;
	for (m = p->have & ~(1u << cpu); m; m &= m - 1) {
		unsigned other = (unsigned)__builtin_ctz(m);

		if (p->cpu[other].ev->ts < p->until) {
			p->until = p->cpu[other].ev->ts;
			p->tie = (unsigned)cpu < other;
		}
	}
	return cpu;
}

/* Formats the next event into s; returns the end, or NULL if no CPU has an event. A
 * marker's text (an event's payload) is formatted before the event is taken; any other
 * event after, because an entry looks at the event after it (leaf). The event stays where
 * it is in the run: the run is not fetched again before the event is done with (or
 * copied: take_leaf_return()). */
OUT_HOT char *next_event(struct out_printer *p, char *s, int cpu, out_event_fn *event,
			  out_event_fn *marker)
{
	const struct out_event *ev = p->cpu[cpu].ev;
	enum rec_type type;

	type = rec_type(&ev->rec);
	if (ev->lost)
		s = out_put_lost(s, (unsigned)cpu, ev->lost);
	if (type == REC_TEXT || type == REC_EVENT)
		s = marker(p, s, (unsigned)cpu, ev);
	take(p, (unsigned)cpu);
	if (type == REC_TEXT || type == REC_EVENT || type == REC_NONE)
		return s;
	return event(p, s, (unsigned)cpu, ev);
}

/* out_read() for one printer: formats events into the reader's buffer, or one at a time
 * into the stage when the room left might not hold the next one. */
OUT_HOT size_t out_merge_read(struct out_printer *p, char *buf, size_t len, out_event_fn *event,
			      out_event_fn *marker)
{
	size_t n = 0;

	while (n < len) {
		size_t room = len - n;
		char *dst, *end;
		int cpu;

		if (p->stage_off < p->stage_len) {
			size_t k = p->stage_len - p->stage_off;

			k = k < room ? k : room;
			/* put_mem, not memcpy: the kernel's is `rep movsb`, slow under TCG */
			put_mem(buf + n, p->stage + p->stage_off, k);
			p->stage_off += k;
			n += k;
			continue;
		}
		if (!p->header_done) {
			p->header_done = true;
			if (!p->cfg.header)
				continue;
			dst = room >= OUT_EMIT_MAX ? buf + n : p->stage;
			end = out_put_header(p, dst);
		} else {
			cpu = next_cpu(p);
			if (cpu < 0)
				break;
			/* Straight into buf when the event surely fits: only the last line or
			 * so of each read goes through the stage. */
			if (room >= OUT_EMIT_MAX ||
			    (room >= OUT_LINE_MAX && !rec_has_payload(&p->cpu[cpu].ev->rec)))
				dst = buf + n;
			else
				dst = p->stage;
			end = next_event(p, dst, cpu, event, marker);
		}
		if (dst == p->stage) {
			p->stage_off = 0;
			p->stage_len = (size_t)(end - p->stage);
		} else {
			n = (size_t)(end - buf);
		}
	}
	for (uint32_t m = p->cfg.cpus; m; m &= m - 1)
		report_consumed(p, (unsigned)__builtin_ctz(m));
	return n;
}

#endif
