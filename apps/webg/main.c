/* webg: a small HTTP/1.1 server on port 8080 for loading the kernel's network path from the
 * host (wrk, ab, curl) while it is traced.
 *   GET /          a short greeting (requests per second)
 *   GET /bytes/N   N bytes of "%015x\n" lines numbering the 16-byte blocks (byte-exact
 *                  checks of large transfers; the last line may be cut)
 * Keep-alive as HTTP/1.1 says; a fixed pool of threads shares the listener. It is not a
 * general server: only GET/HEAD, no request bodies. */
#include <stdlib.h>
#include "kernel/api.h"
#include "net/socket.h"

#define WEBG_PORT     8080
#define WEBG_THREADS  8
#define WEBG_IDLE_NS  (30ull * 1000000000)
#define WEBG_SEND_NS  (30ull * 1000000000)
#define WEBG_HEAD_MAX 4096
#define WEBG_CHUNK    (64 * 1024)
#define WEBG_MAX_SIZE (1ull << 32)

static const char greeting[] = "hello from glass webg\n";

struct webg_conn {
	struct net_sock *sock;
	char in[WEBG_HEAD_MAX];
	size_t in_len;
	char out[WEBG_CHUNK];
	char span[128]; /* the open request span's name: "GET /path" */
};

/* Reads until a blank line ends the head; returns its length, 0 to close. */
static size_t read_head(struct webg_conn *c)
{
	char *end;
	long n;

	for (;;) {
		c->in[c->in_len] = '\0';
		end = strstr(c->in, "\r\n\r\n");
		if (end)
			return (size_t)(end - c->in) + 4;
		if (c->in_len == sizeof(c->in) - 1)
			return 0;
		n = net_recv(c->sock, c->in + c->in_len, sizeof(c->in) - 1 - c->in_len, WEBG_IDLE_NS);
		if (n <= 0)
			return 0;
		c->in_len += (size_t)n;
	}
}

/* Case-insensitive search for "Connection: close" among the header lines. */
static bool wants_close(const char *head, size_t len, bool http10)
{
	const char *p;

	for (p = head; p + 17 <= head + len; p++) {
		if (strncmp(p, "\r\nConnection: close", 19) == 0 ||
		    strncmp(p, "\r\nconnection: close", 19) == 0)
			return true;
		if (http10 && (strncmp(p, "\r\nConnection: keep-alive", 24) == 0 ||
			       strncmp(p, "\r\nConnection: Keep-Alive", 24) == 0))
			return false;
	}
	return http10;
}

/* One 16-byte line of the /bytes stream: the block number in 15 hex digits and '\n'.
 * By hand, not snprintf: this runs for every 16 bytes sent. */
static void pattern_line(char *line, uint64_t block)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 14; i >= 0; i--, block >>= 4)
		line[i] = hex[block & 15];
	line[15] = '\n';
}

/* Fills out with bytes [off, off+n) of the /bytes stream. */
static void pattern(char *out, uint64_t off, size_t n)
{
	char line[16];
	size_t i = 0, k;

	while (i < n) {
		pattern_line(line, (off + i) / 16);
		k = 16 - (off + i) % 16;
		if (k > n - i)
			k = n - i;
		memcpy(out + i, line + (off + i) % 16, k);
		i += k;
	}
}

static int send_head(struct webg_conn *c, int status, uint64_t len, bool close)
{
	char h[256];
	int n = snprintf(h, sizeof(h), "HTTP/1.1 %d %s\r\nServer: glass-webg\r\n"
			 "Content-Type: text/plain\r\nContent-Length: %llu\r\n%s\r\n", status,
			 status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request",
			 (unsigned long long)len, close ? "Connection: close\r\n" : "");

	return net_send(c->sock, h, (size_t)n, WEBG_SEND_NS) < 0 ? -1 : 0;
}

