#include "tools/runtime-breakdown/waits.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"
#include "tools/runtime-breakdown/cputime.h"
#include "tools/runtime-breakdown/table.h"
#include "tools/runtime-breakdown/threadname.h"

#define PATH_SHOWN 12	/* callers printed per path before "<- ..." */

/* A wait whose path is still growing: its outermost known call is at depth frontier. */
struct wait_open {
	uint32_t node;
	int frontier;
	int64_t ns;
};

struct wait_thread {
	int64_t tid;
	int64_t total_ns;
	struct wait_open *open;
	size_t nopen, cap;
};

void waits_init(struct waits *w)
{
	memset(w, 0, sizeof(*w));
	w->last_tid = INT64_MIN;
	umap_init(&w->node_map);
	umap_init(&w->thread_map);
	umap_init(&w->path_map);
}

/* Paths are nodes of a tree read from the innermost call outwards: node (inner, func) is
 * the path inner with func as the next caller; inner 0 is the empty path. */
static uint32_t node_of(struct waits *w, uint32_t inner, uint32_t func)
{
	uint64_t key = (uint64_t)inner << 32 | func;
	uint32_t node = umap_get(&w->node_map, key);

	if (node)
		return node;
	if (!w->nnodes)
		w->nnodes = 1;
	xgrow((void **)&w->nodes, &w->cap_nodes, w->nnodes + 1, sizeof(*w->nodes));
	w->nodes[w->nnodes].inner = inner;
	w->nodes[w->nnodes].func = func;
	node = (uint32_t)w->nnodes++;
	umap_put(&w->node_map, key, node);
	return node;
}

static struct wait_thread *thread_of(struct waits *w, int64_t tid, bool create)
{
	uint32_t idx = tid == w->last_tid ? w->last_idx : umap_get(&w->thread_map, (uint64_t)tid);

	if (!idx && create) {
		xgrow((void **)&w->threads, &w->cap_threads, w->nthreads + 1, sizeof(*w->threads));
		w->threads[w->nthreads] = (struct wait_thread){ .tid = tid };
		umap_put(&w->thread_map, (uint64_t)tid, (uint32_t)++w->nthreads);
		idx = (uint32_t)w->nthreads;
	}
	w->last_tid = tid;
	w->last_idx = idx;
	return idx ? &w->threads[idx - 1] : NULL;
}

static void finish(struct waits *w, int64_t tid, uint32_t node, int64_t ns)
{
	/* tids are within 32 bits (load.c) */
	uint64_t key = (uint64_t)(uint32_t)tid << 32 | node;
	uint32_t idx = umap_get(&w->path_map, key);

	if (!idx) {
		xgrow((void **)&w->paths, &w->cap_paths, w->npaths + 1, sizeof(*w->paths));
		w->paths[w->npaths] = (struct wait_path){ .tid = tid, .node = node };
		idx = (uint32_t)++w->npaths;
		umap_put(&w->path_map, key, idx);
	}
	w->paths[idx - 1].ns += ns;
}

/* Merges open wait i into another one with the same path and frontier, if there is one
 * (then i holds the last open wait, not yet seen by extend()). Without this a caller that
 * never returns (a worker's loop) would keep one open wait per wait below it. */
static bool merge_open(struct wait_thread *t, size_t i)
{
	for (size_t j = 0; j < t->nopen; j++) {
		if (j == i || t->open[j].node != t->open[i].node ||
		    t->open[j].frontier != t->open[i].frontier)
			continue;
		t->open[j].ns += t->open[i].ns;
		t->open[i] = t->open[--t->nopen];
		return true;
	}
	return false;
}

/* r is the caller of the open waits at depth r->depth + 1. Waits open deeper lost their
 * caller (its return is not in the trace): their paths end where they are. */
static void extend(struct waits *w, struct wait_thread *t, const struct rb_row *r)
{
	for (size_t i = 0; i < t->nopen; i++) {
		struct wait_open *o = &t->open[i];
		if (o->frontier < r->depth + 1)
			continue;
		if (o->frontier == r->depth + 1) {
			o->node = node_of(w, o->node, r->func);
			o->frontier = r->depth;
			if (r->depth > 0) {
				if (merge_open(t, i))
					i--;
				continue;
			}
		}
		finish(w, t->tid, o->node, o->ns);
		*o = t->open[--t->nopen];
		i--;
	}
}

static void add_open(struct wait_thread *t, uint32_t node, int depth, int64_t ns)
{
	for (size_t i = 0; i < t->nopen; i++) {
		if (t->open[i].node == node && t->open[i].frontier == depth) {
			t->open[i].ns += ns;
			return;
		}
	}
	xgrow((void **)&t->open, &t->cap, t->nopen + 1, sizeof(*t->open));
	t->open[t->nopen++] = (struct wait_open){ node, depth, ns };
}

