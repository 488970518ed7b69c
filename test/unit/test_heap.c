/* kernel/heap.c over kernel/page.c on host memory: size classes and alignment, a random
 * alloc/free/realloc stress with content checks, realloc semantics, memory coming back,
 * and the panics for double frees, foreign and interior pointers, and free-list damage. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/heap.h"
#include "kernel/page.h"
#include "test/unit/check.h"
#include "test/unit/panic_catch.h"

#define ARENA_SIZE	(64UL << 20)
#define SLOTS		2000

static uint8_t *arena;

struct slot {
	uint8_t *p;
	size_t size;
	uint8_t seed;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Mostly small sizes, sometimes class edges, sometimes several pages. */
static size_t random_size(void)
{
	switch (rng() % 8) {
	case 0: return rng() % 20000;
	case 1: return (16UL << rng() % 8) + rng() % 3 - 1;
	default: return rng() % 300;
	}
}

static void fill(struct slot *s)
{
	for (size_t i = 0; i < s->size; i++)
		s->p[i] = (uint8_t)(s->seed + i * 31);
}

static bool intact(const struct slot *s)
{
	for (size_t i = 0; i < s->size; i++)
		if (s->p[i] != (uint8_t)(s->seed + i * 31))
			return false;
	return true;
}

static size_t next_class(size_t size)
{
	size_t c = 16;

	while (c < size)
		c *= 2;
	return c;
}

static void test_classes(void)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 31, 32, 100, 1000, 2047, 2048, 2049,
					4080, 4081, 100000 };

	TEST_CASE("sizes, classes and 16-byte alignment");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		uint8_t *p = kmalloc(sizes[i]);
		size_t usable;

		CHECK(p != NULL);
		CHECK_EQ((uintptr_t)p % 16, 0);
		CHECK(p >= arena && p < arena + ARENA_SIZE);
		usable = kmalloc_usable_size(p);
		CHECK(usable >= sizes[i]);
		if (sizes[i] <= HEAP_MAX_SMALL)	/* the next power of two, at least 16 */
			CHECK_EQ(usable, next_class(sizes[i]));
		else	/* whole pages less the 16-byte header */
			CHECK_EQ(usable, (sizes[i] + 16 + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE - 16);
		memset(p, 0xee, usable);
		kfree(p);
	}
	kfree(NULL);
	TEST_END();
}

static void test_kzalloc(void)
{
	uint8_t *p;
	size_t zeros = 0;

	TEST_CASE("kzalloc zeroes recycled memory");
	p = kmalloc(200);
	memset(p, 0xab, 200);
	kfree(p);
	p = kzalloc(200);	/* the same object again: first fit in the slab */
	for (size_t i = 0; i < 200; i++)
		zeros += p[i] == 0;
	CHECK_EQ(zeros, 200);
	kfree(p);
	TEST_END();
}

static void stress_step(struct slot *s)
{
	if (s->p && !intact(s))
		CHECK_FAIL_("block %p of %zu bytes was overwritten", (void *)s->p, s->size);
	if (s->p && rng() % 4 == 0) {
		/* realloc keeps the common prefix */
		size_t n = random_size() + 1, keep = n < s->size ? n : s->size;
		uint8_t *q = krealloc(s->p, n);

		CHECK(q != NULL);
		for (size_t i = 0; q && i < keep; i++)
			if (q[i] != (uint8_t)(s->seed + i * 31)) {
				CHECK_FAIL_("krealloc lost byte %zu", i);
				break;
			}
		s->p = q;
		s->size = n;
	} else if (s->p) {
		kfree(s->p);
		s->p = NULL;
		return;
	} else {
		s->size = random_size();
		s->p = kmalloc(s->size);
		CHECK(s->p != NULL);
	}
	CHECK_EQ((uintptr_t)s->p % 16, 0);
	s->seed = (uint8_t)rng();
	fill(s);
}

