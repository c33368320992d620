/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64 per-vCPU state kept while the vCPU is not loaded on a pCPU. */
#ifndef ASM_VCPU_ARCH_H
#define ASM_VCPU_ARCH_H

#include <asm/frame.h>
#include <asm/fp_layout.h>
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
	R_TPIDR2_EL0, /* SME: not trapped by CPTR_EL2.TSM, so switched here */
	R_NR
};

struct fpsimd_state {
	__uint128_t v[32];
	uint64_t fpsr, fpcr;
};

/* Register classes a vCPU has used since its reset (what a switch must move). */
#define FPU_SVE (1u << 0) /* Z/P/FFR hold more than V: saved at the VM's VL */
#define FPU_SME (1u << 1) /* SVCR, SMCR_EL1, TPIDR2_EL0; streaming Z/P and ZA by SVCR */

/* FP/SIMD, SVE and SME state of a vCPU (fpstate.c). */
struct vcpu_fp {
	struct fpsimd_state fp; /* V0-31 (when not FPU_SVE or streaming), FPSR, FPCR */
	uint8_t *area; /* Z, P, FFR, ZA, ZT0 (fp_layout), NULL without SVE and SME */
	uint64_t area_bytes; /* allocated, page multiple */
	struct fp_layout lay;
	uint32_t sve_vl, sme_vl; /* effective lengths in bytes under the VM's caps (0 = off) */
	uint64_t zcr_el2, smcr_el2; /* EL2 values that cap the guest */
	uint64_t zcr_el1, smcr_el1, svcr; /* the guest's own registers */
	unsigned used; /* FPU_* */
};

struct vcpu_arch {
	struct frame regs; /* general registers while not loaded */
	uint64_t elr, spsr;
	uint64_t el1[R_NR];
	uint64_t vmpidr;
	struct vcpu_fp fpu;
	struct vgic_cpu gic;
	uint64_t hcr;
};

#endif
