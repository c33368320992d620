/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Application-processor start-up: the INIT-SIPI-SIPI vector points at a copy
 * of this code at TRAMPOLINE (0x8000). It goes real mode -> protected mode ->
 * long mode on keel's own page tables, then calls secondary_main(cpu) on the
 * stack smp.c left in the trampoline's data.
 */
#define TRAMPOLINE 0x8000
#define T(sym) (TRAMPOLINE + (sym) - trampoline)

	.section .rodata
	.balign 16
	.globl trampoline, trampoline_end
	.code16
trampoline:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	lgdtl	T(tgdt_ptr)
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	ljmpl	$0x08, $T(tramp32)
	.code32
tramp32:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%cr4, %eax
	or	$((1 << 5) | (1 << 7) | (1 << 9) | (1 << 10)), %eax	/* PAE, PGE, OSFXSR, OSXMMEXCPT */
	mov	%eax, %cr4
	mov	T(t_cr3), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx
	rdmsr
	or	$((1 << 8) | (1 << 11)), %eax	/* LME, NXE */
	wrmsr
	mov	%cr0, %eax
	or	$0x80010001, %eax		/* PG, WP, PE; boot tables until keel's are loaded */
	mov	%eax, %cr0
	ljmpl	$0x18, $T(tramp64)
	.code64
tramp64:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	T(t_stack), %rsp
	mov	T(t_cpu), %rdi
	lgdt	gdt64_ptr
	movabs	$ap_long_mode, %rax
	jmp	*%rax
	.balign 8
tgdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00209a0000000000	/* 0x18: 64-bit code */
tgdt_ptr:
	.word	tgdt_ptr - tgdt - 1
	.long	T(tgdt)
	.balign 8
	.globl t_cr3, t_stack, t_cpu
t_cr3:	.quad	0
t_stack: .quad	0
t_cpu:	.quad	0
trampoline_end:

	.text
ap_long_mode:
	mov	keel_cr3(%rip), %rax	/* from the boot tables to keel's W^X tables */
	mov	%rax, %cr3
	push	$0x08			/* back on keel's GDT: reload CS */
	lea	1f(%rip), %rax
	push	%rax
	lretq
1:	call	secondary_main
2:	hlt
	jmp	2b

	.section .note.GNU-stack, "", @progbits
