/* The -pg entry trampoline and the function_graph return hook: __fexit__, called from
 * the NOP the compiler placed before each `ret` (FGRAPH=rethook), or return_to_handler,
 * which a hooked call returns into instead of its caller (FGRAPH=hijack).
 *
 * Fast paths. While no filter needs looking at (trace_cfg.hook is TRACE_HOOK_FUNCTION or
 * TRACE_HOOK_GRAPH), the common case of a traced call runs here without calling C: under
 * TCG every saved register, memory access, branch, call and return is expensive, and the
 * C hooks must save every register the ABI lets C clobber. The fast paths do what the C
 * hooks (function.c, fgraph.c) and ring_write.c's writers do in that case, with the same
 * protocol: recursion guard first, then writing/enabled, head bumped with a plain store
 * (see RESERVE), the one-slot record stored last with its lap bit. Anything unusual (the
 * task already inside the tracer, pid filters changed since the task last looked or
 * excluding it, an interrupt, a full or disabled buffer, the end of a block, a
 * record that needs a W_SYNC or W_LOST before it or does not fit one slot, the stack of
 * open calls full or out of step, a set_graph_function frame) undoes what the fast path did,
 * which never includes a reservation, and runs the C hook, which decides everything again.
 *
 * Ordering: the hooks' data is per CPU and per task, written by this CPU only (threads
 * and the interrupts nesting on them); x86 keeps this CPU's stores in program order for
 * other CPUs too (TSO), so program order here is the order the C code gets with compiler
 * barriers and release stores.
 *
 * The slots are built from the codec's constants (trace/codec_format.h) only: types and
 * fields by name, never as numbers, so the records here are the codec's (test_fentry_codec
 * compares them with wire_encode() and wire_leaf()). What the instructions assume of the
 * format beyond the names is checked here. */
#include "trace/hook.h"

.if CODEC_TSC_BITS != 48
.error "TSC48 keeps the TSC's low 48 bits"
.endif
.if CODEC_DEPTH_BITS != 8
.error "depths are moved and compared as bytes"
.endif
.if W_DEPTH_SHIFT + CODEC_DEPTH_BITS > W_FUNC_SHIFT || W_LAP_SHIFT != 63
.error "the leaf check compares type and function in bits W_FUNC_SHIFT..62"
.endif

/* Sets slot type \type in \reg, whose type bits are 0: one bts per bit of the type. */
.macro SET_TYPE reg, type
	.irp bit, 0, 1, 2, 3
	.if (\type >> \bit) & 1
	btsq	$(W_TYPE_SHIFT + \bit), \reg
	.endif
	.endr
.endm

/* Changes slot type \from in \reg into \to: one btc per bit that differs. */
.macro CHANGE_TYPE reg, from, to
	.irp bit, 0, 1, 2, 3
	.if ((\from ^ \to) >> \bit) & 1
	btcq	$(W_TYPE_SHIFT + \bit), \reg
	.endif
	.endr
.endm

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
#define GRAPH_FAST_REGS rax, rdx, rcx, rsi, rdi, r8, r9   /* 7: no call, r11 is scratch */

#ifdef GLASS_HOST
/* ENV_TASK sets \task to the base of the current task's fields: TB + TASK_x(\task) is
 * field x of its struct trace_task. */
/* Host build: the shim (test/unit/trace_host_env.c) keeps the task, CPU, thread id and
 * interrupt depth in thread-locals, read here %fs-relative as the kernel reads its per-CPU
 * data %gs-relative: one load each. A thread's task is set on its first use, by a call
 * that clobbers rax and rdx only. \env is unused. */
.macro ENV_TASK task, env
	movq	%fs:trace_host_cur_task@tpoff, \task
	testq	\task, \task
	jnz	.Lenv_task\@
	pushq	%rbp
	movq	%rsp, %rbp
	andq	$-16, %rsp		/* the ABI's call alignment */
	call	trace_fentry_env
	movq	%rbp, %rsp
	popq	%rbp
	movq	%rax, \task
