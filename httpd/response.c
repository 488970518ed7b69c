/* The response writer: buffers one chunk, frames it (Content-Length when everything fits
 * before resp_end, else chunked or close-delimited) and sends it in one net_send, with the
 * headers and the chunk-size line written into the room reserved in front of the data, so
 * a chunk never costs an extra small segment. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "httpd/internal.h"
#include "kernel/printf.h"
#include "net/socket.h"

void resp_init(struct http_resp *r, struct net_sock *sock, const struct http_request *req,
	       char *buf)
{
	*r = (struct http_resp){
		.sock = sock,
		.version = req ? req->version : 11,
		.head_only = req && req->method == HTTP_HEAD,
		.keep_alive = req && req->keep_alive,
		.status = 200,
		.slot_wait_ns = -1,
		.ctype = "text/plain; charset=utf-8",
		.extra = "",
		.buf = buf,
	};
}

void resp_start(struct http_resp *r, int status, const char *ctype, const char *extra)
{
	r->status = status;
	if (ctype)
		r->ctype = ctype;
	r->extra = extra ? extra : "";
}

/* "Server-Timing: slot-wait;dur=<ms>" (W3C Server Timing): how long the connection waited
 * for a slot in the guest, which a client cannot tell from the time it waited in all. */
void http_server_timing(char *out, size_t cap, int64_t wait_ns)
{
	uint64_t us = wait_ns < 0 ? 0 : (uint64_t)wait_ns / 1000;

	if (wait_ns < 0)
		out[0] = '\0';
	else
		ksnprintf(out, cap, "Server-Timing: slot-wait;dur=%llu.%03llu\r\n",
			  (unsigned long long)(us / 1000), (unsigned long long)(us % 1000));
}

/* The header block; length < 0 means unknown (chunked for 1.1, close for 1.0). */
static size_t format_head(struct http_resp *r, char *out, size_t cap, long long length)
{
	char framing[48] = "", timing[64];
	const char *conn;
	int n;

	if (length >= 0)
		ksnprintf(framing, sizeof(framing), "Content-Length: %lld\r\n", length);
	else if (r->version >= 11) {
		r->chunked = true;
		strcpy(framing, "Transfer-Encoding: chunked\r\n");
	} else {
		r->keep_alive = false;
	}
	if (!r->keep_alive)
		conn = "Connection: close\r\n";
	else
		conn = r->version >= 11 ? "" : "Connection: keep-alive\r\n";
	http_server_timing(timing, sizeof(timing), r->slot_wait_ns);
	n = ksnprintf(out, cap, "HTTP/1.1 %d %s\r\nServer: glass\r\n"
		      "Content-Type: %s\r\nCache-Control: no-store\r\n%s%s%s%s\r\n",
		      r->status, http_status_text(r->status), r->ctype, framing, conn, timing,
		      r->extra);
	/* Our headers are short constants; never let a long one overrun the reserved room. */
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static int send_bytes(struct http_resp *r, const char *p, size_t n)
{
	long s;

	if (r->err || !n)
		return r->err;
	s = net_send(r->sock, p, n, HTTPD_SEND_NS);
	if (s < 0) {
		r->err = (int)s;
		r->keep_alive = false;
	}
	return r->err;
}

/* Sends prefix (copied right in front of the data) + data + tail in one call. */
static int send_framed(struct http_resp *r, const char *pre, size_t pn, bool data, bool crlf)
{
	char *d = r->buf + HTTPD_RESP_HEAD;
	size_t n = data ? r->len : 0;

	if (crlf) {
		d[n++] = '\r';
		d[n++] = '\n';
	}
	memcpy(d - pn, pre, pn);
	r->len = 0;
	return send_bytes(r, d - pn, pn + n);
}

int resp_flush(struct http_resp *r)
{
	char pre[HTTPD_RESP_HEAD];
	size_t pn = 0;

	if (r->err)
		return r->err;
	if (!r->started) {
		pn = format_head(r, pre, sizeof(pre) - 24, -1);
		r->started = true;
	}
	if (r->head_only || !r->len)
		return send_framed(r, pre, pn, false, false);
	if (r->chunked)
		pn += (size_t)ksnprintf(pre + pn, sizeof(pre) - pn, "%zx\r\n", r->len);
	return send_framed(r, pre, pn, true, r->chunked);
}

int resp_end(struct http_resp *r)
{
	char pre[HTTPD_RESP_HEAD];
	size_t pn;

	if (!r->started) {
		pn = format_head(r, pre, sizeof(pre), (long long)r->len);
		r->started = true;
		return send_framed(r, pre, pn, !r->head_only, false);
	}
	if (r->head_only || !r->chunked)
		return resp_flush(r);
	if (r->len && resp_flush(r))
		return r->err;
	return send_bytes(r, "0\r\n\r\n", 5);
}

char *resp_space(struct http_resp *r, size_t *room)
{
	if (r->len == HTTPD_RESP_DATA)
		resp_flush(r);
	*room = HTTPD_RESP_DATA - r->len;
	return r->buf + HTTPD_RESP_HEAD + r->len;
}

int resp_commit(struct http_resp *r, size_t n)
{
	r->len += n;
	return r->len == HTTPD_RESP_DATA ? resp_flush(r) : r->err;
}

int resp_write(struct http_resp *r, const void *p, size_t n)
{
	size_t room, k;
	char *dst;

	while (n && !r->err) {
		dst = resp_space(r, &room);
		k = n < room ? n : room;
		memcpy(dst, p, k);
		p = (const char *)p + k;
		n -= k;
		resp_commit(r, k);
	}
	return r->err;
}

int resp_printf(struct http_resp *r, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	return resp_write(r, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void resp_error(struct http_resp *r, int status, const char *reason, const char *extra)
{
	if (r->started) {   /* too late for a status: cut the response short */
		r->keep_alive = false;
		return;
	}
	r->len = 0;
	resp_start(r, status, "text/plain; charset=utf-8", extra);
	resp_printf(r, "%d %s: %s\n", status, http_status_text(status), reason);
	resp_end(r);
}
