/* Blocking TCP sockets for the kernel and apps, over lwIP's raw API (net/socket.c).
 * Server side only: listen, accept, recv, send, shutdown, close.
 *
 * Every blocking call takes a timeout in nanoseconds, 0 meaning forever; for net_send it
 * bounds the time without progress, not the whole transfer. One thread may receive while
 * another sends on the same socket; two threads must not receive (or send) on one socket at
 * once, and a socket must not be closed while another thread is inside a call on it.
 * Errors are negative errno values: -ETIMEDOUT, -ECONNRESET (peer reset or the connection
 * was dropped after retransmissions), -EPIPE (send after net_shutdown), -ENOMEM,
 * -ENODEV (no network), -EADDRINUSE. */
#ifndef NET_SOCKET_H
#define NET_SOCKET_H

#include <stddef.h>
#include <stdint.h>

#define NET_FOREVER 0

struct net_listener;
struct net_sock;

/* Listens on TCP `port` of 10.0.2.15 with room for `backlog` (1..64) established
 * connections not yet accepted; more are reset. */
int net_listen(uint16_t port, unsigned backlog, struct net_listener **out);
/* Waits for a connection. 0 and *out set, or -ETIMEDOUT. */
int net_accept(struct net_listener *l, struct net_sock **out, uint64_t timeout_ns);
/* The listener's connections serve the trace (the /ftrace server): the network thread's
 * work for their segments is then the trace server's own work, which is not recorded
 * unless the trace-server option is on (trace/trace.h). Call before the first accept. */
void net_listener_serves_trace(struct net_listener *l);
/* Stops listening; connections not yet accepted are reset. */
void net_unlisten(struct net_listener *l);

/* Receives up to len bytes: > 0 bytes, 0 once the peer has closed its side and everything
 * was read, or -errno (-ETIMEDOUT with nothing received). Data is returned before EOF or
 * an error is reported. */
long net_recv(struct net_sock *s, void *buf, size_t len, uint64_t timeout_ns);
/* Sends all len bytes (copied; flow control blocks the caller): returns len or -errno. After
 * an error part of the data may have been sent; the stream is then unusable. */
long net_send(struct net_sock *s, const void *buf, size_t len, uint64_t timeout_ns);
/* Sends FIN after the queued data (half-close); receiving still works. */
int net_shutdown(struct net_sock *s);
/* Closes gracefully (queued data is still delivered, then FIN) and frees s. */
void net_close(struct net_sock *s);
/* A short last message: queues len bytes, as many as the send buffer takes now, then
 * closes as net_close does and frees s. Returns len, -ENOBUFS if only part fit, or -errno.
 * Never waits for the peer. */
long net_send_close(struct net_sock *s, const void *buf, size_t len);
/* Resets the connection (RST) and frees s. */
void net_abort(struct net_sock *s);
/* The peer's IPv4 address (host byte order) and port. */
void net_peer(const struct net_sock *s, uint32_t *ip, uint16_t *port);

/* Counters for diagnostics: connections accepted or refused (accept queue full), sockets
 * and TCP pcbs alive now, lwIP's drop counters, and connections opened over one still in
 * TIME_WAIT (net/timewait.c). */
struct net_sock_stats {
	uint64_t accepted, refused, alive_socks, alive_pcbs;
	uint64_t pcb_alloc_failed, tcp_dropped, arp_dropped, link_dropped, pool_empty;
	uint64_t timewait_reopened;
};
void net_sock_stats(struct net_sock_stats *out);

#endif
