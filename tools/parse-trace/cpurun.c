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

char cpurun_state(char traced, int64_t next)
{
	return traced ? traced : next == 0 ? 'S' : 'R';
}

static void switch_to(struct cpurun_cpu *c, int cpu, int64_t ts, int64_t next, char state,
		      bool report, cpurun_switch_fn *fn, void *ctx)
{
	if (c->running == next)
		return;
	if (report)
		fn(ctx, cpu, ts, c->running, next, state);
	c->running = next;
}

static void place_pending(struct cpurun_cpu *c, int cpu, int64_t ts, bool report,
			  cpurun_switch_fn *fn, void *ctx)
{
	for (size_t i = 0; i < c->npending; i++)
		switch_to(c, cpu, ts, c->pending[i], 0, report, fn, ctx);
	c->npending = 0;
}

void cpurun_switch(struct cpurun *r, int cpu, int64_t ts, int64_t prev, int64_t next,
		   char state, cpurun_switch_fn *fn, void *ctx)
{
	struct cpurun_cpu *c;

	if (cpu < 0)
		return;
	c = cpu_at(r, cpu);
	if (c->running == CPURUN_NONE && !c->npending)
		c->running = prev;	/* it ran before the CPU's first switch */
	if (ts >= 0) {
		place_pending(c, cpu, ts, true, fn, ctx);
		switch_to(c, cpu, ts, next, state, true, fn, ctx);
		return;
	}
	xgrow((void **)&c->pending, &c->cap, c->npending + 1, sizeof(*c->pending));
	c->pending[c->npending++] = next;
}

void cpurun_event(struct cpurun *r, const struct tl_call *c, cpurun_switch_fn *fn, void *ctx)
{
	struct cpurun_cpu *cc;

	if (c->cpu < 0)
		return;
	cc = cpu_at(r, c->cpu);
	place_pending(cc, c->cpu, c->ts_ns, !c->synthetic, fn, ctx);
	switch_to(cc, c->cpu, c->ts_ns, c->tid, 0, !c->synthetic, fn, ctx);
}

void cpurun_free(struct cpurun *r)
{
	for (size_t i = 0; i < r->ncpus; i++)
		free(r->cpus[i].pending);
	free(r->cpus);
	*r = (struct cpurun){ 0 };
}
