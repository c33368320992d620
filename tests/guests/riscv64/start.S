/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test-guest entry (S-mode or VS-mode, satp = Bare, a0 = hart ID, a1 = DTB).
 * The boot hart enters at _start; SBI HSM hart_start targets _secondary with
 * a0 = hart ID, a1 = opaque. tp keeps the hart ID for cpu_index().
 */
	.section .text.start, "ax"
	.globl _start
_start:
	rdtime	s1			/* first instruction: boot-time figure */
	mv	tp, a0
	mv	s2, a1
	la	sp, stack_top
	la	t0, trap_entry
	csrw	stvec, t0
	csrw	sie, zero
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	t0, guest_start_counter
	sd	s1, 0(t0)
	mv	a0, s2
	call	guest_entry
	j	.

	.globl _secondary
_secondary:
	mv	tp, a0
	li	t0, 8			/* GUEST_MAX_HARTS */
3:	bgeu	a0, t0, 3b		/* no stack for this hart: stay here */
	/* 8 KiB stack per secondary hart below the boot stack */
	la	t0, sec_stacks
	addi	t1, a0, 1
	slli	t1, t1, 13
	add	sp, t0, t1
	la	t0, guest_hart_opaque
	slli	t1, a0, 3
	add	t0, t0, t1
	sd	a1, 0(t0)
	la	t0, trap_entry
	csrw	stvec, t0
	csrw	sie, zero
	call	secondary_entry
	j	.

/* Traps from S-mode to S-mode: caller-saved registers on the current stack. */
	.balign 4
trap_entry:
	addi	sp, sp, -144
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	t3, 32(sp)
	sd	t4, 40(sp)
	sd	t5, 48(sp)
	sd	t6, 56(sp)
	sd	a0, 64(sp)
	sd	a1, 72(sp)
	sd	a2, 80(sp)
	sd	a3, 88(sp)
	sd	a4, 96(sp)
	sd	a5, 104(sp)
	sd	a6, 112(sp)
	sd	a7, 120(sp)
	mv	a0, sp
	call	guest_trap
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	t3, 32(sp)
	ld	t4, 40(sp)
	ld	t5, 48(sp)
	ld	t6, 56(sp)
	ld	a0, 64(sp)
	ld	a1, 72(sp)
	ld	a2, 80(sp)
	ld	a3, 88(sp)
	ld	a4, 96(sp)
	ld	a5, 104(sp)
	ld	a6, 112(sp)
	ld	a7, 120(sp)
	addi	sp, sp, 144
	sret

	.bss
	.balign 16
sec_stacks:
	.space	8192 * 8
	.space	16384
stack_top:
