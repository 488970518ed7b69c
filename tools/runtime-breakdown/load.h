/* Rows for runtime-breakdown from parse-trace CSV (plain or .zst, columns found by name in
 * the header) or straight from raw trace text through the in-process parser; hits from
 * function tracer CSV or text. Also reads the CSV of Nanos's parse-trace.py (exponent
 * floats, negative self times). */
#ifndef TOOLS_RB_LOAD_H
#define TOOLS_RB_LOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/lib/symtab.h"

struct rb_row {
	uint32_t func;
	int cpu;		/* -1 if the CSV has no cpu column */
	int64_t tid;
	int64_t dur_ns;		/* -1 unknown */
	int64_t self_ns;	/* -1 unknown */
	int64_t start_ns;	/* -1 unknown */
	int depth;		/* -1 unknown */
	int64_t off_ns;		/* off the CPU during the call; -1 unknown */
	int64_t off_self_ns;	/* off the CPU while it was the innermost call; -1 unknown */
	int64_t self_cut_ns;	/* --overhead: cut from self_ns by clamping (tp_row's) */
};

/* A function tracer hit (parse-trace's function,tid,cpu,timestamp_us,parent CSV). */
struct rb_hit {
	uint32_t func, parent;	/* parent 0: none */
	int cpu;		/* -1 unknown */
	int64_t tid;
	int64_t ts_ns;		/* -1 unknown */
};

struct load_cfg {
	void (*row)(void *ctx, const struct rb_row *r);
	void *ctx;
	unsigned max_msgs;	/* warnings printed per file */
	unsigned long max_errors;	/* bad lines tolerated per file */
	bool quiet;
	void (*hit)(void *ctx, const struct rb_hit *h);	/* NULL: hits are not read */
	bool need_start;	/* a time window is set: a file without start times fails */
	/* hook-overhead compensation (tools/lib/overhead.h), NULL for none: trace text only,
	 * a CSV file then fails (its rows have no call tree to compensate by) */
	const struct overhead *overhead;
};

struct load_stats {
	uint64_t rows;
	uint64_t hits;
	uint64_t bad;
	uint64_t untimed;	/* rows without a latency_us value */
	uint64_t negative_self;	/* rows with a negative self time, counted as 0 */
	uint64_t started;	/* rows with a start time */
	uint64_t clamped;	/* compensated times clamped at 0 */
	bool was_trace;		/* the file was raw trace text, not CSV */
};

/* Feeds every row of path to cfg->row. Returns 0, or -1 after printing why (unreadable,
 * no usable CSV header or trace lines, more bad lines than cfg->max_errors). Thread names
 * seen in raw traces are remembered for load_comm(). */
int load_file(const char *path, struct symtab *st, const struct load_cfg *cfg,
	      struct load_stats *stats);

/* Name of a thread seen in raw traces loaded so far, or NULL. */
const char *load_comm(int64_t tid);
void load_cleanup(void);

#endif
