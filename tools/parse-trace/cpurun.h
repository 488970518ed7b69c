/* Which thread runs on each CPU, for the timeline exporters' CPU tracks: from the thread of
 * every timeline event, and from context-switch blocks, which the text prints without a
 * time (they take the time of the CPU's next event, so a thread that ran without a traced
 * call still shows). */
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

struct cpurun {
	struct cpurun_cpu *cpus;
	size_t ncpus;
};

/* A switch on cpu at ts from prev (CPURUN_NONE: not known) to next. */
typedef void cpurun_switch_fn(void *ctx, int cpu, int64_t ts, int64_t prev, int64_t next);

/* A context-switch block on cpu switching from prev to next. */
void cpurun_block(struct cpurun *r, int cpu, int64_t prev, int64_t next);
/* Before event c: reports, at c's time, the pending blocks of its CPU, then a switch to
 * c's thread if another one was running. Events on a synthetic clock report nothing. */
void cpurun_event(struct cpurun *r, const struct tl_call *c, cpurun_switch_fn *fn, void *ctx);
void cpurun_free(struct cpurun *r);

#endif
