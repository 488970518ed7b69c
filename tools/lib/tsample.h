/* The profile events as glass prints them (trace/profile_print.c): each carries its
 * stack already resolved, innermost frame first, after ": ", so a reader needs no stack
 * table and no earlier line:
 *
 *   profile_sample: hz=99 stack=12: fib <- fib <- compute_work <- thread_start
 *   offcpu_stack: ns=81234 state=S wait=waitq stack=7: schedule_locked <- sched_block <- ...
 *   alloc: kind=heap bytes=64 ptr=0xffff0040 every=1 stack=9: kmalloc <- ...
 *   free: kind=heap bytes=64 ptr=0xffff0040
 *   net_io: conn=10.0.2.15:9090-10.0.2.2:51234 dir=tx bytes=1448 stack=3: ...
 *
 * The same text comes as an event line (nop and function tracers: "comm-pid [cpu] ...
 * ts: profile_sample: ...") or a function_graph comment ("/" "* profile_sample: ... *" "/").
 * Pure: parses one event's text into fields; the caller interns the frames. */
#ifndef TOOLS_LIB_TSAMPLE_H
#define TOOLS_LIB_TSAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/lib/fgline.h"

enum tsample_kind {
	TSK_CPU,	/* profile_sample: one sampling period on the CPU */
	TSK_OFFCPU,	/* offcpu_stack: ns away, charged to the stack that blocked */
	TSK_ALLOC,	/* alloc: bytes allocated (one of every `every`) */
	TSK_FREE,	/* free: of an earlier alloc's ptr */
	TSK_NET,	/* net_io: bytes sent or received on a connection */
	TSK_KINDS
};

#define TSAMPLE_MAX_FRAMES 64

struct tsample_text {
	enum tsample_kind kind;
	int64_t hz;		/* TSK_CPU */
	int64_t ns;		/* TSK_OFFCPU */
	int64_t bytes;		/* TSK_ALLOC, TSK_FREE, TSK_NET */
	int64_t every;		/* TSK_ALLOC: 1 in `every` allocations is recorded */
	uint64_t ptr;		/* TSK_ALLOC, TSK_FREE */
	int64_t stack_id;	/* -1 when the line has none */
	char state;		/* TSK_OFFCPU: R, S, D... or 0 */
	bool tx;		/* TSK_NET: sent (else received) */
	struct fgl_str alloc_kind;	/* "heap" or "page" */
	struct fgl_str conn;	/* TSK_NET */
	size_t nframes;
	struct fgl_str frames[TSAMPLE_MAX_FRAMES];	/* innermost first */
};

/* Parses an event's text s[0..e) ("profile_sample: ..."); true if it is one of these
 * events and well formed. */
bool tsample_parse(const char *s, const char *e, struct tsample_text *t);

#endif
