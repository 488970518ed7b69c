/* The HTTP server's threads: one acceptor and a fixed table of worker slots, each a thread
 * with its connection buffers allocated once at boot. The acceptor takes every connection
 * at once into a queue the slots serve in order; one still waiting after HTTPD_SLOT_WAIT_NS
 * is answered 503 (Retry-After) by the acceptor and closed. All of their work
 * is the trace server's own (trace_server_work_begin), not recorded unless the trace-server
 * option is on, so reading the trace does not fill it; so is the network thread's work for
 * their connections (net_listener_serves_trace). They run in the server scheduling class
 * (kernel/thread.h): a CPU-bound app does not keep them from draining the trace. */
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

/* Takes the oldest waiting connection (table_lock held); false if none waits. */
static bool waiting_pop(struct http_waiting *out)
{
	if (!wait_count)
		return false;
	*out = waiting[wait_head];
	wait_head = (wait_head + 1) % HTTPD_WAITING_MAX;
	wait_count--;
	return true;
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

/* Moves the connections whose wait is over into out[] (at most HTTPD_WAITING_MAX) and
 * returns how many; *next is then the time until the oldest left is due (0: none waits). */
static unsigned waiting_expired(struct http_waiting *out, uint64_t *next)
{
	uint64_t flags = spin_lock_irqsave(&table_lock), now = plat_now_ns(), end;
	unsigned n = 0;

	*next = 0;
	while (wait_count) {
		end = waiting[wait_head].since + HTTPD_SLOT_WAIT_NS;
		if (end > now) {
			*next = end - now;
			break;
		}
		waiting_pop(&out[n++]);
	}
	spin_unlock_irqrestore(&table_lock, flags);
	return n;
}

static void worker(void *arg)
{
	struct http_slot *s = arg;
	struct http_waiting w;
	uint64_t flags;

	thread_set_class(THREAD_CLASS_SERVER);
	trace_server_work_begin();
	for (;;) {
		flags = spin_lock_irqsave(&table_lock);
		s->busy = false;
		while (!waiting_pop(&w))
			waitq_wait(&table_wq, &table_lock, 0);
		s->busy = true;
		spin_unlock_irqrestore(&table_lock, flags);
		s->conn->sock = w.sock;
		s->conn->slot_wait_ns = (int64_t)(plat_now_ns() - w.since);
		conn_serve(s->conn);
	}
}

/* Answered from the acceptor thread, without waiting for the peer. The wait reported is
 * the one until this answer. */
static void refuse(struct net_sock *sock, uint64_t since)
{
	static const char body[] = "503 Service Unavailable: all HTTP connection slots are busy\n";
	char msg[384], timing[64];
	int n;

	__atomic_add_fetch(&refused, 1, __ATOMIC_RELAXED);
	http_server_timing(timing, sizeof(timing), (int64_t)(plat_now_ns() - since));
	n = ksnprintf(msg, sizeof(msg), "HTTP/1.1 503 Service Unavailable\r\nServer: glass\r\n"
		      "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
		      "Retry-After: 1\r\n%sConnection: close\r\n\r\n%s", sizeof(body) - 1,
		      timing, body);
	net_send_close(sock, msg, (size_t)n);
}

/* Accepts connections as they come and refuses those whose wait for a slot is over. */
static void acceptor(void *arg)
{
	static struct http_waiting due[HTTPD_WAITING_MAX];
	struct net_sock *sock;
	unsigned i, n;
	uint64_t next;

	(void)arg;
	thread_set_class(THREAD_CLASS_SERVER);
	trace_server_work_begin();
	for (;;) {
		n = waiting_expired(due, &next);
		for (i = 0; i < n; i++)
			refuse(due[i].sock, due[i].since);
		if (net_accept(listener, &sock, next ? next : NET_FOREVER))
			continue;
		if (!waiting_push(sock))
			refuse(sock, plat_now_ns());
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
