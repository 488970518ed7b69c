/* The stack table (trace/stackid.h): frames in one pool, each stack's start and depth by
 * id, and an open-addressing hash from stack contents to id. */
#include <stddef.h>
#include "trace/internal.h"
#include "trace/stackid.h"
#include "trace/stackwalk.h"

#define HASH_SLOTS (2 * STACKID_MAX) /* a power of two, at most half full */

static struct {
	uint32_t count;                 /* ids given: 1 .. count; published with release */
	uint32_t nframes;               /* pool slots used */
	uint64_t full;                  /* stacks refused */
	volatile int lock;
	uint32_t start[STACKID_MAX];    /* by id: first frame in pool */
	uint8_t depth[STACKID_MAX];     /* by id: frames */
	uint32_t hash[STACKID_MAX];     /* by id: its hash, to skip most comparisons */
	uint32_t index[HASH_SLOTS];     /* 0 empty, else an id; written once, with release */
	uint32_t pool[STACKID_FRAMES];
} tab;

static uint32_t stack_hash(const uint32_t *pcs, unsigned n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;

	for (unsigned i = 0; i < n; i++) {
		h ^= pcs[i];
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	return (uint32_t)h;
}

static bool same(uint32_t id, const uint32_t *pcs, unsigned n, uint32_t h)
{
	const uint32_t *f = &tab.pool[tab.start[id]];

	if (tab.hash[id] != h || tab.depth[id] != n)
		return false;
	for (unsigned i = 0; i < n; i++)
		if (f[i] != pcs[i])
			return false;
	return true;
}

/* The hash slot of the stack, or of the empty slot where it would go. */
static uint32_t probe(const uint32_t *pcs, unsigned n, uint32_t h, uint32_t *id)
{
	uint32_t i = h & (HASH_SLOTS - 1);

	for (;;) {
		uint32_t v = __atomic_load_n(&tab.index[i], __ATOMIC_ACQUIRE);

		if (!v || same(v, pcs, n, h)) {
			*id = v;
			return i;
		}
		i = (i + 1) & (HASH_SLOTS - 1);
	}
}

uint32_t stackid_get(const uint32_t *pcs, unsigned n, bool *is_new)
{
	uint32_t h = stack_hash(pcs, n), id, slot;
	uint64_t irq;

	*is_new = false;
	if (!n || n > STACK_MAX_DEPTH)
		return 0;
	probe(pcs, n, h, &id);
	if (id)
		return id;
	/* Interrupts off: a sample taken on this CPU while it holds the lock would spin. */
	irq = trace_irq_save();
	while (__atomic_test_and_set(&tab.lock, __ATOMIC_ACQUIRE))
		__asm__ volatile("pause");
	slot = probe(pcs, n, h, &id); /* another CPU may have added it meanwhile */
	if (!id) {
		uint32_t next = tab.count + 1;

		if (next >= STACKID_MAX || tab.nframes + n > STACKID_FRAMES) {
			tab.full++;
		} else {
			tab.start[next] = tab.nframes;
			tab.depth[next] = (uint8_t)n;
			tab.hash[next] = h;
			for (unsigned i = 0; i < n; i++)
				tab.pool[tab.nframes + i] = pcs[i];
			tab.nframes += n;
			__atomic_store_n(&tab.count, next, __ATOMIC_RELEASE);
			__atomic_store_n(&tab.index[slot], next, __ATOMIC_RELEASE);
			id = next;
			*is_new = true;
		}
	}
	__atomic_clear(&tab.lock, __ATOMIC_RELEASE);
	trace_irq_restore(irq);
	return id;
}

const uint32_t *stackid_frames(uint32_t id, unsigned *n)
{
	if (!id || id > __atomic_load_n(&tab.count, __ATOMIC_ACQUIRE))
		return NULL;
	*n = tab.depth[id];
	return &tab.pool[tab.start[id]];
}

uint32_t stackid_count(void)
{
	return __atomic_load_n(&tab.count, __ATOMIC_ACQUIRE);
}

uint64_t stackid_full(void)
{
	return tab.full;
}

void stackid_reset(void)
{
	tab.count = 0;
	tab.nframes = 0;
	tab.full = 0;
	for (uint32_t i = 0; i < HASH_SLOTS; i++)
		tab.index[i] = 0;
}
