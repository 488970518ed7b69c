/* Folded stacks ("root;child;leaf weight", one line per distinct call path), the input of
 * flamegraph.pl, inferno and speedscope. The weight is the path's total self time in ns,
 * on the CPU, wall or off the CPU (emit.h), or a call count when the trace has no durations. Paths are aggregated on calling-context
 * nodes, so memory grows with distinct paths, not with calls. */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"
#include "tools/parse-trace/emit.h"

struct folded {
	uint64_t *weight;	/* per node */
	size_t cap;
};

static uint64_t weight_of(enum emit_weight w, const struct tp_row *r)
{
	if (r->self_ns < 0)	/* no durations: count calls */
		return w == WEIGHT_OFF ? 0 : 1;
	return (uint64_t)row_self_ns(w, r);
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

	for (size_t node = 1; node < f->cap; node++) {
		if (!f->weight[node])
			continue;
		print_path(e, (uint32_t)node, &path, &cap);
		output_char(e->out, ' ');
		output_i64(e->out, (int64_t)f->weight[node]);
		output_char(e->out, '\n');
	}
	free(path);
	free(f->weight);
	free(f);
}

void emit_folded_init(struct emit *e)
{
	e->priv = xcalloc(1, sizeof(struct folded));
	e->row = folded_row;
	e->end = folded_end;
}
