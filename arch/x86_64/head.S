/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keel's entry as a multiboot v1 image (QEMU -kernel, facts.md 8). The a.out
 * kludge lets QEMU load the flat binary of a 64-bit keel. Entered in 32-bit
 * protected mode, paging off, EAX = 0x2BADB002, EBX = multiboot info; goes
 * to long mode on boot tables that map the first 4 GiB, then C builds the
 * final W^X tables.
 */
#include <asm/stacks.h>

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00010003 /* page-aligned modules, memory info, load addresses below */

	.section .text.boot, "ax"
	.code32
	.balign 4
mb_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.long	mb_header		/* header_addr */
	.long	__image_start		/* load_addr */
	.long	__load_end		/* load_end_addr */
	.long	__noinit_end		/* bss_end_addr: QEMU zeroes up to here */
	.long	_start32		/* entry_addr */

	.globl _start32
_start32:
	mov	%eax, %edi		/* multiboot magic */
	mov	%ebx, %esi		/* multiboot info */
	rdtsc				/* boot-time figure starts here */
	mov	%eax, boot_tsc
	mov	%edx, boot_tsc + 4
	mov	$(pcpu_stacks + PCPU_STACK_SIZE), %esp	/* stack slot 0, above its guard page */
	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$(1 << 5), %eax		/* PAE */
	mov	%eax, %cr4
	mov	$0xc0000080, %ecx	/* EFER: LME, NXE */
	rdmsr
	or	$((1 << 8) | (1 << 11)), %eax
	wrmsr
	mov	%cr0, %eax
	or	$0x80000001, %eax	/* PG, PE */
	mov	%eax, %cr0
	lgdt	gdt64_ptr
	ljmp	$0x08, $start64

	.code64
start64:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$(pcpu_stacks + PCPU_STACK_SIZE), %rsp
	mov	%edi, %r12d		/* zero-extends */
	mov	%esi, %r13d
	mov	$__bss_start, %rdi
	mov	$__bss_end, %rcx
	sub	%rdi, %rcx
	shr	$3, %rcx
	xor	%eax, %eax
	rep stosq
	call	stack_guard_init	/* before any function with a canary */
	mov	%r12, %rdi
	mov	%r13, %rsi
	call	keel_early_x86		/* multiboot info -> fw_info, final page tables */
	mov	%r13, %rdi
	mov	boot_tsc, %rsi
	call	keel_main
1:	hlt
	jmp	1b

	.section .rodata
	.balign 8
gdt64:
	.quad	0
	.quad	0x00209a0000000000	/* 0x08: 64-bit code */
	.quad	0x0000920000000000	/* 0x10: data */
gdt64_end:
	.globl gdt64_ptr
gdt64_ptr:
	.word	gdt64_end - gdt64 - 1
	.quad	gdt64

	.data
	.balign 8
	.globl boot_tsc
boot_tsc:
	.quad	0
	/* boot tables: identity map of 0..4 GiB with 2 MiB pages */
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad	boot_pdpt + 0x3
	.fill	511, 8, 0
	.balign 4096
boot_pdpt:
	.quad	boot_pd + 0x3
	.quad	boot_pd + 0x1003
	.quad	boot_pd + 0x2003
	.quad	boot_pd + 0x3003
	.fill	508, 8, 0
	.balign 4096
boot_pd:
	.set	i, 0
	.rept	2048
	.quad	(i << 21) | 0x83
	.set	i, i + 1
	.endr

	.section .note.GNU-stack, "", @progbits
