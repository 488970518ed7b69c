/* The client side of HTTP/1.1 that the guest's server speaks (httpd/): status line,
 * headers, Content-Length or chunked bodies, keep-alive. Every length read from the
 * network is checked before use. */
#include "tools/glass/http.h"

#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define HTTP_LINE_MAX 4096

void http_init(struct http_conn *c, const char *host, const char *port)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->host = host;
	c->port = port;
}

void http_close(struct http_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->pos = c->len = 0;
}

static int http_connect(struct http_conn *c, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res, *a;
	int r = getaddrinfo(c->host, c->port, &hints, &res);

	if (r) {
		snprintf(err, errlen, "%s: %s", c->host, gai_strerror(r));
		return -1;
	}
	for (a = res; a; a = a->ai_next) {
		c->fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
		if (c->fd < 0)
			continue;
		if (!connect(c->fd, a->ai_addr, a->ai_addrlen))
			break;
		close(c->fd);
		c->fd = -1;
	}
	if (c->fd < 0)
		snprintf(err, errlen, "%s:%s: %s", c->host, c->port, strerror(errno));
	freeaddrinfo(res);
	return c->fd < 0 ? -1 : 0;
}

/* Reads more bytes into buf; false at the end of the connection or on an error. */
static bool fill(struct http_conn *c)
{
	ssize_t r;

	if (c->pos == c->len)
		c->pos = c->len = 0;
	if (c->len == sizeof(c->buf)) {
		memmove(c->buf, c->buf + c->pos, c->len - c->pos);
		c->len -= c->pos;
		c->pos = 0;
	}
	do
		r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
	while (r < 0 && errno == EINTR && !(c->cancel && *c->cancel));
	if (r <= 0)
		return false;
	c->len += (size_t)r;
	return true;
}

/* One line without its CRLF into line (cap bytes); false if the connection ended or the
 * line is too long. */
static bool read_line(struct http_conn *c, char *line, size_t cap)
{
	for (;;) {
		char *nl = memchr(c->buf + c->pos, '\n', c->len - c->pos);

		if (nl) {
			size_t n = (size_t)(nl - (c->buf + c->pos));

			if (n >= cap)
				return false;
			memcpy(line, c->buf + c->pos, n);
			if (n && line[n - 1] == '\r')
				n--;
			line[n] = 0;
			c->pos += (size_t)(nl - (c->buf + c->pos)) + 1;
			return true;
		}
		if (c->len - c->pos >= cap || !fill(c))
			return false;
	}
}

/* n body bytes (or up to the end of the connection if n is -1) to fn. 1 if fn stopped. */
static int body_bytes(struct http_conn *c, long long n, http_body_fn fn, void *ctx, bool *broken)
{
	while (n != 0) {
		size_t k;

		if (c->pos == c->len && !fill(c)) {
			*broken = n > 0;
			return 0;
		}
		k = c->len - c->pos;
		if (n > 0 && (unsigned long long)n < k)
			k = (size_t)n;
		if (fn(ctx, (const unsigned char *)c->buf + c->pos, k)) {
			c->pos += k;
			return 1;
		}
		c->pos += k;
		if (n > 0)
			n -= (long long)k;
	}
	return 0;
}

/* A chunked body: hex size lines, each chunk followed by CRLF, a 0 chunk, trailers. */
static int body_chunked(struct http_conn *c, http_body_fn fn, void *ctx, bool *broken)
{
	char line[HTTP_LINE_MAX], *e;

	for (;;) {
		unsigned long long n;
		int r;

		if (!read_line(c, line, sizeof(line)))
			return *broken = true, 0;
		errno = 0;
		n = strtoull(line, &e, 16);
		if (e == line || errno || n > (1ull << 40) || (*e && *e != ';'))
			return *broken = true, 0;
		if (n == 0)
			break;
		r = body_bytes(c, (long long)n, fn, ctx, broken);
		if (r || *broken)
			return r;
		if (!read_line(c, line, sizeof(line)) || line[0])
			return *broken = true, 0;
	}
	do	/* trailers up to the empty line */
		if (!read_line(c, line, sizeof(line)))
			return *broken = true, 0;
	while (line[0]);
	return 0;
}

/* Sends the request (a body only with PUT); false if the connection is gone. */
static bool send_request(struct http_conn *c, const char *path, const char *put)
{
	char req[2048];
	int n = put ? snprintf(req, sizeof(req), "PUT %s HTTP/1.1\r\nHost: %s\r\n"
			       "Content-Length: %zu\r\n\r\n%s", path, c->host, strlen(put), put) :
		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, c->host);

	if (n < 0 || (size_t)n >= sizeof(req))
		return false;
	for (int off = 0; off < n;) {
		ssize_t r = send(c->fd, req + off, (size_t)(n - off), MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		off += (int)r;
	}
	return true;
}

/* Status line and headers: the status, the body's length (-1: to the end), chunked. */
static int read_head(struct http_conn *c, long long *length, bool *chunked, bool *keep)
{
	char line[HTTP_LINE_MAX];
	int status;

	if (!read_line(c, line, sizeof(line)) || sscanf(line, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	*length = -1;
	*chunked = false;
	*keep = true;
	for (;;) {
		if (!read_line(c, line, sizeof(line)))
			return -1;
		if (!line[0])
			return status;
		if (!strncasecmp(line, "content-length:", 15)) {
			char *e;

			*length = strtoll(line + 15, &e, 10);
			if (*length < 0 || *e)
				return -1;
		} else if (!strncasecmp(line, "transfer-encoding:", 18)) {
			*chunked = strcasestr(line, "chunked") != NULL;
		} else if (!strncasecmp(line, "connection:", 11)) {
			*keep = !strcasestr(line, "close");
		}
	}
}

static int request(struct http_conn *c, const char *path, const char *put, http_body_fn fn,
		   void *ctx, char *err, size_t errlen)
{
	bool chunked, keep, broken = false, fresh = c->fd < 0;
	long long length;
	int status, stopped;

	for (int attempt = 0;; attempt++) {
		if (c->fd < 0 && http_connect(c, err, errlen))
			return -1;
		if (send_request(c, path, put) && (status = read_head(c, &length, &chunked, &keep)) >= 0)
			break;
		http_close(c);
		/* a kept-alive connection the server closed meanwhile: one fresh try */
		if (fresh || attempt) {
			snprintf(err, errlen, "%s:%s: connection broken before the answer", c->host,
				 c->port);
			return -1;
		}
	}
	c->status = status;
	if (chunked)
		stopped = body_chunked(c, fn, ctx, &broken);
	else
		stopped = body_bytes(c, length, fn, ctx, &broken);
	if (broken) {
		snprintf(err, errlen, "%s:%s: connection broken in the answer", c->host, c->port);
		http_close(c);
		return -1;
	}
	if (stopped || !keep || (!chunked && length < 0))
		http_close(c);
	return status;
}

int http_get(struct http_conn *c, const char *path, http_body_fn fn, void *ctx, char *err,
	     size_t errlen)
{
	return request(c, path, NULL, fn, ctx, err, errlen);
}

int http_put(struct http_conn *c, const char *path, const char *body, http_body_fn fn,
	     void *ctx, char *err, size_t errlen)
{
	return request(c, path, body, fn, ctx, err, errlen);
}

int http_text_body(void *ctx, const unsigned char *p, size_t n)
{
	struct http_text *t = ctx;
	size_t k = sizeof(t->s) - 1 - t->len;

	k = n < k ? n : k;
	memcpy(t->s + t->len, p, k);
	t->len += k;
	t->s[t->len] = 0;
	return 0;
}
