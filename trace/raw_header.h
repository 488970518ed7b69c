/* /ftrace/raw_header: what a host needs to decode raw frames (docs/raw-transport.md),
 * generated a line or a few at a time like a seq_file. */
#ifndef TRACE_RAW_HEADER_H
#define TRACE_RAW_HEADER_H

#include <stddef.h>

/* The settings tracefs knows: the tracer's name and the options as trace_options prints
 * them, one per line (raw_header joins them on one line). */
struct raw_header_src {
	const char *tracer;
	size_t (*show_options)(char *s, size_t cap);
};

/* Writes the next part of the header into s (at most cap bytes, cap >= 512) and advances
 * *cursor (0 at the start). Returns the bytes written, 0 at the end. Call under the lock
 * that serializes the raw reader (its per-CPU seq). */
size_t raw_header_next(size_t *cursor, char *s, size_t cap, const struct raw_header_src *src);

#endif
