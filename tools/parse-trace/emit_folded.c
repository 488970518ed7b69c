/* Folded stacks ("root;child;leaf weight", one line per distinct call path), the input of
 * flamegraph.pl, inferno and speedscope. The weight is the path's total self time in ns,
 * on the CPU, wall or off the CPU (emit.h), or a call count when the trace has no durations. Paths are aggregated on calling-context
 * nodes, so memory grows with distinct paths, not with calls.
 *
 * A trace with profile events (samples.h) is folded from them instead, when it has events
 * of the kind --time asks for: CPU samples (cpu: ns, one sampling period each), off-CPU
 * time (off: ns), allocations (alloc: bytes allocated; live: not freed at the end) and
 * network bytes (net). */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/tsample.h"
#include "tools/lib/xalloc.h"
#include "tools/parse-trace/emit.h"
#include "tools/parse-trace/samples.h"

struct folded {
	int64_t *weight;	/* per node; below 0 (--overhead's sums) written as none */
	size_t cap;
	struct samples samples;
};

static void folded_sample(struct emit *e, const struct tp_sample *t)
{
	struct folded *f = e->priv;

	samples_add(&f->samples, t);
}

/* The samples' value and event kind that --time asks for. */
static bool sample_weight(enum emit_weight w, enum sample_value *v, int *kind)
{
	switch (w) {
	case WEIGHT_CPU: *v = SV_CPU_NS; *kind = TSK_CPU; return true;
	case WEIGHT_OFF: *v = SV_OFF_NS; *kind = TSK_OFFCPU; return true;
	case WEIGHT_ALLOC: *v = SV_ALLOC_BYTES; *kind = TSK_ALLOC; return true;
	case WEIGHT_LIVE: *v = SV_LIVE_BYTES; *kind = TSK_ALLOC; return true;
	case WEIGHT_NET: *v = SV_NET_BYTES; *kind = TSK_NET; return true;
	default: return false;
	}
}

static void print_names(struct emit *e, const uint32_t *leaf_first, size_t n)
{
	while (n--) {
		uint32_t fn = leaf_first[n];
		if (fn)
			output_write(e->out, symtab_name(e->st, fn), symtab_len(e->st, fn));
		else
			output_str(e->out, "[unknown]");
		if (n)
			output_char(e->out, ';');
	}
}

/* One line per sampled path with a weight of the asked kind; false if there is none. */
static bool folded_samples(struct emit *e, struct folded *f)
{
	const struct samples *s = &f->samples;
	enum sample_value v;
	int kind;
	int64_t *by_node;
	uint32_t *path = NULL;
	size_t cap = 0;

	if (!sample_weight(e->weight, &v, &kind) || !samples_have(s, kind))
		return false;
	by_node = xcalloc(s->nnodes, sizeof(*by_node));
	for (size_t i = 0; i < s->naggs; i++)
		by_node[s->aggs[i].node] += s->aggs[i].v[v];
	for (size_t node = 1; node < s->nnodes; node++) {
		if (by_node[node] <= 0)
			continue;
		print_names(e, path, samples_path(s, (uint32_t)node, &path, &cap));
		output_char(e->out, ' ');
		output_i64(e->out, by_node[node]);
		output_char(e->out, '\n');
	}
	free(path);
	free(by_node);
	return true;
}

static int64_t weight_of(enum emit_weight w, const struct tp_row *r)
{
	if (r->self_ns < 0)	/* no durations: count calls */
		return w == WEIGHT_OFF ? 0 : 1;
	return row_self_ns(w, r);
}

static void folded_row(struct emit *e, const struct tp_row *r)
{
	struct folded *f = e->priv;

	if (r->node >= f->cap) {
		size_t old = f->cap;
		xgrow((void **)&f->weight, &f->cap, (size_t)r->node + 1, sizeof(*f->weight));
		memset(f->weight + old, 0, (f->cap - old) * sizeof(*f->weight));
	}
	f->weight[r->node] += weight_of(e->weight, r);
}

static void print_path(struct emit *e, uint32_t node, uint32_t **path, size_t *cap)
{
	size_t n = 0;
	uint32_t parent, func;

	for (uint32_t x = node; x; x = parent) {
		tparse_node(e->tp, x, &parent, &func);
		xgrow((void **)path, cap, n + 1, sizeof(**path));
		(*path)[n++] = func;
	}
	while (n--) {
		uint32_t fn = (*path)[n];
		if (fn)
			output_write(e->out, symtab_name(e->st, fn), symtab_len(e->st, fn));
		else
			output_str(e->out, "[unknown]");
		if (n)
			output_char(e->out, ';');
	}
}

static void folded_end(struct emit *e)
{
	struct folded *f = e->priv;
	uint32_t *path = NULL;
	size_t cap = 0;

	if (folded_samples(e, f))
		f->cap = 0; /* the calls, if any, are not written twice */
	for (size_t node = 1; node < f->cap; node++) {
		if (f->weight[node] <= 0)
			continue;
		print_path(e, (uint32_t)node, &path, &cap);
		output_char(e->out, ' ');
		output_i64(e->out, (int64_t)f->weight[node]);
		output_char(e->out, '\n');
	}
	free(path);
	free(f->weight);
	samples_free(&f->samples);
	free(f);
}

void emit_folded_init(struct emit *e)
{
	struct folded *f = xcalloc(1, sizeof(struct folded));

	samples_init(&f->samples);
	e->priv = f;
	e->sample = folded_sample;
	e->row = folded_row;
	e->end = folded_end;
}