.Lenv_task\@:
.endm
.macro ENV_CPU dst, dst32, task, env
	movl	%fs:trace_host_cpu@tpoff, \dst32
.endm
.macro ENV_TID dst, dst32, task, env
	movl	%fs:trace_host_tid@tpoff, \dst32
.endm
.macro ENV_IRQ dst, dst32, task, env
	movl	%fs:trace_host_irq_depth@tpoff, \dst32
.endm
#define TB 0
#else
/* Kernel: what kernel/trace_env.h reads, GS-relative and in struct thread. \task is the
 * current thread, whose trace_task is at THREAD_TASK (TB): one add fewer per hook. */
#define TB THREAD_TASK
.macro ENV_TASK task, env
	movq	%gs:GS_CURRENT, \task
.endm
.macro ENV_CPU dst, dst32, task, env
	movl	%gs:GS_CPU, \dst32
.endm
.macro ENV_TID dst, dst32, task, env
	movl	THREAD_TID(\task), \dst32
.endm
.macro ENV_IRQ dst, dst32, task, env
	movl	%gs:GS_IRQ_DEPTH, \dst32
.endm
#endif

/* To \bail unless pid filters let task \task be traced (its pid_ok_gen is
 * trace_cfg.pid_gen) and it is not inside the tracer (busy 0). Clobbers rax. Two compares:
 * one 8-byte compare of both (busy next to pid_ok_gen) is two instructions fewer, but on a
 * real CPU its load cannot be forwarded from the 1-byte store that cleared busy at the end
 * of the previous hook and waits for it: +1.5 ns per call (docs/benchmarks.md). */
.macro GATE task, bail
	movl	trace_cfg + TRACE_CFG_PID_GEN_OFFSET(%rip), %eax
	cmpl	%eax, TB + TASK_PID_OK_GEN(\task)
	jne	\bail
	cmpb	$0, TB + TASK_BUSY(\task)
	jne	\bail
.endm

/* \rc = &ring.cpu[cpu in \rc32] */
.macro RING_CPU rc, rc32
	imull	$RING_CPU_SIZE, \rc32, \rc32
	addq	$ring + RING_CPU0, \rc
.endm

/* The ring's `writing` count (ring_quiesce() waits for it to drop) raised and dropped by
 * plain stores of 1 and 0 rather than incl/decl: while a fast path runs, no other writer is
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

/* \dst = the TSC's low 48 bits. Clobbers rax and rdx. */
.macro TSC48 dst, dst32
	rdtsc
	movzwl	%dx, \dst32
	shlq	$32, \dst
	orq	%rax, \dst
.endm

/* \dst32 = \addr32 - start of text (ring.text_base), the 22-bit function field. The
 * kernel's text starts at a link-time constant. */
.macro FUNC_OFFSET dst32
#ifdef GLASS_HOST
	subl	ring + RING_TEXT_BASE(%rip), \dst32
#else
	subl	$__text_start, \dst32
#endif
.endm

/* From \dst32 = a patch site + 5 (the address after `call __fentry__`): \dst32 = the
 * site's function field, and \ip32 (if given) the site (\dst: \dst32's 64 bits). */
.macro SITE_FUNC dst32, dst, ip32
#ifdef GLASS_HOST
	subl	$5, \dst32
	.ifnb \ip32
	movl	\dst32, \ip32
	.endif
	FUNC_OFFSET \dst32
#else
	subl	$(5 + __text_start), \dst32
	.ifnb \ip32
	leal	__text_start(\dst), \ip32
	.endif
#endif
.endm

/* FUNC_OFFSET for any address (a caller); to \bail if it does not fit the field. A
 * traced function (the patch site of a call that reached a fast path) needs no check: it
 * always fits, as patch.c turns the fast paths off (trace_cfg.far_sites) before it
 * patches in one that does not. */
.macro FUNC_FIELD dst32, bail
	FUNC_OFFSET \dst32
	cmpl	$(1 << W_FUNC_BITS), \dst32
	jae	\bail
