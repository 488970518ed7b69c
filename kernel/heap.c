/* The kernel heap: size-class slabs for small objects, whole pages for large ones.
 *
 * Both kinds start on a SLAB_SIZE boundary with a header whose magic is XORed with its own
 * address, so that from any pointer kfree finds the header by masking, and user data or
 * stale memory cannot pass for a header by accident. A slab's header also holds a bitmap
 * of its allocated objects: that is what catches double frees. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/heap.h"
#include "kernel/lock.h"
#include "kernel/page.h"
#include "kernel/panic.h"
#include "trace/trace.h"

#define SLAB_SIZE	(16 * 1024UL)
#define SLAB_PAGES	(SLAB_SIZE / PAGE_SIZE)
#define MIN_SHIFT	4	/* 16-byte class */
#define NCLASSES	8	/* 16 .. 2048 */
#define SLAB_MAGIC	0x51ab51ab51ab51abULL
#define LARGE_MAGIC	0x1a26e1a26e1a26e1ULL

struct slab {
	uint64_t magic;		/* SLAB_MAGIC ^ address of the slab */
	struct slab *next;	/* in the class's list of slabs with a free object */
	struct slab *prev;
	void *free;		/* free objects, linked through their first word */
	uint32_t size;		/* object size */
	uint16_t nobj;
	uint16_t nfree;
	uint32_t first;		/* offset of object 0 */
	uint32_t cls;
	uint64_t used[];	/* bit i set: object i is allocated */
};

struct large {			/* 16 bytes, so the object after it stays 16-byte aligned */
	uint64_t magic;		/* LARGE_MAGIC ^ address of the header */
	uint64_t npages;
};

struct size_class {
	struct slab *partial;	/* slabs with at least one free object */
	struct slab *spare;	/* one empty slab kept back from the page allocator */
};

static struct size_class classes[NCLASSES];
static struct spinlock heap_lock = SPINLOCK_INIT;

/* Broken invariants in the caller's use of the heap: drop the lock, then panic. */
__attribute__((noreturn)) static void heap_panic(uint64_t flags, const char *fn,
						 const void *p, const char *why)
{
	spin_unlock_irqrestore(&heap_lock, flags);
	panic("heap: %s(%p): %s", fn, p, why);
}

static unsigned size_class(size_t size)
{
	if (size <= (1U << MIN_SHIFT))
		return 0;
	return 64 - __builtin_clzll(size - 1) - MIN_SHIFT;
}

static bool used_test(const struct slab *s, unsigned i)
{
	return s->used[i / 64] >> (i % 64) & 1;
}

static void used_flip(struct slab *s, unsigned i)
{
	s->used[i / 64] ^= 1ULL << (i % 64);
}

static void *slab_obj(const struct slab *s, unsigned i)
{
	return (char *)s + s->first + (size_t)i * s->size;
}

static struct slab *slab_new(unsigned cls)
{
	uint32_t size = 1U << (cls + MIN_SHIFT);
	unsigned words = (SLAB_SIZE / size + 63) / 64;
	struct slab *s = page_alloc_aligned(SLAB_PAGES, SLAB_PAGES);

	if (!s)
		return NULL;
	s->magic = SLAB_MAGIC ^ (uintptr_t)s;
	s->next = s->prev = NULL;
	s->size = size;
	s->cls = cls;
	s->first = (sizeof(*s) + words * 8 + 15) & ~15U;
	s->nobj = s->nfree = (SLAB_SIZE - s->first) / size;
	memset(s->used, 0, words * 8);
	/* Link the free list in address order, so fresh objects are handed out ascending. */
	s->free = NULL;
	for (unsigned i = s->nobj; i--;) {
		*(void **)slab_obj(s, i) = s->free;
		s->free = slab_obj(s, i);
	}
	return s;
}

static void list_add(struct size_class *c, struct slab *s)
{
	s->prev = NULL;
	s->next = c->partial;
	if (c->partial)
		c->partial->prev = s;
	c->partial = s;
}

