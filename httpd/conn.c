/* One connection: read a request head and body under deadlines, route it, repeat while
 * keep-alive holds. Bad input is answered with its status and the connection is closed. */
#include <errno.h>
#include <string.h>
#include "httpd/internal.h"
#include "net/socket.h"
#include "platform/platform.h"

#define HTTPD_LINGER_NS    (2ull * 1000000000)
#define HTTPD_LINGER_BYTES (256 * 1024)

static const char *reason_of(int status)
{
	switch (status) {
	case 400: return "malformed request";
	case 408: return "request not received in time";
	case 411: return "a request body needs Content-Length (chunked bodies are not accepted)";
	case 413: return "request body larger than 65536 bytes";
	case 414: return "request line longer than 2048 bytes";
	case 417: return "only Expect: 100-continue is supported";
	case 431: return "request head larger than 8192 bytes or with more than 64 fields";
	case 501: return "method not implemented; use GET, HEAD, PUT, POST or DELETE";
	case 505: return "only HTTP/1.0 and HTTP/1.1 are supported";
	default: return "bad request";
	}
}

/* The first response on a connection says how long it waited for a slot. */
static void start_response(struct http_conn *c, const struct http_request *req)
{
	resp_init(&c->resp, c->sock, req, c->out);
	c->resp.slot_wait_ns = c->slot_wait_ns;
	c->slot_wait_ns = -1;
}

static void answer_error(struct http_conn *c, int status)
{
	const char *extra = status == 501 ? "Allow: GET, HEAD, PUT, POST, DELETE\r\n" : "";

	start_response(c, NULL);
	resp_error(&c->resp, status, reason_of(status), extra);
	c->linger = true;
}

static long recv_until(struct http_conn *c, void *buf, size_t len, uint64_t deadline)
{
	uint64_t now = plat_now_ns();

	if (now >= deadline)
		return -ETIMEDOUT;
	return net_recv(c->sock, buf, len, deadline - now);
}

/* Reads until the head is complete. Returns its length, 0 when the connection ended
 * quietly (closed or idle before a request began), or -status to answer. The parser runs
 * again only when a line has ended, so a byte-at-a-time client costs one scan per line. */
static long read_head(struct http_conn *c)
{
	bool begun = c->in_len > 0;
	uint64_t deadline = plat_now_ns() + (begun ? HTTPD_READ_NS : HTTPD_IDLE_NS);
	long r = begun ? http_parse_request(c->in, c->in_len, &c->req) : HTTP_INCOMPLETE;
	long n;

	while (r == HTTP_INCOMPLETE) {
		n = recv_until(c, c->in + c->in_len, sizeof(c->in) - c->in_len, deadline);
		if (n <= 0)
			return !begun ? 0 : n == 0 ? -400 : n == -ETIMEDOUT ? -408 : 0;
		if (!begun) {
			begun = true;
			deadline = plat_now_ns() + HTTPD_READ_NS;
		}
		c->in_len += (size_t)n;
		if (memchr(c->in + c->in_len - n, '\n', (size_t)n) || c->in_len == sizeof(c->in))
			r = http_parse_request(c->in, c->in_len, &c->req);
	}
	return r;
}

/* Moves the body out of the input buffer and reads the rest of it; keeps any pipelined
 * bytes after it. Returns 0, -status to answer, or 1 to close quietly. */
static long read_body(struct http_conn *c, size_t head)
{
	size_t need = c->req.body_len, have = c->in_len - head, take = have < need ? have : need;
	uint64_t deadline;
	long n;

	memcpy(c->body, c->in + head, take);
	memmove(c->in, c->in + head + take, c->in_len - head - take);
	c->in_len -= head + take;
	c->body_len = need;
	if (take < need && c->req.expect_continue &&
	    net_send(c->sock, "HTTP/1.1 100 Continue\r\n\r\n", 25, HTTPD_SEND_NS) < 0)
		return 1;
	deadline = plat_now_ns() + HTTPD_READ_NS;
	while (take < need) {
		n = recv_until(c, c->body + take, need - take, deadline);
		if (n <= 0)
			return n == 0 ? -400 : n == -ETIMEDOUT ? -408 : 1;
		take += (size_t)n;
	}
	return 0;
}

/* After an early error the client may still be sending: closing now would answer its data
 * with a reset, which can destroy our response before it is read. So: FIN, then read and
 * drop for a while (as web servers' "lingering close" does). */
static void linger(struct net_sock *s)
{
	uint64_t deadline = plat_now_ns() + HTTPD_LINGER_NS;
	size_t total = 0;
	char sink[512];
	long n;

	if (net_shutdown(s))
		return;
	while (total < HTTPD_LINGER_BYTES && plat_now_ns() < deadline) {
		n = net_recv(s, sink, sizeof(sink), deadline - plat_now_ns());
		if (n <= 0)
			break;
		total += (size_t)n;
	}
}

/* One request and its response. Returns true to wait for another on this connection. */
static bool serve_one(struct http_conn *c)
{
	long r = read_head(c);

	if (r == 0)
		return false;
	if (r > 0)
		r = read_body(c, (size_t)r);
	if (r < 0)
		answer_error(c, (int)-r);
	if (r != 0)
		return false;
	start_response(c, &c->req);
	route_request(c);
	return c->resp.keep_alive && !c->resp.err;
}

void conn_serve(struct http_conn *c)
{
	c->in_len = 0;
	c->linger = false;
	while (serve_one(c))
		;
	if (c->linger)
		linger(c->sock);
	net_close(c->sock);
	c->sock = NULL;
}