.endm

/* \dst32 = the index of frame \d (a 64-bit register holding it) in 8-byte units:
 * TB + TASK_STACK(task, dst, 8) is its address (3 units a frame with rethook, 4 with
 * hijack). */
.macro FRAME_UNITS dst32, d
#if FRAME_SIZE == 24
	leal	(\d, \d, 2), \dst32
#elif FRAME_SIZE == 32
	leal	(, \d, 4), \dst32
#else
#error "frames are 24 or 32 bytes"
#endif
.endm

/* \delta = \tsc - the CPU's last record time, if it fits \bits bits; else to \bail. */
.macro DELTA delta, tsc, rc, bits, bail
	movq	\tsc, \delta
	subq	RC_LAST_TSC(\rc), \delta
	cmpq	$(1 << \bits), \delta
	jae	\bail
.endm

/* Stores the one-slot record \word (without its lap bit) in a new slot of the ring at \rc,
 * whose `writing` count the caller raised and whose `enabled` it checked, with the task's
 * `busy` set: rax = the slot index (zero-extended). Clobbers rdx. Goes to \bail with
 * nothing reserved if the slow path must reserve (room_end: the block's end, the free
 * room's end in stop mode, or a marker due).
 * head is bumped with a plain store, no cmpxchg: nothing can reserve on this CPU between
 * its load and the store. No other CPU writes head, and every writer on this CPU runs with
 * its task's `busy` set (the fast paths here; the C hooks, sched_switch and trace_marker
 * through trace_hook_begin()), which the fast path set before coming here: an interrupt
 * nesting on this task sees it and records nothing, and the scheduler does not switch away
 * from a busy task. x86 keeps the head store before the record's (TSO). */
.macro PUT word, rc, bail
	movl	RC_HEAD(\rc), %eax	/* the slot index: head's low half */
	cmpl	RC_ROOM_END(\rc), %eax
	je	\bail
	movabsq	$0x100000001, %rdx	/* one more slot and one more event, stored as 8 */
	addq	%rdx, RC_HEAD(\rc)	/* bytes: the next load of head reads 8 or 4 of them */
	movq	RC_BLK_BASE(\rc), %rdx
	orq	RC_BLK_LAP(\rc), \word
	movq	\word, (%rdx, %rax, 8)
.endm

/* Records \word (all but its delta and lap bit) at the time now, in \tsc: the whole of a
 * one-record write. rax = the slot index, as PUT leaves it. To \unbusy if the time since
 * the last record does not fit \bits bits, to \unwrite (`writing` raised) if PUT bails. */
.macro WRITE_NOW word, tsc, tsc32, rc, bits, unbusy, unwrite
	TSC48	\tsc, \tsc32
	DELTA	%rax, \tsc, \rc, \bits, \unbusy
	orq	%rax, \word
	WRITING_ON \rc
	cmpl	$0, RC_ENABLED(\rc)
	je	\unwrite
	PUT	\word, \rc, \unwrite
	movq	\tsc, RC_LAST_TSC(\rc)
	WRITING_OFF \rc
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

/* function_trace_call() without filters: one W_FUNC record. */
.Lfunc_fast:
	SAVE_REGS FUNC_REGS		/* 48(%rsp): site + 5, 56(%rsp): parent return */
	ENV_TASK %rsi, %r8
	GATE	%rsi, .Lfunc_bail	/* pid filters changed or exclude this task, or inside
					 * the tracer: the C hook decides, and counts */
	movb	$1, TB + TASK_BUSY(%rsi)	/* before anything else: an interrupt sees it */
	ENV_CPU	%rcx, %ecx, %rsi, %r8
	RING_CPU %rcx, %ecx
	ENV_TID	%rax, %eax, %rsi, %r8
	cmpl	RC_CUR_TID(%rcx), %eax
	jne	.Lfunc_unbusy		/* readers do not know this tid yet: W_SYNC first */
	movl	48(%rsp), %edi
	SITE_FUNC %edi			/* the function */
	movl	56(%rsp), %eax		/* parent */
	FUNC_FIELD %eax, .Lfunc_unbusy
	shlq	$W_FUNC_SHIFT, %rdi
	shlq	$W_PARENT_SHIFT, %rax
	orq	%rax, %rdi
	SET_TYPE %rdi, W_FUNC
	WRITE_NOW %rdi, %r8, %r8d, %rcx, W_FUNC_DELTA_BITS, .Lfunc_unbusy, .Lfunc_unwrite
	movb	$0, TB + TASK_BUSY(%rsi)
	RESTORE_REGS FUNC_REGS
	ret
