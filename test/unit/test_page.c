/* kernel/page.c on host memory: range setup, single pages, contiguous runs, first-fit
 * reuse, exhaustion and fragmentation, 64 MiB runs, alignment, bad frees, many ranges.
 * The allocator state carries over between cases, so each case gives back what it took
 * and checks that the free count returned to where it was. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/page.h"
#include "test/unit/check.h"
#include "test/unit/panic_catch.h"

#define ARENA_SIZE	(200UL << 20)
#define RUN_64M		((64UL << 20) / PAGE_SIZE)

static uint8_t *arena;
static size_t total;

static bool in_arena(const void *p, size_t npages)
{
	const uint8_t *b = p;

	return b >= arena && b + npages * PAGE_SIZE <= arena + ARENA_SIZE;
}

static void test_setup(void)
{
	TEST_CASE("range setup rounds inward and reserves the bitmap");
	arena = aligned_alloc(PAGE_SIZE, ARENA_SIZE);
	/* A base 100 bytes past a page boundary: the range starts at the next page. */
	page_add_range((uintptr_t)arena + 100, ARENA_SIZE - 100);
	total = page_total_count();
	/* 51199 whole pages; the bitmap for them takes 2 pages. */
	CHECK_EQ(total, ARENA_SIZE / PAGE_SIZE - 1 - 2);
	CHECK_EQ(page_free_count(), total);
	TEST_END();
}

static void test_single_pages(void)
{
	static uint8_t *pages[300];

	TEST_CASE("single pages are aligned, distinct and keep their contents");
	for (int i = 0; i < 300; i++) {
		pages[i] = page_alloc(1);
		CHECK(pages[i] && in_arena(pages[i], 1));
		CHECK_EQ((uintptr_t)pages[i] % PAGE_SIZE, 0);
		memset(pages[i], i & 0xff, PAGE_SIZE);
	}
	CHECK_EQ(page_free_count(), total - 300);
	for (int i = 0; i < 300; i++)
		for (size_t b = 0; b < PAGE_SIZE; b += 512)
			if (pages[i][b] != (i & 0xff))
				CHECK_FAIL_("page %d byte %zu overwritten", i, b);
	for (int i = 0; i < 300; i++)
		page_free(pages[i], 1);
	CHECK_EQ(page_free_count(), total);
	TEST_END();
}

static void test_runs(void)
{
	static uint8_t *runs[60];
	size_t n;

	TEST_CASE("contiguous runs do not overlap");
	for (int i = 0; i < 60; i++) {
		n = 1 + (size_t)(i * 7) % 37;
		runs[i] = page_alloc(n);
		CHECK(runs[i] && in_arena(runs[i], n));
		memset(runs[i], i, n * PAGE_SIZE);	/* ASan-clean and spans the run */
	}
	for (int i = 0; i < 60; i++) {
		n = 1 + (size_t)(i * 7) % 37;
		CHECK_EQ(runs[i][0], i);
		CHECK_EQ(runs[i][n * PAGE_SIZE - 1], i);
		page_free(runs[i], n);
	}
	CHECK_EQ(page_free_count(), total);
	TEST_END();
}

static void test_first_fit(void)
{
	void *a, *b, *c, *d, *e;

	TEST_CASE("first fit reuses the lowest hole that is large enough");
	a = page_alloc(1);
	b = page_alloc(3);
	c = page_alloc(1);
	CHECK((uint8_t *)b == (uint8_t *)a + PAGE_SIZE);
	CHECK((uint8_t *)c == (uint8_t *)b + 3 * PAGE_SIZE);
	page_free(b, 3);
	d = page_alloc(4);	/* does not fit the 3-page hole */
	CHECK(d > c);
	e = page_alloc(2);	/* does */
	CHECK(e == b);
	page_free(a, 1);
	CHECK(page_alloc(1) == a);
	page_free(a, 1);
	page_free(c, 1);
	page_free(d, 4);
	page_free(e, 2);
	CHECK_EQ(page_free_count(), total);
	TEST_END();
}

static void test_exhaustion_fragmentation(void)
{
	uint8_t *all, *p;

	TEST_CASE("exhaustion and fragmentation");
	all = page_alloc(total);
	CHECK(all && in_arena(all, total));
	CHECK_EQ(page_free_count(), 0);
	CHECK(page_alloc(1) == NULL);
	CHECK(page_alloc(total + 1) == NULL);
	/* Free every other page: half the memory is free, but no two pages touch. */
	for (size_t i = 0; i < total; i += 2)
		page_free(all + i * PAGE_SIZE, 1);
	CHECK_EQ(page_free_count(), (total + 1) / 2);
	CHECK(page_alloc(2) == NULL);
	p = page_alloc(1);
	CHECK(p == all);
	page_free(p, 1);
	for (size_t i = 1; i < total; i += 2)
		page_free(all + i * PAGE_SIZE, 1);
	CHECK_EQ(page_free_count(), total);
	/* Coalesced again: the whole range is one run. */
	p = page_alloc(total);
	CHECK(p == all);
	page_free(p, total);
	TEST_END();
}