static int send_bytes(struct webg_conn *c, uint64_t total)
{
	uint64_t off;
	size_t n;

	for (off = 0; off < total; off += n) {
		n = total - off < WEBG_CHUNK ? (size_t)(total - off) : WEBG_CHUNK;
		pattern(c->out, off, n);
		if (net_send(c->sock, c->out, n, WEBG_SEND_NS) < 0)
			return -1;
	}
	return 0;
}

/* The size N of "/bytes/N " at path, or 0 if path is not that. */
static uint64_t bytes_size(const char *path, const char *sp)
{
	char *end = NULL;
	uint64_t n;

	if (strncmp(path, "/bytes/", 7) != 0)
		return 0;
	n = strtoul(path + 7, &end, 10);
	return end == sp && n <= WEBG_MAX_SIZE ? n : 0;
}

/* The request's app span (docs/writing-apps.md): named by its request line's method and
 * path ("GET /bytes/10"), with the status the answer will have: decided here from the path
 * as respond() decides it, before anything is sent, so that the span covers the sending. */
static void request_span(struct webg_conn *c, const char *head, const char *sp,
			 const char *path)
{
	int status = strncmp(path, "/ ", 2) == 0 || bytes_size(path, sp) ? 200 : 404;

	snprintf(c->span, sizeof(c->span), "%.*s", (int)(sp - head), head);
	trace_span_begin(c->span, "status=%d", status);
}

/* Answers one request; returns 0 to keep the connection, -1 to close it. */
static int respond(struct webg_conn *c, const char *head, size_t len)
{
	bool get = strncmp(head, "GET ", 4) == 0, head_only = strncmp(head, "HEAD ", 5) == 0;
	const char *path = head + (get ? 4 : 5), *sp = strchr(path, ' ');
	bool close;
	uint64_t size;
	int err;

	if ((!get && !head_only) || !sp) {
		send_head(c, 400, 0, true);
		return -1;
	}
	close = wants_close(head, len, strncmp(sp, " HTTP/1.0", 9) == 0);
	c->span[0] = '\0'; /* ends only a span that began */
	if (trace_event_on(EV_SPAN_BEGIN))
		request_span(c, head, sp, path);
	if (strncmp(path, "/ ", 2) == 0) {
		err = send_head(c, 200, sizeof(greeting) - 1, close);
		if (!err && get && net_send(c->sock, greeting, sizeof(greeting) - 1, WEBG_SEND_NS) < 0)
			err = -1;
	} else if ((size = bytes_size(path, sp)) > 0) {
		err = send_head(c, 200, size, close);
		if (!err && get)
			err = send_bytes(c, size);
	} else {
		err = send_head(c, 404, 0, close);
	}
	if (c->span[0])
		trace_span_end(c->span);
	return err || close ? -1 : 0;
}

static void serve(struct webg_conn *c)
{
	size_t head;

	c->in_len = 0;
	while ((head = read_head(c)) > 0) {
		if (respond(c, c->in, head))
			break;
		memmove(c->in, c->in + head, c->in_len - head);
		c->in_len -= head;
	}
	net_close(c->sock);
}

static void worker(void *arg)
{
	struct net_listener *l = arg;
	struct webg_conn *c = malloc(sizeof(*c));

	if (!c)
		return;
	for (;;)
		if (net_accept(l, &c->sock, NET_FOREVER) == 0)
			serve(c);
}

int app_main(void)
{
	struct thread *t[WEBG_THREADS];
	struct net_listener *l;
	int err = net_listen(WEBG_PORT, 64, &l), i;

	if (err) {
		printf("webg: cannot listen on port %d (%d)\n", WEBG_PORT, err);
		return 1;
	}
	for (i = 0; i < WEBG_THREADS; i++)
		t[i] = thread_create("webg", worker, l, -1);
	printf("webg: serving on port %d with %d threads\n", WEBG_PORT, WEBG_THREADS);
	for (i = 0; i < WEBG_THREADS; i++)
		if (t[i])
			thread_join(t[i]);
	return 0;
}
