/* The HTTP server's threads: one acceptor and a fixed table of worker slots, each a thread
 * with its connection buffers allocated once at boot. The acceptor takes every connection
 * at once into a queue the slots serve in order; one still waiting after HTTPD_SLOT_WAIT_NS
 * is answered 503 (Retry-After) by the acceptor and closed. All of their work
 * is the trace server's own (trace_server_work_begin), not recorded unless the trace-server
 * option is on, so reading the trace does not fill it; so is the network thread's work for
 * their connections (net_listener_serves_trace). */
#include <errno.h>
#include "httpd/internal.h"
#include "kernel/heap.h"
#include "kernel/init.h"
#include "kernel/lock.h"
#include "kernel/printf.h"
#include "kernel/sched.h"
#include "kernel/waitq.h"
#include "net/socket.h"
#include "platform/platform.h"
#include "trace/trace.h"

#define HTTPD_REFUSE_NS (1ull * 1000000000)
#define HTTPD_WAITING_MAX 64   /* accepted connections waiting for a slot (= the listen
				  backlog: the acceptor never lets lwIP's queue fill) */

/* An accepted connection waiting for a free slot, since when. */
struct http_waiting {
	struct net_sock *sock;
	uint64_t since;
};

struct http_slot {
	bool busy;                  /* protected by table_lock */
	struct http_conn *conn;
};

/* Slots take connections from a FIFO of waiting ones; the acceptor adds to it and answers
 * 503 to those that waited HTTPD_SLOT_WAIT_NS, so each connection's wait is bounded by
 * its own deadline, however many arrive together. */
static struct http_slot slots[HTTPD_SLOTS];
static struct spinlock table_lock = SPINLOCK_INIT;
static struct waitq table_wq;   /* idle slots waiting for a connection */
static struct http_waiting waiting[HTTPD_WAITING_MAX];
static unsigned wait_head, wait_count;   /* protected by table_lock */
static struct net_listener *listener;
static uint64_t refused;

void httpd_slot_stats(unsigned *busy, uint64_t *nrefused)
{
	uint64_t flags = spin_lock_irqsave(&table_lock);
	unsigned i;

	*busy = 0;
	for (i = 0; i < HTTPD_SLOTS; i++)
		*busy += slots[i].busy;
	*nrefused = refused;
	spin_unlock_irqrestore(&table_lock, flags);
}

/* The oldest waiting connection (table_lock held), or NULL; *waited: for how long. */
static struct net_sock *waiting_pop(int64_t *waited)
{
	struct net_sock *sock;

	if (!wait_count)
		return NULL;
	sock = waiting[wait_head].sock;
	*waited = (int64_t)(plat_now_ns() - waiting[wait_head].since);
	wait_head = (wait_head + 1) % HTTPD_WAITING_MAX;
	wait_count--;
	return sock;
}

/* Queues a new connection for a slot; false when the queue is full. */
static bool waiting_push(struct net_sock *sock)
{
	uint64_t flags = spin_lock_irqsave(&table_lock);
	bool ok = wait_count < HTTPD_WAITING_MAX;

	if (ok) {
		waiting[(wait_head + wait_count) % HTTPD_WAITING_MAX] =
			(struct http_waiting){ sock, plat_now_ns() };
		wait_count++;
	}
	spin_unlock_irqrestore(&table_lock, flags);
	if (ok)
		waitq_wake_one(&table_wq);
	return ok;
}

/* The oldest waiting connection if its wait is over (*waited: how long it was), else
 * NULL; *next is then the time until the oldest one's wait is over (0: none waits). */
static struct net_sock *waiting_expired(uint64_t *next, int64_t *waited)
{
	uint64_t flags = spin_lock_irqsave(&table_lock), now = plat_now_ns(), end;
	struct net_sock *sock = NULL;

	*next = 0;
	end = wait_count ? waiting[wait_head].since + HTTPD_SLOT_WAIT_NS : 0;
	if (wait_count && end <= now)
		sock = waiting_pop(waited);
	else if (wait_count)
		*next = end - now;
	spin_unlock_irqrestore(&table_lock, flags);
	return sock;
}

static void worker(void *arg)
{
	struct http_slot *s = arg;
	uint64_t flags;

	trace_server_work_begin();
	for (;;) {
		flags = spin_lock_irqsave(&table_lock);
		s->busy = false;
		while (!(s->conn->sock = waiting_pop(&s->conn->slot_wait_ns)))
			waitq_wait(&table_wq, &table_lock, 0);
		s->busy = true;
		spin_unlock_irqrestore(&table_lock, flags);
		conn_serve(s->conn);
	}
}

/* Answered from the acceptor thread: short, and bounded by HTTPD_REFUSE_NS. */
static void refuse(struct net_sock *sock, int64_t waited)
{
	static const char body[] = "503 Service Unavailable: all HTTP connection slots are busy\n";
	char msg[384], timing[64];
	int n;

	__atomic_add_fetch(&refused, 1, __ATOMIC_RELAXED);
	http_server_timing(timing, sizeof(timing), waited);
	n = ksnprintf(msg, sizeof(msg), "HTTP/1.1 503 Service Unavailable\r\nServer: glass\r\n"
		      "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
		      "Retry-After: 1\r\n%sConnection: close\r\n\r\n%s", sizeof(body) - 1,
		      timing, body);
	net_send(sock, msg, (size_t)n, HTTPD_REFUSE_NS);
	net_close(sock);
}

/* Accepts connections as they come and refuses those whose wait for a slot is over. */
static void acceptor(void *arg)
{
	struct net_sock *sock;
	int64_t waited;
	uint64_t next;

	(void)arg;
	trace_server_work_begin();
	for (;;) {
		while ((sock = waiting_expired(&next, &waited)))
			refuse(sock, waited);
		if (net_accept(listener, &sock, next ? next : NET_FOREVER))
			continue;
		if (!waiting_push(sock))
			refuse(sock, 0);
	}
}

static unsigned start_workers(void)
{
	unsigned i, n = 0;
	char name[16];

	waitq_init(&table_wq);
	for (i = 0; i < HTTPD_SLOTS; i++) {
		struct http_slot *s = &slots[i];

		s->conn = kzalloc(sizeof(*s->conn));
		ksnprintf(name, sizeof(name), "httpd-%u", i);
		if (s->conn && thread_create(name, worker, s, -1)) {
			n++;
			continue;
		}
		kfree(s->conn);
		s->conn = NULL;
	}
	return n;
}

void httpd_init(void)
{
	int err = net_listen(HTTPD_PORT, HTTPD_WAITING_MAX, &listener);
	unsigned n;

	if (err) {
		kprintf("httpd: cannot listen on port %d (%d)\n", HTTPD_PORT, err);
		return;
	}
	net_listener_serves_trace(listener);
	n = start_workers();
	if (!n || !thread_create("httpd-accept", acceptor, NULL, -1)) {
		kprintf("httpd: cannot start its threads\n");
		return;
	}
	kprintf("httpd: serving /ftrace/ on port %d with %u connection slots\n", HTTPD_PORT, n);
}