static void list_del(struct size_class *c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

/* A slab of class cls with a free object, or NULL when out of memory. */
static struct slab *class_slab(unsigned cls)
{
	struct size_class *c = &classes[cls];
	struct slab *s = c->partial;

	if (s)
		return s;
	s = c->spare ? c->spare : slab_new(cls);
	c->spare = NULL;
	if (s)
		list_add(c, s);
	return s;
}

static void *small_alloc(unsigned cls)
{
	uint64_t flags = spin_lock_irqsave(&heap_lock);
	struct slab *s = class_slab(cls);
	char *obj;
	size_t off;

	if (!s) {
		spin_unlock_irqrestore(&heap_lock, flags);
		return NULL;
	}
	obj = s->free;
	off = (size_t)(obj - (char *)s);
	/* A write after free can overwrite the link; never hand out what it points to. */
	if (off < s->first || off >= SLAB_SIZE || (off - s->first) % s->size ||
	    used_test(s, (off - s->first) / s->size))
		heap_panic(flags, "kmalloc", obj, "free list corrupted (write after free?)");
	s->free = *(void **)obj;
	used_flip(s, (off - s->first) / s->size);
	if (--s->nfree == 0)
		list_del(&classes[cls], s);
	spin_unlock_irqrestore(&heap_lock, flags);
	return obj;
}

static void *large_alloc(size_t size)
{
	size_t npages;
	struct large *h;

	if (size > SIZE_MAX - sizeof(*h) - PAGE_SIZE)
		return NULL;
	npages = (size + sizeof(*h) + PAGE_SIZE - 1) / PAGE_SIZE;
	h = page_alloc_aligned(npages, SLAB_PAGES);
	if (!h)
		return NULL;
	h->magic = LARGE_MAGIC ^ (uintptr_t)h;
	h->npages = npages;
	return h + 1;
}

void *kmalloc(size_t size)
{
	void *p = size > HEAP_MAX_SMALL ? large_alloc(size) : small_alloc(size_class(size));

	trace_alloc(p, size, EV_ALLOC_HEAP);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* The header p belongs to: a slab (*slab set) or a large block (*large set). Panics if p
 * is not the start of a live allocation. Called with the heap lock held. */
static void find_block(const void *p, const char *fn, uint64_t flags, struct slab **slab,
		       struct large **large)
{
	uintptr_t base = (uintptr_t)p & ~(SLAB_SIZE - 1);
	struct slab *s = (struct slab *)base;
	size_t off = (uintptr_t)p - base;

	*slab = NULL;
	*large = NULL;
	if (s->magic == (LARGE_MAGIC ^ base)) {
		if (off != sizeof(struct large))
			heap_panic(flags, fn, p, "points inside a large allocation");
		*large = (struct large *)base;
		return;
	}
	if (s->magic != (SLAB_MAGIC ^ base))
		heap_panic(flags, fn, p, "not a heap pointer, or its block was freed");
	if (off < s->first || (off - s->first) % s->size)
		heap_panic(flags, fn, p, "points inside an object");
	if (!used_test(s, (off - s->first) / s->size))
		heap_panic(flags, fn, p, "double free (object is not allocated)");
	*slab = s;
}

/* Returns a slab that became empty: kept as the class's spare, or to the page allocator. */
static void slab_release(struct slab *s)
{
	struct size_class *c = &classes[s->cls];

	list_del(c, s);
	if (!c->spare) {
		c->spare = s;
		return;
	}
	s->magic = 0;	/* later frees of its objects are caught as foreign */
	page_free(s, SLAB_PAGES);
}

static void small_free(struct slab *s, void *p)
{
	used_flip(s, ((char *)p - (char *)s - s->first) / s->size);
	*(void **)p = s->free;
	s->free = p;
	if (s->nfree++ == 0)
		list_add(&classes[s->cls], s);
	if (s->nfree == s->nobj)
		slab_release(s);
}

void kfree(void *p)
{
	struct slab *s;
	struct large *l;
	uint64_t flags;

	if (!p)
		return;
	flags = spin_lock_irqsave(&heap_lock);
	find_block(p, "kfree", flags, &s, &l);
	trace_free(p, s ? s->size : l->npages * PAGE_SIZE - sizeof(*l), EV_ALLOC_HEAP);
	if (s)
		small_free(s, p);
	else
		l->magic = 0;	/* a second kfree now reads as a foreign pointer */
	spin_unlock_irqrestore(&heap_lock, flags);
	if (l)
		page_free(l, l->npages);
}

size_t kmalloc_usable_size(const void *p)
{
	struct slab *s;
	struct large *l;
	uint64_t flags = spin_lock_irqsave(&heap_lock);
	size_t n;

	find_block(p, "kmalloc_usable_size", flags, &s, &l);
	n = s ? s->size : l->npages * PAGE_SIZE - sizeof(*l);
	spin_unlock_irqrestore(&heap_lock, flags);
	return n;
}

/* What kmalloc(size) would make usable, to tell whether a block already fits. */
static size_t block_size(size_t size)
{
	if (size > HEAP_MAX_SMALL)
		return (size + sizeof(struct large) + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE -
		       sizeof(struct large);
	return 1UL << (size_class(size) + MIN_SHIFT);
}

void *krealloc(void *p, size_t size)
{
	size_t old;
	void *q;

	if (!p)
		return kmalloc(size);
	if (!size) {
		kfree(p);
		return NULL;
	}
	old = kmalloc_usable_size(p);
	if (size <= SIZE_MAX - PAGE_SIZE && block_size(size) == old)
		return p;
	q = kmalloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, old < size ? old : size);
	kfree(p);
	return q;
}
