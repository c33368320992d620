/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SVE and SME register moves for lazy FP switching (fpstate.c). keel's C code
 * is general-registers-only; only these routines touch Z, P, FFR and ZA, and
 * only with CPTR_EL2's traps open. Each moves registers at the vector length
 * in force at EL2: ZCR_EL2.LEN outside streaming mode, SMCR_EL2.LEN inside.
 * binutils 2.40 assembles SVE and SME, so no .inst encodings are needed.
 */
	.arch	armv9-a+sve+sme
	.text

.macro z_regs op, base
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	\op	z\n, [\base, #\n, mul vl]
	.endr
.endm

.macro p_regs op, base
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	\op	p\n, [\base, #\n, mul vl]
	.endr
.endm

/* void sve_save(void *z, void *p, void *ffr, bool with_ffr) */
	.globl sve_save
sve_save:
	z_regs	str, x0
	p_regs	str, x1
	cbz	w3, 1f
	rdffr	p0.b
	str	p0, [x2]
	ldr	p0, [x1]
1:	ret

/* void sve_load(const void *z, const void *p, const void *ffr, bool with_ffr) */
	.globl sve_load
sve_load:
	cbz	w3, 1f
	ldr	p0, [x2]
	wrffr	p0.b
1:	z_regs	ldr, x0
	p_regs	ldr, x1
	ret

/* SVL rows of ZA, four per turn, from or to x0 (PSTATE.ZA must be 1) */
.macro za_rows op
	rdsvl	x2, #1
	mov	w12, #0
1:	\op	za[w12, 0], [x0, #0, mul vl]
	\op	za[w12, 1], [x0, #1, mul vl]
	\op	za[w12, 2], [x0, #2, mul vl]
	\op	za[w12, 3], [x0, #3, mul vl]
	addsvl	x0, x0, #4
	add	w12, w12, #4
	cmp	w12, w2
	b.lo	1b
	ret
.endm

/* void za_save(void *za): SVL rows of SVL bytes */
	.globl za_save
za_save:
	za_rows	str

/* void za_load(const void *za) */
	.globl za_load
za_load:
	za_rows	ldr

/* uint64_t sve_rdvl(void), sme_rdsvl(void): vector lengths in bytes at EL2 */
	.globl sve_rdvl
sve_rdvl:
	rdvl	x0, #1
	ret

	.globl sme_rdsvl
sme_rdsvl:
	rdsvl	x0, #1
	ret