.Lfunc_unwrite:
	WRITING_OFF %rcx
.Lfunc_unbusy:
	movb	$0, TB + TASK_BUSY(%rsi)
.Lfunc_bail:
	RESTORE_REGS FUNC_REGS
	jmp	.Lfentry_c

/* fgraph_enter() without filters, outside interrupts: a W_ENTRY record, then the frame on
 * the task's stack of open calls (with hijack, the traced function's return hooked).
 * Aligned (after a jmp: no padding runs): the fetch of a taken branch's target starts at
 * a 16-byte boundary. Registers: rsi the task, rdi the new frame in 8-byte units, rcx the
 * CPU's ring, r8 the record, r9 the entry time, r11 the function. */
	.p2align 4
.Lgraph_fast:
	SAVE_REGS GRAPH_FAST_REGS	/* 56(%rsp): site + 5, 64(%rsp): parent return */
	ENV_TASK %rsi, %r9
	GATE	%rsi, .Lgraph_bail	/* pid filters changed or exclude this task, or inside
					 * the tracer: the C hook decides, and counts */
	movl	TB + TASK_DEPTH(%rsi), %edi	/* d */
	cmpl	$TRACE_STACK_DEPTH, %edi
	jae	.Lgraph_bail		/* the stack of frames is full: the C hook counts it */
	FRAME_UNITS %edi, %rdi		/* the new frame, stack[d] */
#if CONFIG_FGRAPH_RETHOOK
	/* A top frame whose return address slot is at or below this call's belongs to a call
	 * that is gone without its return hook running (tracing was off, or its return site
	 * was not patched yet): the C hook drops it. With no frame (d = 0), stack[-1]'s slot
	 * is the task's no_frame_slot, above every slot. */
	leaq	64(%rsp), %rdx
	cmpq	%rdx, TB + TASK_STACK - FRAME_SIZE + FRAME_SLOT(%rsi, %rdi, 8)
	jbe	.Lgraph_bail
#endif
	ENV_IRQ	%rdx, %edx, %rsi, %r9
	testl	%edx, %edx
	jnz	.Lgraph_bail		/* an interrupt: the C hook marks its first call */
	movb	$1, TB + TASK_BUSY(%rsi)	/* before anything else: an interrupt sees it */
	ENV_CPU	%rcx, %ecx, %rsi, %r9
	RING_CPU %rcx, %ecx
	ENV_TID	%rax, %eax, %rsi, %r9
	cmpl	RC_CUR_TID(%rcx), %eax
	jne	.Lgraph_unbusy		/* readers do not know this tid yet: W_SYNC first */
	movl	56(%rsp), %r8d
	SITE_FUNC %r8d, %r8, %r11d	/* the function; r11: ip */
	movl	TB + TASK_DEPTH(%rsi), %eax	/* depth: d - graph_base, 8 bits */
	subl	TB + TASK_GRAPH_BASE(%rsi), %eax
	movzbl	%al, %eax
	shlq	$W_FUNC_SHIFT, %r8
	shlq	$W_DEPTH_SHIFT, %rax
	orq	%rax, %r8
	SET_TYPE %r8, W_ENTRY
	WRITE_NOW %r8, %r9, %r9d, %rcx, W_ENTRY_DELTA_BITS, .Lgraph_unbusy, .Lgraph_unwrite
	/* Push the frame: the slot is claimed (depth raised) before it is filled, so an
	 * interrupt arriving in between pushes above it; it is complete before the return
	 * is hooked. Program order is enough: only this CPU looks at it. */
	incl	TB + TASK_DEPTH(%rsi)
	leaq	TB + TASK_STACK(%rsi, %rdi, 8), %rdi
