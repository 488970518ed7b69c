/* Virtio PCI transport: the modern interface (virtio 1.0 section 4.1) through the vendor
 * capabilities, or the legacy I/O-port interface on a transitional device. */
#include <errno.h>
#include "kernel/page.h"
#include "platform/platform.h"
#include "platform/pc/virtio.h"

/* Modern: virtio_pci_cap.cfg_type */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR    3
#define CAP_DEVICE 4

/* Modern: struct virtio_pci_common_cfg offsets */
#define COMMON_DFSELECT   0x00
#define COMMON_DF         0x04
#define COMMON_GFSELECT   0x08
#define COMMON_GF         0x0c
#define COMMON_STATUS     0x14
#define COMMON_Q_SELECT   0x16
#define COMMON_Q_SIZE     0x18
#define COMMON_Q_MSIX     0x1a
#define COMMON_Q_ENABLE   0x1c
#define COMMON_Q_NOFF     0x1e
#define COMMON_Q_DESC     0x20
#define COMMON_Q_AVAIL    0x28
#define COMMON_Q_USED     0x30
#define VIRTIO_NO_VECTOR  0xffff

/* Legacy: I/O register offsets from BAR0 (MSI-X off) */
#define LEGACY_HOST_F     0x00
#define LEGACY_GUEST_F    0x04
#define LEGACY_Q_PFN      0x08
#define LEGACY_Q_SIZE     0x0c
#define LEGACY_Q_SELECT   0x0e
#define LEGACY_Q_NOTIFY   0x10
#define LEGACY_STATUS     0x12
#define LEGACY_ISR        0x13
#define LEGACY_DEVCFG     0x14

#define IDENTITY_LIMIT    (4ull << 30)

static void wr8(volatile uint8_t *b, unsigned off, uint8_t v) { *(volatile uint8_t *)(b + off) = v; }
static void wr16(volatile uint8_t *b, unsigned off, uint16_t v) { *(volatile uint16_t *)(b + off) = v; }
static void wr32(volatile uint8_t *b, unsigned off, uint32_t v) { *(volatile uint32_t *)(b + off) = v; }
static uint8_t rd8(volatile uint8_t *b, unsigned off) { return *(volatile uint8_t *)(b + off); }
static uint16_t rd16(volatile uint8_t *b, unsigned off) { return *(volatile uint16_t *)(b + off); }
static uint32_t rd32(volatile uint8_t *b, unsigned off) { return *(volatile uint32_t *)(b + off); }

static void wr64(volatile uint8_t *b, unsigned off, uint64_t v)
{
	wr32(b, off, (uint32_t)v);
	wr32(b, off + 4, (uint32_t)(v >> 32));
}

/* Maps one virtio_pci_cap to a pointer; NULL if its BAR is not usable memory below 4 GiB. */
static volatile uint8_t *cap_region(const struct pci_dev *d, unsigned cap, uint32_t need)
{
	uint8_t bar = pci_read8(d, cap + 4);
	uint32_t off = pci_read32(d, cap + 8), len = pci_read32(d, cap + 12);
	struct pci_bar b;

	if (bar > 5 || pci_bar(d, bar, &b) || b.io || len < need || off + (uint64_t)len > b.size ||
	    b.addr + b.size > IDENTITY_LIMIT)
		return NULL;
	return (volatile uint8_t *)(uintptr_t)(b.addr + off);
}

/* Finds the four modern regions; false if any is missing or unreachable. */
static bool modern_map(struct virtio_dev *vd)
{
	const struct pci_dev *d = &vd->pci;
	unsigned cap = 0;
	uint8_t type;

	while ((cap = pci_cap_next(d, PCI_CAP_VENDOR, cap))) {
		type = pci_read8(d, cap + 3);
		if (type == CAP_COMMON && !vd->common)
			vd->common = cap_region(d, cap, 0x38);
		else if (type == CAP_ISR && !vd->isr)
			vd->isr = cap_region(d, cap, 1);
		else if (type == CAP_DEVICE && !vd->devcfg)
			vd->devcfg = cap_region(d, cap, 1);
		else if (type == CAP_NOTIFY && !vd->notify) {
			vd->notify = cap_region(d, cap, 2);
			vd->notify_mult = pci_read32(d, cap + 16);
		}
	}
	return vd->common && vd->isr && vd->devcfg && vd->notify;
}

static void set_status(struct virtio_dev *vd, uint8_t s)
{
	if (vd->modern)
		wr8(vd->common, COMMON_STATUS, s);
	else
		plat_outb((uint16_t)(vd->io + LEGACY_STATUS), s);
}

static uint8_t get_status(struct virtio_dev *vd)
{
	return vd->modern ? rd8(vd->common, COMMON_STATUS)
			  : plat_inb((uint16_t)(vd->io + LEGACY_STATUS));
}

static uint64_t device_features(struct virtio_dev *vd)
{
	if (!vd->modern)
		return plat_inl((uint16_t)(vd->io + LEGACY_HOST_F));
	wr32(vd->common, COMMON_DFSELECT, 0);
	uint64_t lo = rd32(vd->common, COMMON_DF);
	wr32(vd->common, COMMON_DFSELECT, 1);
	return lo | (uint64_t)rd32(vd->common, COMMON_DF) << 32;
}

