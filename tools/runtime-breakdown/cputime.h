/* Time on the CPU versus time waiting. parse-trace measures how long each call's thread
 * was off the CPU (offcpu_us); with that, runtime-breakdown counts a call's time on the
 * CPU as work, its waiting apart (waits.h), and the idle task's calls as idle. Rows whose
 * off-CPU time is unknown (no threads in the trace) keep their wall time. A row with an
 * off-CPU time but no start time comes from a trace without timestamps, whose off-CPU
 * time is parse-trace's estimate (tools/lib/offcpu_est.c); the mode line says so. */
#ifndef TOOLS_RB_CPUTIME_H
#define TOOLS_RB_CPUTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/runtime-breakdown/load.h"

enum rb_time { TIME_CPU, TIME_WALL };	/* --time; cpu is the default */

struct cputime {
	enum rb_time mode;
	bool idle_is_work;	/* the idle task was asked for by --tid */
	uint64_t rows, rows_off;	/* rows seen, rows with a known off-CPU time */
	uint64_t rows_est;	/* of rows_off, those without a start time: estimated */
	uint64_t idle_calls;
	int64_t idle_ns;	/* on-CPU self time of the idle task's calls */
};

/* The idle task: tid 0 (Linux's swapper/N, printed <idle>-0, and glass's per-CPU idle
 * thread alike). */
static inline bool is_idle_task(int64_t tid)
{
	return tid == 0;
}

/* In cpu mode, turns r's durations into time on the CPU when its off-CPU time is known.
 * Returns false for a call of the idle task, which is then counted as idle, not work. */
bool cputime_row(struct cputime *c, struct rb_row *r);

/* True when the breakdown is in on-CPU time: cpu mode and some call had switch
 * information. */
bool cputime_on_cpu(const struct cputime *c);

#define CPUTIME_LINE_MAX 512

/* The one line that says which time the tables show, and why, into buf; returns buf. */
const char *cputime_describe(char *buf, size_t n, const struct cputime *c);
void cputime_print(FILE *f, const struct cputime *c);

#endif
