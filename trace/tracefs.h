/* Linux-tracefs-like files over the tracer, the only interface httpd (and the panic path)
 * uses. Paths are relative names as under /sys/kernel/tracing: "trace", "trace_pipe",
 * "tracing_on", "current_tracer", "available_tracers", "buffer_size_kb",
 * "buffer_total_size_kb", "set_ftrace_filter", "set_ftrace_notrace", "set_ftrace_pid",
 * "set_ftrace_notrace_pid", "available_filter_functions", "set_graph_function",
 * "set_graph_notrace", "max_graph_depth", "tracing_thresh", "trace_options", "trace_marker",
 * "per_cpu/cpuN/trace", "per_cpu/cpuN/trace_pipe", "per_cpu/cpuN/stats".
 * Reads are incremental: a file never builds its whole text in memory. */
#ifndef TRACE_TRACEFS_H
#define TRACE_TRACEFS_H

#include <stddef.h>

struct tracefs_file;

enum tracefs_mode {
	TRACEFS_READ = 1,
	TRACEFS_WRITE = 2,   /* like `echo X > file`: a write replaces (O_TRUNC semantics) */
	TRACEFS_APPEND = 4,  /* like `echo X >> file` (filters append instead of replacing) */
	TRACEFS_NONBLOCK = 8, /* trace_pipe returns -EAGAIN instead of blocking when empty */
	/* trace_pipe consumes only what was in the buffers at open, then reads 0 (end of file):
	 * "return what is buffered and end" even while new events keep arriving, including
	 * those made by sending the trace itself. Without it trace_pipe streams like
	 * `cat trace_pipe`. */
	TRACEFS_SNAPSHOT_END = 16
};

/* Opens a file. Returns 0 and sets *out, or -ENOENT (no such file), -EACCES (mode not
 * allowed, e.g. writing available_tracers), -ENOMEM, -EBUSY (trace_pipe already open). */
int tracefs_open(const char *path, int mode, struct tracefs_file **out);

/* Reads up to len bytes of the file's text. Returns bytes (>0), 0 at end of file, or
 * -EAGAIN when trace_pipe (TRACEFS_NONBLOCK) has nothing now. trace_pipe without
 * TRACEFS_NONBLOCK blocks the calling thread until data arrives; with TRACEFS_SNAPSHOT_END
 * it returns 0 once the events buffered at open are consumed (and never blocks then). */
long tracefs_read(struct tracefs_file *f, char *buf, size_t len);

/* Writes text as `echo` would (a trailing newline is accepted). Values are applied at
 * tracefs_close() for multi-part writes is NOT done: each call is one complete write.
 * Returns len, or -EINVAL with a one-line reason from tracefs_error(f); on error nothing
 * changed. Opening "trace" with TRACEFS_WRITE clears the buffers, as `echo > trace` does. */
long tracefs_write(struct tracefs_file *f, const char *buf, size_t len);

/* The reason for the last failed write, "" if none. */
const char *tracefs_error(const struct tracefs_file *f);

void tracefs_close(struct tracefs_file *f);

/* `echo text > path` in one call, for kernel code and apps: 0 or the negative error. When
 * a value is refused and `why` is not NULL, the one-line reason is copied there. */
int tracefs_write_file(const char *path, const char *text, char *why, size_t why_len);

/* Names of all files (NULL-terminated), for directory listings. per_cpu files for every CPU. */
const char *const *tracefs_files(void);

#endif
