/* The -pg entry trampoline and the function_graph return trampoline. Only register
 * saving and the tracer dispatch live here; the work is in function.c and fgraph.c. */
#include "trace/config.h"

	.text

/* `call __fentry__` is the first instruction of every traced function (patch.c patches
 * it in). On entry 0(%rsp) is the address after that call (the site + 5) and 8(%rsp) the
 * traced function's own return address. The argument registers (rdi rsi rdx rcx r8 r9),
 * rax (vector count of varargs calls) and r10 (static chain) are preserved; r11 is
 * scratch at a function's entry in the x86-64 ABI. Eight pushes keep the stack 16-byte
 * aligned for the C call (it was at entry: the traced function's own call misaligned it
 * by 8, the call here by 8 more). */
	.globl	__fentry__
	.type	__fentry__, @function
__fentry__:
	cmpl	$TRACER_NOP, trace_cfg+TRACE_CFG_ACTIVE_OFFSET(%rip)
	je	9f
	pushq	%rax
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%r8
	pushq	%r9
	pushq	%r10
	movl	trace_cfg+TRACE_CFG_ACTIVE_OFFSET(%rip), %eax
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
2:	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	popq	%rax
9:	ret
	.size	__fentry__, . - __fentry__

/* A function whose return fgraph_enter hooked returns here, with %rsp just above the
 * slot its return address was in. rax and rdx (return values) are preserved; r11 is free
 * at a return and carries the real return address. */
	.globl	return_to_handler
	.type	return_to_handler, @function
return_to_handler:
	pushq	%rax
	pushq	%rdx
	leaq	8(%rsp), %rdi		/* the slot: entry %rsp - 8 */
	call	fgraph_exit
	movq	%rax, %r11
	popq	%rdx
	popq	%rax
	jmp	*%r11
	.size	return_to_handler, . - return_to_handler

	.section .note.GNU-stack, "", @progbits
