/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * EL2 exception vectors and the guest entry/exit paths.
 *
 * While a guest runs, SP_EL2 is the top of its pCPU's stack; an exit stores
 * the guest's registers in the frame just below it (asm/frame.h). HVC exits
 * first try hvc_fast() with only the caller-saved registers stored: C code
 * preserves x19-x29, so a call answered there never touches them. Everything
 * else stores all 31 registers so handlers can read and switch them.
 */
#include <asm/frame.h>

.macro save_caller_saved
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	str	x18, [sp, #144]
	str	x30, [sp, #FRAME_X30]
.endm

.macro save_callee_saved
	stp	x19, x20, [sp, #152]
	stp	x21, x22, [sp, #168]
	stp	x23, x24, [sp, #184]
	stp	x25, x26, [sp, #200]
	stp	x27, x28, [sp, #216]
	str	x29, [sp, #232]
.endm

.macro restore_caller_saved_and_eret
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldr	x18, [sp, #144]
	ldr	x30, [sp, #FRAME_X30]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
.endm

.macro vector_entry label
	.balign 0x80
	b	\label
.endm

	.section .text.vectors, "ax"
	.balign 0x800
	.globl el2_vectors
el2_vectors:
	vector_entry hyp_fault		/* current EL, SP_EL0 */
	vector_entry hyp_fault
	vector_entry hyp_fault
	vector_entry hyp_fault
	vector_entry hyp_fault		/* current EL, SP_ELx */
	vector_entry hyp_fault
	vector_entry hyp_fault
	vector_entry hyp_fault
	vector_entry guest_sync		/* lower EL, AArch64 */
	vector_entry guest_irq
	vector_entry guest_fiq
	vector_entry guest_serror
	vector_entry guest_aarch32	/* lower EL, AArch32 */
	vector_entry guest_aarch32
	vector_entry guest_aarch32
	vector_entry guest_aarch32

	.text
guest_sync:
	save_caller_saved
	mrs	x0, esr_el2
	ubfx	x0, x0, #26, #6	/* EC; bits 55:32 are ISS2 */
	cmp	x0, #0x16		/* HVC64 */
	b.ne	1f
	mov	x0, sp
	bl	hvc_fast
	cbnz	x0, 1f
	restore_caller_saved_and_eret
1:	save_callee_saved
	mov	x0, sp
	bl	guest_sync_slow
	b	guest_exit_full

guest_irq:
	save_caller_saved
	save_callee_saved
	mov	x0, sp
	bl	guest_irq_handler
	b	guest_exit_full

guest_fiq:
	save_caller_saved
	save_callee_saved
	mov	x0, sp
	mov	x1, #1
	bl	guest_bad_exception
	b	guest_exit_full

guest_serror:
	save_caller_saved
	save_callee_saved
	mov	x0, sp
	mov	x1, #2
	bl	guest_bad_exception
	b	guest_exit_full

guest_aarch32:
	save_caller_saved
	save_callee_saved
	mov	x0, sp
	mov	x1, #3
	bl	guest_bad_exception
	b	guest_exit_full

/* void guest_enter(struct frame *f): start running the frame at the stack top. */
	.globl guest_enter
guest_enter:
	mov	sp, x0
	/* fall through */
guest_exit_full:
	ldp	x19, x20, [sp, #152]
	ldp	x21, x22, [sp, #168]
	ldp	x23, x24, [sp, #184]
	ldp	x25, x26, [sp, #200]
	ldp	x27, x28, [sp, #216]
	ldr	x29, [sp, #232]
	restore_caller_saved_and_eret

/*
 * A fault taken in keel itself: store everything, then panic (never returns). The fault may be a
 * stack overflow into a guard page, so first move to this pCPU's panic stack (found from which
 * pCPU stack SP is in), with SP_EL0 and TPIDRRO_EL0 as scratch: keel is going down. A fault in
 * the panic path (SP in a panic stack or its guard page, e.g. that stack overflowed) restarts at
 * the top of the same panic stack; hyp_panic_exception then reports it once and powers off.
 */
hyp_fault:
	msr	sp_el0, x0
	msr	tpidrro_el0, x1
	mov	x0, sp
	adrp	x1, pcpu_stacks
	add	x1, x1, :lo12:pcpu_stacks
	sub	x0, x0, x1
	lsr	x0, x0, #PCPU_STACK_SHIFT
	cmp	x0, #KEEL_MAX_PCPUS_ASM
	b.lo	2f			/* on pCPU x0's stack */
	mov	x0, sp
	adrp	x1, panic_stacks
	add	x1, x1, :lo12:panic_stacks
	sub	x0, x0, x1
	lsr	x0, x0, #PANIC_STACK_SHIFT
	cmp	x0, #KEEL_MAX_PCPUS_ASM
	b.lo	2f			/* on panic stack x0: start again at its top */
	/*
	 * On no stack of keel's (a corrupt sp would fault on every store here,
	 * for ever): this pCPU's panic stack, pCPU 0's before tpidr_el2 is set.
	 */
	mrs	x0, tpidr_el2
	cmp	x0, #KEEL_MAX_PCPUS_ASM
	csel	x0, x0, xzr, lo
2:	adrp	x1, panic_stacks
	add	x1, x1, :lo12:panic_stacks
	add	x0, x0, #1
	add	x0, x1, x0, lsl #PANIC_STACK_SHIFT
	mov	sp, x0
	mrs	x0, sp_el0
	mrs	x1, tpidrro_el0
	save_caller_saved
	save_callee_saved
	mov	x0, sp
	bl	hyp_panic_exception
1:	wfe
	b	1b
