/* The hook path's common pieces, private to trace/: the entry points fentry.S calls, the
 * per-task recursion guard, the pid filter check, and per-CPU counts of calls the hooks
 * had to leave untraced. Everything here runs on every traced call: per-CPU and per-task
 * data only, no locks. */
#ifndef TRACE_HOOK_H
#define TRACE_HOOK_H

#include <stdbool.h>
#include <stdint.h>
#include "trace/config.h"
#include "trace/core.h"
#include "trace/env.h"
#include "trace/task.h"

/* fentry.S */
void __fentry__(void);
void return_to_handler(void);
/* Called by __fentry__ with the address of the traced function's return address and the
 * traced function (its call site). */
void fgraph_enter(uint64_t *parent_slot, uint64_t ip);
void function_trace_call(uint64_t *parent_slot, uint64_t ip);
/* Called by return_to_handler with the stack slot the hooked return address was in;
 * returns the original return address. */
uint64_t fgraph_exit(uint64_t *slot);

/* Each counter is written only by its own CPU. */
extern struct trace_cpu_counts trace_counts[TRACE_MAX_CPUS];

static inline void trace_count(uint64_t *counter)
{
	/* One unlocked add: only this CPU (and interrupts nesting on it) writes it. */
	__asm__ volatile("incq %0" : "+m"(*counter) : : "cc");
}

/* Enters the tracer on the current task; NULL if it is already inside (then the call is
 * counted and not traced). The flag is set before anything else: an interrupt arriving
 * later sees it. */
static inline struct trace_task *trace_hook_begin(void)
{
	struct trace_task *t = trace_env_task();

	if (t->busy) {
		trace_count(&trace_counts[trace_env_cpu()].recursion);
		return NULL;
	}
	t->busy = true;
	__asm__ volatile("" ::: "memory"); /* busy is set before the hook body runs */
	return t;
}

static inline void trace_hook_end(struct trace_task *t)
{
	__asm__ volatile("" ::: "memory"); /* the hook body is done before busy clears */
	t->busy = false;
}

void trace_task_refresh_pid(struct trace_task *t);

/* Whether pid filters let the current task be traced (cached per task). */
static inline bool trace_task_pid_ok(struct trace_task *t)
{
	if (__builtin_expect(t->pid_gen != trace_cfg.pid_gen, 0))
		trace_task_refresh_pid(t);
	return t->pid_ok;
}

#endif
