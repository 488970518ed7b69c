#include "tools/runtime-breakdown/agg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/hash.h"
#include "tools/lib/xalloc.h"

bool select_row(struct select *s, const struct symtab *st, const struct rb_row *r)
{
	if (globset_match(&s->exclude, st, r->func))
		return false;
	if (s->include.n && !globset_match(&s->include, st, r->func))
		return false;
	if (!numlist_allows(&s->tids, r->tid) || !numlist_allows(&s->cpus, r->cpu))
		return false;
	if (s->from_ns >= 0 || s->to_ns >= 0) {
		if (r->start_ns < 0 || (s->from_ns >= 0 && r->start_ns < s->from_ns) ||
		    (s->to_ns >= 0 && r->start_ns >= s->to_ns))
			return false;
	}
	return true;
}

void select_free(struct select *s)
{
	globset_free(&s->include);
	globset_free(&s->exclude);
	numlist_free(&s->tids);
	numlist_free(&s->cpus);
}

void agg_init(struct agg *a, enum agg_by by, bool hist)
{
	memset(a, 0, sizeof(*a));
	a->by = by;
	a->hist = hist;
	umap_init(&a->map);
}

static int64_t group_of(const struct agg *a, const struct rb_row *r)
{
	return a->by == BY_THREAD ? r->tid : a->by == BY_CPU ? r->cpu : 0;
}

static struct stat_entry *new_entry(struct agg *a, uint32_t func, int64_t group)
{
	xgrow((void **)&a->e, &a->cap, a->n + 1, sizeof(*a->e));
	a->e[a->n] = (struct stat_entry){ .func = func, .group = group };
	return &a->e[a->n++];
}

static struct stat_entry *entry(struct agg *a, uint32_t func, int64_t group)
{
	if (a->by == BY_FUNCTION) {	/* symtab ids are dense: an array, no hashing */
		if (func >= a->by_func_cap) {
			size_t old = a->by_func_cap;
			xgrow((void **)&a->by_func, &a->by_func_cap, (size_t)func + 1,
			      sizeof(*a->by_func));
			memset(a->by_func + old, 0, (a->by_func_cap - old) * sizeof(*a->by_func));
		}
		if (!a->by_func[func]) {
			new_entry(a, func, group);
			a->by_func[func] = (uint32_t)a->n;
		}
		return &a->e[a->by_func[func] - 1];
	}
	/* groups are tids and CPUs, which the loaders keep within 32 bits */
	uint64_t key = (uint64_t)(uint32_t)group << 32 | func;
	uint32_t idx = umap_get(&a->map, key);

	if (idx)
		return &a->e[idx - 1];
	new_entry(a, func, group);
	umap_put(&a->map, key, (uint32_t)a->n);
	return &a->e[a->n - 1];
}

void agg_flush(struct agg *a)
{
	for (unsigned k = 0; k < a->npending; k++)
		a->pending[k].bucket = hist_prepare(&a->e[a->pending[k].entry].h, a->pending[k].v);
	for (unsigned k = 0; k < a->npending; k++)
		hist_commit(&a->e[a->pending[k].entry].h, a->pending[k].bucket, a->pending[k].v);
	a->npending = 0;
}

void agg_add(struct agg *a, const struct rb_row *r)
{
	struct stat_entry *e = entry(a, r->func, group_of(a, r));

	a->rows++;
	e->calls++;
	if (r->dur_ns < 0)
		return;
	e->timed++;
	e->total_ns += r->dur_ns;
	if (r->self_ns >= 0) {
		e->self_ns += r->self_ns - r->self_cut_ns;
		a->self_sum_ns += r->self_ns - r->self_cut_ns;
	}
	if (!a->hist)
		return;
	a->pending[a->npending].entry = (uint32_t)(e - a->e);
	a->pending[a->npending++].v = r->dur_ns;
	if (a->npending == AGG_BATCH)
		agg_flush(a);
}

int64_t stat_mean(const struct stat_entry *e)
{
	return e->timed ? e->total_ns / (int64_t)e->timed : 0;
}

