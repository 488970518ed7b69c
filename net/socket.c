/* Blocking sockets over lwIP's raw TCP API; contract in net/socket.h.
 *
 * Two locks: the core lock (net/port.c) around every lwIP call, and a per-socket spinlock
 * for the state lwIP's callbacks share with sleeping threads (received data, EOF, error,
 * the sent counter, the accept queue). Callbacks run under the core lock, take the socket
 * lock, change state and wake the socket's wait queue; threads sleep on that queue with the
 * socket lock, which waitq_wait releases while they sleep. Lock order: core, then socket. */
#include <errno.h>
#include <string.h>
#include "kernel/heap.h"
#include "kernel/lock.h"
#include "kernel/waitq.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/tcp.h"
#include "net/internal.h"
#include "net/socket.h"
#include "trace/trace.h"
#include "platform/platform.h"

#define NET_BACKLOG_MAX 64
#define SEND_RETRY_NS   10000000 /* recheck for memory when lwIP had none and nothing is
				    in flight to bring a sent callback */

struct net_sock {
	struct spinlock lock;
	struct waitq wq;        /* readers and writers */
	struct tcp_pcb *pcb;    /* NULL once lwIP freed it (error) or we closed */
	struct pbuf *rx;        /* received, not yet read; rx_off bytes of it consumed */
	uint16_t rx_off;
	bool eof;
	bool wr_shut;
	int err;                /* sticky -errno from the error callback */
	unsigned sent_gen;      /* bumped whenever the peer acknowledged data */
};

struct net_listener {
	struct spinlock lock;
	struct waitq wq;
	struct tcp_pcb *pcb;
	unsigned backlog, head, count;
	struct net_sock *queue[NET_BACKLOG_MAX];
};

static uint64_t stat_accepted, stat_refused;

/* net:net_io for n bytes moved on s (core lock held). */
static void net_io_event(const struct net_sock *s, size_t n, bool tx)
{
	if (!trace_net_io_on() || !s->pcb)
		return;
	trace_net_io_record(ip_2_ip4(&s->pcb->local_ip)->addr, s->pcb->local_port,
			    ip_2_ip4(&s->pcb->remote_ip)->addr, s->pcb->remote_port, n, tx, 6);
}
static int64_t stat_alive;

/* Deadline arithmetic: 0 = forever. */
static uint64_t deadline_of(uint64_t timeout_ns)
{
	return timeout_ns ? plat_now_ns() + timeout_ns : 0;
}

/* Sleeps on wq (lock held) until woken or the deadline; false once it has passed. */
static bool wait_until(struct waitq *wq, struct spinlock *lock, uint64_t deadline)
{
	uint64_t now;

	if (!deadline) {
		waitq_wait(wq, lock, 0);
		return true;
	}
	now = plat_now_ns();
	if (now >= deadline)
		return false;
	waitq_wait(wq, lock, deadline - now);
	return true;
}

static int map_err(err_t e)
{
	switch (e) {
	case ERR_ABRT: return -ECONNABORTED;
	case ERR_RST: return -ECONNRESET;
	case ERR_CLSD: return -ENOTCONN;
	case ERR_MEM: return -ENOMEM;
	case ERR_USE: return -EADDRINUSE;
	default: return -EIO;
	}
}

/* lwIP callbacks: core lock held. */

static err_t sock_recv_cb(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct net_sock *s = arg;
	uint64_t flags;

	(void)pcb;
	(void)err;
	flags = spin_lock_irqsave(&s->lock);
	if (!p)
		s->eof = true;
	else if (s->rx)
		pbuf_cat(s->rx, p);
	else
		s->rx = p;
	spin_unlock_irqrestore(&s->lock, flags);
	waitq_wake_all(&s->wq);
	return ERR_OK;
}

static err_t sock_sent_cb(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct net_sock *s = arg;
	uint64_t flags = spin_lock_irqsave(&s->lock);

	(void)pcb;
	(void)len;
	s->sent_gen++;
	spin_unlock_irqrestore(&s->lock, flags);
	waitq_wake_all(&s->wq);
	return ERR_OK;
}