static void test_64m_runs(void)
{
	uint8_t *small[3], *big[3];

	TEST_CASE("64 MiB runs for per-CPU trace buffers, between small allocations");
	for (int i = 0; i < 3; i++) {
		small[i] = page_alloc(1 + i);
		big[i] = page_alloc(RUN_64M);
		CHECK(big[i] && in_arena(big[i], RUN_64M));
		if (!big[i])
			continue;
		big[i][0] = 1;
		big[i][RUN_64M * PAGE_SIZE - 1] = 2;
	}
	CHECK(big[1] >= big[0] + RUN_64M * PAGE_SIZE);
	CHECK(big[2] >= big[1] + RUN_64M * PAGE_SIZE);
	/* A fourth does not fit in the 200 MiB arena. */
	CHECK(page_alloc(RUN_64M) == NULL);
	page_free(big[1], RUN_64M);
	CHECK(page_alloc(RUN_64M) == big[1]);
	for (int i = 0; i < 3; i++) {
		page_free(big[i], RUN_64M);
		page_free(small[i], 1 + i);
	}
	CHECK_EQ(page_free_count(), total);
	TEST_END();
}

static void test_aligned(void)
{
	void *pad, *p, *q;

	TEST_CASE("aligned allocations and invalid arguments");
	pad = page_alloc(1);
	p = page_alloc_aligned(4, 4);
	CHECK(p && (uintptr_t)p % (4 * PAGE_SIZE) == 0);
	q = page_alloc_aligned(RUN_64M, 512);	/* 2 MiB aligned */
	CHECK(q && (uintptr_t)q % (2UL << 20) == 0 && in_arena(q, RUN_64M));
	CHECK(page_alloc_aligned(1, 3) == NULL);
	CHECK(page_alloc_aligned(1, 0) == NULL);
	CHECK(page_alloc(0) == NULL);
	page_free(q, RUN_64M);
	page_free(p, 4);
	page_free(pad, 1);
	CHECK_EQ(page_free_count(), total);
	TEST_END();
}

static void test_bad_free(void)
{
	static uint8_t foreign[2 * PAGE_SIZE];
	uint8_t *p = page_alloc(2);

	TEST_CASE("bad frees panic and change nothing");
	page_free(p, 2);
	CHECK_PANICS(page_free(p, 2), "not 2 allocated pages");
	p = page_alloc(1);
	CHECK_PANICS(page_free(p, 2), "page_free");	/* the second page is free */
	CHECK_PANICS(page_free(p + 8, 1), "page_free");
	CHECK_PANICS(page_free(foreign + PAGE_SIZE - (uintptr_t)foreign % PAGE_SIZE, 1),
		     "page_free");
	CHECK_PANICS(page_free(p, total + 5), "page_free");
	CHECK_EQ(page_free_count(), total - 1);
	page_free(p, 1);
	CHECK_EQ(page_free_count(), total);
	TEST_END();
}

static void test_more_ranges(void)
{
	uint8_t *small = aligned_alloc(PAGE_SIZE, 16 * PAGE_SIZE), *p, *all;

	TEST_CASE("more ranges, and ranges too small or too many");
	page_add_range((uintptr_t)small, 16 * PAGE_SIZE);	/* 1 bitmap page + 15 */
	CHECK_EQ(page_total_count(), total + 15);
	all = page_alloc(total);
	/* The first range is full: the next allocation comes from the second. */
	p = page_alloc(15);
	CHECK(p == small + PAGE_SIZE);
	CHECK(page_alloc(1) == NULL);
	page_free(p, 15);
	page_free(all, total);
	page_add_range((uintptr_t)small, PAGE_SIZE);	/* no room beside its bitmap */
	page_add_range((uintptr_t)small + 100, PAGE_SIZE);	/* less than one page inside */
	CHECK_EQ(page_total_count(), total + 15);
	/* Ranges 3..16 are kept; later ones are dropped. Reuse the arena's last pages. */
	for (int i = 0; i < 20; i++)
		page_add_range((uintptr_t)arena + ARENA_SIZE - (size_t)(i + 1) * 2 * PAGE_SIZE,
			       2 * PAGE_SIZE);
	CHECK_EQ(page_total_count(), total + 15 + (PAGE_MAX_RANGES - 2));
	free(small);
	TEST_END();
}

int main(void)
{
	test_setup();
	test_single_pages();
	test_runs();
	test_first_fit();
	test_exhaustion_fragmentation();
	test_64m_runs();
	test_aligned();
	test_bad_free();
	test_more_ranges();
	free(arena);
	return test_exit_status();
}