#if !CONFIG_FGRAPH_RETHOOK
	movq	64(%rsp), %rdx
	movq	%rdx, FRAME_RET(%rdi)
#endif
	leaq	64(%rsp), %rdx
	movq	%rdx, FRAME_SLOT(%rdi)
	movq	%r9, FRAME_TSC(%rdi)	/* the entry TSC; irq and flags 0 */
	movl	%r11d, FRAME_FUNC(%rdi)
	movl	%eax, FRAME_POS(%rdi)	/* the entry's slot */
#if !CONFIG_FGRAPH_RETHOOK
	leaq	return_to_handler(%rip), %rax
	movq	%rax, 64(%rsp)
#endif
	movb	$0, TB + TASK_BUSY(%rsi)
	RESTORE_REGS GRAPH_FAST_REGS
	ret
.Lgraph_unwrite:
	WRITING_OFF %rcx
.Lgraph_unbusy:
	movb	$0, TB + TASK_BUSY(%rsi)
.Lgraph_bail:
	RESTORE_REGS GRAPH_FAST_REGS
	jmp	.Lfentry_c
	.size	__fentry__, . - __fentry__

#if CONFIG_FGRAPH_RETHOOK
/* `call __fexit__` is the last instruction before each `ret` of a traced function (patch.c
 * patches it in with the function's entry, and checks the `ret`). On entry 0(%rsp) is the
 * `ret`'s address and 8(%rsp) the function's return address, in the slot __fentry__ saw:
 * the epilogue has restored every callee-saved register and the stack pointer. rax and rdx
 * (return values) are preserved; the other caller-saved registers are dead before a `ret`
 * (-pg: no interprocedural register allocation; no sibling calls: their `jmp` would need
 * the arguments), and so are the flags.
 *
 * Fast path: fgraph_exit() for the top frame of a task not inside the tracer, without a
 * set_graph_function region or tracing_thresh: the call's W_ENTRY rewritten into a W_LEAF
 * if it is still the CPU's last record (wire_leaf()), else a W_RETURN record (whose depth
 * is implied: see trace/codec_format.h); then the frame is released. A return whose call
 * has no frame (its entry was not recorded: filtered, nested, or before the patch) leaves
 * at once. */
#define RET_SLOT 24			/* the slot, from %rsp after the two pushes */
	.globl	__fexit__
	.type	__fexit__, @function
__fexit__:
	cmpl	$TRACE_HOOK_GRAPH, trace_cfg + TRACE_CFG_HOOK_OFFSET(%rip)
	jne	.Lexit_slow
	pushq	%rax
	pushq	%rdx
	ENV_TASK %rsi, %r9
	cmpb	$0, TB + TASK_BUSY(%rsi)
	jne	.Lexit_none		/* a return inside the tracer: its entry was refused */
	movl	TB + TASK_DEPTH(%rsi), %edi	/* d */
	FRAME_UNITS %r8d, %rdi
	leaq	TB + TASK_STACK - FRAME_SIZE(%rsi, %r8, 8), %r8	/* the top frame, stack[d - 1] */
	leaq	RET_SLOT(%rsp), %rax
	cmpq	%rax, FRAME_SLOT(%r8)
	ja	.Lexit_none		/* the top call is further out, or no call is open
					 * (d = 0: stack[-1]'s slot, above all): not traced */
	jne	.Lret_c			/* frames of calls gone above this one: drop them in C */
	decl	%edi			/* i: the top frame's index */
