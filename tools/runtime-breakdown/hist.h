/* Latency histogram with bounded memory: log-linear buckets, 128 per power of two, so a
 * bucket is at most 1/128 of its value wide. Values below 256 ns have exact buckets; above,
 * a percentile is reported as its bucket's midpoint, within 0.4% of the true value. Only
 * the range of buckets actually used is allocated (typically a few hundred counters). */
#ifndef TOOLS_RB_HIST_H
#define TOOLS_RB_HIST_H

#include <stdint.h>

struct hist {
	uint32_t *c;		/* counts of buckets lo .. lo + n - 1 (saturating) */
	uint32_t lo, n;
	uint64_t count;
	int64_t min, max;
};

void hist_add(struct hist *h, int64_t v);	/* v < 0 is counted as 0 */
/* hist_add in two steps, so that a caller can overlap the cache misses of many adds:
 * hist_prepare makes v's bucket addressable, starts loading it and returns its index;
 * hist_commit(h, index, v) then counts v (no other change to h in between). */
uint32_t hist_prepare(struct hist *h, int64_t v);
void hist_commit(struct hist *h, uint32_t i, int64_t v);
/* The pct-th percentile (1..100) by nearest rank, ceil(pct * count / 100); 0 if empty.
 * Ranks 1 and count return the exact min and max. */
int64_t hist_percentile(const struct hist *h, unsigned pct);
void hist_free(struct hist *h);

/* Bucket geometry, for plotting: index of v, and the [lo, hi) range of bucket i. */
uint32_t hist_index(uint64_t v);
void hist_bucket(uint32_t i, uint64_t *lo, uint64_t *hi);

/* Calls fn for every non-empty bin of 16 merged buckets (8 bins per power of two), in
 * increasing order, with the bin's [lo, hi) range in ns. */
void hist_bins(const struct hist *h, void (*fn)(void *ctx, uint64_t lo, uint64_t hi,
						uint64_t count), void *ctx);

#endif