void waits_row(struct waits *w, const struct rb_row *r)
{
	bool waited = r->off_self_ns > 0 && !is_idle_task(r->tid);
	struct wait_thread *t = thread_of(w, r->tid, waited);

	if (!t)
		return;
	if (t->nopen && r->depth >= 0)
		extend(w, t, r);
	if (!waited)
		return;
	t->total_ns += r->off_self_ns;
	if (r->start_ns < 0 && (!w->nest++ || r->off_self_ns < w->est_min_ns))
		w->est_min_ns = r->off_self_ns;
	uint32_t node = node_of(w, 0, r->func);
	if (r->depth > 0)
		add_open(t, node, r->depth, r->off_self_ns);
	else
		finish(w, r->tid, node, r->off_self_ns);
}

void waits_end_file(struct waits *w)
{
	for (size_t i = 0; i < w->nthreads; i++) {
		struct wait_thread *t = &w->threads[i];
		for (size_t j = 0; j < t->nopen; j++)
			finish(w, t->tid, t->open[j].node, t->open[j].ns);
		t->nopen = 0;
	}
}

static int by_total(const void *pa, const void *pb)
{
	const struct wait_total *a = pa, *b = pb;

	if (a->ns != b->ns)
		return a->ns > b->ns ? -1 : 1;
	return a->tid < b->tid ? -1 : a->tid > b->tid;
}

struct wait_total *waits_by_thread(const struct waits *w, size_t *n)
{
	struct wait_total *t = xmalloc((w->nthreads + 1) * sizeof(*t));

	*n = 0;
	for (size_t i = 0; i < w->nthreads; i++) {
		const struct wait_thread *th = &w->threads[i];
		if (th->total_ns)
			t[(*n)++] = (struct wait_total){ th->tid, th->total_ns };
	}
	qsort(t, *n, sizeof(*t), by_total);
	return t;
}

static int by_ns(const void *pa, const void *pb)
{
	const struct wait_path *a = pa, *b = pb;

	if (a->ns != b->ns)
		return a->ns > b->ns ? -1 : 1;
	if (a->tid != b->tid)
		return a->tid < b->tid ? -1 : 1;
	return a->node < b->node ? -1 : a->node > b->node;
}

struct wait_path *waits_by_path(const struct waits *w)
{
	struct wait_path *p = xmalloc((w->npaths + 1) * sizeof(*p));

	memcpy(p, w->paths, w->npaths * sizeof(*p));
	qsort(p, w->npaths, sizeof(*p), by_ns);
	return p;
}

const char *waits_path_text(const struct waits *w, const struct symtab *st, uint32_t node,
			    char *buf)
{
	size_t n = 0, shown = 0, len = 0;

	/* a node's chain runs from the outermost caller inwards: count it, then write the
	 * innermost PATH_SHOWN calls first */
	buf[0] = 0;
	for (uint32_t k = node; k; k = w->nodes[k].inner)
		n++;
	for (size_t i = n; i-- > 0 && shown < PATH_SHOWN; shown++) {
		uint32_t k = node;
		for (size_t j = 0; j < i; j++)
			k = w->nodes[k].inner;
		len += (size_t)snprintf(buf + len, WAIT_PATH_MAX - len, "%s%.200s",
					shown ? " <- " : "", symtab_name(st, w->nodes[k].func));
	}
	if (n > PATH_SHOWN)
		snprintf(buf + len, WAIT_PATH_MAX - len, " <- ...");
	return buf;
}

const char *waits_estimate_text(const struct waits *w, char *buf)
{
	char m[32];

	buf[0] = 0;
	if (w->nest)
		snprintf(buf, WAIT_ESTIMATE_MAX, "estimated: a call that switched out counts its "
			 "whole self time as waiting, so the waiting includes the switches' own "
			 "work on the CPU (switches: %" PRIu64 "), which a trace without "
			 "timestamps does not show (funcgraph-abstime measures it); the smallest "
			 "self time of such a call is %s us", w->nest, fmt_us(m, w->est_min_ns));
	return buf;
}

void waits_print(FILE *f, const struct waits *w, const struct symtab *st, size_t top)
{
	char label[THREAD_LABEL_MAX], b[32], path[WAIT_PATH_MAX], est[WAIT_ESTIMATE_MAX];
	size_t n;

	if (!w->npaths)
		return;
	struct wait_total *t = waits_by_thread(w, &n);
	fputs("\nwaiting (off the CPU inside a call; not work):\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%-24s %16s us\n", thread_label(label, t[i].tid), fmt_us(b, t[i].ns));
	free(t);
	if (*waits_estimate_text(w, est))
		fprintf(f, "(%s)\n", est);
	struct wait_path *p = waits_by_path(w);
	fputs("\nwhere (the call that switched out, then its callers):\n", f);
	for (size_t i = 0; i < w->npaths && (!top || i < top); i++)
		fprintf(f, "%s waited %s us in %s\n", thread_label(label, p[i].tid),
			fmt_us(b, p[i].ns), waits_path_text(w, st, p[i].node, path));
	free(p);
}

void waits_free(struct waits *w)
{
	for (size_t i = 0; i < w->nthreads; i++)
		free(w->threads[i].open);
	free(w->threads);
	free(w->nodes);
	free(w->paths);
	umap_free(&w->node_map);
	umap_free(&w->thread_map);
	umap_free(&w->path_map);
	memset(w, 0, sizeof(*w));
}
