/* Aggregating profile events (tools/parse-trace/samples.h). */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/tsample.h"
#include "tools/lib/xalloc.h"
#include "tools/parse-trace/samples.h"

void samples_init(struct samples *s)
{
	memset(s, 0, sizeof(*s));
	umap_init(&s->node_map);
	umap_init(&s->where_map);
	umap_init(&s->agg_map);
	umap_init(&s->live_map);
	xgrow((void **)&s->nodes, &s->cap_nodes, 1, sizeof(*s->nodes));
	s->nodes[0] = (struct sample_node){ 0, 0 };
	s->nnodes = 1;
}

void samples_free(struct samples *s)
{
	umap_free(&s->node_map);
	umap_free(&s->where_map);
	umap_free(&s->agg_map);
	umap_free(&s->live_map);
	free(s->nodes);
	free(s->wheres);
	free(s->aggs);
	free(s->live);
}

static uint32_t child(struct samples *s, uint32_t parent, uint32_t func)
{
	uint64_t key = (uint64_t)parent << 32 | func;
	uint32_t node = umap_get(&s->node_map, key);

	if (node)
		return node;
	xgrow((void **)&s->nodes, &s->cap_nodes, s->nnodes + 1, sizeof(*s->nodes));
	node = (uint32_t)s->nnodes++;
	s->nodes[node] = (struct sample_node){ parent, func };
	umap_put(&s->node_map, key, node);
	return node;
}

static uint32_t where_of(struct samples *s, int64_t tid, int cpu)
{
	uint64_t key = (uint64_t)(tid + 1) << 16 | (uint16_t)cpu;
	uint32_t idx = umap_get(&s->where_map, key);

	if (!idx) {
		xgrow((void **)&s->wheres, &s->cap_wheres, s->nwheres + 1, sizeof(*s->wheres));
		s->wheres[s->nwheres] = (struct sample_where){ tid, cpu };
		idx = (uint32_t)++s->nwheres;
		umap_put(&s->where_map, key, idx);
	}
	return idx - 1;
}

uint32_t samples_node(struct samples *s, const uint32_t *leaf_first, size_t n)
{
	uint32_t node = 0;

	for (size_t i = n; i-- > 0;) /* root first */
		node = child(s, node, leaf_first[i]);
	return node;
}

/* The aggregate of t's path on its thread and CPU: index + 1. */
static uint32_t agg_of(struct samples *s, const struct tp_sample *t)
{
	uint32_t node = samples_node(s, t->stack, t->n), w = where_of(s, t->tid, t->cpu), idx;
	uint64_t key;

	key = (uint64_t)w << 32 | node;
	idx = umap_get(&s->agg_map, key);
	if (!idx) {
		xgrow((void **)&s->aggs, &s->cap_aggs, s->naggs + 1, sizeof(*s->aggs));
		s->aggs[s->naggs] = (struct sample_agg){ .node = node, .where = w };
		idx = (uint32_t)++s->naggs;
		umap_put(&s->agg_map, key, idx);
	}
	return idx;
}

static void alloc_add(struct samples *s, const struct tp_sample *t)
{
	uint32_t a = agg_of(s, t), idx;
	int64_t objs = t->every > 0 ? t->every : 1, bytes = t->bytes * objs;
	struct sample_agg *g = &s->aggs[a - 1];

	g->v[SV_ALLOC_OBJ] += objs;
	g->v[SV_ALLOC_BYTES] += bytes;
	g->v[SV_LIVE_OBJ] += objs;
	g->v[SV_LIVE_BYTES] += bytes;
	xgrow((void **)&s->live, &s->cap_live, s->nlive + 1, sizeof(*s->live));
	s->live[s->nlive] = (struct sample_live){ a, objs, bytes };
	idx = (uint32_t)++s->nlive;
	umap_put(&s->live_map, t->ptr, idx);
}

/* A free of a recorded allocation takes it out of the live values of its path. */
static void free_add(struct samples *s, const struct tp_sample *t)
{
	uint32_t idx = umap_get(&s->live_map, t->ptr);
	struct sample_live *l;

	if (!idx || !(l = &s->live[idx - 1])->agg)
		return; /* not one of the sampled allocations */
	s->aggs[l->agg - 1].v[SV_LIVE_OBJ] -= l->objs;
	s->aggs[l->agg - 1].v[SV_LIVE_BYTES] -= l->bytes;
	l->agg = 0;
}

void samples_add(struct samples *s, const struct tp_sample *t)
{
	struct sample_agg *g;
	uint32_t a;

	if (t->kind >= 0 && t->kind < 8)
		s->count[t->kind]++;
	if (t->ts_ns >= 0) {
		if (!s->spanned || t->ts_ns < s->first_ns)
			s->first_ns = t->ts_ns;
		if (!s->spanned || t->ts_ns > s->last_ns)
			s->last_ns = t->ts_ns;
		s->spanned = true;
	}
	switch (t->kind) {
	case TSK_CPU:
		a = agg_of(s, t); /* before s->aggs is read: it may move */
		g = &s->aggs[a - 1];
		g->v[SV_SAMPLES]++;
		g->v[SV_CPU_NS] += t->hz > 0 ? 1000000000 / t->hz : 0;
		break;
	case TSK_OFFCPU:
		a = agg_of(s, t);
		s->aggs[a - 1].v[SV_OFF_NS] += t->ns;
		break;
	case TSK_ALLOC:
		alloc_add(s, t);
		break;
	case TSK_FREE:
		free_add(s, t);
		break;
	case TSK_NET:
		a = agg_of(s, t);
		s->aggs[a - 1].v[SV_NET_BYTES] += t->bytes;
		break;
	}
}

size_t samples_path(const struct samples *s, uint32_t node, uint32_t **stack, size_t *cap)
{
	size_t n = 0;

	for (uint32_t x = node; x; x = s->nodes[x].parent) {
		xgrow((void **)stack, cap, n + 1, sizeof(**stack));
		(*stack)[n++] = s->nodes[x].func;
	}
	return n;
}

bool samples_have(const struct samples *s, int kind)
{
	return kind >= 0 && kind < 8 && s->count[kind] > 0;
}
