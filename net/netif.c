/* lwIP netif on top of a netdev: frames out through dev->ops->xmit, frames in copied into
 * pool pbufs and handed to ethernet_input. Runs under the core lock (both directions). */
#include <errno.h>
#include <string.h>
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#include "net/internal.h"
#include "trace/trace.h"

#define NET_MAX_FRAGS 16

/* A frame in more pieces than the driver takes is flattened first (rare: lwIP builds TCP
 * segments from a header pbuf and a few data pbufs). */
static err_t xmit_flat(struct netdev *dev, struct pbuf *p)
{
	uint8_t flat[NETDEV_MAX_FRAME];
	struct netdev_frag f = { flat, p->tot_len };

	if (p->tot_len > sizeof(flat))
		return ERR_IF;
	pbuf_copy_partial(p, flat, p->tot_len, 0);
	return dev->ops->xmit(dev, &f, 1) ? ERR_MEM : ERR_OK;
}

static err_t glue_linkoutput(struct netif *nif, struct pbuf *p)
{
	struct netdev *dev = nif->state;
	struct netdev_frag frags[NET_MAX_FRAGS];
	unsigned n = 0;
	struct pbuf *q;
	err_t err;

	for (q = p; q && n < NET_MAX_FRAGS; q = q->next)
		frags[n++] = (struct netdev_frag){ q->payload, q->len };
	if (q)
		err = xmit_flat(dev, p);
	else
		err = dev->ops->xmit(dev, frags, n) ? ERR_MEM : ERR_OK;
	if (err != ERR_OK) {
		LINK_STATS_INC(link.drop);
		return err;
	}
	LINK_STATS_INC(link.xmit);
	return ERR_OK;
}

static void frame_input(struct netif *nif, const void *frame, size_t len)
{
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);

	if (!p) {
		LINK_STATS_INC(link.memerr);
		LINK_STATS_INC(link.drop);
		return;
	}
	pbuf_take(p, frame, (u16_t)len);
	LINK_STATS_INC(link.recv);
	if (nif->input(p, nif) != ERR_OK) {
		LINK_STATS_INC(link.drop);
		pbuf_free(p);
	}
}

/* Before lwIP: a SYN may reopen a TIME_WAIT connection (net/timewait.c), and a segment for
 * the trace server is processed as its own work (net/serves_trace.c). */
static void glue_rx(struct netdev *dev, const void *frame, size_t len)
{
	struct net_tcp_frame t;
	bool server_work = false;

	if (net_tcp_frame(frame, len, &t)) {
		net_timewait_reopen(&t);
		server_work = net_frame_serves_trace(&t);
	}
	if (server_work)
		trace_server_work_begin();
	frame_input(dev->upper, frame, len);
	if (server_work)
		trace_server_work_end();
}

static err_t glue_init(struct netif *nif)
{
	struct netdev *dev = nif->state;

	nif->name[0] = 'e';
	nif->name[1] = 'n';
	nif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(nif->hwaddr, dev->mac, ETH_HWADDR_LEN);
	nif->mtu = dev->mtu;
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	nif->output = etharp_output;
	nif->linkoutput = glue_linkoutput;
	return ERR_OK;
}

/* QEMU's user network: the guest is 10.0.2.15/24, the gateway (and host) 10.0.2.2.
 * net_netif_up sends a gratuitous ARP, so the first forwarded connection does not wait for
 * QEMU to resolve the guest's address, and resolves the gateway's. */
int net_netif_add(struct netif *nif, struct netdev *dev)
{
	ip4_addr_t ip, mask, gw;

	IP4_ADDR(&ip, 10, 0, 2, 15);
	IP4_ADDR(&mask, 255, 255, 255, 0);
	IP4_ADDR(&gw, 10, 0, 2, 2);
	dev->upper = nif;
	dev->rx = glue_rx;
	if (!netif_add(nif, &ip, &mask, &gw, dev, glue_init, ethernet_input))
		return -EIO;
	netif_set_default(nif);
	return 0;
}

/* Every forwarded connection comes from the gateway. Its ARP entry is asked for at once
 * and refreshed well before lwIP would let it expire (ARP_MAXAGE, 5 minutes): an expired
 * entry makes the next burst of connections wait for a resolution. */
#define GW_ARP_REFRESH_MS (60 * 1000)

static void gw_arp_refresh(void *arg)
{
	struct netif *nif = arg;

	etharp_request(nif, netif_ip4_gw(nif));
	sys_timeout(GW_ARP_REFRESH_MS, gw_arp_refresh, nif);
}

void net_netif_up(struct netif *nif)
{
	netif_set_link_up(nif);
	netif_set_up(nif);
	gw_arp_refresh(nif);
}