#else
/* A function whose return fgraph_enter hooked returns here, with %rsp just above the
 * slot its return address was in. rax and rdx (return values) are preserved; the other
 * caller-saved registers are dead at a return (-pg: no interprocedural register
 * allocation), and r11 carries the real return address.
 *
 * Fast path: fgraph_exit() for the top frame of a task not inside the tracer, without a
 * set_graph_function region or tracing_thresh: the call's W_ENTRY rewritten into a W_LEAF
 * if it is still the CPU's last record (wire_leaf()), else a W_RETURN record (whose depth
 * is implied: see trace/codec_format.h); then the frame is released. */
#define RET_SLOT 8			/* the slot, from %rsp after the two pushes */
	.globl	return_to_handler
	.type	return_to_handler, @function
	.p2align 4	/* reached by a mispredicted ret every time: fetch from a 16-byte line */
return_to_handler:
	pushq	%rax
	pushq	%rdx
	ENV_TASK %rsi, %r9
	cmpb	$0, TB + TASK_BUSY(%rsi)
	jne	.Lret_c			/* a return inside the tracer */
	cmpl	$TRACE_HOOK_GRAPH, trace_cfg + TRACE_CFG_HOOK_OFFSET(%rip)
	jne	.Lret_c			/* the C hook decides whether to record */
	movl	TB + TASK_DEPTH(%rsi), %edi
	subl	$1, %edi		/* i: the top frame */
	jb	.Lret_c			/* empty shadow stack */
	FRAME_UNITS %r8d, %rdi
	leaq	TB + TASK_STACK(%rsi, %r8, 8), %r8
	leaq	RET_SLOT(%rsp), %rax
	cmpq	%rax, FRAME_SLOT(%r8)
	jne	.Lret_c			/* frames abandoned above this one: resync in C */
#endif
	cmpb	$0, FRAME_FLAGS(%r8)
	jne	.Lret_c			/* closes a set_graph_function region */
	movb	$1, TB + TASK_BUSY(%rsi)	/* before anything else: an interrupt sees it */
	ENV_CPU	%rcx, %ecx, %rsi, %r9
	RING_CPU %rcx, %ecx
	ENV_TID	%rax, %eax, %rsi, %r9
	cmpl	RC_CUR_TID(%rcx), %eax
	jne	.Lret_unbusy		/* readers do not know this tid yet: W_SYNC first */
	TSC48	%r9, %r9d
	movq	%r9, %r10		/* duration: 48-bit difference (the frame's top bytes */
	subq	FRAME_TSC(%r8), %r10	/* hold irq and flags) */
	shlq	$(64 - CODEC_TSC_BITS), %r10
	shrq	$(64 - CODEC_TSC_BITS), %r10
	WRITING_ON %rcx
	cmpl	$0, RC_ENABLED(%rcx)
	je	.Lret_unwrite
	/* A leaf if the entry is the last record (head = its slot + 1), is this call's
	 * W_ENTRY with a 14-bit delta and no irq flag, and the duration fits 15 bits. (Not
	 * after a drop: a refused write sets cur_tid to W_TID_NONE, so we are not here.) */
	movl	FRAME_POS(%r8), %edx
	incl	%edx
	cmpl	%edx, RC_HEAD(%rcx)
	jne	.Lret_record
	cmpq	$(1 << W_LEAF_DUR_BITS), %r10
	jae	.Lret_record
	movq	RC_BLK_BASE(%rcx), %r11
	leaq	-8(%r11, %rdx, 8), %r11	/* the entry's slot (rdx: its index + 1) */
	movq	(%r11), %rdx
	movl	FRAME_FUNC(%r8), %eax
	FUNC_OFFSET %eax
	shlq	$W_FUNC_SHIFT, %rax
	SET_TYPE %rax, W_ENTRY		/* what type and function must be: W_ENTRY, func */
	xorq	%rdx, %rax
	shlq	$(64 - W_LAP_SHIFT), %rax	/* bits W_FUNC_SHIFT..62 (leaving out the lap */
	shrq	$(W_FUNC_SHIFT + 64 - W_LAP_SHIFT), %rax	/* bit) must match */
	jnz	.Lret_record
	testl	$W_ENTRY_NOT_LEAF_MASK, %edx	/* irq flag and delta bits 14..27: 0 */
	jnz	.Lret_record
	CHANGE_TYPE %rdx, W_ENTRY, W_LEAF
	shlq	$W_LEAF_DUR_SHIFT, %r10
	orq	%r10, %rdx
	movq	%rdx, (%r11)		/* one store: readers see the entry or the leaf */
	shrq	$W_DEPTH_SHIFT, %rdx	/* the leaf's depth: W_RETURNs count from it */
	movb	%dl, RC_LAST_DEPTH(%rcx)
	movabsq	$0x100000000, %rdx	/* the leaf holds two events: one more in head, */
	addq	%rdx, RC_HEAD(%rcx)	/* as 8 bytes (a 4-byte store could not be forwarded
					 * to the next 8-byte load of head) */
	jmp	.Lret_done
	/* Else a W_RETURN record: delta 13 | duration 24 | func 22, if the call's depth
	 * (as fgraph_enter recorded it: i - graph_base, 8 bits) is one above the CPU's last
	 * leaf or return; any other depth needs a W_LONG_RET (the C path). */
