/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test-guest entry (EL1, MMU off, x0 = DTB). vCPU 0 enters at _start; PSCI
 * CPU_ON targets _secondary with x0 = the vCPU index (context id).
 */
	.section .text.start, "ax"
	.globl _start
_start:
	mrs	x20, cntvct_el0		/* first instruction: boot-time figure */
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	sp, x1
	adrp	x1, vectors
	add	x1, x1, :lo12:vectors
	msr	vbar_el1, x1
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1		/* FP/SIMD on (gcc may use it in guests) */
	isb
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	adrp	x1, guest_start_counter
	str	x20, [x1, :lo12:guest_start_counter]
	bl	guest_entry
	b	.

	.globl _secondary
_secondary:
	/* 8 KiB stack per secondary vCPU below the boot stack */
	adrp	x1, sec_stacks
	add	x1, x1, :lo12:sec_stacks
	add	x2, x0, #1
	lsl	x2, x2, #13
	add	sp, x1, x2
	adrp	x1, vectors
	add	x1, x1, :lo12:vectors
	msr	vbar_el1, x1
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	bl	secondary_entry
	b	.

.macro vec kind
	.balign 0x80
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mov	x0, #\kind
	mov	x1, sp
	b	exc_common
.endm

	.balign 0x800
vectors:
	vec 0
	vec 1
	vec 2
	vec 3
	vec 0
	vec 1
	vec 2
	vec 3
	vec 4
	vec 5
	vec 6
	vec 7
	vec 4
	vec 5
	vec 6
	vec 7

exc_common:
	bl	guest_exception
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #256
	eret

	.bss
	.balign 16
sec_stacks:
	.space	8192 * 8
	.space	16384
stack_top:
