/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Trap entry and guest entry/exit. While a guest runs, sscratch holds its
 * pCPU's frame (asm/frame.h); in keel it holds 0, so a trap taken in keel
 * itself is told apart with one swap. An ecall from VS-mode first tries
 * sbi_fast() with only the caller-saved registers stored: C code preserves
 * s0-s11, so a call answered there never touches them.
 */
#include <asm/frame.h>

#define REG(n) (8 * (n))

.macro save_caller_saved
	sd	x1, REG(1)(sp)
	sd	x4, REG(4)(sp)
	sd	x5, REG(5)(sp)
	sd	x6, REG(6)(sp)
	sd	x7, REG(7)(sp)
	sd	x10, REG(10)(sp)
	sd	x11, REG(11)(sp)
	sd	x12, REG(12)(sp)
	sd	x13, REG(13)(sp)
	sd	x14, REG(14)(sp)
	sd	x15, REG(15)(sp)
	sd	x16, REG(16)(sp)
	sd	x17, REG(17)(sp)
	sd	x28, REG(28)(sp)
	sd	x29, REG(29)(sp)
	sd	x30, REG(30)(sp)
	sd	x31, REG(31)(sp)
.endm

.macro restore_caller_saved
	ld	x1, REG(1)(sp)
	ld	x4, REG(4)(sp)
	ld	x5, REG(5)(sp)
	ld	x6, REG(6)(sp)
	ld	x7, REG(7)(sp)
	ld	x10, REG(10)(sp)
	ld	x11, REG(11)(sp)
	ld	x12, REG(12)(sp)
	ld	x13, REG(13)(sp)
	ld	x14, REG(14)(sp)
	ld	x15, REG(15)(sp)
	ld	x16, REG(16)(sp)
	ld	x17, REG(17)(sp)
	ld	x28, REG(28)(sp)
	ld	x29, REG(29)(sp)
	ld	x30, REG(30)(sp)
	ld	x31, REG(31)(sp)
.endm

.macro save_callee_saved
	sd	x3, REG(3)(sp)
	sd	x8, REG(8)(sp)
	sd	x9, REG(9)(sp)
	sd	x18, REG(18)(sp)
	sd	x19, REG(19)(sp)
	sd	x20, REG(20)(sp)
	sd	x21, REG(21)(sp)
	sd	x22, REG(22)(sp)
	sd	x23, REG(23)(sp)
	sd	x24, REG(24)(sp)
	sd	x25, REG(25)(sp)
	sd	x26, REG(26)(sp)
	sd	x27, REG(27)(sp)
.endm

.macro restore_callee_saved
	ld	x3, REG(3)(sp)
	ld	x8, REG(8)(sp)
	ld	x9, REG(9)(sp)
	ld	x18, REG(18)(sp)
	ld	x19, REG(19)(sp)
	ld	x20, REG(20)(sp)
	ld	x21, REG(21)(sp)
	ld	x22, REG(22)(sp)
	ld	x23, REG(23)(sp)
	ld	x24, REG(24)(sp)
	ld	x25, REG(25)(sp)
	ld	x26, REG(26)(sp)
	ld	x27, REG(27)(sp)
.endm

	.text
	.balign 4
	.globl trap_entry
trap_entry:
	csrrw	sp, sscratch, sp	/* sp = frame, sscratch = guest sp */
	beqz	sp, hyp_trap		/* sscratch was 0: the trap came from keel */
	save_caller_saved
	csrr	t0, sscratch
	sd	t0, REG(2)(sp)
	csrw	sscratch, zero
	ld	tp, REG(0)(sp)		/* pCPU index */
	csrr	t0, scause
	li	t1, 10			/* ecall from VS-mode */
	bne	t0, t1, 1f
	mv	a0, sp
	call	sbi_fast
	bnez	a0, 1f
	csrr	t0, sepc
	addi	t0, t0, 4
	csrw	sepc, t0
	csrw	sscratch, sp
	restore_caller_saved
	ld	sp, REG(2)(sp)
	sret
1:	save_callee_saved
	mv	a0, sp
	call	guest_trap
	/* fall through */
guest_exit_full:
	csrw	sscratch, sp
	restore_callee_saved
	restore_caller_saved
	ld	sp, REG(2)(sp)
	sret

/* void guest_enter(struct frame *f): start running the frame at the stack top. */
	.globl guest_enter
guest_enter:
	mv	sp, a0
	j	guest_exit_full

/*
 * A trap while keel runs (interrupts stay disabled in keel): a fault, so panic. Here sp = 0 and
 * sscratch = keel's sp. The fault may be a stack overflow into a guard page, so nothing is
 * stored below that sp: move to this pCPU's panic stack first, found from tp (keel's pCPU
 * index; the boot slot while the boot hart has none), with sp as the only scratch register.
 */
hyp_trap:
	sltiu	sp, tp, KEEL_MAX_PCPUS_ASM
	beqz	sp, 1f
	la	sp, panic_stacks + (1 << PANIC_STACK_SHIFT)
	slli	tp, tp, PANIC_STACK_SHIFT	/* tp < KEEL_MAX_PCPUS: shifted back below */
	add	sp, sp, tp
	srli	tp, tp, PANIC_STACK_SHIFT
	j	2f
1:	la	sp, panic_stacks + ((BOOT_STACK_SLOT + 1) << PANIC_STACK_SHIFT)
2:	addi	sp, sp, -FRAME_SIZE
	save_caller_saved
	save_callee_saved
	csrr	t0, sscratch		/* the sp keel faulted with */
	sd	t0, REG(2)(sp)
	csrw	sscratch, zero		/* a fault in the panic path comes back here */
	mv	a0, sp
	call	hyp_panic_exception
3:	wfi
	j	3b

/* long hlvx_hu(uint64_t addr, uint16_t *out): read as the guest would execute it. */
	.globl hlvx_hu
hlvx_hu:
	csrr	t2, stvec
	la	t0, 1f
	csrw	stvec, t0
	.insn r 0x73, 0x4, 0x32, t1, a0, x3	/* hlvx.hu t1, (a0) */
	csrw	stvec, t2
	sh	t1, 0(a1)
	li	a0, 0
	ret
	.balign 4
1:	csrw	stvec, t2
	li	a0, -1
	ret
