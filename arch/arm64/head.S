/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keel's entry. The image starts with the Linux arm64 Image header: only then
 * does QEMU (and U-Boot's booti) pass the DTB in x0 and load the partition
 * blob given as initrd (facts.md section 8). text_offset = 2 MiB and flags
 * bit 3 = 0 place keel at DRAM base + 2 MiB, the address it is linked at.
 */
#include <asm/frame.h>

	.section .text.head, "ax"
	.globl _head
_head:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0x200000			/* text_offset */
	.quad	_image_end - _head		/* image_size, bss included */
	.quad	0x2				/* flags: LE, 4 KiB pages, 2 MiB-aligned base */
	.quad	0, 0, 0
	.ascii	"ARM\x64"			/* magic */
	.long	0

primary_entry:
	mrs	x20, cntpct_el0			/* boot-time figure starts here */
	mov	x19, x0				/* firmware DTB */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	not_el2
	adrp	x1, pcpu_stacks
	add	x1, x1, :lo12:pcpu_stacks
	add	sp, x1, #PCPU_STACK_SIZE
	sub	sp, sp, #FRAME_SIZE		/* the top frame holds the guest's registers */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	adrp	x0, el2_vectors
	add	x0, x0, :lo12:el2_vectors
	msr	vbar_el2, x0
	isb
	bl	stack_guard_init		/* before any function with a canary */
	mov	x0, x19
	bl	keel_early			/* one pass over the firmware DTB */
	bl	mmu_build_tables
	bl	mmu_enable_this_cpu
	mov	x0, x19
	mov	x1, x20
	bl	keel_main
	b	park

/* PSCI CPU_ON lands here with the MMU off; x0 = context id = pCPU index. */
	.globl secondary_entry
secondary_entry:
	mov	x19, x0
	adrp	x1, pcpu_stacks
	add	x1, x1, :lo12:pcpu_stacks
	add	x2, x19, #1
	lsl	x2, x2, #PCPU_STACK_SHIFT
	add	sp, x1, x2
	sub	sp, sp, #FRAME_SIZE
	adrp	x0, el2_vectors
	add	x0, x0, :lo12:el2_vectors
	msr	vbar_el2, x0
	isb
	bl	mmu_enable_this_cpu
	mov	x0, x19
	bl	secondary_main
	b	park

not_el2:
	/* keel needs EL2 (QEMU: -M virt,virtualization=on); nothing to print with yet. */
park:
	wfe
	b	park
