/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test-guest entry on x86_64 VMs: 32-bit protected mode, paging off, flat CS = 0x08 and data
 * segments = 0x10, EAX = multiboot magic, EBX = multiboot information. keel leaves GDTR and IDTR
 * empty, so the guest loads its own GDT (the same selectors) and a 256-gate IDT: every vector
 * leads to guest_trap() in x86_64_lib.c (exceptions, the NMI on vector 2, and the x2APIC's
 * interrupts on vectors 32..255).
 *
 * Other vCPUs start stopped; a start-up IPI with vector V starts one at V << 12, below the image
 * (0x100000), so smp_start_ap() copies ap_stub (position independent) to AP_STUB_ADDR first; the
 * stub jumps to _secondary, which loads the same GDT and IDT, takes the stack of its vCPU index
 * and calls secondary_entry(index).
 */
#define AP_STACK_SIZE 8192
#define AP_MAX 8			/* vCPUs 1..AP_MAX-1 get a stack */

	.code32
	.section .text.start, "ax"
	.globl _start
_start:
	mov	%eax, %esi		/* multiboot magic, before rdtsc overwrites EAX */
	rdtsc				/* boot-time figure (first instruction but one) */
	mov	%eax, %edi
	mov	%edx, %ebp
	lgdt	gdt_desc
	ljmp	$0x08, $1f
1:	mov	$0x10, %eax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	mov	$__bss_start, %ecx
2:	cmp	$__bss_end, %ecx
	jae	3f
	movl	$0, (%ecx)
	add	$4, %ecx
	jmp	2b
3:	mov	%edi, guest_start_counter
	mov	%ebp, guest_start_counter + 4
	/* IDT: 32-bit interrupt gates (DPL 0, selector 0x08) to the 16-byte stubs below */
	mov	$idt, %ecx
	mov	$trap_stubs, %edx
4:	mov	%edx, %eax
	mov	%ax, (%ecx)
	movw	$0x08, 2(%ecx)
	movw	$0x8e00, 4(%ecx)
	shr	$16, %eax
	mov	%ax, 6(%ecx)
	add	$8, %ecx
	add	$16, %edx
	cmp	$idt + 8 * 256, %ecx
	jb	4b
	lidt	idt_desc
	mov	$stack_top, %esp
	push	%ebx			/* guest_entry(magic, mbi) */
	push	%esi
	call	guest_entry
5:	cli
	hlt
	jmp	5b

/* Copied below 1 MiB by smp_start_ap(): an absolute jump into the image. */
	.text
	.globl ap_stub, ap_stub_end
ap_stub:
	mov	$_secondary, %ecx
	jmp	*%ecx
ap_stub_end:

/* A vCPU started by a start-up IPI: EAX and EBX as keel left them are kept for the tests. */
	.globl _secondary
_secondary:
	mov	%eax, %esi
	mov	%ebx, %edi
	lgdt	gdt_desc
	ljmp	$0x08, $1f
1:	mov	$0x10, %eax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	lidt	idt_desc
	mov	$1, %eax
	cpuid
	shr	$24, %ebx		/* initial APIC ID = vCPU index */
	cmp	$AP_MAX, %ebx
	jae	3f
	test	%ebx, %ebx
	jz	3f
	mov	%esi, ap_entry_eax(, %ebx, 4)
	mov	%edi, ap_entry_ebx(, %ebx, 4)
	mov	%ebx, %eax
	shl	$13, %eax		/* AP_STACK_SIZE */
	lea	ap_stacks(%eax), %esp	/* top of stack ebx - 1 */
	push	$0			/* secondary_entry(uint64_t index) */
	push	%ebx
	call	secondary_entry
3:	cli
	hlt
	jmp	3b

/* One stub per vector: error code (0 when the CPU pushes none), vector. */
	.balign 16
trap_stubs:
	.set	vec, 0
	.rept	256
	.balign 16
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	push	$0
	.endif
	push	$vec
	jmp	trap_common
	.set	vec, vec + 1
	.endr

/* struct exc_frame: pusha, vector, error code, then EIP, CS, EFLAGS as the CPU pushed them */
trap_common:
	pusha
	push	%esp
	call	guest_trap
	add	$4, %esp
	popa
	add	$8, %esp
	iret

	.data
	.balign 8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: flat 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: flat data */
gdt_end:
	.balign 4
	.word	0
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt
	.word	0
idt_desc:
	.word	8 * 256 - 1
	.long	idt

	.bss
	.balign 16
idt:
	.space	8 * 256
	.balign 16
	.space	16384
stack_top:
	.balign 16
	.globl ap_entry_eax, ap_entry_ebx
ap_entry_eax:
	.space	4 * AP_MAX
ap_entry_ebx:
	.space	4 * AP_MAX
	.balign 16
ap_stacks:				/* vCPU i (1..AP_MAX-1): [ap_stacks + (i-1) * 8 KiB, + 8 KiB) */
	.space	AP_STACK_SIZE * (AP_MAX - 1)
	.section .note.GNU-stack, "", @progbits
