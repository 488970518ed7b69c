/* Split virtqueues (virtio 1.0 section 2.6), driver side. The device runs concurrently
 * (another QEMU thread): every store the device must see before an index update is ordered
 * by a release store of the index, and reads of a used entry follow an acquire load of
 * used->idx. */
#include <string.h>
#include "platform/pc/virtio.h"

#define RING_ALIGN 4096

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* Offset of the used ring: after descriptors and the avail ring (with used_event). */
static uint64_t used_offset(unsigned n)
{
	return align_up(16ull * n + 2 * (3 + n), RING_ALIGN);
}

uint64_t virtq_ring_bytes(unsigned n)
{
	return used_offset(n) + align_up(2 * 3 + 8ull * n, RING_ALIGN);
}

void virtq_init(struct virtq *q, void *mem, unsigned n)
{
	memset(mem, 0, virtq_ring_bytes(n));
	q->size = (uint16_t)n;
	q->avail_idx = 0;
	q->last_used = 0;
	q->desc = mem;
	q->avail = (struct vring_avail *)((uint8_t *)mem + 16ull * n);
	q->used = (struct vring_used *)((uint8_t *)mem + used_offset(n));
}

void virtq_add(struct virtq *q, uint16_t id, void *buf, uint32_t len, uint16_t flags)
{
	q->desc[id].addr = (uint64_t)(uintptr_t)buf;
	q->desc[id].len = len;
	q->desc[id].flags = flags;
	q->desc[id].next = 0;
	q->avail->ring[q->avail_idx & (q->size - 1)] = id;
	q->avail_idx++;
}

bool virtq_publish(struct virtq *q)
{
	/* Release: the descriptors and ring entries above are visible before the index. */
	__atomic_store_n(&q->avail->idx, q->avail_idx, __ATOMIC_RELEASE);
	/* Full fence: our index store must be visible before we read the device's
	 * no-notify flag, or we could skip a kick the device is about to need. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !(__atomic_load_n(&q->used->flags, __ATOMIC_RELAXED) & VRING_USED_F_NO_NOTIFY);
}

bool virtq_get_used(struct virtq *q, uint16_t *id, uint32_t *len)
{
	/* Acquire: the entry (and the buffer the device wrote) is read after the index. */
	uint16_t used = __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE);
	struct vring_used_elem *e;

	if (used == q->last_used)
		return false;
	e = &q->used->ring[q->last_used & (q->size - 1)];
	*id = (uint16_t)e->id;
	*len = e->len;
	q->last_used++;
	return true;
}

void virtq_irq_off(struct virtq *q)
{
	__atomic_store_n(&q->avail->flags, VRING_AVAIL_F_NO_INTERRUPT, __ATOMIC_RELAXED);
}

bool virtq_irq_on(struct virtq *q)
{
	__atomic_store_n(&q->avail->flags, 0, __ATOMIC_RELAXED);
	/* Full fence: the flag store is visible before we re-read used->idx; a buffer the
	 * device used before seeing the flag is found here instead of by an interrupt. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE) != q->last_used;
}