.Lret_record:
	cmpq	$(1 << W_RETURN_DUR_BITS), %r10
	jae	.Lret_unwrite
	movl	FRAME_FUNC(%r8), %r11d
	FUNC_OFFSET %r11d
	shlq	$W_FUNC_SHIFT, %r11
	shlq	$W_RETURN_DUR_SHIFT, %r10
	orq	%r10, %r11
	SET_TYPE %r11, W_RETURN
	movl	%edi, %r10d
	subl	TB + TASK_GRAPH_BASE(%rsi), %r10d	/* the depth */
	leal	1(%r10), %eax
	cmpb	%al, RC_LAST_DEPTH(%rcx)
	jne	.Lret_unwrite
	DELTA	%rax, %r9, %rcx, W_RETURN_DELTA_BITS, .Lret_unwrite
	orq	%rax, %r11
	PUT	%r11, %rcx, .Lret_unwrite
	movq	%r9, RC_LAST_TSC(%rcx)
	movb	%r10b, RC_LAST_DEPTH(%rcx)
.Lret_done:
	WRITING_OFF %rcx
	/* The frame was read above: now it may be released (an interrupt may reuse it). */
#if CONFIG_FGRAPH_RETHOOK
	movl	%edi, TB + TASK_DEPTH(%rsi)
	movb	$0, TB + TASK_BUSY(%rsi)
.Lexit_none:
	popq	%rdx
	popq	%rax
	ret
#else
	movq	FRAME_RET(%r8), %r11
	movl	%edi, TB + TASK_DEPTH(%rsi)
	movb	$0, TB + TASK_BUSY(%rsi)
	popq	%rdx
	popq	%rax
	jmp	*%r11
#endif
.Lret_unwrite:
	WRITING_OFF %rcx
.Lret_unbusy:
	movb	$0, TB + TASK_BUSY(%rsi)
.Lret_c:
	leaq	RET_SLOT(%rsp), %rdi
	call	fgraph_exit
#if CONFIG_FGRAPH_RETHOOK
	popq	%rdx
	popq	%rax
	ret
/* Not the fast path's setting: nothing to do while no tracer runs (frames left open are
 * dropped later, see fgraph.c), else the C hook. The stack was 16-byte aligned at the call
 * here (8 below a function's entry alignment); the two pushes keep it so for the C call. */
.Lexit_slow:
	cmpl	$TRACE_HOOK_NOP, trace_cfg + TRACE_CFG_HOOK_OFFSET(%rip)
	je	1f
	pushq	%rax
	pushq	%rdx
	jmp	.Lret_c
1:	ret
	.size	__fexit__, . - __fexit__
#else
	movq	%rax, %r11
	popq	%rdx
	popq	%rax
	jmp	*%r11
	.size	return_to_handler, . - return_to_handler
#endif

	.section .note.GNU-stack, "", @progbits
