/* One line of the Linux function tracer's text (shared spec ftrace-format.md, sections 5
 * and 6), split into its fields without copying: the event context that every ftrace event
 * line starts with, "comm-pid [(tgid)] [cpu] [flags] seconds.micros: ", then the function
 * tracer's "func <-parent". Pure, like fgline.c; trace-cmd report lines (tcmdline.c) start
 * with the same context. */
#ifndef TOOLS_LIB_FNLINE_H
#define TOOLS_LIB_FNLINE_H

#include <stddef.h>
#include <stdint.h>

#include "tools/lib/fgline.h"

/* The context of an event line. */
struct fnl_ctx {
	struct fgl_str comm;
	int64_t tid;
	int cpu;
	int64_t ts_ns;		/* the timestamp in ns (printed with us or ns resolution) */
	const char *rest;	/* the event text after "ts: " */
};

/* Parses the context of s[0..e); returns 0, or -1 with *reason set. The flags column
 * (irq-info, or trace-cmd's latency columns) may be there or not (Linux 3.2 printed none);
 * trace-cmd report -l's "0d..1" (CPU and flags without brackets) is read too. */
int fnl_context(const char *s, const char *e, struct fnl_ctx *c, const char **reason);

struct fnl {
	struct fnl_ctx ctx;
	struct fgl_str func;
	struct fgl_str parent;	/* n = 0 without "<-parent" (option noprint-parent) */
};

/* Parses a function tracer line (no '\n'; a trailing '\r' is ignored), tracefs's
 * "f <-parent" or trace-cmd report's "function:   f <-- parent". Returns 0 for a
 * function hit; 1 for another event in the same form ("<stack trace>", "name: text" such
 * as tracing_mark_write or any enabled trace event: then func holds that whole text); -1
 * with *reason set for anything else. */
int fnl_parse(const char *s, size_t n, struct fnl *out, const char **reason);

/* The same for a line printed with context-info off: "f <-parent" alone. The context
 * fields are unknown: tid and cpu -1, ts_ns -1, comm empty. */
int fnl_parse_bare(const char *s, size_t n, struct fnl *out);

#endif
