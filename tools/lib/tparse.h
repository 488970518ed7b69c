/* Streaming function_graph parser: turns lines (tools/lib/fgline.h) into one row per completed
 * call. It keeps a call stack per task — per thread id when the trace names threads, per
 * CPU otherwise — so memory grows with threads and stack depth, never with trace length.
 *
 * Matching uses the printed indentation, which is the task's real call depth: a return at
 * depth d closes the open call at depth d. Calls whose entry is missing (the capture began
 * mid-call) are kept as placeholder frames so their parent's self time stays right, and are
 * named by the "} /- func -/" tail when the return line has one. */
#ifndef TOOLS_LIB_TPARSE_H
#define TOOLS_LIB_TPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/lib/symtab.h"

struct tp_row {
	uint32_t func;		/* symtab id */
	uint32_t parent;	/* symtab id of the caller, 0 when unknown or a root */
	int cpu;		/* CPU of the line that completed the call */
	int depth;
	int64_t tid;		/* thread id; -1 when the trace does not say (see docs/tools.md) */
	int64_t dur_ns;		/* -1 when the trace has no duration column */
	int64_t self_ns;	/* dur_ns minus direct children, never negative; -1 as above */
	int64_t start_ns;	/* from funcgraph-abstime; -1 without it */
	int64_t vstart_ns;	/* synthetic start on a per-thread clock, for timelines */
	/* Time the thread spent off the CPU during the call (see docs/tools.md), in total
	 * and while this call was the innermost one (where the thread blocked); -1 when the
	 * trace cannot tell: no timestamps or an unknown thread. */
	int64_t off_ns, off_self_ns;
	uint32_t node;		/* calling-context node (tparse_cfg.paths), else 0 */
	/* With tparse_cfg.overhead: what clamping the compensated self_ns at 0 left out (the
	 * true value is self_ns - self_cut_ns); sums of self times subtract it and clamp only
	 * the sum (tools/lib/overhead.h). 0 otherwise. */
	int64_t self_cut_ns;
	/* Calls are numbered 1, 2, ... in the order they began (entry lines; a call whose
	 * entry is missing gets its number when the trace first shows it), across all files
	 * of one parser. parent_id is the caller's number, 0 for a root; it may name a caller
	 * that has no row (its entry and name are both missing from the trace). */
	uint64_t id, parent_id;
};

/* One line of the function tracer: a call seen at its entry, without a duration. */
struct tp_hit {
	uint32_t func;		/* symtab id */
	uint32_t parent;	/* symtab id of the caller, 0 when the line names none */
	int cpu;
	int64_t tid;
	int64_t ts_ns;		/* the line's timestamp */
};

/* A context switch: from here on next_tid runs on cpu. A sched_switch event (event) has
 * its exact time. A function_graph context-switch block has none of its own; Linux prints
 * it just before the next thread's first line on that CPU, so ts_ns is that line's abstime
 * (-1 without funcgraph-abstime or when no line followed). A trace with both shows each
 * switch twice, once of each kind. */
struct tp_switch {
	int cpu;
	int64_t prev_tid, next_tid;
	int64_t ts_ns;
	uint64_t lineno;	/* line of the block or event in its file */
	bool event;		/* a sched_switch event, not a context-switch block */
	char prev_state;	/* an event's state letter for prev (R, S, D...), else 0 */
};

/* A profile event (tools/lib/tsample.h): a CPU sample, an off-CPU stretch, an allocation
 * or free, network bytes; with its stack resolved to symtab ids, leaf first. */
struct tp_sample {
	int kind;		/* enum tsample_kind */
	int cpu;
	int64_t tid;		/* -1 when the trace does not say */
	int64_t ts_ns;		/* -1 without a timestamp */
	int64_t hz;		/* CPU sample: the sampling frequency then */
	int64_t ns;		/* off-CPU: time away */
	int64_t bytes;		/* alloc, free, net */
	int64_t every;		/* alloc: one of every `every` was recorded */
	uint64_t ptr;		/* alloc, free */
	int64_t stack_id;	/* the guest's stack id, -1 if none */
	char state;		/* off-CPU: the state it left in */
	bool tx;		/* net: sent */
	uint32_t what;		/* alloc, free: symtab id of "heap" / "page"; net: the connection */
	const uint32_t *stack;	/* symtab ids, leaf first */
	size_t n;
};

