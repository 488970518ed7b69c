/* /ftrace/trace_pipe_raw, /ftrace/trace_raw and their per_cpu/cpuN/ versions: the ring's
 * slots in frames, application/octet-stream (docs/raw-transport.md). GET trace_pipe_raw
 * with ?from=C:S,... first acknowledges (a tracefs write of the list), then sends from
 * there; bad lists get 400 with tracefs's reason. Without ?follow=1 a response ends with
 * what was committed when it started; with it, after RAW_FOLLOW_MS or a full window. */
#include <errno.h>
#include <string.h>
#include "httpd/internal.h"
#include "kernel/printf.h"
#include "trace/tracefs.h"

static const char *base_name(const char *file)
{
	const char *slash = strrchr(file, '/');

	return slash ? slash + 1 : file;
}

static bool is_pipe_raw(const char *file)
{
	return strcmp(base_name(file), "trace_pipe_raw") == 0;
}

bool raw_is_binary(const char *file)
{
	return is_pipe_raw(file) || strcmp(base_name(file), "trace_raw") == 0;
}

/* Applies ?from=; false after answering 400 with the reason. */
static bool acknowledge(struct http_conn *c, struct tracefs_file *f)
{
	char reason[160];

	if (tracefs_write(f, c->req.from, strlen(c->req.from)) >= 0)
		return true;
	ksnprintf(reason, sizeof(reason), "%s", tracefs_error(f));
	resp_error(&c->resp, 400, reason, NULL);
	return false;
}

void raw_serve(struct http_conn *c, const char *file)
{
	bool pipe = is_pipe_raw(file), head = c->req.method == HTTP_HEAD;
	/* A HEAD must not acknowledge: it frees nothing and sends nothing. */
	bool ack = pipe && c->req.from[0] && !head;
	int mode = TRACEFS_READ;
	struct tracefs_file *f;
	int err;

	if (c->req.method != HTTP_GET && !head) {
		resp_error(&c->resp, 405, "raw files are read-only", "Allow: GET, HEAD\r\n");
		return;
	}
	if (!pipe && c->req.from[0]) {
		resp_error(&c->resp, 400, "from= is for trace_pipe_raw only", NULL);
		return;
	}
	if (pipe)
		mode |= TRACEFS_NONBLOCK | (c->req.follow ? 0 : TRACEFS_SNAPSHOT_END) |
			(ack ? TRACEFS_WRITE : 0);
	err = tracefs_open(file, mode, &f);
	if (err) {
		ftrace_open_failed(c, err, false);
		return;
	}
	if (!ack || acknowledge(c, f)) {
		resp_start(&c->resp, 200, "application/octet-stream", NULL);
		if (head)
			resp_flush(&c->resp);
		else
			ftrace_copy_out(c, f);
		resp_end(&c->resp);
	}
	tracefs_close(f);
}
