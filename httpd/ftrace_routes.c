/* /ftrace/<file>: the tracefs files over HTTP, as their Linux namesakes behave.
 *   GET/HEAD   read the file (trace_pipe: what is buffered, or ?follow=1 to keep streaming;
 *              ?follow=1&until_off=1 ends once tracing is off and the buffers are drained)
 *   PUT/POST   write the body as `echo X > file` would; an empty body as `echo > file`;
 *              with ?append=1 as `echo X >> file` (filters and pid lists add to the set)
 *   DELETE     trace and per_cpu/cpuN/trace only: clear, as `echo > trace`
 *   GET /ftrace/ lists the files.
 * A write tracefs refuses gets 400 with its one-line reason, and nothing changed. */
#include <errno.h>
#include <string.h>
#include "httpd/internal.h"
#include "kernel/printf.h"
#include "net/socket.h"
#include "trace/tracefs.h"

#define FOLLOW_POLL_NS (100ull * 1000000) /* trace_pipe?follow=1: how often to look again */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0 && (n == k || s[n - k - 1] == '/');
}

/* "trace" or "per_cpu/cpuN/trace": the files whose write-open clears the buffer. */
static bool is_trace(const char *file)
{
	return ends_with(file, "trace");
}

static bool is_pipe(const char *file)
{
	return ends_with(file, "trace_pipe");
}

void ftrace_open_failed(struct http_conn *c, int err, bool writing)
{
	switch (err) {
	case -ENOENT:
		resp_error(&c->resp, 404, "no such tracefs file", NULL);
		break;
	case -EACCES:
		resp_error(&c->resp, 405, writing ? "this file is read-only" : "this file is write-only",
			   writing ? "Allow: GET, HEAD\r\n" : "Allow: PUT, POST\r\n");
		break;
	case -EBUSY:
		resp_error(&c->resp, 409, "trace_pipe is already being read", NULL);
		break;
	case -ENOSYS:
		resp_error(&c->resp, 503, "tracing is not compiled in (build with TRACE=ftrace)", NULL);
		break;
	case -ENOMEM:
		resp_error(&c->resp, 503, "out of memory", NULL);
		break;
	default:
		resp_error(&c->resp, 500, "tracefs open failed", NULL);
	}
}

static void list_files(struct http_conn *c)
{
	const char *const *f = tracefs_files();

	if (c->req.method != HTTP_GET && c->req.method != HTTP_HEAD) {
		resp_error(&c->resp, 405, "the directory is read-only", "Allow: GET, HEAD\r\n");
		return;
	}
	if (!f) {
		ftrace_open_failed(c, -ENOSYS, false);
		return;
	}
	for (; *f; f++)
		resp_printf(&c->resp, "%s\n", *f);
	resp_end(&c->resp);
}

static bool tracing_is_on(void)
{
	struct tracefs_file *f;
	char v[4] = "";

	if (tracefs_open("tracing_on", TRACEFS_READ, &f))
		return true;
	tracefs_read(f, v, sizeof(v) - 1);
	tracefs_close(f);
	return v[0] != '0';
}

/* ?follow=1&until_off=1 with nothing to read: the stream is complete once tracing was
 * already off at the previous empty read, a poll interval ago. Waiting that interval lets
 * a write that began before tracing went off reach the buffer (and this stream). */
static bool follow_done(struct http_conn *c, bool *was_off)
{
	bool off;

	if (!c->req.until_off)
		return false;
	if (*was_off)
		return true;
	off = !tracing_is_on();
	*was_off = off;
	return false;
}

/* ?follow=1 with nothing to read: send what we have, then wait a little. Any byte, EOF or
 * error from the client ends the stream. */
static bool follow_wait(struct http_conn *c)
{
	char sink[64];

	if (resp_flush(&c->resp))
		return false;
	return net_recv(c->sock, sink, sizeof(sink), FOLLOW_POLL_NS) == -ETIMEDOUT;
}

/* Streams the file straight into the response buffer, one chunk at a time. */
void ftrace_copy_out(struct http_conn *c, struct tracefs_file *f)
{
	bool was_off = false;
	size_t room;
	char *dst;
	long n;

	while (!c->resp.err) {
		dst = resp_space(&c->resp, &room);
		n = tracefs_read(f, dst, room);
		if (n > 0) {
			resp_commit(&c->resp, (size_t)n);
			was_off = false;
		} else if (n != -EAGAIN || !c->req.follow || follow_done(c, &was_off) ||
			   !follow_wait(c)) {
			break;
		}
	}
}

static void serve_read(struct http_conn *c, const char *file)
{
	struct tracefs_file *f;
	int err;

	/* trace_pipe never blocks inside tracefs: without follow it ends once what was buffered
	 * at open is sent (SNAPSHOT_END: the events sending makes are not chased), with
	 * follow we wait here, where the client's going away is noticed. */
	err = tracefs_open(file, TRACEFS_READ | (is_pipe(file) ? TRACEFS_NONBLOCK |
			   (c->req.follow ? 0 : TRACEFS_SNAPSHOT_END) : 0), &f);
	if (err) {
		ftrace_open_failed(c, err, false);
		return;
	}
	if (c->req.method == HTTP_HEAD)
		resp_flush(&c->resp);   /* headers only; a HEAD must not consume trace_pipe */
	else
		ftrace_copy_out(c, f);
	tracefs_close(f);
	resp_end(&c->resp);
}

static void serve_write(struct http_conn *c, const char *file)
{
	const char *body = c->body_len ? c->body : "\n";
	size_t len = c->body_len ? c->body_len : 1;
	struct tracefs_file *f;
	char reason[160];
	long n = 0;
	int err;

	err = tracefs_open(file, TRACEFS_WRITE | (c->req.append ? TRACEFS_APPEND : 0), &f);
	if (err) {
		ftrace_open_failed(c, err, true);
		return;
	}
	/* Opening trace for writing is what clears it; its content is ignored, as in Linux. */
	if (!is_trace(file))
		n = tracefs_write(f, body, len);
	if (n < 0)
		ksnprintf(reason, sizeof(reason), "%s",
			  tracefs_error(f)[0] ? tracefs_error(f) : "invalid value");
	tracefs_close(f);
	if (n < 0)
		resp_error(&c->resp, 400, reason, NULL);
	else
		resp_end(&c->resp);
}

void ftrace_serve(struct http_conn *c, const char *file)
{
	if (!file[0]) {
		list_files(c);
		return;
	}
	if (raw_is_binary(file)) {
		raw_serve(c, file);
		return;
	}
	if (c->req.from[0]) {
		resp_error(&c->resp, 400, "from= is for trace_pipe_raw only", NULL);
		return;
	}
	switch (c->req.method) {
	case HTTP_GET:
	case HTTP_HEAD:
		serve_read(c, file);
		break;
	case HTTP_PUT:
	case HTTP_POST:
		serve_write(c, file);
		break;
	case HTTP_DELETE:
		if (is_trace(file))
			serve_write(c, file);
		else
			resp_error(&c->resp, 405, "only trace files can be deleted (cleared)",
				   "Allow: GET, HEAD, PUT, POST\r\n");
		break;
	}
}
