/* void switch_to(uint64_t *prev_rsp, uint64_t next_rsp): saves the callee-saved registers
 * on the current stack, switches stacks, restores the next thread's. */
	.text
	.global switch_to
switch_to:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, (%rdi)
	mov	%rsi, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret

/* A new thread's first return lands here (see thread_create); its struct thread is in r12. */
	.global thread_start
thread_start:
	mov	%r12, %rdi
	xor	%ebp, %ebp
	call	thread_entry
	ud2

	.section .note.GNU-stack, "", @progbits
