/* The hook path's common pieces, private to trace/: the entry points fentry.S calls, the
 * per-task recursion guard, the pid filter check, and per-CPU counts of calls the hooks
 * had to leave untraced. Everything here runs on every traced call: per-CPU and per-task
 * data only, no locks. */
#ifndef TRACE_HOOK_H
#define TRACE_HOOK_H

#include "trace/config.h"
#include "trace/task.h"
#include "trace/codec_format.h"

/* struct ring and struct ring_cpu fields the fast paths in fentry.S use (checked below),
 * and the slot format they write (trace/codec_format.h). A change of the ring structures that
 * moves them must update these. */
#define RING_TEXT_BASE 12
#define RING_CPU0 64
#define RING_CPU_SIZE 256
#define RC_HEAD 0
#define RC_ROOM_END 8
#define RC_CUR_TID 12
#define RC_LAST_TSC 16
#define RC_BLK_BASE 24
#define RC_BLK_LAP 32
#define RC_WRITING 40
#define RC_ENABLED 44
#define RC_LAST_DEPTH 48

#ifndef GLASS_HOST
/* The kernel's per-CPU data (platform/platform.h: struct plat_cpu_local at %gs:0) and
 * struct thread (kernel/thread.h), as kernel/trace_env.h reads them; checked in core.c. */
#define GS_CPU 8
#define GS_IRQ_DEPTH 12
#define GS_CURRENT 16
#define THREAD_TASK 8
#define THREAD_TID (THREAD_TASK + TASK_SIZE)
#endif

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace/core.h"
#include "trace/env.h"
#include "trace/ring.h"

#define TRACE_CHECK_OFFSET(type, field, off) \
	_Static_assert(offsetof(type, field) == (off), "fentry.S: offset of " #field)
TRACE_CHECK_OFFSET(struct trace_task, depth, TASK_DEPTH);
TRACE_CHECK_OFFSET(struct trace_task, graph_base, TASK_GRAPH_BASE);
TRACE_CHECK_OFFSET(struct trace_task, busy, TASK_BUSY);
TRACE_CHECK_OFFSET(struct trace_task, pid_ok_gen, TASK_PID_OK_GEN);
TRACE_CHECK_OFFSET(struct trace_task, stack, TASK_STACK);
TRACE_CHECK_OFFSET(struct trace_task, no_frame_slot,
		   TASK_STACK - FRAME_SIZE + FRAME_SLOT); /* stack[-1].slot */
_Static_assert(TASK_NO_FRAME_SLOT == TASK_STACK - FRAME_SIZE + FRAME_SLOT,
	       "fentry.S: stack[-1].slot");
_Static_assert(sizeof(struct trace_task) == TASK_SIZE, "fentry.S: size of trace_task");
_Static_assert(sizeof(struct trace_ret_frame) == FRAME_SIZE && FRAME_SIZE % 8 == 0,
	       "fentry.S: size of trace_ret_frame");
#if !CONFIG_FGRAPH_RETHOOK
TRACE_CHECK_OFFSET(struct trace_ret_frame, ret, FRAME_RET);
#endif
TRACE_CHECK_OFFSET(struct trace_ret_frame, slot, FRAME_SLOT);
TRACE_CHECK_OFFSET(struct trace_ret_frame, tsc, FRAME_TSC);
TRACE_CHECK_OFFSET(struct trace_ret_frame, func, FRAME_FUNC);
TRACE_CHECK_OFFSET(struct trace_ret_frame, irq, FRAME_IRQ);
TRACE_CHECK_OFFSET(struct trace_ret_frame, flags, FRAME_FLAGS);
TRACE_CHECK_OFFSET(struct trace_ret_frame, pos, FRAME_POS);
TRACE_CHECK_OFFSET(struct ring, text_base, RING_TEXT_BASE);
TRACE_CHECK_OFFSET(struct ring, cpu, RING_CPU0);
_Static_assert(sizeof(struct ring_cpu) == RING_CPU_SIZE, "fentry.S: size of ring_cpu");
TRACE_CHECK_OFFSET(struct ring_cpu, head, RC_HEAD);
TRACE_CHECK_OFFSET(struct ring_cpu, room_end, RC_ROOM_END);
TRACE_CHECK_OFFSET(struct ring_cpu, cur_tid, RC_CUR_TID);
TRACE_CHECK_OFFSET(struct ring_cpu, last_tsc, RC_LAST_TSC);
TRACE_CHECK_OFFSET(struct ring_cpu, blk_base, RC_BLK_BASE);
TRACE_CHECK_OFFSET(struct ring_cpu, blk_lap, RC_BLK_LAP);
TRACE_CHECK_OFFSET(struct ring_cpu, writing, RC_WRITING);
TRACE_CHECK_OFFSET(struct ring_cpu, enabled, RC_ENABLED);
TRACE_CHECK_OFFSET(struct ring_cpu, last_depth, RC_LAST_DEPTH);

/* fentry.S */
void __fentry__(void);
/* Called by __fentry__ with the address of the traced function's return address and the
 * traced function (its call site). */
void fgraph_enter(uint64_t *parent_slot, uint64_t ip);
void function_trace_call(uint64_t *parent_slot, uint64_t ip);
#if CONFIG_FGRAPH_RETHOOK
/* The return hook: `call __fexit__` right before a traced function's `ret`. */
void __fexit__(void);
/* Called by __fexit__ with the stack slot of the returning function's return address. */
void fgraph_exit(uint64_t *slot);
#else
void return_to_handler(void);
/* Called by return_to_handler with the stack slot the hooked return address was in;
 * returns the original return address. */
uint64_t fgraph_exit(uint64_t *slot);
#endif

/* Each counter is written only by its own CPU. */
extern struct trace_cpu_counts trace_counts[TRACE_MAX_CPUS];

static inline void trace_count(uint64_t *counter)
{
	/* One unlocked add: only this CPU (and interrupts nesting on it) writes it. */
	__asm__ volatile("incq %0" : "+m"(*counter) : : "cc");
}

static inline void trace_count_add(uint64_t *counter, uint64_t n)
{
	__asm__ volatile("addq %1, %0" : "+m"(*counter) : "er"(n) : "cc");
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

/* At a context switch at time now (trace/sleep_time.c): notes when prev leaves; with the
 * sleep-time option off, moves the entry time of every call on next's shadow stack later
 * by the time next was away. next is not running, so its stack is ours to change. */
void trace_task_switch_time(struct trace_task *prev, struct trace_task *next, uint64_t now);

/* Whether pid filters let the current task be traced (cached per task). */
static inline bool trace_task_pid_ok(struct trace_task *t)
{
	if (__builtin_expect(t->pid_gen != trace_cfg.pid_gen, 0))
		trace_task_refresh_pid(t);
	return t->pid_ok;
}

#ifdef GLASS_HOST
/* The host shim's thread-locals, which fentry.S reads %fs-relative (as the kernel reads
 * its per-CPU data %gs-relative): the task (NULL until the thread's first use), the CPU,
 * thread id and interrupt depth the thread plays. */
extern __thread struct trace_task *trace_host_cur_task;
extern __thread unsigned trace_host_cpu, trace_host_tid, trace_host_irq_depth;
/* Sets and returns the calling thread's task on its first use (from fentry.S: preserves
 * every register but rax and rdx; the task is returned in rax). */
__attribute__((no_caller_saved_registers, target("general-regs-only"))) struct trace_task *
trace_fentry_env(void);
#endif

#endif /* __ASSEMBLER__ */
#endif
