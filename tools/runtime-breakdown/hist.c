#include "tools/runtime-breakdown/hist.h"

#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"

#define SUB_BITS 7
#define SUB (1u << SUB_BITS)
#define GROW_SLACK 32u	/* extra buckets per resize, so resizes are rare */
#define MAX_INDEX (57u * SUB)

uint32_t hist_index(uint64_t v)
{
	if (v < 2 * SUB)
		return (uint32_t)v;
	unsigned e = 63u - (unsigned)__builtin_clzll(v);
	return (e - SUB_BITS + 1) * SUB + (uint32_t)((v >> (e - SUB_BITS)) & (SUB - 1));
}

void hist_bucket(uint32_t i, uint64_t *lo, uint64_t *hi)
{
	if (i < 2 * SUB) {
		*lo = i;
		*hi = (uint64_t)i + 1;
		return;
	}
	unsigned e = i / SUB + SUB_BITS - 1;
	*lo = (uint64_t)(SUB + i % SUB) << (e - SUB_BITS);
	*hi = *lo + (1ULL << (e - SUB_BITS));
}

/* Makes bucket i addressable, keeping the counts already there. */
static void cover(struct hist *h, uint32_t i)
{
	if (!h->n) {
		h->lo = i > GROW_SLACK ? i - GROW_SLACK : 0;
		h->n = 2 * GROW_SLACK + 1;
		h->c = xcalloc(h->n, sizeof(*h->c));
		return;
	}
	uint32_t lo = h->lo, hi = h->lo + h->n;
	if (i < lo)
		lo = i > GROW_SLACK ? i - GROW_SLACK : 0;
	if (i >= hi)
		hi = i + 1 + GROW_SLACK < MAX_INDEX ? i + 1 + GROW_SLACK : MAX_INDEX;
	uint32_t *c = xcalloc(hi - lo, sizeof(*c));
	memcpy(c + (h->lo - lo), h->c, h->n * sizeof(*c));
	free(h->c);
	h->c = c;
	h->lo = lo;
	h->n = hi - lo;
}

uint32_t hist_prepare(struct hist *h, int64_t v)
{
	uint32_t i = hist_index(v < 0 ? 0 : (uint64_t)v);

	if (i < h->lo || i >= h->lo + h->n)
		cover(h, i);
	__builtin_prefetch(&h->c[i - h->lo], 1);
	return i;
}

void hist_commit(struct hist *h, uint32_t i, int64_t v)
{
	if (v < 0)
		v = 0;
	/* 32-bit counters halve the cache footprint; a bucket saturates after 4 billion */
	if (h->c[i - h->lo] != UINT32_MAX)
		h->c[i - h->lo]++;
	if (!h->count || v < h->min)
		h->min = v;
	if (!h->count || v > h->max)
		h->max = v;
	h->count++;
}

void hist_add(struct hist *h, int64_t v)
{
	hist_commit(h, hist_prepare(h, v), v);
}

int64_t hist_percentile(const struct hist *h, unsigned pct)
{
	uint64_t rank, seen = 0, lo, hi;
	int64_t v;

	if (!h->count)
		return 0;
	rank = (pct * h->count + 99) / 100;	/* nearest rank: ceil(pct% of count) */
	if (rank < 1)
		rank = 1;
	if (rank >= h->count)
		return h->max;	/* the extremes are known exactly */
	if (rank == 1)
		return h->min;
	for (uint32_t k = 0; k < h->n; k++) {
		seen += h->c[k];
		if (seen < rank)
			continue;
		hist_bucket(h->lo + k, &lo, &hi);
		v = (int64_t)(lo + (hi - lo) / 2);
		return v < h->min ? h->min : v > h->max ? h->max : v;
	}
	return h->max;
}

void hist_free(struct hist *h)
{
	free(h->c);
	memset(h, 0, sizeof(*h));
}

#define BIN 16u

void hist_bins(const struct hist *h, void (*fn)(void *ctx, uint64_t lo, uint64_t hi,
						uint64_t count), void *ctx)
{
	uint64_t count = 0, lo, hi, unused;

	for (uint32_t k = 0; k < h->n; k++) {
		uint32_t i = h->lo + k;
		count += h->c[k];
		if ((i + 1) % BIN && k + 1 < h->n)
			continue;
		if (count) {
			hist_bucket(i - i % BIN, &lo, &unused);
			hist_bucket(i - i % BIN + BIN - 1, &unused, &hi);
			fn(ctx, lo, hi, count);
		}
		count = 0;
	}
}
