/* Host test of the HTTP server's connection logic (httpd/conn.c, response.c, routes.c,
 * ftrace_routes.c) against a scripted fake socket, a fake clock and a fake tracefs: the exact
 * bytes each request gets back, keep-alive, timeouts, chunking, HEAD, Expect and the
 * /ftrace/ read, write and clear paths. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "httpd/internal.h"
#include "kernel/sched.h"
#include "net/socket.h"
#include "test/unit/check.h"
#include "trace/tracefs.h"

/* ---- fake socket: input is a script of segments; "" stalls until the timeout ---- */

#define STALL ""
struct net_sock {
	const char *const *script;
	size_t seg, off;
	char *out;
	size_t out_len, out_cap;
	bool shut, closed;
};

static uint64_t fake_now;

uint64_t plat_now_ns(void)
{
	return fake_now;
}

long net_recv(struct net_sock *s, void *buf, size_t len, uint64_t timeout_ns)
{
	const char *seg = s->script[s->seg];
	size_t n;

	if (!seg)
		return 0;   /* end of script: the peer closed */
	if (!seg[0]) {
		fake_now += timeout_ns;
		s->seg++;
		return -ETIMEDOUT;
	}
	n = strlen(seg + s->off) < len ? strlen(seg + s->off) : len;
	memcpy(buf, seg + s->off, n);
	s->off += n;
	if (!seg[s->off]) {
		s->seg++;
		s->off = 0;
	}
	return (long)n;
}

long net_send(struct net_sock *s, const void *buf, size_t len, uint64_t timeout_ns)
{
	(void)timeout_ns;
	if (s->out_len + len + 1 > s->out_cap) {
		s->out_cap = (s->out_len + len + 1) * 2;
		s->out = realloc(s->out, s->out_cap);
	}
	memcpy(s->out + s->out_len, buf, len);
	s->out_len += len;
	s->out[s->out_len] = '\0';
	return (long)len;
}

int net_shutdown(struct net_sock *s)
{
	s->shut = true;
	return 0;
}

void net_close(struct net_sock *s)
{
	s->closed = true;
}

void net_sock_stats(struct net_sock_stats *out)
{
	memset(out, 0, sizeof(*out));
}

void httpd_slot_stats(unsigned *busy, uint64_t *refused)
{
	*busy = 1;
	*refused = 0;
}

static struct thread fake_thread = { .tid = 7 };

struct thread *thread_current(void)
{
	return &fake_thread;
}

/* ---- fake tracefs: a few files with Linux-like permissions ---- */

struct tracefs_file {
	const char *name;
	int mode;
	size_t pos;
	char err[64];
};

static char tracing_on[8] = "1\n";
static char *trace_text;        /* the "trace" file */
static size_t trace_len;
static unsigned trace_reads, pipe_left;
static char notrace_pids[64];

static const char *const files[] = { "trace", "trace_pipe", "tracing_on", "available_tracers",
				     "trace_marker", "set_ftrace_notrace_pid", "trace_pipe_raw",
				     NULL };
static char raw_acks[64]; /* what trace_pipe_raw was written (from= lists) */

int tracefs_open(const char *path, int mode, struct tracefs_file **out)
{
	bool w = mode & (TRACEFS_WRITE | TRACEFS_APPEND);
	size_t i;

	for (i = 0; files[i] && strcmp(files[i], path); i++)
		;
	if (!files[i])
		return -ENOENT;
	if ((w && (!strcmp(path, "available_tracers") || !strcmp(path, "trace_pipe"))) ||
	    (!w && !strcmp(path, "trace_marker")))
		return -EACCES;
	*out = calloc(1, sizeof(**out));
	(*out)->name = files[i];
	(*out)->mode = mode;
	if (w && !strcmp(path, "trace"))
		trace_len = 0;
	return 0;
}

static long read_string(struct tracefs_file *f, const char *s, size_t n, char *buf, size_t len)
{
	size_t k = n - f->pos < len ? n - f->pos : len;

	memcpy(buf, s + f->pos, k);
	f->pos += k;
	return (long)k;
}

long tracefs_read(struct tracefs_file *f, char *buf, size_t len)
{
	if (!strcmp(f->name, "trace")) {
		trace_reads++;
		return read_string(f, trace_text, trace_len, buf, len);
	}
	if (!strcmp(f->name, "trace_pipe")) {
		if (!pipe_left)
			return -EAGAIN;
		pipe_left--;
		memcpy(buf, "event\n", 6);
		return 6;
	}
	if (!strcmp(f->name, "tracing_on"))
		return read_string(f, tracing_on, strlen(tracing_on), buf, len);
	if (!strcmp(f->name, "trace_pipe_raw"))
		return read_string(f, "GLRW", 4, buf, len);
	return read_string(f, "function_graph function nop\n", 28, buf, len);
}

