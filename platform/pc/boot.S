/* Entry from QEMU's PVH loader (32-bit protected mode, paging off, ebx = hvm_start_info),
 * switch to long mode on an identity map of the first 4 GiB, and call kmain. Also the
 * second half of the application-processor path (32-bit -> long mode), and the real-mode
 * trampoline the APs start in, which smp.c copies to AP_TRAMPOLINE_ADDR. */
#include "platform/pc/layout.h"

	.section .note.Xen, "a", @note
	.align 4
	.long 4, 4, 18          /* name size, desc size, XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.align 4
	.long _start32

	.section .boot.text, "ax"
	.code32
	.global _start32
_start32:
	cli
	mov	%ebx, %edi              /* hvm_start_info: first argument of kmain */
	mov	$boot_stack_top, %esp

	/* 2048 2 MiB pages in four page directories: identity map of 0..4 GiB. */
	mov	$boot_pd, %ebx
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$0x83, %eax             /* present, writable, 2 MiB page */
	mov	%eax, (%ebx,%ecx,8)
	movl	$0, 4(%ebx,%ecx,8)
	inc	%ecx
	cmp	$2048, %ecx
	jne	1b
	/* PDPT[0..3] -> the four directories; PML4[0] -> PDPT. */
	mov	$boot_pdpt, %ebx
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$12, %eax
	add	$boot_pd, %eax
	or	$0x3, %eax
	mov	%eax, (%ebx,%ecx,8)
	inc	%ecx
	cmp	$4, %ecx
	jne	2b
	mov	$boot_pdpt, %eax
	or	$0x3, %eax
	mov	%eax, boot_pml4

	call	enter_long_mode_32
	ljmp	$GDT_KCODE, $start64

/* Shared by the boot CPU and the APs: PAE, page tables, EFER.LME, paging, our GDT. */
enter_long_mode_32:
	mov	%cr4, %eax
	or	$0x620, %eax            /* PAE | OSFXSR | OSXMMEXCPT */
	mov	%eax, %cr4
	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	$0xC0000080, %ecx       /* EFER */
	rdmsr
	or	$0x100, %eax            /* LME */
	wrmsr
	mov	%cr0, %eax
	or	$0x80000003, %eax       /* PG | PE | MP */
	and	$~0x4, %eax             /* clear EM */
	mov	%eax, %cr0
	lgdt	boot_gdtr
	ret

	.global ap_start32
ap_start32:
	mov	$GDT_KDATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	ap_boot_stack, %esp
	call	enter_long_mode_32
	ljmp	$GDT_KCODE, $ap_start64

	.code64
start64:
	call	load_data_segments
	mov	$boot_stack_top, %rsp
	xor	%ebp, %ebp
	mov	%edi, %edi
	call	pc_start
3:	cli
	hlt
	jmp	3b

ap_start64:
	call	load_data_segments
	mov	ap_boot_stack, %rsp     /* the AP's own stack, set by smp.c before the SIPI */
	xor	%ebp, %ebp
	call	ap_main
4:	cli
	hlt
	jmp	4b

load_data_segments:
	mov	$GDT_KDATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	xor	%eax, %eax
	mov	%ax, %fs
	mov	%ax, %gs
	ret

/* Real-mode trampoline, copied to AP_TRAMPOLINE_ADDR (the SIPI vector page). It only enters
 * protected mode and jumps to ap_start32 in the kernel image; everything else is shared. */
	.section .rodata
	.code16
	.global ap_trampoline, ap_trampoline_end
ap_trampoline:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	lgdtl	AP_TRAMPOLINE_ADDR + (ap_tramp_gdtr - ap_trampoline)
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	ljmpl	$GDT_KCODE32, $ap_start32
	.align 4
ap_tramp_gdtr:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt
ap_trampoline_end:

	.code64
	.section .data
	.align 16
	.global boot_gdt
boot_gdt:
	.quad	0
	.quad	0x00AF9A000000FFFF      /* GDT_KCODE: 64-bit code */
	.quad	0x00CF92000000FFFF      /* GDT_KDATA: flat data */
	.quad	0x00CF9A000000FFFF      /* GDT_KCODE32: 32-bit code for the AP trampoline */
boot_gdt_end:
	.align 4
boot_gdtr:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt
	.global ap_boot_stack
	.align 8
ap_boot_stack:
	.quad	0

	.section .bss
	.align 4096
	.global boot_pml4
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4 * 4096
	.align 16
	.skip BOOT_STACK_SIZE
	.global boot_stack_top /* the boot CPU's idle stack: plat_cpu_stack() */
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
