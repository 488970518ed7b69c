/* Shared between the files of net/ only. */
#ifndef NET_INTERNAL_H
#define NET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "net/netdev.h"

struct netif;

/* The lwIP core lock (lwipopts.h explains the model): held around every call into lwIP.
 * Sleeping mutex; not for interrupt context. Unlocking from a thread other than the network
 * thread wakes it if lwIP has a timer due before the time it planned to wake up. */
void net_core_lock(void);
void net_core_unlock(void);

/* The network thread's wake-up (interrupt-safe). */
void net_kick(void);

/* net/port.c: the port's state, set up by net_init. */
void net_port_init(void);
/* True when called by the network thread. */
bool net_in_net_thread(void);
void net_set_net_thread(void);
/* When the network thread will wake up next, in sys_now() milliseconds. */
void net_set_planned_wake(uint32_t ms);

/* net/netif.c: lwIP netif on top of a netdev (sets dev->upper and dev->rx); up = link and
 * interface up, announced by a gratuitous ARP (needs the device started). */
int net_netif_add(struct netif *nif, struct netdev *dev);
void net_netif_up(struct netif *nif);

/* net/tcp_frame.c: the TCP header of a received Ethernet frame (host byte order); false
 * when the frame is not IPv4 carrying TCP. */
struct net_tcp_frame {
	uint32_t src_ip, dst_ip, seq;
	uint16_t src_port, dst_port;
	uint8_t flags;   /* TCP_SYN, TCP_ACK, ... */
};
bool net_tcp_frame(const void *frame, size_t len, struct net_tcp_frame *out);

/* net/serves_trace.c: listeners whose connections serve the trace, and whether a received
 * segment is for one of them (the network thread's work for it is the trace server's
 * own: trace_server_work_begin). */
void net_port_serves_trace(uint16_t port);
bool net_frame_serves_trace(const struct net_tcp_frame *t);

/* net/timewait.c: a SYN for the addresses and ports of a connection in TIME_WAIT opens a
 * new connection (core lock held, before lwIP sees the segment); how many did. */
void net_timewait_reopen(const struct net_tcp_frame *t);
uint64_t net_timewait_reopened(void);

/* The one interface, NULL when there is no NIC; set by net_init. */
extern struct netdev *net_dev;

#endif