/* The text formats a file can be in, recognised from its first lines (tdetect.c). */
enum tp_format {
	TPF_UNKNOWN,	/* nothing seen yet that tells */
	TPF_GRAPH,	/* tracefs function_graph text */
	TPF_FUNCTION,	/* tracefs function tracer text: hits, no rows */
	TPF_TCMD,	/* trace-cmd report of a function_graph recording */
	TPF_EVENTS,	/* event lines only (tracer nop): profile events, no calls */
};

struct tp_stats {
	uint64_t lines;
	uint64_t events;	/* entry, leaf and return lines */
	uint64_t calls;		/* rows produced */
	uint64_t hits;		/* function tracer lines (also counted in events) */
	uint64_t bad_lines;	/* lines not understood */
	uint64_t tail_returns;	/* returns without entry, named by their tail */
	uint64_t unnamed_returns; /* returns without entry or name: no row */
	uint64_t unclosed;	/* calls that never returned */
	uint64_t lost_events;
	uint64_t warnings;
	uint64_t samples;	/* profile events (tp_sample) */
	uint64_t clamped;	/* compensated times (tparse_cfg.overhead) clamped at 0 */
};

struct tl_sink;
struct overhead;

struct tparse_cfg {
	void (*row)(void *ctx, const struct tp_row *r);
	void *ctx;
	void (*hit)(void *ctx, const struct tp_hit *h);	/* function tracer input */
	void (*sw)(void *ctx, const struct tp_switch *s);	/* optional */
	void (*sample)(void *ctx, const struct tp_sample *s);	/* optional: profile events */
	bool paths;		/* maintain calling-context nodes (folded stacks) */
	bool strict;		/* stop at the first warning */
	unsigned max_msgs;	/* warnings printed per file before going quiet */
	bool quiet;		/* print no warnings at all */
	const struct tl_sink *timeline;	/* also report timeline events (tools/lib/timeline.h) */
	/* Hook-overhead compensation of the rows' dur_ns and self_ns (tools/lib/overhead.h);
	 * NULL: the times as traced. Timeline events keep the traced times. */
	const struct overhead *overhead;
};

struct tparse;

struct tparse *tparse_new(struct symtab *st, const struct tparse_cfg *cfg);
void tparse_free(struct tparse *tp);

/* Parses a whole file ("-" = stdin), then closes calls left open. Returns 0, or -1 when
 * the file could not be read, is not a function_graph trace, or strict mode stopped it;
 * the reason was printed. Stacks are reset between files. */
int tparse_file(struct tparse *tp, const char *path);

struct input;
/* Parses the rest of an open input (between tparse_begin and tparse_end); returns -1 on a
 * read error (printed) or when parsing must stop. */
int tparse_input(struct tparse *tp, struct input *in);
/* Counts a line input_line() reported as too long. */
void tparse_long_line(struct tparse *tp);

/* The same for text fed line by line (fuzzing, tests); name is used in messages. */
void tparse_begin(struct tparse *tp, const char *name);
/* Returns -1 once parsing must stop (wrong tracer, strict mode). */
int tparse_line(struct tparse *tp, const char *s, size_t n);
void tparse_end(struct tparse *tp);

/* Counters of the current file; they restart at each tparse_file/tparse_begin. */
const struct tp_stats *tparse_stats(const struct tparse *tp);

/* The format of the current file, TPF_UNKNOWN until a line told. */
enum tp_format tparse_format(const struct tparse *tp);
/* "function_graph", "function", "trace-cmd report" or "unknown". */
const char *tparse_format_name(enum tp_format f);
/* The format line s[0..n) shows, TPF_UNKNOWN if it shows none (blank, comments). */
enum tp_format tp_detect(const char *s, size_t n);

/* The current file's '#' lines and trace-cmd preamble before its first event, one per
 * line ("" if none; at most 64 KiB kept). */
const char *tparse_header(const struct tparse *tp);

/* Task name seen for tid in the proc column or a context-switch line, or NULL. */
const char *tparse_comm(const struct tparse *tp, int64_t tid);

/* Calling-context nodes: parent node (0 = root) and function of node (>= 1). */
uint32_t tparse_nodes(const struct tparse *tp);
void tparse_node(const struct tparse *tp, uint32_t node, uint32_t *parent, uint32_t *func);

#endif
