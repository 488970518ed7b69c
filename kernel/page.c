/* The physical page allocator: one bitmap per RAM range (a set bit is an allocated page),
 * searched first fit. Each range keeps a hint below which every page is allocated, so
 * the common single-page allocation does not rescan the full low part of memory. */
#include <stdbool.h>
#include <string.h>

#include "kernel/lock.h"
#include "kernel/page.h"
#include "kernel/panic.h"
#include "trace/trace.h"

struct page_range {
	uint64_t base;		/* address of page 0 of the range */
	size_t npages;
	size_t nfree;
	size_t hint;		/* every page below this index is allocated */
	uint64_t *bitmap;	/* in the pages just below base */
};

static struct page_range ranges[PAGE_MAX_RANGES];
static unsigned nranges;
static struct spinlock page_lock = SPINLOCK_INIT;

#define WORD_BITS 64

static void bit_assign(uint64_t *bm, size_t i, bool set)
{
	uint64_t mask = 1ULL << (i % WORD_BITS);

	if (set)
		bm[i / WORD_BITS] |= mask;
	else
		bm[i / WORD_BITS] &= ~mask;
}

/* Sets or clears bits [i, i+n), a whole word at a time where it can. */
static void bits_assign(uint64_t *bm, size_t i, size_t n, bool set)
{
	for (; n && i % WORD_BITS; i++, n--)
		bit_assign(bm, i, set);
	for (; n >= WORD_BITS; i += WORD_BITS, n -= WORD_BITS)
		bm[i / WORD_BITS] = set ? ~0ULL : 0;
	for (; n; i++, n--)
		bit_assign(bm, i, set);
}

/* First index in [i, end) whose bit equals want, or end. A word at a time: the bits from i
 * on that equal want are the set bits of the word (inverted when looking for a clear bit),
 * shifted down to i. Allocations leave many short runs of either kind (alignment gaps,
 * freed stacks), which a bit-by-bit scan walked one page at a time. */
static size_t find_bit(const uint64_t *bm, size_t i, size_t end, bool want)
{
	uint64_t flip = want ? 0 : ~0ULL;

	while (i < end) {
		uint64_t w = (bm[i / WORD_BITS] ^ flip) >> (i % WORD_BITS);

		if (w) {
			i += (size_t)__builtin_ctzll(w);
			return i < end ? i : end;
		}
		i = (i | (WORD_BITS - 1)) + 1;
	}
	return end;
}

/* Smallest index >= i whose page address is a multiple of align pages. */
static size_t align_index(const struct page_range *r, size_t i, size_t align)
{
	uint64_t pfn = (r->base >> PAGE_SHIFT) + i;

	return i + (((pfn + align - 1) & ~(uint64_t)(align - 1)) - pfn);
}

/* Index of a free aligned run of n pages in r, or r->npages if there is none. */
static size_t range_find(struct page_range *r, size_t n, size_t align)
{
	size_t i, start, end;

	r->hint = find_bit(r->bitmap, r->hint, r->npages, false);
	for (i = r->hint; i < r->npages; i = end) {
		i = find_bit(r->bitmap, i, r->npages, false);
		start = align_index(r, i, align);
		if (start >= r->npages || r->npages - start < n)
			break;
		end = find_bit(r->bitmap, start, start + n, true);
		if (end == start + n)
			return start;
	}
	return r->npages;
}

void page_add_range(uint64_t base, uint64_t len)
{
	uint64_t start = (base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	uint64_t end = (base + len) & ~(PAGE_SIZE - 1);
	size_t total, map_pages;
	struct page_range *r;
	uint64_t flags;

	if (end <= start)
		return;
	total = (end - start) >> PAGE_SHIFT;
	map_pages = (total + PAGE_SIZE * 8 - 1) / (PAGE_SIZE * 8);
	if (total <= map_pages)
		return;
	flags = spin_lock_irqsave(&page_lock);
	if (nranges < PAGE_MAX_RANGES) {
		r = &ranges[nranges++];
		r->bitmap = (uint64_t *)(uintptr_t)start;
		r->base = start + map_pages * PAGE_SIZE;
		r->npages = total - map_pages;
		r->nfree = r->npages;
		r->hint = 0;
		memset(r->bitmap, 0, map_pages * PAGE_SIZE);
	}
	spin_unlock_irqrestore(&page_lock, flags);
}

void *page_alloc_aligned(size_t npages, size_t align_pages)
{
	void *p = NULL;
	uint64_t flags;

	if (!npages || !align_pages || (align_pages & (align_pages - 1)))
		return NULL;
	flags = spin_lock_irqsave(&page_lock);
	for (unsigned k = 0; k < nranges && !p; k++) {
		struct page_range *r = &ranges[k];
		size_t i;

		if (r->nfree < npages)
			continue;
		i = range_find(r, npages, align_pages);
		if (i == r->npages)
			continue;
		bits_assign(r->bitmap, i, npages, true);
		r->nfree -= npages;
		p = (void *)(uintptr_t)(r->base + (i << PAGE_SHIFT));
	}
	spin_unlock_irqrestore(&page_lock, flags);
	return p;
}

void *page_alloc(size_t npages)
{
	void *p = page_alloc_aligned(npages, 1);

	trace_alloc(p, npages * PAGE_SIZE, EV_ALLOC_PAGE);
	return p;
}

static struct page_range *range_of(uint64_t addr)
{
	for (unsigned k = 0; k < nranges; k++)
		if (addr >= ranges[k].base && addr - ranges[k].base < ranges[k].npages * PAGE_SIZE)
			return &ranges[k];
	return NULL;
}

void page_free(void *p, size_t npages)
{
	uint64_t addr = (uintptr_t)p, flags;
	struct page_range *r;
	size_t i;

	flags = spin_lock_irqsave(&page_lock);
	r = range_of(addr);
	if (!r || addr % PAGE_SIZE || !npages || npages > r->npages - ((addr - r->base) >> PAGE_SHIFT))
		goto bad;
	i = (addr - r->base) >> PAGE_SHIFT;
	/* Every page must be allocated: a free one means a double free or a wrong count. */
	if (find_bit(r->bitmap, i, i + npages, false) != i + npages)
		goto bad;
	bits_assign(r->bitmap, i, npages, false);
	r->nfree += npages;
	trace_free(p, npages * PAGE_SIZE, EV_ALLOC_PAGE);
	if (i < r->hint)
		r->hint = i;
	spin_unlock_irqrestore(&page_lock, flags);
	return;
bad:
	spin_unlock_irqrestore(&page_lock, flags);
	panic("page_free(%p, %zu): not %zu allocated pages", p, npages, npages);
}

static size_t sum_ranges(bool free_only)
{
	size_t n = 0;
	uint64_t flags = spin_lock_irqsave(&page_lock);

	for (unsigned k = 0; k < nranges; k++)
		n += free_only ? ranges[k].nfree : ranges[k].npages;
	spin_unlock_irqrestore(&page_lock, flags);
	return n;
}

size_t page_free_count(void)
{
	return sum_ranges(true);
}

size_t page_total_count(void)
{
	return sum_ranges(false);
}
