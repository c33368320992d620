/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ICH_LR<n>_EL2 access by index (system registers cannot be indexed). */
#ifndef ASM_LR_H
#define ASM_LR_H

#include <asm/sysreg.h>

#define LR_STATE_SHIFT 62
#define LR_PENDING (1UL << 62)
#define LR_ACTIVE (1UL << 63)
#define LR_HW (1UL << 61)
#define LR_GROUP1 (1UL << 60)
#define LR_PRIO_SHIFT 48
#define LR_PINTID_SHIFT 32

#define LR_CASE(n, op)                                  \
	case n:                                         \
		op(S3_4_C12_C12_##n, S3_4_C12_C13_##n); \
		break

static inline uint64_t lr_read(unsigned n)
{
	uint64_t v = 0;
#define RD(lo, hi) v = (n < 8) ? read_sysreg(lo) : read_sysreg(hi)
	switch (n & 7) {
		LR_CASE(0, RD);
		LR_CASE(1, RD);
		LR_CASE(2, RD);
		LR_CASE(3, RD);
		LR_CASE(4, RD);
		LR_CASE(5, RD);
		LR_CASE(6, RD);
		LR_CASE(7, RD);
	}
#undef RD
	return v;
}

static inline void lr_write(unsigned n, uint64_t v)
{
#define WR(lo, hi)                           \
	do {                                 \
		if (n < 8)                   \
			write_sysreg(lo, v); \
		else                         \
			write_sysreg(hi, v); \
	} while (0)
	switch (n & 7) {
		LR_CASE(0, WR);
		LR_CASE(1, WR);
		LR_CASE(2, WR);
		LR_CASE(3, WR);
		LR_CASE(4, WR);
		LR_CASE(5, WR);
		LR_CASE(6, WR);
		LR_CASE(7, WR);
	}
#undef WR
}

#endif
