// SPDX-License-Identifier: GPL-2.0-or-later
/* Save-area layout of SVE/SME state per vector length (see asm/fp_layout.h). */
#include <stdbool.h>
#include <asm/fp_layout.h>

#define ALIGN16(x) (((x) + 15u) & ~15u)

void fp_layout(struct fp_layout *l, uint32_t sve_vl, uint32_t sme_vl, bool zt0)
{
	uint32_t vl = sve_vl > sme_vl ? sve_vl : sme_vl, off = 0;

	l->vl = vl;
	l->svl = sme_vl;
	l->z_off = off;
	off += FP_NR_Z * vl;
	l->p_off = off;
	off += FP_NR_P * (vl / 8); /* one predicate bit per vector byte */
	l->ffr_off = off;
	off = ALIGN16(off + vl / 8);
	l->za_off = off;
	off += sme_vl * sme_vl; /* ZA: SVL rows of SVL bytes */
	l->zt0_off = off;
	off += sme_vl && zt0 ? FP_ZT0_BYTES : 0;
	l->size = vl ? off : 0;
}