static void test_stress(void)
{
	static struct slot slots[SLOTS];
	size_t before = page_free_count();

	TEST_CASE("random alloc/free/realloc stress keeps every block's contents");
	for (int round = 0; round < 100000 && !check_case_failed; round++)
		stress_step(&slots[rng() % SLOTS]);
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].p && !intact(&slots[i]))
			CHECK_FAIL_("block %d was overwritten", i);
		kfree(slots[i].p);
	}
	/* Everything came back, except at most one spare slab (4 pages) per size class. */
	CHECK(page_free_count() <= before);
	CHECK(page_free_count() + 8 * 4 >= before);
	TEST_END();
}

static void test_realloc(void)
{
	uint8_t *p, *q;

	TEST_CASE("krealloc semantics");
	p = krealloc(NULL, 40);
	CHECK(p && kmalloc_usable_size(p) == 64);
	memcpy(p, "0123456789", 10);
	CHECK(krealloc(p, 50) == p);	/* same class: stays */
	q = krealloc(p, 3000);		/* grows into a large block */
	CHECK(q && q != p && !memcmp(q, "0123456789", 10));
	p = krealloc(q, 5);		/* shrinks back into a small class */
	CHECK(p && p != q && !memcmp(p, "01234", 5) && kmalloc_usable_size(p) == 16);
	CHECK(krealloc(p, 0) == NULL);	/* frees */
	CHECK_PANICS(kfree(p), "double free");
	p = kmalloc(10);
	CHECK(krealloc(p, SIZE_MAX - 8) == NULL);	/* impossible: p left alone */
	CHECK_EQ(kmalloc_usable_size(p), 16);
	kfree(p);
	TEST_END();
}

static void test_exhaustion(void)
{
	static void *chunks[ARENA_SIZE >> 20];
	size_t before = page_free_count(), n = 0;
	void *p;

	TEST_CASE("exhaustion returns NULL and recovers");
	while (n < ARENA_SIZE >> 20 && (chunks[n] = kmalloc(1 << 20)))
		n++;
	CHECK(n > (ARENA_SIZE >> 20) * 3 / 4);
	CHECK(n < ARENA_SIZE >> 20);
	CHECK(kmalloc(1 << 20) == NULL);
	CHECK(kmalloc(SIZE_MAX) == NULL);
	CHECK(kmalloc(SIZE_MAX - 20) == NULL);
	while (n)
		kfree(chunks[--n]);
	p = kmalloc(1 << 20);
	CHECK(p != NULL);
	kfree(p);
	CHECK_EQ(page_free_count(), before);
	TEST_END();
}

static void test_bad_pointers(void)
{
	uint8_t *a, *b, *large, *other;

	TEST_CASE("double free, foreign and interior pointers panic");
	a = kmalloc(100);
	b = kmalloc(100);	/* keeps a's slab alive after a is freed */
	kfree(a);
	CHECK_PANICS(kfree(a), "double free");
	CHECK_PANICS(kfree(b + 16), "inside an object");
	CHECK_PANICS(krealloc(b + 1, 10), "inside an object");
	large = kmalloc(10000);
	CHECK_PANICS(kfree(large + 64), "inside a large allocation");
	kfree(large);
	CHECK_PANICS(kfree(large), "not a heap pointer");
	other = page_alloc(8);	/* zeroed below: no header in it */
	memset(other, 0, 8 * PAGE_SIZE);
	CHECK_PANICS(kfree(other + 32), "not a heap pointer");
	page_free(other, 8);
	kfree(b);
	TEST_END();
}

static void test_write_after_free(void)
{
	uint8_t *a, *b;

	TEST_CASE("a write after free is caught at the next allocation");
	b = kmalloc(48);
	a = kmalloc(48);
	kfree(a);
	memset(a, 0x41, 8);	/* clobbers the free-list link */
	CHECK(kmalloc(48) == a);	/* a heads the free list; its damaged link is next */
	CHECK_PANICS(kmalloc(48), "free list corrupted");
	TEST_END();
	(void)b;	/* the damaged slab is left as it is */
}

int main(void)
{
	arena = aligned_alloc(PAGE_SIZE, ARENA_SIZE);
	page_add_range((uintptr_t)arena, ARENA_SIZE);
	test_classes();
	test_kzalloc();
	test_stress();
	test_realloc();
	test_exhaustion();
	test_bad_pointers();
	test_write_after_free();
	free(arena);
	return test_exit_status();
}
