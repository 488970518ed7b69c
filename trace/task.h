/* Per-thread tracer state, embedded in struct thread: the function_graph stack of open
 * calls and the flags the hooks keep per task. With FGRAPH=rethook it is an entry-time
 * stack: each frame holds when a traced call started, where its entry record is and the
 * stack slot of its return address, by which its return hook (and a later entry at or
 * above that slot, which proves it gone) finds it; nothing on the real stack changes.
 * With FGRAPH=hijack it is also the shadow return stack: the caller's real return address,
 * replaced on the stack by return_to_handler. Interrupts run on the interrupted thread's
 * stack, so their calls push and pop on the same stack of frames, nested like the real one.
 * Only the owning thread (and interrupts nesting on it) touches it; a new thread's state
 * is set up by trace_task_init(). Without CONFIG_TRACE it is empty. */
#ifndef TRACE_TASK_H
#define TRACE_TASK_H

#include "trace/fgraph_mode.h"

#define TRACE_STACK_DEPTH 64 /* calls deeper than this are skipped and counted */

/* trace_ret_frame.flags */
#define TRACE_FRAME_ROOT 0x01    /* this call opened a set_graph_function region */
#define TRACE_FRAME_NOTRACE 0x02 /* a set_graph_notrace call: not recorded, nor its callees */

/* The layout fentry.S's fast paths use (checked in trace/hook.h). TASK_NO_FRAME_SLOT: where stack[-1]'s slot would be, always
 * above every real slot, so the top frame's slot can be compared without testing depth
 * for 0. With rethook a frame is 24 bytes (no return address to keep), with hijack 32;
 * both index their frames with scale 8 (FRAME_UNITS_SHIFT words of 8 bytes, or 3 words). */
#define TASK_DEPTH 0
#define TASK_GRAPH_BASE 4
#define TASK_PID_OK_GEN 16
#define TASK_BUSY 20
#define TASK_NO_FRAME_SLOT 40
#define TASK_STACK 64
#if CONFIG_FGRAPH_RETHOOK
#define FRAME_SIZE 24
#define FRAME_SLOT 0
#define FRAME_TSC 8    /* with irq and flags in its top bytes: one 8-byte store */
#define FRAME_IRQ 14
#define FRAME_FLAGS 15
#define FRAME_FUNC 16  /* func and pos: one 8-byte store */
#define FRAME_POS 20
#else
#define FRAME_SIZE 32
#define FRAME_RET 0
#define FRAME_SLOT 8
#define FRAME_TSC 16
#define FRAME_IRQ 22
#define FRAME_FLAGS 23
#define FRAME_FUNC 24
#define FRAME_POS 28
#endif
#define TASK_SIZE (TASK_STACK + TRACE_STACK_DEPTH * FRAME_SIZE)

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#ifdef CONFIG_TRACE

/* One hooked call: where it returns and when it started. */
struct trace_ret_frame {
#if !CONFIG_FGRAPH_RETHOOK
	uint64_t ret;  /* hijack: the caller's return address, replaced by return_to_handler */
#endif
	uint64_t slot; /* where the return address lives on the stack: whose return this is */
	uint8_t tsc[6]; /* entry time: the TSC's low 48 bits */
	uint8_t irq;    /* interrupt nesting at entry */
	uint8_t flags;  /* TRACE_FRAME_* */
	uint32_t func;  /* the traced function (its patch site) */
	uint32_t pos;   /* ring slot of its entry record (where its return may merge) */
};

static inline uint64_t trace_frame_tsc(const struct trace_ret_frame *f)
{
	uint64_t w;

	__builtin_memcpy(&w, f->tsc, sizeof(w)); /* the tsc bytes, irq and flags */
	return w & 0xffffffffffffull;
}

struct trace_task {
	uint32_t depth;      /* frames in use on stack[] */
	uint32_t graph_base; /* depth of the set_graph_function call we are inside */
	bool graph_open;     /* inside a set_graph_function call */
	bool pid_ok;         /* pid filters allow this task (valid for pid_gen) */
	bool graph_notrace_open; /* inside a set_graph_notrace call */
	unsigned pid_gen;    /* trace_cfg.pid_gen that pid_ok was computed for */
	unsigned pid_ok_gen; /* pid_ok ? pid_gen : 0 (pid_gen is never 0 while it counts):
			      * the fast paths' single compare with trace_cfg.pid_gen */
	volatile bool busy;  /* inside the tracer: recursion guard, also "do not preempt" */
	uint32_t server_work; /* nesting of trace_server_work_begin(): serving the trace */
	uint64_t overflow;   /* calls not traced because stack[] was full */
	uint64_t no_frame_slot; /* UINT64_MAX: stack[-1]'s slot for fentry.S (TASK_NO_FRAME_SLOT) */
	uint64_t switched_out; /* TSC when the thread last left its CPU, 0 while on it or
				* before it first ran (the sleep-time option) */
	uint32_t offcpu_stack; /* stack id where it last left its CPU (offcpu_stack event), 0 */
	uint8_t offcpu_state;  /* how it left: enum trace_task_state */
	struct trace_ret_frame stack[TRACE_STACK_DEPTH] __attribute__((aligned(8)));
};

/* True while the thread is inside the tracer. The scheduler must not preempt such a
 * thread from an interrupt: it may hold a ring buffer reservation of its CPU. */
static inline bool trace_task_in_hook(const struct trace_task *t)
{
	return t->busy;
}

#else

struct trace_task {
};

static inline bool trace_task_in_hook(const struct trace_task *t)
{
	(void)t;
	return false;
}

#endif
#endif /* __ASSEMBLER__ */
#endif
