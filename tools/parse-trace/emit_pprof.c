/* pprof from function_graph calls: the time-weighted profile. Each call adds its self time
 * (and a call count) to its call path, so pprof's flat column is self time and its cum
 * column inclusive time. The self time comes three ways, as for folded stacks (emit.h):
 * on the CPU (the default), wall, and off the CPU (the thread switched out with the call
 * innermost: an off-CPU profile). Calls are aggregated per (calling-context node, thread, CPU), so
 * memory grows with distinct paths per thread and CPU, not with calls. */
#include <stdio.h>
#include <stdlib.h>

#include "tools/lib/umap.h"
#include "tools/lib/xalloc.h"
#include "tools/parse-trace/emit.h"
#include "tools/parse-trace/pprof.h"
#include "tools/parse-trace/samples.h"
#include "tools/parse-trace/threadname.h"

enum { V_CALLS, V_WALL, V_OFF, V_CPU, NVALUES };

static const struct pprof_type types[NVALUES] = {
	[V_CALLS] = { "calls", "count" },
	[V_WALL] = { "wall", "nanoseconds" },	/* self time as printed */
	[V_OFF] = { "off_cpu", "nanoseconds" },	/* the part spent switched out */
	[V_CPU] = { "cpu", "nanoseconds" },	/* the rest */
};

struct where {
	int64_t tid;
	int cpu;
};

struct agg {
	uint32_t node, where;
	int64_t v[NVALUES];
};

struct pprof_emit {
	struct umap where_map;		/* (tid, cpu) -> index + 1 into wheres */
	struct where *wheres;
	size_t nwheres, cap_wheres;
	struct umap agg_map;		/* where index << 32 | node -> index + 1 into aggs */
	struct agg *aggs;
	size_t naggs, cap_aggs;
	bool durations;			/* some call had a duration */
	bool spanned;			/* first_ns, last_ns are set */
	int64_t first_ns, last_ns;	/* span of the calls with start times */
	const char *first_file;
	unsigned files;
	struct samples samples;		/* profile events: when there are any, they make the profile */
};

static uint32_t where_of(struct pprof_emit *pe, int64_t tid, int cpu)
{
	/* tids fit in 47 bits (Linux: 22), CPUs in 16 (FGL_MAX_CPU) */
	uint64_t key = (uint64_t)(tid + 1) << 16 | (uint16_t)cpu;
	uint32_t idx = umap_get(&pe->where_map, key);

	if (!idx) {
		xgrow((void **)&pe->wheres, &pe->cap_wheres, pe->nwheres + 1, sizeof(*pe->wheres));
		pe->wheres[pe->nwheres] = (struct where){ tid, cpu };
		idx = (uint32_t)++pe->nwheres;
		umap_put(&pe->where_map, key, idx);
	}
	return idx - 1;
}

static void note_span(struct pprof_emit *pe, const struct tp_row *r)
{
	if (r->start_ns < 0 || r->dur_ns < 0)
		return;
	if (!pe->spanned)
		pe->first_ns = pe->last_ns = r->start_ns;
	pe->spanned = true;
	if (r->start_ns < pe->first_ns)
		pe->first_ns = r->start_ns;
	if (r->start_ns + r->dur_ns > pe->last_ns)
		pe->last_ns = r->start_ns + r->dur_ns;
}

static void pprof_row(struct emit *e, const struct tp_row *r)
{
	struct pprof_emit *pe = e->priv;
	uint32_t w = where_of(pe, r->tid, r->cpu);
	uint64_t key = (uint64_t)w << 32 | r->node;
	uint32_t idx = umap_get(&pe->agg_map, key);

	if (!idx) {
		xgrow((void **)&pe->aggs, &pe->cap_aggs, pe->naggs + 1, sizeof(*pe->aggs));
		pe->aggs[pe->naggs] = (struct agg){ .node = r->node, .where = w };
		idx = (uint32_t)++pe->naggs;
		umap_put(&pe->agg_map, key, idx);
	}
	struct agg *a = &pe->aggs[idx - 1];
	a->v[V_CALLS]++;
	a->v[V_WALL] += row_self_ns(WEIGHT_WALL, r);
	a->v[V_OFF] += row_self_ns(WEIGHT_OFF, r);
	a->v[V_CPU] += row_self_ns(WEIGHT_CPU, r);
	pe->durations |= r->self_ns >= 0;
	note_span(pe, r);
}