static void driver_features(struct virtio_dev *vd, uint64_t f)
{
	if (!vd->modern) {
		plat_outl((uint16_t)(vd->io + LEGACY_GUEST_F), (uint32_t)f);
		return;
	}
	wr32(vd->common, COMMON_GFSELECT, 0);
	wr32(vd->common, COMMON_GF, (uint32_t)f);
	wr32(vd->common, COMMON_GFSELECT, 1);
	wr32(vd->common, COMMON_GF, (uint32_t)(f >> 32));
}

/* Picks the interface: modern if mapped, else legacy BAR0 I/O. */
static int choose_transport(struct virtio_dev *vd)
{
	struct pci_bar b;

	if (modern_map(vd)) {
		vd->modern = true;
		pci_set_command(&vd->pci, PCI_CMD_MEM | PCI_CMD_MASTER, PCI_CMD_INTX_OFF);
		return 0;
	}
	if (pci_bar(&vd->pci, 0, &b) || !b.io)
		return -ENODEV;
	vd->io = (uint16_t)b.addr;
	pci_set_command(&vd->pci, PCI_CMD_IO | PCI_CMD_MASTER, PCI_CMD_INTX_OFF);
	return 0;
}

int virtio_pci_init(struct virtio_dev *vd, const struct pci_dev *pci, uint64_t want)
{
	uint64_t offered;
	int err;

	*vd = (struct virtio_dev){ .pci = *pci };
	err = choose_transport(vd);
	if (err)
		return err;
	set_status(vd, 0); /* reset; a modern device reads 0 once the reset is done */
	while (vd->modern && get_status(vd) != 0)
		plat_cpu_relax();
	set_status(vd, VIRTIO_STATUS_ACK);
	set_status(vd, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
	offered = device_features(vd);
	if (vd->modern)
		want |= 1ull << VIRTIO_F_VERSION_1;
	else
		want &= 0xffffffffu;
	vd->features = offered & want;
	driver_features(vd, vd->features);
	if (!vd->modern)
		return 0;
	set_status(vd, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	if (!(get_status(vd) & VIRTIO_STATUS_FEATURES_OK) ||
	    !(vd->features & (1ull << VIRTIO_F_VERSION_1))) {
		set_status(vd, VIRTIO_STATUS_FAILED);
		return -EIO;
	}
	return 0;
}

static unsigned device_queue_size(struct virtio_dev *vd, unsigned index)
{
	if (vd->modern) {
		wr16(vd->common, COMMON_Q_SELECT, (uint16_t)index);
		return rd16(vd->common, COMMON_Q_SIZE);
	}
	plat_outw((uint16_t)(vd->io + LEGACY_Q_SELECT), (uint16_t)index);
	return plat_inw((uint16_t)(vd->io + LEGACY_Q_SIZE));
}

/* Registers the rings of the selected queue with the device. */
static void queue_register(struct virtio_dev *vd, struct virtq *q)
{
	if (!vd->modern) {
		plat_outl((uint16_t)(vd->io + LEGACY_Q_PFN), (uint32_t)((uintptr_t)q->desc >> 12));
		return;
	}
	wr16(vd->common, COMMON_Q_SIZE, q->size);
	wr16(vd->common, COMMON_Q_MSIX, VIRTIO_NO_VECTOR);
	wr64(vd->common, COMMON_Q_DESC, (uintptr_t)q->desc);
	wr64(vd->common, COMMON_Q_AVAIL, (uintptr_t)q->avail);
	wr64(vd->common, COMMON_Q_USED, (uintptr_t)q->used);
	q->notify_mmio = (volatile uint16_t *)(vd->notify +
		rd16(vd->common, COMMON_Q_NOFF) * vd->notify_mult);
	wr16(vd->common, COMMON_Q_ENABLE, 1);
}

int virtio_queue_setup(struct virtio_dev *vd, struct virtq *q, unsigned index,
		       unsigned max_size)
{
	unsigned n = device_queue_size(vd, index);
	void *mem;

	if (n == 0 || (n & (n - 1)))
		return -ENODEV;
	/* Only the modern interface lets the driver pick a smaller ring. */
	if (vd->modern && n > max_size)
		n = max_size;
	mem = page_alloc(virtq_ring_bytes(n) / PAGE_SIZE);
	if (!mem)
		return -ENOMEM;
	virtq_init(q, mem, n);
	q->dev = vd;
	q->index = (uint16_t)index;
	q->notify_mmio = NULL;
	queue_register(vd, q);
	return 0;
}

void virtio_driver_ok(struct virtio_dev *vd)
{
	uint8_t s = VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK;

	set_status(vd, vd->modern ? (uint8_t)(s | VIRTIO_STATUS_FEATURES_OK) : s);
}

uint8_t virtio_isr_read(struct virtio_dev *vd)
{
	return vd->modern ? rd8(vd->isr, 0) : plat_inb((uint16_t)(vd->io + LEGACY_ISR));
}

uint8_t virtio_cfg_read8(struct virtio_dev *vd, unsigned off)
{
	return vd->modern ? rd8(vd->devcfg, off)
			  : plat_inb((uint16_t)(vd->io + LEGACY_DEVCFG + off));
}

void virtio_notify(struct virtq *q)
{
	if (q->notify_mmio)
		*q->notify_mmio = q->index;
	else
		plat_outw((uint16_t)(q->dev->io + LEGACY_Q_NOTIFY), q->index);
}
