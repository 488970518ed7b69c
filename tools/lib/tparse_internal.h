/* Private state of the streaming parser, shared by tparse.c (line dispatch, files,
 * messages) and tstack.c (per-task call stacks). */
#ifndef TOOLS_LIB_TPARSE_INTERNAL_H
#define TOOLS_LIB_TPARSE_INTERNAL_H

#include <stdarg.h>

#include "tools/lib/fgline.h"
#include "tools/lib/overhead.h"
#include "tools/lib/tparse.h"
#include "tools/lib/umap.h"

struct frame {
	uint32_t func;		/* 0: placeholder for a call whose entry is not in the trace */
	uint32_t node;
	int depth;
	int64_t start_ns;	/* abstime of the entry, -1 if none */
	int64_t vstart_ns;
	int64_t child_ns;	/* sum of direct children's durations */
	int64_t off_base_ns;	/* the task's off_ns when the frame was pushed */
	int64_t off_self_ns;	/* off the CPU while this was the innermost open call */
	uint64_t id;		/* tp_row.id */
	struct overhead_acc below;	/* what returned children add (tparse_cfg.overhead) */
	bool switched;		/* its thread left the CPU while it was innermost (untimed) */
};

struct task {
	int64_t tid;
	int cpu;		/* for per-CPU tasks (tid <= 0) */
	struct frame *frames;
	size_t n, cap;
	int64_t vclock;		/* synthetic clock: end of the last call laid out */
	/* time off the CPU (offcpu.c) */
	int64_t off_ns;		/* total so far */
	int64_t pending_off_ns;	/* measured at this line, not yet charged to a frame */
	int64_t out_since_ns;	/* switched out at this time; -1 while on a CPU */
	int last_cpu;		/* CPU of the task's last line; -1 before the first */
	bool pending_switch;	/* came back with no open call: the next frame switched */
};

#define TASK_CACHE 64

struct task_cache {
	uint64_t key;
	uint32_t idx;		/* index + 1 into tasks, 0 = empty */
};

struct cct_node {
	uint32_t parent, func;
};

struct tparse {
	struct tparse_cfg cfg;
	struct symtab *st;
	const char *name;	/* current file, for messages */
	uint64_t lineno;
	struct tp_stats stats;
	enum tp_format format;
	bool fn_header;		/* "# tracer: function" seen: lines without context are hits */
	bool nop_header;	/* "# tracer: nop" seen: events only, a function hit is wrong */
	bool stop;

	struct task *tasks;
	size_t ntasks, cap_tasks;
	struct umap task_map;		/* task key -> index + 1 */
	struct task_cache task_cache[TASK_CACHE];	/* by CPU */

	int64_t *cpu_tid;		/* thread on each CPU from context-switch lines, -1 */
	size_t ncpu_tid;
	int64_t *cpu_last_tid;		/* thread of each CPU's last event line (offcpu.c) */
	size_t ncpu_last_tid;
	bool nosleep;			/* durations leave the waiting out (offcpu.c) */

	uint64_t last_id;		/* tp_row.id of the last call begun */
	char *header;			/* theader.c: the file's lines before its first event */
	size_t header_len, header_cap;
	struct tp_switch *sw_pending;	/* per CPU, waiting for its time (tswitch.c) */
	size_t nsw_pending;

	struct symtab *comms;
	struct umap comm_map;		/* tid -> comm id */

	struct cct_node *nodes;		/* [0] unused */
	size_t nnodes, cap_nodes;
	struct umap node_map;		/* parent << 32 | func -> node */
};

