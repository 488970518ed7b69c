/* Row selection (include/exclude globs, threads, CPUs, time window) and aggregation per
 * function, optionally per (thread, function) or (CPU, function). Memory: one entry per
 * distinct key, each with a bounded histogram (hist.h). */
#ifndef TOOLS_RB_AGG_H
#define TOOLS_RB_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/lib/globset.h"
#include "tools/lib/numlist.h"
#include "tools/lib/umap.h"
#include "tools/runtime-breakdown/hist.h"
#include "tools/runtime-breakdown/load.h"

struct select {
	struct globset include;		/* empty: every function */
	struct globset exclude;
	struct numlist tids, cpus;	/* empty: all */
	int64_t from_ns, to_ns;		/* call start window [from, to); -1: open */
};

bool select_row(struct select *s, const struct symtab *st, const struct rb_row *r);
void select_free(struct select *s);

enum agg_by { BY_FUNCTION, BY_THREAD, BY_CPU };
enum agg_sort { SORT_SELF, SORT_TOTAL, SORT_CALLS, SORT_MEAN, SORT_NAME };

struct stat_entry {
	uint32_t func;
	int64_t group;		/* tid or CPU; 0 for BY_FUNCTION */
	uint64_t calls;
	uint64_t timed;		/* calls with a duration */
	int64_t total_ns, self_ns;
	struct hist h;		/* durations, when agg.hist */
};

#define AGG_BATCH 64

struct agg {
	enum agg_by by;
	bool hist;
	/* durations waiting to enter histograms, AGG_BATCH at a time (see agg_flush) */
	struct { uint32_t entry, bucket; int64_t v; } pending[AGG_BATCH];
	unsigned npending;
	struct umap map;	/* group << 32 | func -> index + 1 (BY_THREAD, BY_CPU) */
	uint32_t *by_func;	/* func -> index + 1 (BY_FUNCTION: ids are dense) */
	size_t by_func_cap;
	struct stat_entry *e;
	size_t n, cap;
	uint64_t rows;
	int64_t self_sum_ns;	/* for self% */
};

void agg_init(struct agg *a, enum agg_by by, bool hist);
void agg_add(struct agg *a, const struct rb_row *r);
/* Completes the histograms: call after the last agg_add, before reading entries (agg_sorted
 * checks). Histogram updates are batched because each is usually a cache miss, and a batch
 * lets the CPU wait for many of them at once. */
void agg_flush(struct agg *a);
/* Entries grouped by ascending group, then by key descending (names ascending for
 * SORT_NAME), ties by name. The array is the caller's to free. */
struct stat_entry **agg_sorted(const struct agg *a, const struct symtab *st, enum agg_sort by);
int64_t stat_mean(const struct stat_entry *e);
/* Sets self times below 0 to 0 (sums of --overhead's compensated self times, which carry
 * what clamping single calls cut: tools/lib/overhead.h) and recounts self_sum_ns; after
 * the last agg_add. */
void agg_clamp(struct agg *a);
void agg_free(struct agg *a);

/* Self time per (thread or CPU, function) and nothing else, in 24-byte slots: what the
 * per-thread chart needs, at a fraction of agg_add's cost (an agg entry with its histogram
 * is 90 bytes, and there is one per pair). */
struct selfsum {
	struct { int64_t group, self_ns; uint32_t func; } *s;	/* func 0: empty slot */
	size_t n, cap;
	enum agg_by by;
};

void selfsum_init(struct selfsum *m, enum agg_by by);
void selfsum_add(struct selfsum *m, const struct rb_row *r);
/* Adds the sums to a (initialised with the same by, hist false) as entries with calls 0. */
void selfsum_to_agg(const struct selfsum *m, struct agg *a);
void selfsum_free(struct selfsum *m);

#endif