/* The pcb is already freed when this runs. */
static void sock_err_cb(void *arg, err_t err)
{
	struct net_sock *s = arg;
	uint64_t flags = spin_lock_irqsave(&s->lock);

	s->pcb = NULL;
	s->err = map_err(err);
	spin_unlock_irqrestore(&s->lock, flags);
	waitq_wake_all(&s->wq);
}

static void sock_detach(struct tcp_pcb *pcb)
{
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
}

static struct net_sock *sock_new(struct tcp_pcb *pcb)
{
	struct net_sock *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->lock = (struct spinlock)SPINLOCK_INIT;
	waitq_init_kind(&s->wq, WAITQ_NET);
	s->pcb = pcb;
	tcp_arg(pcb, s);
	tcp_recv(pcb, sock_recv_cb);
	tcp_sent(pcb, sock_sent_cb);
	tcp_err(pcb, sock_err_cb);
	/* Responses are written in whole pieces; Nagle would only delay their last segment. */
	tcp_nagle_disable(pcb);
	__atomic_add_fetch(&stat_alive, 1, __ATOMIC_RELAXED);
	return s;
}

static void sock_free(struct net_sock *s)
{
	if (s->rx)
		pbuf_free(s->rx);
	__atomic_sub_fetch(&stat_alive, 1, __ATOMIC_RELAXED);
	kfree(s);
}

static bool listener_push(struct net_listener *l, struct net_sock *s)
{
	uint64_t flags = spin_lock_irqsave(&l->lock);
	bool ok = l->count < l->backlog;

	if (ok) {
		l->queue[(l->head + l->count) % NET_BACKLOG_MAX] = s;
		l->count++;
	}
	spin_unlock_irqrestore(&l->lock, flags);
	if (ok)
		waitq_wake_one(&l->wq);
	return ok;
}

static err_t accept_cb(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct net_listener *l = arg;
	struct net_sock *s;

	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	s = sock_new(pcb);
	if (s && listener_push(l, s)) {
		stat_accepted++;
		return ERR_OK;
	}
	/* No memory or a full queue: reset the connection, our state never existed. */
	stat_refused++;
	if (s) {
		s->pcb = NULL;
		sock_free(s);
	}
	sock_detach(pcb);
	tcp_abort(pcb);
	return ERR_ABRT;
}

