/* virtio-net driver (virtio 1.0 section 5.1) behind net/netdev.h. No offloads: frames and
 * checksums are complete in software. Receive: every descriptor owns one 2 KiB buffer,
 * frames are handed up by poll() and the buffer goes straight back to the device.
 * Transmit: frames are copied into per-descriptor buffers and reclaimed lazily, so the
 * transmit queue never interrupts. The receive interrupt is switched off from the moment
 * it fires until net/ has drained the ring (irq_on), so a burst costs one interrupt. */
#include <errno.h>
#include <string.h>
#include "kernel/heap.h"
#include "kernel/page.h"
#include "net/netdev.h"
#include "platform/platform.h"
#include "platform/pc/virtio.h"

#define VIRTIO_NET_F_MAC   5
#define VNET_RXQ           0
#define VNET_TXQ           1
#define VNET_QMAX          256          /* ring entries we ask for (modern interface) */
#define VNET_BUF           2048         /* per-descriptor buffer */
#define VNET_HDR_MODERN    12           /* struct virtio_net_hdr with num_buffers */
#define VNET_HDR_LEGACY    10           /* ... without (no MRG_RXBUF) */
#define VNET_TX_WAIT_NS    2000000      /* how long xmit waits for the device to free space */

struct vnet {
	struct netdev nd;
	struct virtio_dev vd;
	struct virtq rxq, txq;
	uint8_t *rxbuf, *txbuf;     /* size * VNET_BUF bytes each */
	uint16_t *tx_free;          /* stack of transmit descriptor ids not in flight */
	unsigned tx_nfree;
	unsigned hdr_len;
};

static struct vnet vnet;

static uint8_t *buf_of(uint8_t *base, uint16_t id)
{
	return base + (size_t)id * VNET_BUF;
}

/* Takes back transmit buffers the device has finished with. */
static void tx_reclaim(struct vnet *v)
{
	uint16_t id;
	uint32_t len;

	while (virtq_get_used(&v->txq, &id, &len))
		if (id < v->txq.size)
			v->tx_free[v->tx_nfree++] = id;
}

/* A free transmit id, waiting briefly for the device if the ring is full. -1 if none. */
static int tx_get(struct vnet *v)
{
	uint64_t deadline;

	if (!v->tx_nfree)
		tx_reclaim(v);
	if (!v->tx_nfree) {
		v->nd.stats.tx_ring_full++;
		deadline = plat_now_ns() + VNET_TX_WAIT_NS;
		while (!v->tx_nfree && plat_now_ns() < deadline) {
			plat_cpu_relax();
			tx_reclaim(v);
		}
	}
	return v->tx_nfree ? v->tx_free[--v->tx_nfree] : -1;
}

static int vnet_xmit(struct netdev *nd, const struct netdev_frag *frags, unsigned n)
{
	struct vnet *v = (struct vnet *)nd;
	size_t total = 0, i;
	uint8_t *p;
	int id;

	for (i = 0; i < n; i++)
		total += frags[i].len;
	if (total > NETDEV_MAX_FRAME) {
		nd->stats.tx_dropped++;
		return -EMSGSIZE;
	}
	id = tx_get(v);
	if (id < 0) {
		nd->stats.tx_dropped++;
		return -ENOBUFS;
	}
	p = buf_of(v->txbuf, (uint16_t)id);
	memset(p, 0, v->hdr_len);   /* no checksum or segmentation offload */
	for (i = 0, p += v->hdr_len; i < n; p += frags[i].len, i++)
		memcpy(p, frags[i].data, frags[i].len);
	virtq_add(&v->txq, (uint16_t)id, buf_of(v->txbuf, (uint16_t)id),
		  (uint32_t)(v->hdr_len + total), 0);
	if (virtq_publish(&v->txq))
		virtio_notify(&v->txq);
	nd->stats.tx_frames++;
	nd->stats.tx_bytes += total;
	return 0;
}

/* Hands one received buffer up (if it holds a frame) and gives it back to the device. */
static void rx_one(struct vnet *v, uint16_t id, uint32_t len)
{
	uint8_t *b = buf_of(v->rxbuf, id);

	if (len > v->hdr_len && len - v->hdr_len <= NETDEV_MAX_FRAME) {
		v->nd.stats.rx_frames++;
		v->nd.stats.rx_bytes += len - v->hdr_len;
		v->nd.rx(&v->nd, b + v->hdr_len, len - v->hdr_len);
	} else {
		v->nd.stats.rx_dropped++;
	}
	virtq_add(&v->rxq, id, b, VNET_BUF, VRING_DESC_F_WRITE);
}

