/* The -pg entry trampoline and the function_graph return trampoline.
 *
 * Fast paths. While no filter needs looking at (trace_cfg.hook is TRACE_HOOK_FUNCTION or
 * TRACE_HOOK_GRAPH), the common case of a traced call runs here without calling C: under
 * TCG every saved register, memory access, call and return is expensive, and the C hooks
 * must save every register the ABI lets C clobber. The fast paths do exactly what the C
 * hooks (function.c, fgraph.c) and ring_write() (ring.h) do in that case, with the same
 * protocol: recursion guard first, then writing/enabled, head bumped with a plain store
 * (safe under the guard: see RESERVE),
 * w1 then w0 last with its lap bit. Anything unusual (the task already inside the tracer,
 * pid filters changed since the task last looked or excluding it, a full or disabled
 * buffer, a REC_LOST marker due, the first or last slot of a block,
 * the shadow stack full or out of step, a set_graph_function frame, tracing_thresh) undoes
 * what the fast path did, which never includes a reservation, and runs the C hook, which
 * decides everything again.
 *
 * Ordering: the hooks' data is per CPU and per task, written by this CPU only (threads
 * and the interrupts nesting on them); x86 keeps this CPU's stores in program order for
 * other CPUs too (TSO), so program order here is the order the C code gets with compiler
 * barriers and release stores. */
#include "trace/hook.h"

/* Saving the caller-saved registers a path clobbers; restored in the reverse order. */
.macro SAVE_REGS regs:vararg
	.irp r, \regs
	pushq	%\r
	.endr
.endm
.macro RESTORE_REGS r1, regs:vararg
	.ifnb \regs
	RESTORE_REGS \regs
	.endif
	popq	%\r1
.endm
#define FUNC_REGS rax, rdx, rcx, rsi, rdi, r8             /* 6 registers */
#define GRAPH_REGS rax, rdx, rcx, rsi, rdi, r8, r9, r10   /* 8: stays 16-byte aligned */

#ifdef GLASS_HOST
/* Host build: one call to the shim (core.c) gives the task and the packed CPU / tid /
 * interrupt depth; it clobbers rax and rdx only. \env keeps the packed word. */
.macro ENV_TASK task, env
	pushq	%rbp
	movq	%rsp, %rbp
	andq	$-16, %rsp		/* the ABI's call alignment */
	call	trace_fentry_env
	movq	%rbp, %rsp
	popq	%rbp
	movq	%rax, \task
	movq	%rdx, \env
.endm
.macro ENV_CPU dst, dst32, task, env
	movq	\env, \dst
	andl	$0xff, \dst32
.endm
.macro ENV_TID dst, dst32, task, env
	movq	\env, \dst
	shrl	$16, \dst32
.endm
.macro ENV_IRQ dst, dst32, task, env
	movq	\env, \dst
	shrq	$32, \dst
.endm
#else
/* Kernel: what kernel/trace_env.h reads, GS-relative and in struct thread. */
.macro ENV_TASK task, env
	movq	%gs:GS_CURRENT, \task
	addq	$THREAD_TASK, \task
.endm
.macro ENV_CPU dst, dst32, task, env
	movl	%gs:GS_CPU, \dst32
.endm
.macro ENV_TID dst, dst32, task, env
	movl	THREAD_TID - THREAD_TASK(\task), \dst32
.endm
.macro ENV_IRQ dst, dst32, task, env
	movl	%gs:GS_IRQ_DEPTH, \dst32
.endm
#endif

/* \rc = &ring.cpu[cpu in \rc32] */
.macro RING_CPU rc, rc32
	imull	$RING_CPU_SIZE, \rc32, \rc32
	addq	$ring + RING_CPU0, \rc
.endm

