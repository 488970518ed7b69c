/* Waiting, per thread and per blocking call path: each call's off-CPU self time (the time
 * its thread was switched out while it was the innermost call) with the path of callers
 * above it, "schedule_locked <- sched_block <- waitq_wait <- net_accept".
 *
 * The paths are rebuilt from the rows alone. A thread's rows come in the order its calls
 * complete, children before their parent, so a wait in a call at depth d is still open
 * upwards: the next row of that thread at depth d-1 is its caller, and so on up to depth
 * 0 or the end of the input (a caller that never returned ends the path). Waits with the
 * same thread, path and open depth are merged, so memory grows with distinct paths, not
 * with the number of waits. */
#ifndef TOOLS_RB_WAITS_H
#define TOOLS_RB_WAITS_H

#include <stdio.h>

#include "tools/lib/symtab.h"
#include "tools/lib/umap.h"
#include "tools/runtime-breakdown/load.h"

struct wait_open;
struct wait_thread;

struct wait_path {
	int64_t tid;
	uint32_t node;		/* innermost call first, see waits.c */
	int64_t ns;
};

struct waits {
	struct umap node_map;	/* inner node << 32 | caller -> node */
	struct { uint32_t inner, func; } *nodes;	/* [0] unused */
	size_t nnodes, cap_nodes;
	struct umap thread_map;	/* tid -> index + 1 into threads */
	struct wait_thread *threads;
	size_t nthreads, cap_threads;
	int64_t last_tid;	/* rows come in runs of one thread: its index + 1, or 0 */
	uint32_t last_idx;
	struct umap path_map;	/* tid << 32 | node -> index + 1 into paths */
	struct wait_path *paths;
	size_t npaths, cap_paths;
	/* estimated waits (rows without a start time, tools/lib/offcpu_est.c): how many, and
	 * the smallest (the most that switch's own work can be) */
	uint64_t nest;
	int64_t est_min_ns;
};

void waits_init(struct waits *w);
/* Every row of the selected threads, in input order (rows of other files included). */
void waits_row(struct waits *w, const struct rb_row *r);
/* End of a file: paths still open end at their outermost known caller. */
void waits_end_file(struct waits *w);
struct wait_total {
	int64_t tid, ns;
};

/* Threads that waited (*n of them), most waiting first; the array is the caller's. */
struct wait_total *waits_by_thread(const struct waits *w, size_t *n);
/* All w->npaths paths, most waiting first; the array is the caller's. */
struct wait_path *waits_by_path(const struct waits *w);

/* 12 names of up to 200 bytes with their " <- " and a " <- ..." */
#define WAIT_PATH_MAX 2560

/* "innermost <- caller <- ..." of a path, into buf of WAIT_PATH_MAX bytes; returns buf. */
const char *waits_path_text(const struct waits *w, const struct symtab *st, uint32_t node,
			    char *buf);

#define WAIT_ESTIMATE_MAX 320

/* When the waits were estimated (no timestamps), what the estimate counts and what it
 * cannot tell, into buf of WAIT_ESTIMATE_MAX bytes; else "". Returns buf. */
const char *waits_estimate_text(const struct waits *w, char *buf);

/* The waiting per thread, the estimate's note when it was estimated, and
 * the top paths (0 = all); nothing when nobody waited. */
void waits_print(FILE *f, const struct waits *w, const struct symtab *st, size_t top);
void waits_free(struct waits *w);

#endif
