/* Interrupt and exception entry: every vector pushes a uniform struct trap_frame (see
 * pc.h) and calls trap_dispatch(frame). Not instrumented: it runs before the per-CPU
 * interrupt depth is updated. */
#include "platform/pc/layout.h"

	.text
	.macro ISR_NOERR vec
	.align 16
isr_\vec:
	pushq	$0
	pushq	$\vec
	jmp	isr_common
	.endm

	.macro ISR_ERR vec
	.align 16
isr_\vec:
	pushq	$\vec
	jmp	isr_common
	.endm

/* Exceptions 8, 10-14, 17, 21, 29, 30 push an error code. */
	.irp v, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
	ISR_NOERR \v
	.endr
	.irp v, 8,10,11,12,13,14,17,21,29,30
	ISR_ERR \v
	.endr
	.altmacro
	.macro ISR_RANGE from, to
	ISR_NOERR \from
	.if \to-\from
	ISR_RANGE %(\from+1), \to
	.endif
	.endm
	ISR_RANGE 32, 100
	ISR_RANGE 101, 170
	ISR_RANGE 171, 255

isr_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	incl	%gs:12                  /* plat_cpu_local.irq_depth */
	mov	%rsp, %rdi
	cld
	/* Align the stack for C; the frame pointer chain links the interrupted frame so a
	 * backtrace from the handler continues into the interrupted code. */
	mov	%rsp, %rbx
	and	$~15, %rsp
	push	8*16+8(%rbx)            /* interrupted rip, as a fake return address */
	push	8*8(%rbx)               /* interrupted rbp */
	mov	%rsp, %rbp
	call	trap_dispatch
	mov	%rbx, %rsp
	decl	%gs:12
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp               /* vector and error code */
	iretq

	.section .rodata
	.align 8
	.global isr_table
isr_table:
	.altmacro
	.macro ISR_ADDR n
	.quad isr_\n
	.endm
	.set i, 0
	.rept 256
	ISR_ADDR %i
	.set i, i+1
	.endr

	.section .note.GNU-stack, "", @progbits