/* The ring's `writing` count (ring_quiesce() waits for it to drop) raised and dropped by
 * plain stores of 1 and 0 rather than incl/decl, which would chain each call's
 * read-modify-writes through store forwarding: while a fast path runs, no other writer is
 * inside this CPU's buffer (every writer runs with its task's `busy` set, see RESERVE),
 * so the count is 0 before and after. The store of 1 is one instruction before `enabled`
 * is read, so an interrupt (ring_quiesce()'s stop_others) comes before or after it, as
 * with incl; x86 keeps it before the reservation's stores and the store of 0 after the
 * record's (TSO), so ring_quiesce() on another CPU sees 1 while the slot is in use. */
.macro WRITING_ON rc
	movl	$1, RC_WRITING(\rc)
.endm
.macro WRITING_OFF rc
	movl	$0, RC_WRITING(\rc)
.endm

/* \dst = the TSC's low 48 bits (a record's timestamp). Clobbers rax and rdx. */
.macro TSC48 dst
	rdtsc
	movzwl	%dx, %edx
	shlq	$32, %rdx
	orq	%rax, %rdx
	movq	%rdx, \dst
.endm

/* \w0 = (tid | type << 12) << 48: a record's tid and type. */
.macro W0_TID_TYPE w0, w0_32, type, task, env
	ENV_TID	\w0, \w0_32, \task, \env
	andl	$0xfff, \w0_32
	orl	$(\type << 12), \w0_32
	shlq	$48, \w0
.endm

/* ring_reserve1() for the ring at \rc, whose `writing` count the caller raised and whose
 * `enabled` it checked, with the task's `busy` set: rax = the reserved slot, \lap = its
 * lap bit (bit 63 of w0). Clobbers rdx. Goes to \bail, with nothing reserved, where
 * ring_reserve1() would call ring_reserve(), and also for the first slot of a block (its
 * event number must be noted) and the last (the slot index would carry into the event
 * number). */
.macro RESERVE rc, lap, lap32, bail
	movq	RC_HEAD(\rc), %rax
	movq	RC_DROPPED(\rc), %rdx
	cmpq	RC_DROPPED_NOTED(\rc), %rdx
	jne	\bail			/* a REC_LOST marker is due */
	cmpb	$0, ring + RING_OVERWRITE(%rip)
	jne	.Lroom\@
	movl	%eax, %edx		/* stop mode: full if head - rd.pos > mask */
	subl	RC_RD_POS(\rc), %edx
	cmpl	RC_MASK(\rc), %edx
	ja	\bail
.Lroom\@:
	leal	1(%rax), %edx
	testl	$(FENTRY_BLOCK_SLOTS - 2), %edx
	jz	\bail
	movabsq	$0x100000001, %rdx	/* one more slot and one more event */
	addq	%rax, %rdx
	/* A plain store, no cmpxchg: nothing can reserve on this CPU between the load of
	 * head above and this store. No other CPU writes head, and every writer on this CPU
	 * runs with its task's `busy` set (the fast paths here; the C hooks, sched_switch
	 * and trace_marker through trace_hook_begin()), which the fast path set before
	 * coming here: an interrupt nesting on this task sees it and records nothing, and
	 * the scheduler does not switch away from a busy task. No barrier needed: x86 keeps
	 * this store before the record's stores for other CPUs (TSO), as the cmpxchg did. */
	movq	%rdx, RC_HEAD(\rc)
	movl	RC_LAP_SHIFT(\rc), \lap32
	btl	\lap32, %eax
	sbbq	\lap, \lap
	shlq	$63, \lap
	andl	RC_MASK(\rc), %eax
	shlq	$4, %rax
	addq	RC_SLOTS(\rc), %rax
.endm

/* ring_commit(): w1, then w0 with the lap bit. No fence: x86 makes the two stores visible
 * in program order, so a reader that sees w0 sees w1. */
.macro COMMIT w0, w1, lap
	orq	\lap, \w0
	movq	\w1, 8(%rax)
	movq	\w0, (%rax)
.endm

	.text

