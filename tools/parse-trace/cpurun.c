#include "tools/parse-trace/cpurun.h"

#include <stdlib.h>

#include "tools/lib/xalloc.h"

static struct cpurun_cpu *cpu_at(struct cpurun *r, int cpu)
{
	size_t old = r->ncpus;

	if ((size_t)cpu >= old) {
		xgrow((void **)&r->cpus, &r->ncpus, (size_t)cpu + 1, sizeof(*r->cpus));
		for (size_t i = old; i < r->ncpus; i++)
			r->cpus[i] = (struct cpurun_cpu){ .running = CPURUN_NONE };
	}
	return &r->cpus[cpu];
}

void cpurun_block(struct cpurun *r, int cpu, int64_t prev, int64_t next)
{
	struct cpurun_cpu *c;

	if (cpu < 0)
		return;
	c = cpu_at(r, cpu);
	if (c->running == CPURUN_NONE && !c->npending)
		c->running = prev;	/* it ran before the CPU's first block */
	xgrow((void **)&c->pending, &c->cap, c->npending + 1, sizeof(*c->pending));
	c->pending[c->npending++] = next;
}

static void switch_to(struct cpurun_cpu *c, int cpu, int64_t ts, int64_t next, bool report,
		      cpurun_switch_fn *fn, void *ctx)
{
	if (c->running == next)
		return;
	if (report)
		fn(ctx, cpu, ts, c->running, next);
	c->running = next;
}

void cpurun_event(struct cpurun *r, const struct tl_call *c, cpurun_switch_fn *fn, void *ctx)
{
	struct cpurun_cpu *cc;

	if (c->cpu < 0)
		return;
	cc = cpu_at(r, c->cpu);
	for (size_t i = 0; i < cc->npending; i++)
		switch_to(cc, c->cpu, c->ts_ns, cc->pending[i], !c->synthetic, fn, ctx);
	cc->npending = 0;
	switch_to(cc, c->cpu, c->ts_ns, c->tid, !c->synthetic, fn, ctx);
}

void cpurun_free(struct cpurun *r)
{
	for (size_t i = 0; i < r->ncpus; i++)
		free(r->cpus[i].pending);
	free(r->cpus);
	*r = (struct cpurun){ 0 };
}
