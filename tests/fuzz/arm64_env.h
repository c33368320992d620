/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The arm64 CPU under keel's real trap, PSCI, ID-register, FP-switch and
 * vCPU code in a fuzz harness (arm64_env.c): system registers are named
 * slots (asm/sysreg.h KEEL_HOST seam), the hardware's ID registers and
 * SVE/SME vector lengths come from the input, and the assembly helpers
 * (sve.S, fpsimd.S, guest entry) are stand-ins that check their buffers.
 */
#ifndef ARM64_ENV_H
#define ARM64_ENV_H

#include "fake_env.h"
#include <asm/arm64.h>
#include <asm/fpstate.h>
#include <asm/sysreg.h>
#include <string.h>

#define A64_NR_LRS 4

/* The hardware: ID register values (op0 3, op1 0, CRn 0, CRm 1..7, op2) and SVE/SME lengths. */
struct a64_hw {
	uint64_t id[8][8]; /* [crm][op2], rows 1..7 */
	uint32_t sve_max, sme_max; /* bytes, 0: not implemented */
	bool sme2, fa64;
};
extern struct a64_hw a64_hw;

/* Forget every register; load the ID registers and fp_hw for hw (as fpstate.c's probe finds them). */
void a64_reset(const struct a64_hw *hw);
/* A system register slot (created 0 on first use). */
uint64_t *a64_reg(const char *name);
/* sched_next() as sched.c's put: an OFF_PENDING vCPU becomes OFF, a stopping VM's last put stops it. */
extern unsigned a64_puts;

/* The list-register index a system-register name stands for, -1 if it is none. */
static inline int lr_index(const char *name)
{
	/* ICH_LR<n>_EL2: S3_4_C12_C12_<n> (0..7), S3_4_C12_C13_<n-8> */
	if (!strncmp(name, "S3_4_C12_C12_", 13))
		return name[13] - '0';
	if (!strncmp(name, "S3_4_C12_C13_", 13))
		return 8 + name[13] - '0';
	return -1;
}

#endif