int net_listen(uint16_t port, unsigned backlog, struct net_listener **out)
{
	struct net_listener *l;
	struct tcp_pcb *pcb, *lpcb;
	err_t e;

	if (!net_dev)
		return -ENODEV;
	l = kzalloc(sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->lock = (struct spinlock)SPINLOCK_INIT;
	waitq_init_kind(&l->wq, WAITQ_NET);
	l->backlog = backlog < 1 ? 1 : backlog > NET_BACKLOG_MAX ? NET_BACKLOG_MAX : backlog;
	net_core_lock();
	pcb = tcp_new();
	e = pcb ? ERR_OK : ERR_MEM;
	if (pcb) {
		ip_set_option(pcb, SOF_REUSEADDR);
		e = tcp_bind(pcb, IP_ANY_TYPE, port);
	}
	lpcb = e == ERR_OK ? tcp_listen_with_backlog_and_err(pcb, (u8_t)l->backlog, &e) : NULL;
	if (lpcb) {
		l->pcb = lpcb;
		tcp_arg(lpcb, l);
		tcp_accept(lpcb, accept_cb);
	} else if (pcb) {
		tcp_close(pcb);
	}
	net_core_unlock();
	if (!lpcb) {
		kfree(l);
		return map_err(e);
	}
	*out = l;
	return 0;
}

void net_listener_serves_trace(struct net_listener *l)
{
	net_port_serves_trace(l->pcb->local_port);
}

int net_accept(struct net_listener *l, struct net_sock **out, uint64_t timeout_ns)
{
	uint64_t deadline = deadline_of(timeout_ns);
	uint64_t flags = spin_lock_irqsave(&l->lock);
	int r = -ETIMEDOUT;

	while (!l->count && wait_until(&l->wq, &l->lock, deadline))
		;
	if (l->count) {
		*out = l->queue[l->head];
		l->head = (l->head + 1) % NET_BACKLOG_MAX;
		l->count--;
		r = 0;
	}
	spin_unlock_irqrestore(&l->lock, flags);
	return r;
}

void net_unlisten(struct net_listener *l)
{
	net_core_lock();
	tcp_arg(l->pcb, NULL);
	tcp_accept(l->pcb, NULL);
	tcp_close(l->pcb);
	while (l->count) {
		struct net_sock *s = l->queue[l->head];

		l->head = (l->head + 1) % NET_BACKLOG_MAX;
		l->count--;
		if (s->pcb) {
			sock_detach(s->pcb);
			tcp_abort(s->pcb);
		}
		sock_free(s);
	}
	net_core_unlock();
	kfree(l);
}

/* Copies up to len bytes out of s->rx (socket lock held). Fully read pbufs are moved to
 * *done, to be freed under the core lock. */
static size_t rx_take(struct net_sock *s, uint8_t *buf, size_t len, struct pbuf **done)
{
	size_t n = 0, k;
	struct pbuf *p;

	while (n < len && s->rx) {
		p = s->rx;
		k = p->len - s->rx_off;
		if (k > len - n)
			k = len - n;
		memcpy(buf + n, (uint8_t *)p->payload + s->rx_off, k);
		n += k;
		s->rx_off = (uint16_t)(s->rx_off + k);
		if (s->rx_off < p->len)
			break;
		s->rx = p->next;
		s->rx_off = 0;
		p->next = *done;    /* each pbuf of a queued chain has its own reference */
		p->tot_len = p->len;
		*done = p;
	}
	return n;
}

/* Opens the receive window by n bytes (core lock held); tcp_recved takes 16 bits. */
static void window_open(struct tcp_pcb *pcb, size_t n)
{
	u16_t k;

	for (; n; n -= k) {
		k = n > 0xffff ? 0xffff : (u16_t)n;
		tcp_recved(pcb, k);
	}
}

/* Frees read pbufs and opens the receive window by what was read. */
static void rx_release(struct net_sock *s, struct pbuf *done, size_t n)
{
	net_core_lock();
	if (done)
		pbuf_free(done);
	if (s->pcb)
		window_open(s->pcb, n);
	net_io_event(s, n, false);
	net_core_unlock();
}

long net_recv(struct net_sock *s, void *buf, size_t len, uint64_t timeout_ns)
{
	uint64_t deadline = deadline_of(timeout_ns);
	struct pbuf *done = NULL;
	uint64_t flags;
	long r;

	if (!len)
		return 0;
	flags = spin_lock_irqsave(&s->lock);
	while (!s->rx && !s->eof && !s->err && wait_until(&s->wq, &s->lock, deadline))
		;
	if (s->rx)
		r = (long)rx_take(s, buf, len, &done);
	else
		r = s->err ? s->err : s->eof ? 0 : -ETIMEDOUT;
	spin_unlock_irqrestore(&s->lock, flags);
	if (r > 0)
		rx_release(s, done, (size_t)r);
	return r;
}

/* Queues as much of buf as lwIP takes now (core lock held). Returns bytes queued, 0 when
 * lwIP has no room, or -errno. */
static long send_some(struct net_sock *s, const uint8_t *buf, size_t len)
{
	size_t room, n;
	err_t e;

	if (!s->pcb)
		return s->err ? s->err : -ENOTCONN;
	if (s->wr_shut)
		return -EPIPE;
	room = tcp_sndbuf(s->pcb);
	n = len < room ? len : room;
	if (n > 0xffff)
		n = 0xffff - 0xffff % TCP_MSS;
	if (!n || tcp_sndqueuelen(s->pcb) >= TCP_SND_QUEUELEN - 4)
		return 0;
	e = tcp_write(s->pcb, buf, (u16_t)n, TCP_WRITE_FLAG_COPY | (n < len ? TCP_WRITE_FLAG_MORE : 0));
	if (e == ERR_MEM)
		return 0;
	return e == ERR_OK ? (long)n : map_err(e);
}

/* Waits until the peer acknowledges something after generation gen, an error, or the
 * deadline. With nothing in flight no acknowledgement will come, so it only naps. */
static bool send_wait(struct net_sock *s, unsigned gen, bool in_flight, uint64_t deadline)
{
	uint64_t flags = spin_lock_irqsave(&s->lock);
	uint64_t nap = plat_now_ns() + SEND_RETRY_NS;
	bool alive = true;

	if (!in_flight)
		deadline = deadline && deadline < nap ? deadline : nap;
	while (s->sent_gen == gen && !s->err && (alive = wait_until(&s->wq, &s->lock, deadline)))
		;
	spin_unlock_irqrestore(&s->lock, flags);
	return alive || !in_flight;
}

long net_send(struct net_sock *s, const void *buf, size_t len, uint64_t timeout_ns)
{
	uint64_t deadline = deadline_of(timeout_ns);
	size_t done = 0;
	unsigned gen;
	bool in_flight;
	long n;

	while (done < len) {
		net_core_lock();
		n = send_some(s, (const uint8_t *)buf + done, len - done);
		if (n > 0)
			net_io_event(s, (size_t)n, true);
		if (s->pcb)
			tcp_output(s->pcb);
		gen = s->sent_gen;
		in_flight = s->pcb && s->pcb->unacked;
		net_core_unlock();
		if (n < 0)
			return n;
		if (n > 0) {
			done += (size_t)n;
			deadline = deadline_of(timeout_ns);
			continue;
		}
		if (!send_wait(s, gen, in_flight, deadline) ||
		    (deadline && plat_now_ns() >= deadline))
			return -ETIMEDOUT;
	}
	return (long)len;
}

int net_shutdown(struct net_sock *s)
{
	int r = 0;

	net_core_lock();
	if (!s->pcb)
		r = s->err ? s->err : -ENOTCONN;
	else if (!s->wr_shut && tcp_shutdown(s->pcb, 0, 1) != ERR_OK)
		r = -ENOMEM;
	else
		s->wr_shut = true;
	net_core_unlock();
	return r;
}

/* Unread received data is acknowledged first: lwIP resets a connection closed with data
 * the application never took, and a graceful close is what the caller asked for. Core
 * lock held. */
static void close_locked(struct net_sock *s)
{
	struct tcp_pcb *pcb = s->pcb;

	if (pcb) {
		sock_detach(pcb);
		if (s->rx)
			window_open(pcb, s->rx->tot_len - s->rx_off);
		if (tcp_close(pcb) != ERR_OK)
			tcp_abort(pcb);
	}
	sock_free(s);
}

void net_close(struct net_sock *s)
{
	net_core_lock();
	close_locked(s);
	net_core_unlock();
}

/* One hold of the core lock: a thread refusing many connections while others keep the
 * lock busy waits for it once per connection, not twice. */
long net_send_close(struct net_sock *s, const void *buf, size_t len)
{
	long n;

	net_core_lock();
	n = send_some(s, buf, len);
	if (n >= 0 && (size_t)n < len)
		n = -ENOBUFS;
	close_locked(s);   /* tcp_close sends what is queued, then FIN */
	net_core_unlock();
	return n;
}

void net_abort(struct net_sock *s)
{
	net_core_lock();
	if (s->pcb) {
		sock_detach(s->pcb);
		tcp_abort(s->pcb);
	}
	sock_free(s);
	net_core_unlock();
}

void net_peer(const struct net_sock *s, uint32_t *ip, uint16_t *port)
{
	*ip = 0;
	*port = 0;
	net_core_lock();
	if (s->pcb) {
		*ip = lwip_ntohl(ip_2_ip4(&s->pcb->remote_ip)->addr);
		*port = s->pcb->remote_port;
	}
	net_core_unlock();
}

void net_sock_stats(struct net_sock_stats *out)
{
	out->accepted = stat_accepted;
	out->refused = stat_refused;
	out->alive_socks = (uint64_t)__atomic_load_n(&stat_alive, __ATOMIC_RELAXED);
	out->alive_pcbs = lwip_stats.memp[MEMP_TCP_PCB]->used;
	out->pcb_alloc_failed = lwip_stats.memp[MEMP_TCP_PCB]->err;
	out->tcp_dropped = lwip_stats.tcp.drop;
	out->arp_dropped = lwip_stats.etharp.drop;
	out->link_dropped = lwip_stats.link.drop;
	out->pool_empty = lwip_stats.memp[MEMP_PBUF_POOL]->err;
	out->timewait_reopened = net_timewait_reopened();
}