/* `call __fentry__` is the first instruction of every traced function (patch.c patches
 * it in). On entry 0(%rsp) is the address after that call (the site + 5) and 8(%rsp) the
 * traced function's own return address. The argument registers (rdi rsi rdx rcx r8 r9),
 * rax (vector count of varargs calls) and r10 (static chain) are preserved; r11 is
 * scratch at a function's entry in the x86-64 ABI (-pg turns off gcc's interprocedural
 * register allocation, so no caller relies on more), and so are the flags. */
	.globl	__fentry__
	.type	__fentry__, @function
__fentry__:
	movl	trace_cfg + TRACE_CFG_HOOK_OFFSET(%rip), %r11d
	cmpl	$TRACE_HOOK_GRAPH, %r11d
	je	.Lgraph_fast
	cmpl	$TRACE_HOOK_FUNCTION, %r11d
	je	.Lfunc_fast
	testl	%r11d, %r11d
	jnz	.Lfentry_c
	ret

/* The C hooks. Eight pushes keep the stack 16-byte aligned for the call (it was at entry:
 * the traced function's own call misaligned it by 8, the call here by 8 more). */
.Lfentry_c:
	SAVE_REGS GRAPH_REGS
	movl	trace_cfg + TRACE_CFG_ACTIVE_OFFSET(%rip), %eax
	leaq	72(%rsp), %rdi		/* parent_slot: the traced function's return addr. */
	movq	64(%rsp), %rsi
	subq	$5, %rsi		/* ip: the call site, i.e. the function's start */
	cmpl	$TRACER_GRAPH, %eax
	je	1f
	cmpl	$TRACER_FUNCTION, %eax
	jne	2f
	call	function_trace_call
	jmp	2f
1:	call	fgraph_enter
2:	RESTORE_REGS GRAPH_REGS
	ret

/* function_trace_call() without filters: one REC_FUNC record. */
.Lfunc_fast:
	SAVE_REGS FUNC_REGS		/* 48(%rsp): site + 5, 56(%rsp): parent return */
	ENV_TASK %rsi, %r8
	cmpb	$0, TASK_BUSY(%rsi)
	jne	.Lfunc_bail		/* inside the tracer: the C hook counts it */
	movl	trace_cfg + TRACE_CFG_PID_GEN_OFFSET(%rip), %eax
	cmpl	%eax, TASK_PID_OK_GEN(%rsi)
	jne	.Lfunc_bail		/* pid filters changed, or exclude this task */
	movb	$1, TASK_BUSY(%rsi)	/* before anything else: an interrupt sees it */
	ENV_CPU	%rcx, %ecx, %rsi, %r8
	RING_CPU %rcx, %ecx
	movq	56(%rsp), %rdi		/* w1 = ip | parent << 32 */
	shlq	$32, %rdi
	movl	48(%rsp), %eax
	subl	$5, %eax
	orq	%rax, %rdi
	W0_TID_TYPE %r8, %r8d, FENTRY_REC_FUNC, %rsi, %r8
	TSC48	%rdx
	orq	%rdx, %r8		/* w0 without the lap bit */
	WRITING_ON %rcx
	cmpl	$0, RC_ENABLED(%rcx)
	je	.Lfunc_unwrite
	RESERVE	%rcx, %r11, %r11d, .Lfunc_unwrite
	COMMIT	%r8, %rdi, %r11
	WRITING_OFF %rcx
	movb	$0, TASK_BUSY(%rsi)
	RESTORE_REGS FUNC_REGS
	ret
.Lfunc_unwrite:
	WRITING_OFF %rcx
	movb	$0, TASK_BUSY(%rsi)
.Lfunc_bail:
	RESTORE_REGS FUNC_REGS
	jmp	.Lfentry_c

/* fgraph_enter() without filters: a REC_ENTRY record, then the frame on the task's shadow
 * stack and the traced function's return hooked. Aligned (after a jmp: no padding runs):
 * the fetch of a taken branch's target starts at a 16-byte boundary. */
	.p2align 4