static void pprof_file(struct emit *e, const char *name, const struct tp_stats *s,
		       enum tp_format fmt)
{
	(void)s;
	(void)fmt;
	struct pprof_emit *pe = e->priv;

	if (!pe->files++)
		pe->first_file = name;
}

/* The path of a node, leaf first. */
static size_t stack_of(struct emit *e, uint32_t node, uint32_t **stack, size_t *cap)
{
	size_t n = 0;
	uint32_t parent, func;

	for (uint32_t x = node; x; x = parent) {
		tparse_node(e->tp, x, &parent, &func);
		xgrow((void **)stack, cap, n + 1, sizeof(**stack));
		(*stack)[n++] = func;
	}
	return n;
}

static void describe(struct pprof_emit *pe, struct pprof *p)
{
	char text[512];

	pprof_comment(p, "parse-trace: each function_graph call's self time on its call path");
	if (pe->files == 1)
		snprintf(text, sizeof(text), "source: %.400s", pe->first_file);
	else
		snprintf(text, sizeof(text), "source: %.400s and %u more files", pe->first_file,
			 pe->files - 1);
	if (pe->files)
		pprof_comment(p, text);
	if (!pe->durations) {	/* nofuncgraph-duration: only counts are known */
		pprof_comment(p, "the trace has no durations: times are 0, calls are counted");
		pprof_default_type(p, "calls");
	} else {
		pprof_default_type(p, "cpu");
	}
	if (pe->last_ns > pe->first_ns)
		pprof_duration(p, pe->last_ns - pe->first_ns);
}

static void pprof_sample_ev(struct emit *e, const struct tp_sample *t)
{
	struct pprof_emit *pe = e->priv;

	samples_add(&pe->samples, t);
}

static void pprof_free_emit(struct pprof_emit *pe)
{
	samples_free(&pe->samples);
	umap_free(&pe->where_map);
	umap_free(&pe->agg_map);
	free(pe->wheres);
	free(pe->aggs);
	free(pe);
}

static void pprof_end(struct emit *e)
{
	struct pprof_emit *pe = e->priv;
	struct pprof *p;
	uint32_t *stack = NULL;
	size_t cap = 0;
	char thread[THREAD_NAME_MAX];

	if (pe->samples.naggs) { /* sampled: the calls (if any) would count twice */
		if (emit_pprof_samples(e, &pe->samples))
			e->out->failed = true;
		pprof_free_emit(pe);
		return;
	}
	p = pprof_new(e->st, types, NVALUES, e->out);
	describe(pe, p);
	for (size_t i = 0; i < pe->naggs; i++) {
		struct agg *a = &pe->aggs[i];
		const struct where *w = &pe->wheres[a->where];
		size_t n = stack_of(e, a->node, &stack, &cap);
		thread_name(e->tp, w->tid, thread);
		for (int v = 0; v < NVALUES; v++) /* --overhead's sums, clamped here */
			a->v[v] = a->v[v] > 0 ? a->v[v] : 0;
		pprof_sample(p, stack, n, a->v, thread, w->cpu);
	}
	if (pprof_finish(p))
		e->out->failed = true;	/* exit status 1 */
	pprof_free(p);
	free(stack);
	pprof_free_emit(pe);
}

void emit_pprof_init(struct emit *e)
{
	struct pprof_emit *pe = xcalloc(1, sizeof(*pe));

	umap_init(&pe->where_map);
	umap_init(&pe->agg_map);
	samples_init(&pe->samples);
	e->priv = pe;
	e->row = pprof_row;
	e->sample = pprof_sample_ev;
	e->file = pprof_file;
	e->end = pprof_end;
}
