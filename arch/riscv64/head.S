/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keel's entry as an OpenSBI fw_jump payload: HS-mode, a0 = hart id,
 * a1 = firmware DTB (facts.md section 8). Other harts wait in OpenSBI until
 * keel starts them with SBI HSM hart_start.
 * The boot hart runs on the boot stack (pcpu_stacks slot BOOT_STACK_SLOT) until it first enters a
 * guest, and turns keel's own page tables on (mmu.c) once the firmware DTB has been read.
 * Only the first hart here boots keel: OpenSBI 1.1 may send a hart that keel
 * starts to fw_jump's address, this one, instead of secondary_entry (cpu.c).
 */
#include <asm/frame.h>

	.section .text.head, "ax"
	.globl _start
_start:
	rdtime	s2			/* boot-time figure starts here */
	la	t0, boot_claimed
	li	t1, 1
	amoswap.w.aqrl	t1, t1, (t0)
	bnez	t1, late_secondary
	mv	s0, a0
	mv	s1, a1
	li	tp, KEEL_MAX_PCPUS_ASM	/* no pCPU index yet: a fault uses the boot slot's panic stack */
	csrw	sscratch, zero		/* a trap now comes from keel itself */
	la	t0, trap_entry
	csrw	stvec, t0
	la	sp, pcpu_stacks		/* the boot stack: slot BOOT_STACK_SLOT, above a guard page */
	li	t0, (BOOT_STACK_SLOT + 1) << PCPU_STACK_SHIFT
	add	sp, sp, t0
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, (t0)
	addi	t0, t0, 8
	j	1b
2:	la	t0, boot_hartid
	sd	s0, (t0)
	call	stack_guard_init	/* before any function with a canary */
	mv	a0, s1
	call	keel_early		/* one pass over the firmware DTB, before paging */
	call	mmu_build_tables	/* a0 = what keel_early read */
	call	mmu_enable_this_cpu	/* W^X and guard pages from here on */
	mv	a0, s1
	mv	a1, s2
	call	keel_main
	j	park

/* A hart keel started that OpenSBI sent to _start: find its pCPU index by hart id (a0). */
late_secondary:
	addi	t2, a0, 1
	la	t0, start_hart_plus1
	ld	t4, start_hart_slots
	li	t1, 0
1:	ld	t3, (t0)
	beq	t3, t2, 2f
	addi	t0, t0, 8
	addi	t1, t1, 1
	bltu	t1, t4, 1b
	j	park				/* keel never asked for this hart */
2:	mv	a1, t1
	/* fall through */

/* SBI HSM hart_start lands here: a0 = hart id, a1 = opaque = pCPU index. */
	.globl secondary_entry
secondary_entry:
	mv	tp, a1
	csrw	sscratch, zero
	la	t0, trap_entry
	csrw	stvec, t0
	la	t0, pcpu_stacks
	addi	t1, a1, 1
	slli	t1, t1, PCPU_STACK_SHIFT
	add	sp, t0, t1
	addi	sp, sp, -FRAME_SIZE	/* the top frame holds the guest's registers */
	call	mmu_enable_this_cpu	/* the boot hart built the tables; SBI starts harts with satp Bare */
	mv	a0, tp
	call	secondary_main
park:
	wfi
	j	park

	.data
	.balign 4
boot_claimed:				/* in .data: _start zeroes bss only after the claim */
	.word	0
