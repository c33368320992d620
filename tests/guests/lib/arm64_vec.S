/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Register-file access for the FP/SVE/SME switching tests (tests/guests/arm64/vec.c):
 * load or store every V, Z, P, FFR and ZA register from or to memory, at the
 * vector length in force (SVL in streaming mode).
 */
	.arch	armv9-a+sve+sme
	.text
#define ALL32 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
#define ALL16 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15

/* void vec_v_write(const void *v) / vec_v_read(void *v): V0-V31, 16 bytes each */
	.globl vec_v_write
vec_v_write:
	.irp i, ALL32
	ldr	q\i, [x0, #(\i * 16)]
	.endr
	ret

	.globl vec_v_read
vec_v_read:
	.irp i, ALL32
	str	q\i, [x0, #(\i * 16)]
	.endr
	ret

/* void vec_z_write(const void *z, const void *p, const void *ffr, int with_ffr) */
	.globl vec_z_write
vec_z_write:
	cbz	w3, 1f
	ldr	p0, [x2]
	wrffr	p0.b
1:	.irp i, ALL32
	ldr	z\i, [x0, #\i, mul vl]
	.endr
	.irp i, ALL16
	ldr	p\i, [x1, #\i, mul vl]
	.endr
	ret

/* void vec_z_read(void *z, void *p, void *ffr, int with_ffr) */
	.globl vec_z_read
vec_z_read:
	.irp i, ALL32
	str	z\i, [x0, #\i, mul vl]
	.endr
	.irp i, ALL16
	str	p\i, [x1, #\i, mul vl]
	.endr
	cbz	w3, 1f
	rdffr	p0.b
	str	p0, [x2]
	ldr	p0, [x1]
1:	ret

/* void vec_za_write(const void *za) / vec_za_read(void *za): SVL rows of SVL bytes */
	.globl vec_za_write
vec_za_write:
	rdsvl	x2, #1
	mov	w12, #0
1:	ldr	za[w12, 0], [x0]
	addsvl	x0, x0, #1
	add	w12, w12, #1
	cmp	w12, w2
	b.lo	1b
	ret

	.globl vec_za_read
vec_za_read:
	rdsvl	x2, #1
	mov	w12, #0
1:	str	za[w12, 0], [x0]
	addsvl	x0, x0, #1
	add	w12, w12, #1
	cmp	w12, w2
	b.lo	1b
	ret

/* uint64_t vec_rdvl(void) / vec_rdsvl(void): bytes */
	.globl vec_rdvl
vec_rdvl:
	rdvl	x0, #1
	ret

	.globl vec_rdsvl
vec_rdsvl:
	rdsvl	x0, #1
	ret

/* One instruction of each class, for the switch benchmark (fpbench.c). */
	.globl vec_touch_fp
vec_touch_fp:
	fmov	d0, x0
	ret

	.globl vec_touch_sve
vec_touch_sve:
	add	z0.b, z0.b, z1.b
	ret

/* void vec_sm_za(int on): streaming mode and ZA on (1) or off (0) */
	.globl vec_sm_za
vec_sm_za:
	cbz	w0, 1f
	smstart
	ret
1:	smstop
	ret
