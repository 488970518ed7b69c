/* One line of Linux function_graph text (see shared spec ftrace-format.md, section 3),
 * split into its fields without copying or allocating. Pure: no state between lines, so it
 * is fuzzed on its own. The caller (tools/lib/tparse.c) keeps the call stacks. */
#ifndef TOOLS_LIB_FGLINE_H
#define TOOLS_LIB_FGLINE_H

#include <stddef.h>
#include <stdint.h>

enum fgl_kind {
	FGL_BAD,	/* not understood; fgl.reason says why */
	FGL_BLANK,
	FGL_HEADER,	/* '#' line other than "# tracer:" */
	FGL_TRACER,	/* "# tracer: NAME"; name in func */
	FGL_CTX_DASH,	/* " ------------------------------------------" */
	FGL_CTX_SWITCH,	/* " 0) prev-1 => next-2 ", or a sched_switch event (schedsw.h),
			 * which has abs_ns when the trace has times */
	FGL_IRQ,	/* "==========>" or "<==========" marker */
	FGL_ENTRY,	/* "func() {" */
	FGL_LEAF,	/* "func();" */
	FGL_RETURN,	/* "}" or "} /- func -/"; tail name (may be empty) in func */
	FGL_COMMENT,	/* "/- text -/" comment (trace_printk, trace_marker, events) */
	FGL_LOST,	/* "CPU:N [LOST M EVENTS]"; lost = M or -1 */
};

struct fgl_str {
	const char *p;
	size_t n;
};

/* kind, cpu, tid, comm, abs_ns, dur_ns, depth and func are always set (func.n = 0 when
 * there is no name); the other fields only for the kinds that use them. */
struct fgl {
	enum fgl_kind kind;
	int cpu;		/* -1: the line has no CPU field */
	int64_t tid;		/* from the proc column, -1 without one */
	struct fgl_str comm;	/* task name from the proc column */
	int64_t abs_ns;		/* funcgraph-abstime in ns (us resolution), -1 if absent */
	int64_t dur_ns;		/* duration in ns as printed (truncated), -1 if absent */
	int depth;		/* indentation / 2 */
	struct fgl_str func;	/* function (entry, leaf), tail name (return), tracer name,
				 * comment text with its delimiters */
	struct fgl_str prev_comm, next_comm;	/* context switch */
	int64_t prev_tid, next_tid;
	char prev_state;	/* sched_switch event: state letter prev left in (R, S, D...), or 0 */
	int64_t lost;
	const char *reason;	/* FGL_BAD: a short reason, static storage */
};

/* Largest CPU number accepted; bigger values are treated as garbage. */
#define FGL_MAX_CPU 65535
/* Deepest indentation accepted (Linux's graph stack is far shallower). */
#define FGL_MAX_DEPTH 100000

/* Splits line s[0..n) (no '\n'; a trailing '\r' is ignored). Never fails: on garbage it
 * returns kind FGL_BAD with a reason. */
void fgl_parse(const char *s, size_t n, struct fgl *out);

/* Sets the fields fgl_parse always sets to "nothing known" (kind FGL_BAD). */
void fgl_clear(struct fgl *l);

/* Parses "[duration] |  indentation text", what follows the prologue; trace-cmd report
 * prints it after "funcgraph_entry:". Sets kind, dur_ns, depth and func only. */
void fgl_parse_body(const char *p, const char *e, struct fgl *l);

/* Parses "comm-pid" (already trimmed); returns 0 and fills comm and tid, or -1. */
int fgl_parse_proc(const char *s, size_t n, struct fgl_str *comm, int64_t *tid);

#endif
