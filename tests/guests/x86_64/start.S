/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test-guest entry on x86_64 VMs: 32-bit protected mode, paging off, flat CS = 0x08 and data
 * segments = 0x10, EAX = multiboot magic, EBX = multiboot information. keel leaves GDTR and IDTR
 * empty, so the guest loads its own GDT (the same selectors) and an IDT whose 32 exception gates
 * lead to guest_trap() in x86_64_lib.c. There is one vCPU: no secondary entry.
 */
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
	mov	$exc_stubs, %edx
4:	mov	%edx, %eax
	mov	%ax, (%ecx)
	movw	$0x08, 2(%ecx)
	movw	$0x8e00, 4(%ecx)
	shr	$16, %eax
	mov	%ax, 6(%ecx)
	add	$8, %ecx
	add	$16, %edx
	cmp	$idt + 8 * 32, %ecx
	jb	4b
	lidt	idt_desc
	mov	$stack_top, %esp
	push	%ebx			/* guest_entry(magic, mbi) */
	push	%esi
	call	guest_entry
5:	cli
	hlt
	jmp	5b

/* One stub per exception vector: error code (0 when the CPU pushes none), vector. */
	.text
	.balign 16
exc_stubs:
	.irp	v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.balign 16
	.if (\v == 8) || ((\v >= 10) && (\v <= 14)) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
	.else
	push	$0
	.endif
	push	$\v
	jmp	exc_common
	.endr

/* struct exc_frame: pusha, vector, error code, then EIP, CS, EFLAGS as the CPU pushed them */
exc_common:
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
	.word	8 * 32 - 1
	.long	idt

	.bss
	.balign 16
idt:
	.space	8 * 32
	.balign 16
	.space	16384
stack_top:
	.section .note.GNU-stack, "", @progbits
