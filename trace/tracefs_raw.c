/* The raw transport's tracefs files (docs/raw-transport.md): trace_pipe_raw and trace_raw,
 * at the top and per CPU, over trace/raw_reader.c, and raw_header over trace/raw_header.c.
 * Handlers' contracts: trace/tracefs_file.h. */
#include <errno.h>
#include "trace/tracefs_file.h"
#include "trace/raw_header.h"
#include "trace/raw_reader.h"

/* trace_pipe_raw is bounded without follow (SNAPSHOT_END, as trace_pipe); trace_raw always,
 * and pauses recording like trace. Open raw readers keep the buffers from being resized. */
static int raw_open(struct tracefs_file *f, bool pipe)
{
	int err;

	f->raw = tf_zalloc(sizeof(*f->raw));
	if (!f->raw)
		return -ENOMEM;
	if (!pipe)
		tf_pause_get(f);
	err = raw_reader_open(f->raw, f->cpu, pipe, !pipe || (f->mode & TRACEFS_SNAPSHOT_END));
	if (err) {
		tf_pause_put(f);
		tf_free(f->raw);
		f->raw = NULL;
		return err;
	}
	tf.readers++;
	return 0;
}

int tf_raw_pipe_open(struct tracefs_file *f)
{
	return f->mode & TRACEFS_READ ? raw_open(f, true) : 0;
}

int tf_raw_snapshot_open(struct tracefs_file *f)
{
	return raw_open(f, false);
}

/* Frames under the lock that serializes consumers with clears and resizes. */
long tf_raw_pipe_read(struct tracefs_file *f, char *buf, size_t len)
{
	for (;;) {
		long n;

		tf_lock();
		n = raw_reader_read(f->raw, buf, len);
		tf_unlock();
		if (n != -EAGAIN || (f->mode & TRACEFS_NONBLOCK))
			return n;
		tracefs_wait();
	}
}

long tf_raw_snapshot_read(struct tracefs_file *f, char *buf, size_t len)
{
	return raw_reader_read(f->raw, buf, len);
}

/* `echo C:S,... > trace_pipe_raw` on an open reader: the acknowledgements of from=. */
int tf_raw_pipe_write(struct tracefs_file *f, const char *buf, size_t len)
{
	if (!f->raw)
		return tf_fail(f, -EACCES, "acknowledgements need trace_pipe_raw open for reading");
	if (len && buf[len - 1] == '\n')
		len--;
	return raw_reader_from(f->raw, buf, len, f->err, sizeof(f->err));
}

void tf_raw_release(struct tracefs_file *f)
{
	if (f->raw) {
		raw_reader_close(f->raw);
		tf.readers--;
		tf_free(f->raw);
		f->raw = NULL;
	}
	tf_pause_put(f);
}

static size_t options_text(char *s, size_t cap)
{
	return tf_options_show(NULL, s, cap);
}

size_t tf_raw_header_show(struct tracefs_file *f, char *s, size_t cap)
{
	char tracer[32];
	size_t n = tf_tracer_show(f, tracer, sizeof(tracer));
	struct raw_header_src src = { tracer, options_text };

	if (n >= sizeof(tracer))
		n = sizeof(tracer) - 1;
	if (n && tracer[n - 1] == '\n')
		n--;
	tracer[n] = 0;
	return raw_header_next(&f->cursor, s, cap, &src);
}
