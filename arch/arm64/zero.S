/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * void arch_zero(void *p, size_t n): p and n page aligned. DC ZVA zeroes a
 * whole block (DCZID_EL0.BS words, 64 bytes on most cores) per instruction,
 * four per loop turn when four blocks divide a page (it always does up to
 * 1 KiB blocks); plain stores when the CPU prohibits it (DCZID_EL0.DZP).
 */
	.text
	.globl arch_zero
arch_zero:
	cbz	x1, 3f
	mrs	x3, dczid_el0
	tbnz	x3, #4, 2f		/* DZP: DC ZVA prohibited */
	and	x3, x3, #0xf
	mov	x4, #4
	lsl	x4, x4, x3		/* block size in bytes */
	add	x1, x0, x1
	cmp	x4, #1024
	b.hi	1f
4:	dc	zva, x0
	add	x0, x0, x4
	dc	zva, x0
	add	x0, x0, x4
	dc	zva, x0
	add	x0, x0, x4
	dc	zva, x0
	add	x0, x0, x4
	cmp	x0, x1
	b.lo	4b
	ret
1:	dc	zva, x0
	add	x0, x0, x4
	cmp	x0, x1
	b.lo	1b
	ret
2:	stp	xzr, xzr, [x0], #16
	subs	x1, x1, #16
	b.ne	2b
3:	ret
