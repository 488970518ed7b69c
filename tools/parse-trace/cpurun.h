/* Which thread runs on each CPU, for the timeline exporters' CPU tracks: from the thread of
 * every timeline event and from context switches (sched_switch events at their time,
 * blocks at their CPU's next line, as tools/lib/tswitch.c times them), so a thread that ran
 * without a traced call still shows. A switch without a time waits for the CPU's next
 * event. */
#ifndef TOOLS_PARSE_TRACE_CPURUN_H
#define TOOLS_PARSE_TRACE_CPURUN_H

#include <stddef.h>
#include <stdint.h>

#include "tools/lib/timeline.h"

#define CPURUN_NONE (-2)	/* no thread known on the CPU yet */

struct cpurun_cpu {
	int64_t running;
	int64_t *pending;	/* threads switched to by blocks not yet placed in time */
	size_t npending, cap;
};

/* A switch on cpu at ts from prev (CPURUN_NONE: not known) to next; state is the letter
 * of the state prev left in when the trace says it, else 0. */
typedef void cpurun_switch_fn(void *ctx, int cpu, int64_t ts, int64_t prev, int64_t next,
			      char state);

struct cpurun {
	struct cpurun_cpu *cpus;
	size_t ncpus;
};

/* A switch on cpu from prev to next: at ts (a sched_switch event) it is reported at
 * once, after the CPU's pending blocks; without a time (ts < 0: a context-switch block)
 * it waits for the CPU's next event. */
void cpurun_switch(struct cpurun *r, int cpu, int64_t ts, int64_t prev, int64_t next,
		   char state, cpurun_switch_fn *fn, void *ctx);
/* The state prev left the CPU in, as a Linux letter: the trace's, or else inferred (S when
 * the CPU goes idle: a scheduler runs idle only when nothing is runnable; R otherwise). */
char cpurun_state(char traced, int64_t next);
/* Before event c: reports, at c's time, the pending blocks of its CPU, then a switch to
 * c's thread if another one was running. Events on a synthetic clock report nothing. */
void cpurun_event(struct cpurun *r, const struct tl_call *c, cpurun_switch_fn *fn, void *ctx);
void cpurun_free(struct cpurun *r);

#endif
