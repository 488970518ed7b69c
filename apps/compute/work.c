#include "apps/compute/work.h"

#define TABLE_SLOTS 512

/* noipa: every call must really happen (and be traced), never folded or cloned. */
#define WORKLOAD __attribute__((noipa))

WORKLOAD uint64_t fib(unsigned n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

WORKLOAD void merge_halves(uint32_t *a, uint32_t *tmp, unsigned lo, unsigned mid, unsigned hi)
{
	unsigned i = lo, j = mid, k = lo;

	while (i < mid && j < hi)
		tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
	while (i < mid)
		tmp[k++] = a[i++];
	while (j < hi)
		tmp[k++] = a[j++];
	for (k = lo; k < hi; k++)
		a[k] = tmp[k];
}

WORKLOAD void sort_range(uint32_t *a, uint32_t *tmp, unsigned lo, unsigned hi)
{
	if (hi - lo < 2)
		return;
	unsigned mid = lo + (hi - lo) / 2;
	sort_range(a, tmp, lo, mid);
	sort_range(a, tmp, mid, hi);
	merge_halves(a, tmp, lo, mid, hi);
}

WORKLOAD uint32_t mix(uint32_t k)
{
	k ^= k >> 16;
	k *= 0x7feb352d;
	k ^= k >> 15;
	k *= 0x846ca68b;
	return k ^ (k >> 16);
}

struct table {
	uint32_t keys[TABLE_SLOTS];
	uint32_t vals[TABLE_SLOTS];
};

WORKLOAD void table_insert(struct table *t, uint32_t key, uint32_t val)
{
	uint32_t i = mix(key) % TABLE_SLOTS;

	while (t->keys[i] && t->keys[i] != key)
		i = (i + 1) % TABLE_SLOTS;
	t->keys[i] = key;
	t->vals[i] = val;
}

WORKLOAD uint32_t table_lookup(const struct table *t, uint32_t key)
{
	uint32_t i = mix(key) % TABLE_SLOTS;

	while (t->keys[i] && t->keys[i] != key)
		i = (i + 1) % TABLE_SLOTS;
	return t->keys[i] == key ? t->vals[i] : 0;
}

WORKLOAD uint64_t compute_work(uint64_t seed)
{
	uint32_t a[SORT_N], tmp[SORT_N];
	struct table t = { { 0 }, { 0 } };
	uint64_t sum = fib(FIB_N);
	uint32_t x = (uint32_t)seed | 1;

	for (unsigned i = 0; i < SORT_N; i++) {
		x = x * 1664525u + 1013904223u;
		a[i] = x >> 8;
	}
	sort_range(a, tmp, 0, SORT_N);
	for (unsigned i = 0; i < SORT_N; i++)
		sum = sum * 31 + a[i];
	for (uint32_t k = 1; k <= TABLE_KEYS; k++)
		table_insert(&t, k * 2654435761u, k);
	for (uint32_t k = 1; k <= TABLE_KEYS; k++)
		sum = sum * 31 + table_lookup(&t, k * 2654435761u);
	return sum;
}
