/* The boundary between net/ (lwIP glue) and a NIC driver (platform/pc/virtio_net.c):
 * a small struct of function pointers one way and two callbacks the other way.
 * Locking contract: net/ calls xmit, poll and irq_on from one context at a time (it holds
 * its core lock); the driver calls rx from inside poll only, and wake from its interrupt
 * handler (interrupts off, any time). */
#ifndef NET_NETDEV_H
#define NET_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETDEV_MAX_FRAME 1514 /* Ethernet header + 1500, no FCS */

struct netdev;

/* One piece of an outgoing frame. */
struct netdev_frag {
	const void *data;
	size_t len;
};

/* Counters the driver keeps; every dropped frame is counted. */
struct netdev_stats {
	uint64_t rx_frames, rx_bytes, rx_dropped;
	uint64_t tx_frames, tx_bytes, tx_dropped, tx_ring_full;
	uint64_t irqs;
};

struct netdev_ops {
	/* Attaches the interrupt and starts receiving; rx and wake must be set. 0 or -errno. */
	int (*start)(struct netdev *dev);
	/* Sends one frame gathered from n pieces (copied before returning).
	 * 0, -EMSGSIZE (over NETDEV_MAX_FRAME), or -ENOBUFS (no ring space; counted). */
	int (*xmit)(struct netdev *dev, const struct netdev_frag *frags, unsigned n);
	/* Reclaims sent buffers and hands up to budget received frames to dev->rx.
	 * Returns the number of frames received. */
	unsigned (*poll)(struct netdev *dev, unsigned budget);
	/* Re-arms the receive interrupt after poll found nothing more. Returns true if frames
	 * arrived meanwhile: poll again, no interrupt will announce them. */
	bool (*irq_on)(struct netdev *dev);
};

struct netdev {
	const struct netdev_ops *ops;
	const char *name;
	uint8_t mac[6];
	uint16_t mtu;
	struct netdev_stats stats;
	/* Set by net/ before start: */
	void (*rx)(struct netdev *dev, const void *frame, size_t len);
	void (*wake)(struct netdev *dev); /* from the interrupt handler: there is work */
	void *upper;                      /* net/'s context */
};

/* Implemented by the platform's NIC driver (platform/pc/virtio_net.c): finds and resets
 * the NIC, reads its MAC address. NULL if there is none. Called once, at boot. */
struct netdev *plat_netdev_probe(void);

#endif
