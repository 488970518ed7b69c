/* The HTTP server's threads: one acceptor and a fixed table of worker slots, each a thread
 * with its connection buffers allocated once at boot. A connection that finds every slot
 * busy for HTTPD_SLOT_WAIT_NS is answered 503 by the acceptor and closed. All of their work
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

struct http_slot {
	struct spinlock lock;
	struct waitq wq;
	struct net_sock *pending;   /* handed over by the acceptor */
	bool busy;                  /* protected by table_lock */
	struct http_conn *conn;
};

static struct http_slot slots[HTTPD_SLOTS];
static struct spinlock table_lock = SPINLOCK_INIT;
static struct waitq table_wq;   /* the acceptor waiting for a free slot */
static struct net_listener *listener;
static uint64_t refused;

/* A free slot, marked busy (table_lock held), or NULL. */
static struct http_slot *slot_find(void)
{
	unsigned i;

	for (i = 0; i < HTTPD_SLOTS; i++) {
		if (slots[i].conn && !slots[i].busy) {
			slots[i].busy = true;
			return &slots[i];
		}
	}
	return NULL;
}

/* Waits up to HTTPD_SLOT_WAIT_NS for a free slot: short requests from a burst of clients
 * are served in turn rather than refused. */
static struct http_slot *slot_claim(void)
{
	uint64_t deadline = plat_now_ns() + HTTPD_SLOT_WAIT_NS, now;
	uint64_t flags = spin_lock_irqsave(&table_lock);
	struct http_slot *s;

	while (!(s = slot_find()) && (now = plat_now_ns()) < deadline)
		waitq_wait(&table_wq, &table_lock, deadline - now);
	spin_unlock_irqrestore(&table_lock, flags);
	return s;
}

static void slot_release(struct http_slot *s)
{
	uint64_t flags = spin_lock_irqsave(&table_lock);

	s->busy = false;
	spin_unlock_irqrestore(&table_lock, flags);
	waitq_wake_one(&table_wq);
}

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

static void worker(void *arg)
{
	struct http_slot *s = arg;
	uint64_t flags;

	trace_server_work_begin();
	for (;;) {
		flags = spin_lock_irqsave(&s->lock);
		while (!s->pending)
			waitq_wait(&s->wq, &s->lock, 0);
		s->conn->sock = s->pending;
		s->pending = NULL;
		spin_unlock_irqrestore(&s->lock, flags);
		conn_serve(s->conn);
		slot_release(s);
	}
}

/* Answered from the acceptor thread: short, and bounded by HTTPD_REFUSE_NS. */
static void refuse(struct net_sock *sock)
{
	static const char body[] = "503 Service Unavailable: all HTTP connection slots are busy\n";
	char msg[320];
	int n;

	refused++;
	n = ksnprintf(msg, sizeof(msg), "HTTP/1.1 503 Service Unavailable\r\nServer: glass\r\n"
		      "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
		      "Retry-After: 1\r\nConnection: close\r\n\r\n%s", sizeof(body) - 1, body);
	net_send(sock, msg, (size_t)n, HTTPD_REFUSE_NS);
	net_close(sock);
}

static void acceptor(void *arg)
{
	struct net_sock *sock;
	struct http_slot *s;
	uint64_t flags;

	(void)arg;
	trace_server_work_begin();
	for (;;) {
		if (net_accept(listener, &sock, NET_FOREVER))
			continue;
		s = slot_claim();
		if (!s) {
			refuse(sock);
			continue;
		}
		flags = spin_lock_irqsave(&s->lock);
		s->pending = sock;
		spin_unlock_irqrestore(&s->lock, flags);
		waitq_wake_one(&s->wq);
	}
}

static unsigned start_workers(void)
{
	unsigned i, n = 0;
	char name[16];

	waitq_init(&table_wq);
	for (i = 0; i < HTTPD_SLOTS; i++) {
		struct http_slot *s = &slots[i];

		s->lock = (struct spinlock)SPINLOCK_INIT;
		waitq_init(&s->wq);
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
	int err = net_listen(HTTPD_PORT, 64, &listener);
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