void tp_warn(struct tparse *tp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* tpsample.c: an event's text [s, e) that is a profile event goes to cfg.sample (true);
 * false if it is no profile event. */
bool tp_sample_text(struct tparse *tp, const char *s, const char *e, int cpu, int64_t tid,
		    int64_t ts_ns);

/* tstack.c */
struct task *tp_task(struct tparse *tp, int cpu, int64_t tid);
void tp_entry(struct tparse *tp, struct task *t, const struct fgl *l);
void tp_leaf(struct tparse *tp, struct task *t, const struct fgl *l);
void tp_return(struct tparse *tp, struct task *t, const struct fgl *l);
/* Context switch on cpu: the first one tells whose stack the unnamed CPU stack was. */
void tp_switch(struct tparse *tp, int cpu, int64_t prev_tid, int64_t next_tid);
/* The thread last switched to on cpu, -1 if none yet. */
int64_t tp_cpu_tid(struct tparse *tp, int cpu);
/* End of input: empties every stack; with report, each open call is counted and reported
 * as unclosed. Also forgets which thread runs on which CPU. */
void tp_close_all(struct tparse *tp, bool report);
void tp_tasks_free(struct tparse *tp);

/* offcpu.c: time off the CPU. Called for every event line before its task's stack sees
 * it: notes that the CPU's previous thread left it, and for a thread coming back sets
 * its pending_off_ns (charged by tstack.c to the innermost open call). Returns the
 * line's task (tp_task). */
struct task *tp_offcpu_line(struct tparse *tp, const struct fgl *l, int64_t tid);
/* Charges a task's pending off-CPU time (or, untimed, its pending switch) to its innermost
 * open call; with keep, it stays pending while the stack is empty (a return line is about
 * to create the frame). */
void tp_offcpu_charge(struct task *t, bool keep);
/* A sched_switch event at abs_ns: prev left cpu and next came in, exactly then. */
void tp_offcpu_event(struct tparse *tp, int cpu, int64_t prev, int64_t next, int64_t abs_ns);
/* A context-switch block on cpu: prev ran there, even if no line of it was seen. */
void tp_offcpu_block(struct tparse *tp, int cpu, int64_t prev_tid);
/* The first context switch on cpu gave the lines of an unknown thread to owner. */
void tp_offcpu_adopt(struct tparse *tp, int cpu, struct task *owner);
void tp_offcpu_reset(struct tparse *tp);
/* Sets a completed call's off-CPU times (r->off_ns, r->off_self_ns) from its frame; r's
 * self time is set already. */
void tp_offcpu_row(struct tparse *tp, struct task *t, const struct frame *f,
		   const struct fgl *l, struct tp_row *r);
/* theader.c: keeps a '#' or preamble line seen before the file's first event. */
void tp_header_line(struct tparse *tp, const char *s, size_t n);

/* tswitch.c: context switches go to tparse_cfg.sw once the next line of their CPU tells
 * their time. */
void tp_switch_seen(struct tparse *tp, const struct fgl *l);
void tp_switch_line(struct tparse *tp, const struct fgl *l);
/* End of file: delivers the switches still waiting, without a time. */
void tp_switch_flush(struct tparse *tp);

/* offcpu_est.c: the estimate for traces without timestamps. A thread is back on a CPU
 * after a switch: its innermost open call is the one it left in (marked switched). */
void tp_offcpu_est_back(struct task *t);
/* tp_offcpu_charge's part for a pending switch. */
void tp_offcpu_est_charge(struct task *t, bool keep);
/* A completed call's estimated off-CPU times: its self time if it switched out. */
void tp_offcpu_est_row(struct task *t, const struct frame *f, struct tp_row *r);

/* ttimeline.c: timeline events for cfg.timeline (no-ops without one) */
void tp_tl_begin(struct tparse *tp, const struct task *t, const struct fgl *l, uint32_t func,
		 int64_t start_ns, int64_t vstart_ns);
void tp_tl_end(struct tparse *tp, const struct task *t, const struct fgl *l, uint32_t func,
	       int64_t start_ns, int64_t vstart_ns, int64_t dur_ns);
void tp_tl_thread(struct tparse *tp, int64_t tid, const struct fgl_str *comm);
void tp_tl_marker(struct tparse *tp, const struct fgl *l);
/* A function tracer line's other event ("tracing_mark_write: text", "sched_wakeup: ..."),
 * as a marker: a trace_marker's text alone, an event's "name: fields" whole. */
struct fnl;
void tp_tl_fn_event(struct tparse *tp, const struct fnl *f);
void tp_tl_switch(struct tparse *tp, const struct tp_switch *s);	/* from tswitch.c */
void tp_tl_lost(struct tparse *tp, const struct fgl *l);
void tp_tl_input_end(struct tparse *tp);

#endif
