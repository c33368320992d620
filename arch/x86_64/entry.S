/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * void svm_run(struct vcpu_arch *a): load the guest registers the VMCB does
 * not hold, VMRUN, store them back. The host's callee-saved registers stay on
 * keel's stack; VMRUN/#VMEXIT switch RAX, RSP and RIP through the VMCB and
 * the host save area. The order of the frame is asm/frame.h's.
 * VMLOAD/VMSAVE switch TR (and FS, GS, LDTR, the syscall MSRs) around every
 * VMRUN: while keel runs, TR must be keel's own, whose TSS gives #DF, #PF and
 * NMI their IST stacks; the guest's TR would point the CPU at a stack of the
 * guest's choosing.
 */
#define REG(n) (8 * (n))
#define VMCB_PA REG(14)
#define HOST_STATE_PA REG(16)

	.text
	.globl svm_run
svm_run:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* the frame, for after the exit */
	mov	VMCB_PA(%rdi), %rax
	mov	REG(0)(%rdi), %rbx
	mov	REG(1)(%rdi), %rcx
	mov	REG(2)(%rdi), %rdx
	mov	REG(3)(%rdi), %rsi
	mov	REG(5)(%rdi), %rbp
	mov	REG(6)(%rdi), %r8
	mov	REG(7)(%rdi), %r9
	mov	REG(8)(%rdi), %r10
	mov	REG(9)(%rdi), %r11
	mov	REG(10)(%rdi), %r12
	mov	REG(11)(%rdi), %r13
	mov	REG(12)(%rdi), %r14
	mov	REG(13)(%rdi), %r15
	mov	REG(4)(%rdi), %rdi
	vmload	%rax			/* the guest's TR, FS, GS, LDTR, syscall MSRs */
	/*
	 * With V_INTR_MASKING the host's IF, saved by VMRUN, decides whether
	 * keel's own interrupts exit the guest: set it (GIF is still 0 here,
	 * so nothing is taken before VMRUN) and clear it right after.
	 */
	sti
	vmrun	%rax
	vmsave	%rax			/* RAX is the VMCB's address again after #VMEXIT */
	cli
	push	%rdi
	mov	8(%rsp), %rdi
	mov	%rbx, REG(0)(%rdi)
	mov	%rcx, REG(1)(%rdi)
	mov	%rdx, REG(2)(%rdi)
	mov	%rsi, REG(3)(%rdi)
	pop	REG(4)(%rdi)
	mov	%rbp, REG(5)(%rdi)
	mov	%r8, REG(6)(%rdi)
	mov	%r9, REG(7)(%rdi)
	mov	%r10, REG(8)(%rdi)
	mov	%r11, REG(9)(%rdi)
	mov	%r12, REG(10)(%rdi)
	mov	%r13, REG(11)(%rdi)
	mov	%r14, REG(12)(%rdi)
	mov	%r15, REG(13)(%rdi)
	mov	HOST_STATE_PA(%rdi), %rax
	vmload	%rax			/* keel's TR (and FS, GS) back */
	pop	%rdi
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

/*
 * Interrupt and exception entry: every vector pushes an error code (or 0)
 * and its number, then common code calls x86_trap(frame).
 */
.macro vector n, has_err
	.balign 16
	.if \has_err == 0
	push	$0
	.endif
	push	$\n
	jmp	trap_common
.endm

	.balign 16
	.globl idt_stubs
idt_stubs:
	.irp n, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,28,31
	vector \n, 0
	.endr
	.irp n, 8,10,11,12,13,14,17,21,29,30
	vector \n, 1
	.endr
	vector 0x20, 0
	vector 0x21, 0
	vector 0x22, 0
	vector 0xff, 0

trap_common:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	call	x86_trap
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	add	$16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
