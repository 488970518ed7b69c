/* A new connection on the addresses and ports of one lwIP still holds in TIME_WAIT.
 *
 * QEMU's user network gives the guest the host client's own source port, and the host
 * reuses a port as soon as its side of the old connection is closed, which for a
 * connection the guest closed first is long before the guest's TIME_WAIT (2 * TCP_MSL,
 * 2 min) ends: measured, the host reused a port after 107 s. lwIP 2.1 answers such a SYN
 * with an ACK of the old connection, QEMU's stack answers that with a reset, and the SYN
 * is sent again after 6 and 12 s: the request waits about 18 s, and a client with a 15 s
 * timeout got nothing at all (the lost requests of the network tests). Linux and the BSDs
 * accept a SYN in TIME_WAIT whose sequence number is beyond the old connection's last one
 * (RFC 1122 4.2.2.13, RFC 6191): so does glass, by dropping the TIME_WAIT pcb before lwIP
 * looks the segment up, which then reaches the listener as a new connection. */
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "net/internal.h"

static uint64_t reopened;

static bool same_connection(const struct tcp_pcb *pcb, const struct net_tcp_frame *t)
{
	return pcb->remote_port == t->src_port && pcb->local_port == t->dst_port &&
	       lwip_ntohl(ip_2_ip4(&pcb->remote_ip)->addr) == t->src_ip &&
	       lwip_ntohl(ip_2_ip4(&pcb->local_ip)->addr) == t->dst_ip;
}

void net_timewait_reopen(const struct net_tcp_frame *t)
{
	struct tcp_pcb *pcb;

	if ((t->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
		return;
	for (pcb = tcp_tw_pcbs; pcb; pcb = pcb->next) {
		if (!same_connection(pcb, t))
			continue;
		if (TCP_SEQ_GT(t->seq, pcb->rcv_nxt)) {
			tcp_abort(pcb);   /* for TIME_WAIT: unlinked and freed, nothing sent */
			reopened++;
		}
		return;
	}
}

uint64_t net_timewait_reopened(void)
{
	return reopened;
}