.Lgraph_fast:
	SAVE_REGS GRAPH_REGS		/* 64(%rsp): site + 5, 72(%rsp): parent return */
	ENV_TASK %rsi, %r9
	cmpb	$0, TASK_BUSY(%rsi)
	jne	.Lgraph_bail		/* inside the tracer: the C hook counts it */
	movl	trace_cfg + TRACE_CFG_PID_GEN_OFFSET(%rip), %eax
	cmpl	%eax, TASK_PID_OK_GEN(%rsi)
	jne	.Lgraph_bail		/* pid filters changed, or exclude this task */
	cmpq	$0, trace_cfg + TRACE_CFG_THRESH_OFFSET(%rip)
	jne	.Lgraph_bail		/* tracing_thresh: only returns are recorded */
	movl	TASK_DEPTH(%rsi), %edi	/* d */
	cmpl	$TRACE_STACK_DEPTH, %edi
	jae	.Lgraph_bail		/* shadow stack full: the C hook counts it */
	movb	$1, TASK_BUSY(%rsi)	/* before anything else: an interrupt sees it */
	ENV_CPU	%rcx, %ecx, %rsi, %r9
	RING_CPU %rcx, %ecx
	movl	64(%rsp), %r10d
	subl	$5, %r10d		/* ip */
	movl	%edi, %r8d		/* w1 = ip | (d - graph_base) << 32 | flags << 40 */
	subl	TASK_GRAPH_BASE(%rsi), %r8d
	movzbl	%r8b, %r8d
	shlq	$32, %r8
	orq	%r10, %r8
	/* REC_F_IRQ if this call runs in a deeper interrupt than the frame below it */
	ENV_IRQ	%rdx, %edx, %rsi, %r9
	xorl	%eax, %eax
	testl	%edi, %edi
	jz	1f
	movl	%edi, %eax
	shll	$FRAME_SIZE_SHIFT, %eax
	movzbl	TASK_STACK - FRAME_SIZE + FRAME_IRQ(%rsi, %rax), %eax
1:	cmpl	%eax, %edx
	jbe	2f
	btsq	$40, %r8
2:	cmpl	$255, %edx		/* the frame keeps the depth in 8 bits */
	jbe	3f
	movl	$255, %edx
3:	shlq	$32, %rdx
	orq	%rdx, %r10		/* the frame's func | irq << 32 (flags 0) */
	W0_TID_TYPE %r9, %r9d, FENTRY_REC_ENTRY, %rsi, %r9
	TSC48	%rdx
	orq	%rdx, %r9		/* w0 without the lap bit */
	WRITING_ON %rcx
	cmpl	$0, RC_ENABLED(%rcx)
	je	.Lgraph_unwrite
	RESERVE	%rcx, %r11, %r11d, .Lgraph_unwrite
	COMMIT	%r9, %r8, %r11
	WRITING_OFF %rcx
	/* Push the frame: the slot is claimed (depth raised) before it is filled, so an
	 * interrupt arriving in between pushes above it; it is complete before the return
	 * is hooked. Program order is enough: only this CPU looks at it. */
	leal	1(%rdi), %eax
	movl	%eax, TASK_DEPTH(%rsi)
	shll	$FRAME_SIZE_SHIFT, %edi
	leaq	TASK_STACK(%rsi, %rdi), %rdi
	movq	72(%rsp), %rax
	movq	%rax, FRAME_RET(%rdi)
	leaq	72(%rsp), %rax
	movq	%rax, FRAME_SLOT(%rdi)
	movq	%r9, FRAME_TSC(%rdi)	/* w0: the entry TSC in its low 48 bits */
	movq	%r10, FRAME_FUNC(%rdi)
	leaq	return_to_handler(%rip), %rax
	movq	%rax, 72(%rsp)
	movb	$0, TASK_BUSY(%rsi)
	RESTORE_REGS GRAPH_REGS
	ret
.Lgraph_unwrite:
	WRITING_OFF %rcx
	movb	$0, TASK_BUSY(%rsi)
