/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Layout of a vCPU's SVE/SME save area, sized for its VM's vector-length
 * caps (plain C, host-tested in tests/unit/test_fp_layout.c). One Z/P/FFR
 * set serves both modes: entering or leaving streaming mode zeroes them, so
 * only the set of the current mode ever holds anything.
 */
#ifndef ASM_FP_LAYOUT_H
#define ASM_FP_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#define FP_NR_Z 32
#define FP_NR_P 16
#define FP_ZT0_BYTES 64 /* SME2 */
#define FP_VL_QUANTUM 16 /* bytes: vector lengths are multiples of 128 bits */
#define FP_VL_MAX 256 /* bytes: the architecture's 2048-bit limit */

struct fp_layout {
	uint32_t vl; /* bytes per Z register slot: the larger of the SVE and SME caps */
	uint32_t svl; /* SME streaming vector length cap in bytes, 0 = no SME */
	uint32_t z_off, p_off, ffr_off, za_off, zt0_off;
	uint32_t size; /* bytes, 0 when the VM has neither SVE nor SME (V registers only) */
};

/* sve_vl, sme_vl: the VM's caps in bytes (0 = off); zt0: SME2 present. */
void fp_layout(struct fp_layout *l, uint32_t sve_vl, uint32_t sme_vl, bool zt0);

/* ZCR_ELx.LEN / SMCR_ELx.LEN field for a cap in bytes (caps below 16 give 0). */
static inline uint64_t fp_vl_len(uint32_t vl)
{
	return vl >= FP_VL_QUANTUM ? vl / FP_VL_QUANTUM - 1 : 0;
}

#endif
