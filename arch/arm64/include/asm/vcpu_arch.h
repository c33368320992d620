/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64 per-vCPU state kept while the vCPU is not loaded on a pCPU. */
#ifndef ASM_VCPU_ARCH_H
#define ASM_VCPU_ARCH_H

#include <asm/frame.h>
#include <asm/vgic.h>

/* EL1 system registers switched when two vCPUs share a pCPU (order: see vcpu.c). */
enum el1_reg {
	R_SCTLR,
	R_TTBR0,
	R_TTBR1,
	R_TCR,
	R_MAIR,
	R_AMAIR,
	R_VBAR,
	R_CONTEXTIDR,
	R_TPIDR_EL0,
	R_TPIDRRO_EL0,
	R_TPIDR_EL1,
	R_SP_EL0,
	R_SP_EL1,
	R_ELR_EL1,
	R_SPSR_EL1,
	R_ESR,
	R_FAR,
	R_AFSR0,
	R_AFSR1,
	R_PAR,
	R_CPACR,
	R_CNTKCTL,
	R_CSSELR,
	R_CNTV_CTL,
	R_CNTV_CVAL,
	R_CNTP_CTL,
	R_CNTP_CVAL,
	R_NR
};

struct fpsimd_state {
	__uint128_t v[32];
	uint64_t fpsr, fpcr;
};

struct vcpu_arch {
	struct frame regs; /* general registers while not loaded */
	uint64_t elr, spsr;
	uint64_t el1[R_NR];
	uint64_t vmpidr;
	struct fpsimd_state fp;
	struct vgic_cpu gic;
	uint64_t hcr;
};

#endif
