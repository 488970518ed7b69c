/* Global tracer settings: what the hooks read on every traced call and what tracefs (the
 * control files) changes. tracefs and the kernel change them only through the setters
 * below, which keep the derived fields the hooks use consistent; nothing outside trace/
 * writes struct trace_config directly.
 *
 * Concurrency: setters may run on any CPU while hooks run on the others. Each field is a
 * single aligned word, so a hook sees either the old or the new value; a hook that races
 * with a change may apply the old setting to one call, never a torn one. Setters are not
 * serialized against each other: the caller (tracefs) holds its own lock. */
#ifndef TRACE_CONFIG_H
#define TRACE_CONFIG_H

/* Shared with fentry.S. */
#define TRACER_NOP 0
#define TRACER_FUNCTION 1
#define TRACER_GRAPH 2
/* trace_cfg.hook, what __fentry__ dispatches on: nothing to do, one of the two assembly
 * fast paths (no filter needs looking at), or the C hooks (trace_cfg.active says which). */
#define TRACE_HOOK_NOP 0
#define TRACE_HOOK_C 1
#define TRACE_HOOK_FUNCTION 2
#define TRACE_HOOK_GRAPH 3
#define TRACE_CFG_HOOK_OFFSET 0
#define TRACE_CFG_ACTIVE_OFFSET 4
#define TRACE_CFG_THRESH_OFFSET 8
#define TRACE_CFG_PID_GEN_OFFSET 16

#define TRACE_MAX_CPUS 16       /* per-CPU buffers; = PLAT_MAX_CPUS */
#define TRACE_GRAPH_FUNCS_MAX 32 /* set_graph_function and set_graph_notrace entries */
#define TRACE_PIDS_MAX 128       /* set_ftrace_pid / set_ftrace_notrace_pid entries */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum trace_tracer { TRACE_NOP = TRACER_NOP, TRACE_FUNCTION = TRACER_FUNCTION,
		    TRACE_GRAPH = TRACER_GRAPH };

struct trace_pid_set {
	unsigned n;                    /* 0: the set is empty */
	unsigned tids[TRACE_PIDS_MAX];
};

/* A short list of functions (their patch sites) the hooks scan: two copies; hooks read
 * set[cur], a setter fills the other copy and then flips cur, so a hook never sees a
 * half-filled list. */
struct trace_func_list {
	volatile unsigned cur;
	struct { unsigned n; uint32_t ip[TRACE_GRAPH_FUNCS_MAX]; } set[2];
};

struct trace_config {
	/* TRACE_HOOK_*, derived from the fields below: a fast path while active is that
	 * tracer and, for function_graph, neither set_graph_function nor max_graph_depth is
	 * set. thresh_tsc is not part of it (tests set it directly): the graph fast paths
	 * check it themselves, and pid filters through the task's pid_ok_gen. */
	volatile int hook;
	/* The tracer the hooks run: tracer if tracing_on and not stopped, else NOP. */
	volatile int active;
	volatile uint64_t thresh_tsc;   /* tracing_thresh in TSC ticks, 0 = off */
	/* Pid filters (below); a task re-evaluates its cached flag when pid_gen changes. */
	volatile unsigned pid_gen;
	/* A traced function lies too far from text_base for the slots' function field: the
	 * assembly fast paths, which do not check, are off (patch.c sets it; never cleared). */
	volatile bool far_sites;
	volatile int tracer;            /* enum trace_tracer, as current_tracer shows it */
	volatile bool on;               /* tracing_on */
	volatile unsigned max_graph_depth; /* 0 = unlimited */
	volatile bool sleep_time;       /* option sleep-time: durations include time switched out */
	struct trace_func_list graph_funcs;   /* set_graph_function */
	struct trace_func_list graph_notrace; /* set_graph_notrace */
	struct trace_pid_set pids;         /* set_ftrace_pid: only these (empty = all) */
	struct trace_pid_set notrace_pids; /* set_ftrace_notrace_pid: never these */
	volatile bool trace_server;        /* option trace-server: record the trace server's
					    * own work (trace_server_work_begin) */
	/* Set once when the tracer stopped itself on broken state; never cleared. */
	const char *volatile stopped;
};

extern struct trace_config trace_cfg;

/* tracing_on: recording starts or stops; call sites stay as they are. */
void trace_set_on(bool on);
/* A traced function's offset from text_base does not fit a slot (patch.c, before it
 * patches the function in): from now on every traced call takes the C hooks. */
void trace_set_far_sites(void);
/* current_tracer. Changing it does not patch call sites: the caller then runs
 * patch_apply() with its filter (every site off for TRACE_NOP). */
void trace_set_tracer(enum trace_tracer t);
void trace_set_max_graph_depth(unsigned depth);
/* The sleep-time option (on by default, as in Linux): off, a function_graph duration
 * leaves out the time its thread was switched out. */
void trace_set_sleep_time(bool on);
/* tracing_thresh in microseconds (0 = off), converted to TSC ticks. */
void trace_set_thresh_us(uint64_t us);
uint64_t trace_thresh_us(void);
/* set_graph_function: the function start addresses (patch sites); n = 0 clears. Returns
 * -EINVAL (nothing changed) if n > TRACE_GRAPH_FUNCS_MAX. */
int trace_set_graph_funcs(const uint64_t *ips, unsigned n);
/* set_graph_notrace: likewise. */
int trace_set_graph_notrace(const uint64_t *ips, unsigned n);
/* Whether ip is in the list (for the hooks). */
bool trace_func_listed(const struct trace_func_list *l, uint64_t ip);
/* set_ftrace_pid and set_ftrace_notrace_pid; n = 0 clears. -EINVAL if too many. */
int trace_set_pids(const unsigned *tids, unsigned n);
int trace_set_notrace_pids(const unsigned *tids, unsigned n);
/* Option trace-server; tasks re-evaluate their verdict (through pid_gen). */
void trace_set_trace_server(bool on);
/* Whether pid filters let thread tid be traced. */
bool trace_pid_allowed(unsigned tid);

/* The tracer found broken state: it stops recording for good and keeps the reason, which
 * readers print in the trace header. The first reason wins. Safe from the hook path. */
void trace_stop(const char *why);
/* NULL while the tracer works, else why it stopped. */
static inline const char *trace_stopped_reason(void) { return trace_cfg.stopped; }

#endif /* __ASSEMBLER__ */
#endif
