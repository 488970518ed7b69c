/* Timeline events: what a timeline exporter (parse-trace --format perfetto) needs, in the
 * order a trace shows them. The text parser (tparse.c, tstack.c) produces them today; a
 * reader of raw capture files can feed the same sink later, with exact times and states.
 *
 * Contract for producers:
 * - Events of one thread come in that thread's time order. Times are ns; when the trace has
 *   no timestamps (no funcgraph-abstime) thread events carry the thread's synthetic clock
 *   and tl_call.synthetic is set: such times are comparable only within one thread.
 * - begin/end pair by depth on the thread: an end at depth d closes the open call at d.
 *   A producer may leave calls open (missing returns) or send ends without a begin
 *   (returns whose entry precedes the trace); the sink keeps its output well nested.
 * - tid -1 = the thread is not known (the call was on `cpu`).
 * - lost and marker events without a time of their own use the time of the next event of
 *   the same CPU, which the sink supplies. */
#ifndef TOOLS_LIB_TIMELINE_H
#define TOOLS_LIB_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tl_call {
	int64_t tid;
	int cpu;
	int depth;
	uint32_t func;		/* symtab id */
	int64_t ts_ns;
	int64_t begin_ns;	/* end: when the call began (ts_ns minus its duration) */
	bool synthetic;		/* ts_ns is the thread's synthetic clock */
};

struct tl_sink {
	void *ctx;
	/* a thread's name became known (before its first event when the trace says it) */
	void (*thread)(void *ctx, int64_t tid, const char *comm, size_t n);
	void (*begin)(void *ctx, const struct tl_call *c);
	void (*end)(void *ctx, const struct tl_call *c);	/* func may be 0 (unknown) */
	/* a text marker (trace_marker, trace_printk) on a thread, at c->ts_ns; also a trace
	 * event, as its text "name: fields" (tools/lib/tevent.h reads those) */
	void (*marker)(void *ctx, const struct tl_call *c, const char *text, size_t n);
	/* a context switch on cpu at ts_ns: a sched_switch event's time, a context-switch
	 * block's from the CPU's next line (the block has none), or -1 when that is unknown:
	 * then the switch happened before the CPU's next event */
	void (*sched_switch)(void *ctx, int cpu, int64_t ts_ns, int64_t prev_tid,
			     int64_t next_tid, char prev_state);	/* Linux's letter, 0 unknown */
	/* count events lost on cpu (-1: count unknown) before its next event */
	void (*lost)(void *ctx, int cpu, int64_t count);
	/* the end of one input: calls still open are over */
	void (*input_end)(void *ctx);
};

#endif