long tracefs_write(struct tracefs_file *f, const char *buf, size_t len)
{
	if (!strcmp(f->name, "tracing_on")) {
		if ((len == 2 && buf[1] == '\n') || len == 1) {
			if (buf[0] == '0' || buf[0] == '1') {
				tracing_on[0] = buf[0];
				return (long)len;
			}
		}
		strcpy(f->err, "tracing_on takes 0 or 1");
		return -EINVAL;
	}
	if (!strcmp(f->name, "trace_pipe_raw")) {
		if (len != 3 || buf[1] != ':') {
			strcpy(f->err, "from: expected CPU:SEQ");
			return -EINVAL;
		}
		strncat(raw_acks, buf, len);
		return (long)len;
	}
	if (!strcmp(f->name, "set_ftrace_notrace_pid"))
		strncat(notrace_pids, buf, len < 16 ? len : 16);
	return (long)len;
}

const char *tracefs_error(const struct tracefs_file *f)
{
	return f->err;
}

void tracefs_close(struct tracefs_file *f)
{
	free(f);
}

const char *const *tracefs_files(void)
{
	return files;
}

/* ---- helpers ---- */

static struct http_conn *conn;
static int64_t next_wait = -1;  /* the next connection's slot wait, -1: not measured */

/* Serves the scripted connection; returns what went out (owned by the caller). */
static char *serve(const char *const *script, struct net_sock *s)
{
	memset(s, 0, sizeof(*s));
	s->script = script;
	conn->sock = s;
	conn->slot_wait_ns = next_wait;
	next_wait = -1;
	conn_serve(conn);
	CHECK(s->closed);
	return s->out ? s->out : strdup("");
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/* Decodes a chunked body starting at p; returns its length, or -1 if malformed. */
static long dechunk(const char *p, char *out)
{
	long total = 0;
	unsigned long n;
	char *end;

	for (;;) {
		n = strtoul(p, &end, 16);
		if (strncmp(end, "\r\n", 2))
			return -1;
		p = end + 2;
		if (!n)
			return strncmp(p, "\r\n", 2) ? -1 : total;
		memcpy(out + total, p, n);
		total += (long)n;
		p += n;
		if (strncmp(p, "\r\n", 2))
			return -1;
		p += 2;
	}
}

#define REQ(path) "GET " path " HTTP/1.1\r\nHost: t\r\n\r\n"

static void test_keepalive_then_eof(void)
{
	const char *script[] = { REQ("/"), REQ("/"), NULL };
	struct net_sock s;
	char *out;

	TEST_CASE("two requests on one connection, then the peer closes");
	out = serve(script, &s);
	CHECK_EQ(count(out, "HTTP/1.1 200 OK\r\n"), 2);
	CHECK_EQ(count(out, "Content-Length: 44\r\n"), 2);
	CHECK(strstr(out, "\r\n\r\nglass: /ftrace/ (tracefs files), /net/stats\n"));
	CHECK_EQ(count(out, "Connection: close"), 0);
	CHECK(!s.shut);
	TEST_END();
	free(out);
}

static void test_server_timing(void)
{
	const char *script[] = { REQ("/"), REQ("/"), NULL };
	struct net_sock s;
	char *out;

	TEST_CASE("the first response says how long the connection waited for a slot");
	next_wait = 1500000;
	out = serve(script, &s);
	CHECK_EQ(count(out, "HTTP/1.1 200 OK\r\n"), 2);
	CHECK_EQ(count(out, "\r\nServer-Timing: slot-wait;dur=1.500\r\n"), 1);
	CHECK(strstr(out, "Server-Timing") < strstr(out + 1, "HTTP/1.1 200 OK"));
	TEST_END();
	free(out);
}

static void test_idle_timeout(void)
{
	const char *script[] = { REQ("/x"), STALL, REQ("/never"), NULL };
	struct net_sock s;
	char *out;

	TEST_CASE("an idle keep-alive connection is closed, the request is not served again");
	fake_now = 0;
	out = serve(script, &s);
	CHECK_EQ(count(out, "HTTP/1.1 404 Not Found\r\n"), 1);
	CHECK_EQ(fake_now, HTTPD_IDLE_NS);
	TEST_END();
	free(out);
}

static void test_pipelined_bytewise(void)
{
	static const char *script[64];
	static const char req[] = "GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /ftrace/tracing_on HTTP/1.1\r\n"
				  "Host: t\r\nConnection: close\r\n\r\n";
	static char bytes[sizeof(req)][2];
	const char *bw[sizeof(req) + 1];
	size_t i, n = 0;
	struct net_sock s;
	char *out, *second;

	TEST_CASE("pipelined requests, and one sent a byte at a time");
	script[n++] = req;
	script[n++] = NULL;
	out = serve(script, &s);
	second = strstr(out + 1, "HTTP/1.1 200 OK");
	CHECK(strncmp(out, "HTTP/1.1 404", 12) == 0);
	CHECK(second && strstr(second, "Connection: close\r\n") && strstr(second, "\r\n\r\n1\n"));
	free(out);
	for (i = 0; i < sizeof(req) - 1; i++) {
		bytes[i][0] = req[i];
		bytes[i][1] = '\0';
		bw[i] = bytes[i];
	}
	bw[i] = NULL;
	out = serve(bw, &s);
	CHECK_EQ(count(out, "HTTP/1.1 "), 2);
	TEST_END();
	free(out);
}

static void test_errors(void)
{
	const char *bad[] = { "BREW /pot HTTP/1.1\r\nHost: t\r\n\r\n", NULL };
	const char *trunc[] = { "GET / HTTP/1.1\r\nHo", NULL };
	const char *slow[] = { "GET / HTTP/1.1\r\n", STALL, NULL };
	struct net_sock s;
	char *out;

	TEST_CASE("errors: 501 with Allow, truncated -> 400, slow head -> 408; all close");
	out = serve(bad, &s);
	CHECK(strncmp(out, "HTTP/1.1 501 Not Implemented\r\n", 30) == 0);
	CHECK(strstr(out, "Allow: GET, HEAD, PUT, POST, DELETE\r\n"));
	CHECK(strstr(out, "Connection: close\r\n"));
	CHECK(s.shut);
	free(out);
	out = serve(trunc, &s);
	CHECK(strncmp(out, "HTTP/1.1 400 Bad Request\r\n", 26) == 0);
	CHECK(strstr(out, "Connection: close\r\n"));
	free(out);
	out = serve(slow, &s);
	CHECK(strncmp(out, "HTTP/1.1 408 Request Timeout\r\n", 30) == 0);
	TEST_END();
	free(out);
}

static void test_chunked_trace(void)
{
	const char *s11[] = { REQ("/ftrace/trace"), NULL };
	const char *s10[] = { "GET /ftrace/trace HTTP/1.0\r\n\r\n", NULL };
	const char *head[] = { "HEAD /ftrace/trace HTTP/1.1\r\nHost: t\r\n\r\n", NULL };
	char *got = malloc(300000), *out, *body;
	struct net_sock s;
	size_t i;

	TEST_CASE("a 200 KB trace: chunked for 1.1, close-delimited for 1.0, headers for HEAD");
	trace_len = 200000;
	trace_text = malloc(trace_len);
	for (i = 0; i < trace_len; i++)
		trace_text[i] = (char)('a' + i % 26);
	out = serve(s11, &s);
	body = strstr(out, "\r\n\r\n");
	CHECK(strstr(out, "Transfer-Encoding: chunked\r\n") && body);
	CHECK_EQ(body ? dechunk(body + 4, got) : -1, 200000);
	CHECK(memcmp(got, trace_text, trace_len) == 0);
	free(out);
	out = serve(s10, &s);
	body = strstr(out, "\r\n\r\n");
	CHECK(strstr(out, "Connection: close\r\n") && !strstr(out, "chunked"));
	CHECK_EQ(body ? s.out_len - (size_t)(body + 4 - out) : 0, 200000);
	free(out);
	trace_reads = 0;
	out = serve(head, &s);
	CHECK(strstr(out, "Transfer-Encoding: chunked\r\n"));
	CHECK_EQ(strlen(strstr(out, "\r\n\r\n")), 4);
	CHECK_EQ(trace_reads, 0);
	TEST_END();
	free(out);
	free(got);
}

static void test_writes(void)
{
	const char *put0[] = { "PUT /ftrace/tracing_on HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
			       "\r\n0\n", NULL };
	const char *putx[] = { "PUT /ftrace/tracing_on HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n"
			       "Expect: 100-continue\r\n\r\n", "x", NULL };
	const char *ro[] = { "POST /ftrace/available_tracers HTTP/1.1\r\nHost: t\r\n\r\n", NULL };
	const char *del[] = { "DELETE /ftrace/trace HTTP/1.1\r\nHost: t\r\n\r\n",
			      "DELETE /ftrace/tracing_on HTTP/1.1\r\nHost: t\r\n\r\n", NULL };
	struct net_sock s;
	char *out;

	TEST_CASE("PUT writes, 400 with the reason, 405 read-only, 100-continue, DELETE clears");
	out = serve(put0, &s);
	CHECK(strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0 && strstr(out, "Content-Length: 0\r\n"));
	CHECK_EQ(tracing_on[0], '0');
	free(out);
	out = serve(putx, &s);
	CHECK(strncmp(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\n", 51) == 0);
	CHECK(strstr(out, "\r\n\r\n400 Bad Request: tracing_on takes 0 or 1\n"));
	CHECK_EQ(tracing_on[0], '0');
	free(out);
	out = serve(ro, &s);
	CHECK(strncmp(out, "HTTP/1.1 405", 12) == 0 && strstr(out, "Allow: GET, HEAD\r\n"));
	free(out);
	trace_len = 5;
	out = serve(del, &s);
	CHECK_EQ(trace_len, 0);
	CHECK(strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0);
	CHECK(strstr(out, "HTTP/1.1 405 Method Not Allowed\r\n"));
	TEST_END();
	free(out);
}

static void test_pipe_and_listing(void)
{
	const char *pipe[] = { REQ("/ftrace/trace_pipe"), REQ("/ftrace/trace_pipe"), REQ("/ftrace/"), NULL };
	struct net_sock s;
	char *out;

	TEST_CASE("trace_pipe returns what is buffered and ends; /ftrace/ lists the files");
	pipe_left = 3;
	out = serve(pipe, &s);
	CHECK_EQ(count(out, "event\n"), 3);
	/* Short enough to be sent whole, so with a length; the second read finds nothing. */
	CHECK(strstr(out, "Content-Length: 18\r\n\r\nevent\nevent\nevent\nHTTP/1.1 200 OK\r\n"));
	CHECK(strstr(out, "Content-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n"));
	CHECK(strstr(out, "trace\ntrace_pipe\ntracing_on\navailable_tracers\n"));
	TEST_END();
	free(out);
}

static void test_raw(void)
{
	const char *script[] = { REQ("/ftrace/trace_pipe_raw?from=0:5"),
				 REQ("/ftrace/trace_pipe_raw?from=zz"),
				 REQ("/ftrace/trace?from=0:5"),
				 "HEAD /ftrace/trace_pipe_raw?from=1:7 HTTP/1.1\r\nHost: t\r\n\r\n",
				 REQ("/ftrace/trace_pipe_raw"), NULL };
	struct net_sock s;
	char *out;

	TEST_CASE("trace_pipe_raw: octet-stream; from= acknowledges (400 with the reason if "
		  "refused); from= elsewhere 400; HEAD acknowledges nothing");
	raw_acks[0] = 0;
	out = serve(script, &s);
	CHECK_EQ(count(out, "Content-Type: application/octet-stream\r\n"), 3);
	CHECK_EQ(count(out, "\r\n\r\nGLRW"), 2);
	CHECK(strstr(out, "400 Bad Request: from: expected CPU:SEQ\n"));
	CHECK(strstr(out, "400 Bad Request: from= is for trace_pipe_raw only\n"));
	CHECK_STR(raw_acks, "0:5");
	TEST_END();
	free(out);
}

static void test_follow_until_off(void)
{
	const char *script[] = { REQ("/ftrace/trace_pipe?follow=1&until_off=1"), "",
				 REQ("/ftrace/tracing_on"), NULL };
	struct net_sock s;
	char *out;

	TEST_CASE("follow=1&until_off=1 ends once tracing is off and the pipe is drained");
	strcpy(tracing_on, "0\n");
	pipe_left = 2;
	out = serve(script, &s);
	CHECK_EQ(count(out, "event\n"), 2);
	/* The stream ended by itself (a chunked end), so the next request was served. */
	CHECK(strstr(out, "event\n\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n"));
	CHECK(strstr(out, "\r\n\r\n0\n"));
	strcpy(tracing_on, "1\n");
	TEST_END();
	free(out);
}

int main(void)
{
	conn = calloc(1, sizeof(*conn));
	test_keepalive_then_eof();
	test_server_timing();
	test_idle_timeout();
	test_pipelined_bytewise();
	test_errors();
	test_chunked_trace();
	test_writes();
	test_pipe_and_listing();
	test_raw();
	test_follow_until_off();
	free(conn);
	return test_exit_status();
}