.Lgraph_bail:
	RESTORE_REGS GRAPH_REGS
	jmp	.Lfentry_c
	.size	__fentry__, . - __fentry__

/* A function whose return fgraph_enter hooked returns here, with %rsp just above the
 * slot its return address was in. rax and rdx (return values) are preserved; the other
 * caller-saved registers are dead at a return (-pg: no interprocedural register
 * allocation), and r11 carries the real return address.
 *
 * Fast path: fgraph_exit() for the top frame of a task not inside the tracer, without a
 * set_graph_function region or tracing_thresh: a REC_RETURN record, then the frame is
 * released. */
	.globl	return_to_handler
	.type	return_to_handler, @function
	.p2align 4	/* reached by a mispredicted ret every time: fetch from a 16-byte line */
return_to_handler:
	pushq	%rax
	pushq	%rdx			/* 8(%rsp): the slot */
	ENV_TASK %rsi, %r9
	cmpb	$0, TASK_BUSY(%rsi)
	jne	.Lret_c			/* a return inside the tracer */
	cmpl	$TRACE_HOOK_GRAPH, trace_cfg + TRACE_CFG_HOOK_OFFSET(%rip)
	jne	.Lret_c			/* the C hook decides whether to record */
	cmpq	$0, trace_cfg + TRACE_CFG_THRESH_OFFSET(%rip)
	jne	.Lret_c
	movl	TASK_DEPTH(%rsi), %edi
	subl	$1, %edi		/* i: the top frame */
	jb	.Lret_c			/* empty shadow stack */
	movl	%edi, %r8d
	shll	$FRAME_SIZE_SHIFT, %r8d
	leaq	TASK_STACK(%rsi, %r8), %r8
	leaq	8(%rsp), %rax
	cmpq	%rax, FRAME_SLOT(%r8)
	jne	.Lret_c			/* frames abandoned above this one: resync in C */
	cmpb	$0, FRAME_FLAGS(%r8)
	jne	.Lret_c			/* closes a set_graph_function region */
	movb	$1, TASK_BUSY(%rsi)	/* before anything else: an interrupt sees it */
	ENV_CPU	%rcx, %ecx, %rsi, %r9
	RING_CPU %rcx, %ecx
	W0_TID_TYPE %r10, %r10d, FENTRY_REC_RETURN, %rsi, %r9
	movl	FRAME_FUNC(%r8), %r9d
	movq	FRAME_RET(%r8), %r11
	TSC48	%rdx
	orq	%rdx, %r10		/* w0 without the lap bit */
	subq	FRAME_TSC(%r8), %rdx	/* duration: 48-bit difference, saturated to 32 */
	shlq	$16, %rdx
	shrq	$16, %rdx
	movl	$0xffffffff, %eax
	cmpq	%rax, %rdx
	cmova	%rax, %rdx
	shlq	$32, %rdx
	orq	%rdx, %r9		/* w1 = func | duration << 32 */
	WRITING_ON %rcx
	cmpl	$0, RC_ENABLED(%rcx)
	je	.Lret_unwrite
	RESERVE	%rcx, %r8, %r8d, .Lret_unwrite
	COMMIT	%r10, %r9, %r8
	WRITING_OFF %rcx
	/* The frame was read above: now it may be released (an interrupt may reuse it). */
	movl	%edi, TASK_DEPTH(%rsi)
	movb	$0, TASK_BUSY(%rsi)
	popq	%rdx
	popq	%rax
	jmp	*%r11
.Lret_unwrite:
	WRITING_OFF %rcx
	movb	$0, TASK_BUSY(%rsi)
.Lret_c:
	leaq	8(%rsp), %rdi		/* the slot: entry %rsp - 8 */
	call	fgraph_exit
	movq	%rax, %r11
	popq	%rdx
	popq	%rax
	jmp	*%r11
	.size	return_to_handler, . - return_to_handler

	.section .note.GNU-stack, "", @progbits
