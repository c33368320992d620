/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What PSCI 1.1, SMCCC 1.1 and the Arm architecture promise a guest, as the
 * arm64_trap harness checks it (arm64_promises.c): written from the specs,
 * not from keel's code.
 */
#ifndef ARM64_PROMISES_H
#define ARM64_PROMISES_H

#include "arm64_env.h"

/* written out here rather than taken from asm/sysreg.h: the harness states the architecture */
#define A_NZCV (0xfULL << 28)
#define A_DIT (1ULL << 24)
#define A_PAN (1ULL << 22)
#define A_SSBS (1ULL << 12)
#define A_SPAN (1ULL << 23)
#define A_DSSBS (1ULL << 44)
#define FIELD(v, lo) (((v) >> (lo)) & 0xf)

/* Function IDs a call picks from; features: PSCI_FEATURES answers SUCCESS for it. */
struct a64_fn {
	uint32_t fn;
	bool features;
};
extern const struct a64_fn a64_fns[];
extern const unsigned a64_nr_fns;

bool a64_is_keel(uint32_t fn);
/* Every vCPU state valid; STOPPED exactly when the VM is not running. */
void a64_check_states(const struct vm *vm);
/* x0 (and the vCPUs' states) after a PSCI/SMCCC call b from vcpu; st: the states before. */
void a64_check_psci(struct vcpu *vcpu, const struct frame *b, const struct frame *f,
		    const enum vcpu_state *st, uint32_t boot_count);
/* vcpu read g from ID register (op0 3, op1 0, CRn 0, crm, op2); stable since a64_id_forget(). */
void a64_check_id(struct vcpu *vcpu, unsigned crm, unsigned op2, uint64_t g);
void a64_id_forget(void);
/* Where an exception to EL1 from a context with spsr enters, and its PSTATE (SPSR_EL2). */
uint64_t a64_vector(uint64_t spsr);
uint64_t a64_entry_pstate(uint64_t spsr, uint64_t sctlr);

#endif