static enum agg_sort sort_key;
static const struct symtab *sort_st;

static int64_t key_of(const struct stat_entry *e)
{
	switch (sort_key) {
	case SORT_TOTAL: return e->total_ns;
	case SORT_CALLS: return (int64_t)e->calls;
	case SORT_MEAN: return stat_mean(e);
	default: return e->self_ns;
	}
}

static int cmp(const void *pa, const void *pb)
{
	const struct stat_entry *a = *(struct stat_entry *const *)pa;
	const struct stat_entry *b = *(struct stat_entry *const *)pb;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (sort_key != SORT_NAME) {
		int64_t ka = key_of(a), kb = key_of(b);
		if (ka != kb)
			return ka > kb ? -1 : 1;
	}
	return strcmp(symtab_name(sort_st, a->func), symtab_name(sort_st, b->func));
}

struct stat_entry **agg_sorted(const struct agg *a, const struct symtab *st, enum agg_sort by)
{
	struct stat_entry **v = xmalloc((a->n + 1) * sizeof(*v));

	if (a->npending) {
		fputs("agg_sorted: agg_flush() was not called\n", stderr);
		abort();
	}
	for (size_t i = 0; i < a->n; i++)
		v[i] = &a->e[i];
	sort_key = by;
	sort_st = st;
	qsort(v, a->n, sizeof(*v), cmp);
	return v;
}

void agg_free(struct agg *a)
{
	for (size_t i = 0; i < a->n; i++)
		hist_free(&a->e[i].h);
	free(a->e);
	free(a->by_func);
	umap_free(&a->map);
	memset(a, 0, sizeof(*a));
}

void selfsum_init(struct selfsum *m, enum agg_by by)
{
	m->n = 0;
	m->cap = 1024;
	m->s = xcalloc(m->cap, sizeof(*m->s));
	m->by = by;
}

static size_t selfsum_find(const struct selfsum *m, int64_t group, uint32_t func)
{
	size_t mask = m->cap - 1;
	size_t i = hash_mix((uint64_t)group * 0x9e3779b97f4a7c15ULL ^ func) & mask;

	while (m->s[i].func && (m->s[i].func != func || m->s[i].group != group))
		i = (i + 1) & mask;
	return i;
}

void selfsum_add(struct selfsum *m, const struct rb_row *r)
{
	int64_t group = m->by == BY_THREAD ? r->tid : m->by == BY_CPU ? r->cpu : 0;
	size_t i = selfsum_find(m, group, r->func);

	if (!m->s[i].func) {
		if ((m->n + 1) * 2 > m->cap) {
			struct selfsum old = *m;
			m->cap *= 2;
			m->s = xcalloc(m->cap, sizeof(*m->s));
			for (size_t j = 0; j < old.cap; j++)
				if (old.s[j].func)
					m->s[selfsum_find(m, old.s[j].group, old.s[j].func)] = old.s[j];
			free(old.s);
			i = selfsum_find(m, group, r->func);
		}
		m->s[i].func = r->func;
		m->s[i].group = group;
		m->n++;
	}
	if (r->dur_ns >= 0 && r->self_ns >= 0)
		m->s[i].self_ns += r->self_ns - r->self_cut_ns;
}

void selfsum_to_agg(const struct selfsum *m, struct agg *a)
{
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->s[i].func)
			continue;
		struct stat_entry *e = entry(a, m->s[i].func, m->s[i].group);
		e->self_ns += m->s[i].self_ns;
		a->self_sum_ns += m->s[i].self_ns;
	}
	agg_clamp(a);
}

void agg_clamp(struct agg *a)
{
	a->self_sum_ns = 0;
	for (size_t i = 0; i < a->n; i++) {
		if (a->e[i].self_ns < 0)
			a->e[i].self_ns = 0;
		a->self_sum_ns += a->e[i].self_ns;
	}
}

void selfsum_free(struct selfsum *m)
{
	free(m->s);
	memset(m, 0, sizeof(*m));
}
