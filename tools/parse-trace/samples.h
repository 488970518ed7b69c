/* Profile events aggregated by call path, thread and CPU, for the pprof, folded and sqlite
 * writers: CPU samples (count and nanoseconds: one sampling period each), off-CPU time,
 * allocations (count and bytes, scaled by their 1-in-N sampling; what is still live at the
 * end), network bytes. Paths are nodes of a calling-context tree of their own, so memory
 * grows with distinct (path, thread, CPU), not with events; the live allocations are kept
 * by address until freed. */
#ifndef TOOLS_PARSE_TRACE_SAMPLES_H
#define TOOLS_PARSE_TRACE_SAMPLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/lib/tparse.h"
#include "tools/lib/umap.h"

enum sample_value {
	SV_SAMPLES,	/* CPU samples */
	SV_CPU_NS,	/* their sampling periods */
	SV_OFF_NS,	/* off-CPU time */
	SV_ALLOC_OBJ, SV_ALLOC_BYTES,	/* allocated (scaled by every) */
	SV_LIVE_OBJ, SV_LIVE_BYTES,	/* of those, not freed by the end */
	SV_NET_BYTES,	/* sent and received */
	SV_N
};

struct sample_agg {
	uint32_t node, where;
	int64_t v[SV_N];
};

struct sample_where {
	int64_t tid;
	int cpu;
};

struct sample_live {
	uint32_t agg;	/* index + 1 into aggs; 0 once freed */
	int64_t objs, bytes;
};

struct samples {
	struct umap node_map;	/* parent << 32 | func -> node */
	struct sample_node { uint32_t parent, func; } *nodes;	/* [0] is the root */
	size_t nnodes, cap_nodes;
	struct umap where_map;
	struct sample_where *wheres;
	size_t nwheres, cap_wheres;
	struct umap agg_map;	/* where << 32 | node -> index + 1 */
	struct sample_agg *aggs;
	size_t naggs, cap_aggs;
	struct umap live_map;	/* ptr -> index + 1 into live */
	struct sample_live *live;
	size_t nlive, cap_live;
	uint64_t count[8];	/* events by kind (enum tsample_kind) */
	bool spanned;
	int64_t first_ns, last_ns;
};

void samples_init(struct samples *s);
void samples_free(struct samples *s);
void samples_add(struct samples *s, const struct tp_sample *t);
/* The node of a path given leaf first (added if new). */
uint32_t samples_node(struct samples *s, const uint32_t *leaf_first, size_t n);
/* The path of node, leaf first, into *stack (grown as needed); returns its length. */
size_t samples_path(const struct samples *s, uint32_t node, uint32_t **stack, size_t *cap);
/* Whether any event of these kinds came. */
bool samples_have(const struct samples *s, int kind);

#endif
