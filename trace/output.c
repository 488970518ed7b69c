/* The trace printer's merge of CPUs (trace/output.h): the oldest event of all CPUs next,
 * formatted by the function or function_graph printer (trace/out_function.c,
 * trace/out_graph.c) after the header (trace/out_header.c), into the reader's buffer or,
 * when the room left might not hold it, a stage. The formatting helpers are in
 * trace/out_format.h. */
#include "trace/out_internal.h"

unsigned out_options = OUT_OPT_DEFAULT;

/* ---- the merge loop ---- */

/* print_trace_line(): events this CPU lost before the next one. */
static char *put_lost(char *s, unsigned cpu, uint64_t lost)
{
	s = out_put_str(s, "CPU:");
	s = out_put_u64(s, cpu);
	if (lost == OUT_LOST_UNKNOWN)
		return out_put_str(s, " [LOST EVENTS]\n");
	s = out_put_str(s, " [LOST ");
	s = out_put_u64(s, lost);
	return out_put_str(s, " EVENTS]\n");
}

/* trace_find_next_entry(): the CPU whose next event is oldest (lowest CPU on a tie). */
OUT_HOT int oldest_cpu(struct out_printer *p)
{
	uint32_t m;
	uint64_t best_ts;
	int best;

	for (m = p->cfg.cpus & ~p->have; m; m &= m - 1) {
		unsigned cpu = (unsigned)__builtin_ctz(m);

		if (p->src.peek(p->src.ctx, cpu, p->cpu[cpu].ev))
			p->have |= 1u << cpu;
	}
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

/* Formats the next event into s; returns the end, or NULL if no CPU has an event. A
 * marker's text lives in the source until consumed, so it is formatted first; any other
 * event is consumed first, because an entry looks at the event after it (leaf). */
OUT_HOT char *next_event(struct out_printer *p, char *s, int cpu)
{
	/* Used in place: consume() does not touch the slot, and the next peek of this CPU
	 * goes to the other slot (take_leaf_return) or comes after this event is done. */
	const struct out_event *ev = p->cpu[cpu].ev;
	enum rec_type type;

	type = rec_type(&ev->rec);
	if (ev->lost)
		s = put_lost(s, (unsigned)cpu, ev->lost);
	if (type == REC_TEXT && p->cfg.tracer == OUT_GRAPH)
		s = out_graph_comment(p, s, (unsigned)cpu, ev);
	else if (type == REC_TEXT)
		s = out_fn_marker(p, s, (unsigned)cpu, ev);
	p->have &= ~(1u << cpu);
	p->src.consume(p->src.ctx, (unsigned)cpu);
	if (type == REC_TEXT || type == REC_NONE)
		return s;
	if (p->cfg.tracer == OUT_GRAPH)
		return out_graph_event(p, s, (unsigned)cpu, ev);
	return out_fn_event(p, s, (unsigned)cpu, ev);
}

/* Formats events into the reader's buffer, or one at a time into the stage when the
 * room left might not hold the next one. One loop, with the merge inlined: under TCG a
 * call per event costs. */
size_t out_read(struct out_printer *p, char *buf, size_t len)
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
			cpu = oldest_cpu(p);
			if (cpu < 0)
				break;
			/* Straight into buf when the event surely fits: only the last line or
			 * so of each read goes through the stage. */
			if (room >= OUT_EMIT_MAX ||
			    (room >= OUT_LINE_MAX && rec_type(&p->cpu[cpu].ev->rec) != REC_TEXT))
				dst = buf + n;
			else
				dst = p->stage;
			end = next_event(p, dst, cpu);
		}
		if (dst == p->stage) {
			p->stage_off = 0;
			p->stage_len = (size_t)(end - p->stage);
		} else {
			n = (size_t)(end - buf);
		}
	}
	return n;
}

void out_init(struct out_printer *p, const struct out_config *cfg, const struct out_source *src)
{
	unsigned top;

	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	p->src = *src;
	if (p->cfg.ncpus > OUT_MAX_CPUS)
		p->cfg.ncpus = OUT_MAX_CPUS;
	if (!p->cfg.clock_hz)
		p->cfg.clock_hz = 1;
	p->cfg.cpus &= p->cfg.ncpus >= 32 ? ~0u : (1u << p->cfg.ncpus) - 1;
	p->hz_inv = ~0ull / p->cfg.clock_hz;
	/* max_bytes_for_cpu: digits of nr_cpu_ids - 1 */
	top = p->cfg.ncpus ? p->cfg.ncpus - 1 : 0;
	p->cpu_width = 1;
	while (top >= 10) {
		top /= 10;
		p->cpu_width++;
	}
	for (unsigned cpu = 0; cpu < OUT_MAX_CPUS; cpu++) {
		char *e = p->cpu_col[cpu];

		*e++ = ' ';
		e = put_u64_right(e, cpu, (int)p->cpu_width);
		put_mem(e, ")       ", 8); /* ") " and padding for move8 */
	}
	for (unsigned i = 0; i < OUT_MAX_CPUS; i++) {
		p->cpu[i].last_tid = -1;
		p->cpu[i].depth_irq = -1;
		p->cpu[i].proc_tid = -1;
		p->cpu[i].ev = p->cpu[i].head;
	}
}

