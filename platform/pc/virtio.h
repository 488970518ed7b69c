/* Virtio over PCI for platform/pc drivers: split virtqueues (virtq.c) and the PCI
 * transport (virtio_pci.c), which uses the virtio 1.0 "modern" interface through the
 * vendor capabilities when the device offers it and its BAR lies in the identity-mapped
 * first 4 GiB, and the legacy I/O-port interface (BAR0) otherwise.
 * Memory is identity-mapped: ring and buffer pointers are their physical addresses. */
#ifndef PLATFORM_PC_VIRTIO_H
#define PLATFORM_PC_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>
#include "platform/pc/pci.h"

#define VIRTIO_VENDOR           0x1af4

#define VIRTIO_STATUS_ACK       1
#define VIRTIO_STATUS_DRIVER    2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED    128

#define VIRTIO_F_ANY_LAYOUT     27
#define VIRTIO_F_VERSION_1      32

#define VIRTIO_ISR_QUEUE        1 /* a used ring was updated */

/* Split virtqueue layout (virtio 1.0 section 2.6). */
struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
#define VRING_DESC_F_NEXT       1
#define VRING_DESC_F_WRITE      2 /* device writes the buffer (receive) */

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};
#define VRING_AVAIL_F_NO_INTERRUPT 1

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};
#define VRING_USED_F_NO_NOTIFY  1

struct virtio_dev;

/* One virtqueue. Descriptor i is used for buffer i only (no chains, no free list here):
 * the driver decides which ids are free. Not locked: each queue has one user at a time. */
struct virtq {
	struct virtio_dev *dev;
	uint16_t index;
	uint16_t size;          /* power of two */
	uint16_t avail_idx;     /* our copy of avail->idx */
	uint16_t last_used;     /* next used->ring entry to consume */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	volatile uint16_t *notify_mmio; /* modern; NULL with the legacy transport */
};

struct virtio_dev {
	struct pci_dev pci;
	bool modern;
	uint64_t features;      /* negotiated */
	/* modern: mapped regions inside a memory BAR */
	volatile uint8_t *common, *isr, *devcfg, *notify;
	uint32_t notify_mult;
	/* legacy: I/O port base (BAR0) */
	uint16_t io;
};

/* Transport (virtio_pci.c). */
/* Resets the device and negotiates `want` & offered features (VERSION_1 is added for the
 * modern interface). Returns 0 or -ENODEV / -EIO. */
int virtio_pci_init(struct virtio_dev *vd, const struct pci_dev *pci, uint64_t want);
/* Allocates and registers queue `index` with at most max_size entries. 0 or -errno. */
int virtio_queue_setup(struct virtio_dev *vd, struct virtq *q, unsigned index,
		       unsigned max_size);
/* Sets DRIVER_OK: the device may now use the queues. */
void virtio_driver_ok(struct virtio_dev *vd);
/* Reads (and so acknowledges, de-asserting INTx) the interrupt status. */
uint8_t virtio_isr_read(struct virtio_dev *vd);
/* Byte `off` of the device-specific configuration. */
uint8_t virtio_cfg_read8(struct virtio_dev *vd, unsigned off);
/* Tells the device that q has new available buffers. */
void virtio_notify(struct virtq *q);

/* Rings (virtq.c). */
/* Bytes of memory for a ring of n entries in the legacy layout (used ring on its own page),
 * which the modern interface accepts too. */
uint64_t virtq_ring_bytes(unsigned n);
/* Lays the three rings out in mem (zeroed, page-aligned, virtq_ring_bytes(n) long). */
void virtq_init(struct virtq *q, void *mem, unsigned n);
/* Offers buffer `id` (descriptor id) to the device; visible after virtq_publish(). */
void virtq_add(struct virtq *q, uint16_t id, void *buf, uint32_t len, uint16_t flags);
/* Makes added buffers visible; returns true if the device wants a notification. */
bool virtq_publish(struct virtq *q);
/* Takes the next used buffer: true and its id and written length, or false if none. */
bool virtq_get_used(struct virtq *q, uint16_t *id, uint32_t *len);
/* Interrupt suppression for this queue. virtq_irq_on returns true if used buffers arrived
 * before it took effect (the caller must look again: no interrupt will come for them). */
void virtq_irq_off(struct virtq *q);
bool virtq_irq_on(struct virtq *q);

#endif