static unsigned vnet_poll(struct netdev *nd, unsigned budget)
{
	struct vnet *v = (struct vnet *)nd;
	unsigned got = 0;
	uint16_t id;
	uint32_t len;

	tx_reclaim(v);
	while (got < budget && virtq_get_used(&v->rxq, &id, &len)) {
		if (id >= v->rxq.size) {    /* a broken device: never touch that buffer */
			nd->stats.rx_dropped++;
			continue;
		}
		rx_one(v, id, len);
		got++;
	}
	if (got && virtq_publish(&v->rxq))
		virtio_notify(&v->rxq);
	return got;
}

static bool vnet_irq_on(struct netdev *nd)
{
	return virtq_irq_on(&((struct vnet *)nd)->rxq);
}

/* Interrupt context. Reading the ISR acknowledges the interrupt (de-asserts INTx). */
static void vnet_irq(void *arg)
{
	struct vnet *v = arg;

	if (!(virtio_isr_read(&v->vd) & VIRTIO_ISR_QUEUE))
		return;     /* a configuration change, or another device on a shared line */
	v->nd.stats.irqs++;
	virtq_irq_off(&v->rxq);
	v->nd.wake(&v->nd);
}

static int vnet_start(struct netdev *nd)
{
	struct vnet *v = (struct vnet *)nd;
	uint16_t id;
	int err;

	for (id = 0; id < v->rxq.size; id++)
		virtq_add(&v->rxq, id, buf_of(v->rxbuf, id), VNET_BUF, VRING_DESC_F_WRITE);
	virtq_irq_off(&v->txq);
	err = plat_irq_attach(v->vd.pci.irq, vnet_irq, v, "virtio-net");
	if (err)
		return err;
	virtio_driver_ok(&v->vd);
	virtq_publish(&v->rxq);
	virtio_notify(&v->rxq);
	return 0;
}

static const struct netdev_ops vnet_ops = {
	.start = vnet_start,
	.xmit = vnet_xmit,
	.poll = vnet_poll,
	.irq_on = vnet_irq_on,
};

static int alloc_buffers(struct vnet *v)
{
	size_t rx_pages = (size_t)v->rxq.size * VNET_BUF / PAGE_SIZE;
	size_t tx_pages = (size_t)v->txq.size * VNET_BUF / PAGE_SIZE;
	unsigned i;

	v->rxbuf = page_alloc(rx_pages ? rx_pages : 1);
	v->txbuf = page_alloc(tx_pages ? tx_pages : 1);
	v->tx_free = kmalloc(v->txq.size * sizeof(*v->tx_free));
	if (!v->rxbuf || !v->txbuf || !v->tx_free)
		return -ENOMEM;
	for (i = 0; i < v->txq.size; i++)
		v->tx_free[i] = (uint16_t)i;
	v->tx_nfree = v->txq.size;
	return 0;
}

static void read_mac(struct vnet *v)
{
	static const uint8_t fallback[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	unsigned i;

	for (i = 0; i < 6; i++)
		v->nd.mac[i] = (v->vd.features & (1ull << VIRTIO_NET_F_MAC))
			? virtio_cfg_read8(&v->vd, i) : fallback[i];
}

/* The transitional device (1af4:1000) is what QEMU's -M pc offers by default; 1af4:1041
 * is the modern-only one (disable-legacy=on). */
static int find_device(struct pci_dev *pci)
{
	if (pci_find(VIRTIO_VENDOR, 0x1000, pci) == 0)
		return 0;
	return pci_find(VIRTIO_VENDOR, 0x1041, pci);
}

struct netdev *plat_netdev_probe(void)
{
	struct vnet *v = &vnet;
	struct pci_dev pci;
	uint64_t want = 1ull << VIRTIO_NET_F_MAC | 1ull << VIRTIO_F_ANY_LAYOUT;

	if (find_device(&pci) || pci.irq == 0 || pci.irq == 0xff)
		return NULL;
	if (virtio_pci_init(&v->vd, &pci, want) ||
	    virtio_queue_setup(&v->vd, &v->rxq, VNET_RXQ, VNET_QMAX) ||
	    virtio_queue_setup(&v->vd, &v->txq, VNET_TXQ, VNET_QMAX) || alloc_buffers(v))
		return NULL;
	v->hdr_len = v->vd.modern ? VNET_HDR_MODERN : VNET_HDR_LEGACY;
	v->nd.ops = &vnet_ops;
	v->nd.name = v->vd.modern ? "virtio-net (modern)" : "virtio-net (legacy)";
	v->nd.mtu = 1500;
	read_mac(v);
	return &v->nd;
}
