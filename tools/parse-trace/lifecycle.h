/* The lives of a trace's threads, for `--format lifecycle` (JSON lines) and `--format
 * mermaid` (a Gantt chart): a timeline sink (tools/lib/timeline.h) that keeps the lifecycle
 * and scheduling events, not the calls. What a trace carries today: context switches (with
 * the state the thread left in when a sched_switch event says it), thread names, the first
 * and last event of each thread and, in a capture file, the thread table's creation and
 * exit times; with the trace events (trace/events.h): creation with its parent, renames,
 * exits with their status and wakeups. Events are few next to calls, so they are kept in
 * memory and written in time order when the input ends. */
#ifndef TOOLS_PARSE_TRACE_LIFECYCLE_H
#define TOOLS_PARSE_TRACE_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/lib/symtab.h"
#include "tools/lib/timeline.h"
#include "tools/lib/umap.h"
#include "tools/parse-trace/cpurun.h"

enum lc_kind { LC_CREATE, LC_RENAME, LC_EXIT, LC_WAKEUP, LC_SWITCH_IN, LC_SWITCH_OUT,
	       LC_FIRST_SEEN, LC_LAST_SEEN };

struct lc_event {
	int64_t ts;		/* ns; -1 until a switch without a time of its own gets one */
	int64_t tid;
	int64_t other;		/* create: the parent; wakeup: the waker; -1 unknown */
	int64_t code;		/* exit: the status */
	uint32_t name;		/* comms id: the thread's name then (the new one for rename;
				 * set for all by lifecycle_finish) */
	uint32_t order;		/* arrival order, to keep equal times stable */
	int16_t cpu;		/* -1 unknown; wakeup: the target CPU */
	uint8_t kind;
	char state;		/* switch_out: Linux's letter, 0 unknown; exit: 1 if code known */
};

#define LC_TOP_CALLS 20		/* mermaid: the longest top-level calls kept per thread */

struct lc_call {
	int64_t begin, end;
	uint32_t func;
};

struct lc_thread {
	int64_t tid;
	uint32_t name;
	int64_t first, last;	/* of its events (calls, markers), -1 none */
	int64_t created, exited;	/* its first create and last exit event, -1 none */
	int cpu;		/* of its last event */
	struct lc_call top[LC_TOP_CALLS];
	unsigned ntop;
	uint64_t calls;		/* top-level calls seen */
	struct lc_call open;	/* the top-level call not yet returned, func 0 none */
};

struct lifecycle {
	struct tl_sink sink;
	struct symtab *comms;
	struct lc_event *ev;
	size_t nev, cap_ev;
	struct lc_thread *threads;
	size_t nthreads, cap_threads;
	struct umap thread_map;	/* tid -> index + 1 */
	struct cpurun run;	/* who runs on each CPU: the switches */
	bool top_calls;		/* keep the longest top-level calls (mermaid) */
};

void lifecycle_init(struct lifecycle *lc);
void lifecycle_free(struct lifecycle *lc);
/* Adds an event (name, n: the thread's name, NULL to keep what is known). */
void lifecycle_add(struct lifecycle *lc, enum lc_kind kind, int64_t ts, int64_t tid,
		   int64_t other, int cpu, const char *name, size_t n);
/* A capture file's thread table: a create event per line, an exit where it has one. Does
 * nothing for a file that is not a capture. */
void lifecycle_capture_table(struct lifecycle *lc, const char *path);
/* Adds each thread's first_seen and last_seen where no create before or exit after them is
 * known, then sorts
 * the events by time (by_thread: by thread first). */
void lifecycle_finish(struct lifecycle *lc, bool by_thread);
struct lc_thread *lifecycle_thread(struct lifecycle *lc, int64_t tid);
const char *lc_kind_name(enum lc_kind k);

#endif
