/* The trace printer's entry points (trace/output.h): setting a printer up, and reading
 * from it through the printer of its tracer, each an instance of the merge of CPUs
 * (trace/out_merge.h): function_graph (trace/out_graph.c) or function (trace/out_function.c),
 * after the header (trace/out_header.c). Value formatting is in trace/out_format.h. */
#include "trace/out_internal.h"

unsigned out_options = OUT_OPT_DEFAULT;

/* print_trace_line(): events this CPU lost before the next one. */
char *out_put_lost(char *s, unsigned cpu, uint64_t lost)
{
	s = out_put_str(s, "CPU:");
	s = out_put_u64(s, cpu);
	if (lost == OUT_LOST_UNKNOWN)
		return out_put_str(s, " [LOST EVENTS]\n");
	s = out_put_str(s, " [LOST ");
	s = out_put_u64(s, lost);
	return out_put_str(s, " EVENTS]\n");
}

size_t out_read(struct out_printer *p, char *buf, size_t len)
{
	if (p->cfg.tracer == OUT_GRAPH)
		return out_graph_read(p, buf, len);
	return out_fn_read(p, buf, len);
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
	p->turn = -1;
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
	}
}

