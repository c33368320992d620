/* SPDX-License-Identifier: GPL-2.0-or-later */
/* riscv64 per-vCPU state kept while the vCPU is not loaded on a pCPU. */
#ifndef ASM_VCPU_ARCH_H
#define ASM_VCPU_ARCH_H

#include <asm/frame.h>
#include <asm/fwft.h>

struct vcpu_arch {
	struct frame regs; /* general registers while not loaded (x[0] unused) */
	uint64_t sepc, hstatus;
	uint64_t sstatus_spp; /* the guest's mode when it left: VS (SPP set) or VU */
	/* VS CSRs, switched only when vCPUs share a pCPU */
	uint64_t vsstatus, vsie, vstvec, vsscratch, vsepc, vscause, vstval, vsatp, vstimecmp;
	volatile uint32_t ipi; /* VSSIP to deliver (the guest clears it in hvip itself) */
	volatile bool ext_line; /* VSEIP: the emulated PLIC has an interrupt for this context */
	uint64_t fp[32], fcsr;
	struct fwft_state fwft;
	uint64_t stime; /* SBI TIME deadline when the hart has no Sstc */
	volatile uint64_t rfence; /* RFENCE_* requests from other vCPUs */
	bool fresh; /* reset since last run here: drop this hart's stale translations on load */
};

#define RFENCE_FENCE_I (1UL << 0)
#define RFENCE_VMA (1UL << 1)

#endif
