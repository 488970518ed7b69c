/* A frame-pointer walk that never faults: what the sampling profiler, off-CPU and
 * allocation events record as a stack. Every address it reads is checked first: frame
 * pointers must lie inside the walked stack [lo, hi), be 8-byte aligned and increase
 * strictly (frames of callers are above their callees'); return addresses must lie in
 * kernel text. The first bad frame ends the walk. Pure C over plain memory: the host
 * tests drive it with fabricated stacks (test/unit/test_stackwalk.c). */
#ifndef TRACE_STACKWALK_H
#define TRACE_STACKWALK_H

#include <stdbool.h>
#include <stdint.h>

#define STACK_MAX_DEPTH 48 /* frames kept; deeper stacks are cut (flag STACK_TRUNCATED) */

/* stack_walk()'s result flags */
#define STACK_TRUNCATED 0x1 /* more frames than STACK_MAX_DEPTH */
#define STACK_BAD_FRAME 0x2 /* the walk ended at a frame pointer or address that failed a check */
#define STACK_DEFERRED 0x4  /* profile_sample: taken inside the tracer, written a little later */

struct stack_walk_in {
	uint64_t pc;       /* the interrupted (or current) instruction: the first frame */
	uint64_t rbp, rsp; /* its frame pointer and stack pointer */
	uint64_t lo, hi;   /* the stack the frames must lie in: [lo, hi) */
	uint64_t text_lo, text_hi; /* kernel text: [text_lo, text_hi) */
	uint64_t fentry;   /* __fentry__, to recognise a patched call at a function's start */
	bool pc_returns;   /* pc is a return address (a walk from inside the kernel), not an
			    * interrupted instruction: its frame is complete */
	/* The real return address of a return address read from slot (function_graph puts
	 * return_to_handler there; trace_graph_ret_addr()); NULL: taken as it is. */
	uint64_t (*fix_ret)(uint64_t ret, uint64_t slot);
};

/* Walks from in->pc up the frame-pointer chain into pcs[0..n) (innermost first, at most
 * STACK_MAX_DEPTH), returning n (at least 1 when pc is in text, else 0) and STACK_* flags
 * in *flags. When pc's function has not set up its frame (at its fentry site or `push
 * %rbp`, right after it, or at its `ret`), its return address is read from the stack
 * pointer, so the caller is not skipped. */
unsigned stack_walk(const struct stack_walk_in *in, uint32_t *pcs, unsigned *flags);

#endif
