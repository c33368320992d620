/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Lazy FP/SIMD, SVE and SME switching between vCPUs (fpstate.c, sve.S, fpsimd.S). */
#ifndef ASM_FPSTATE_H
#define ASM_FPSTATE_H

#include <stdint.h>
#include <stdbool.h>

struct vcpu;
struct vm;
struct fpsimd_state;

/* What the hardware offers, probed once on the boot CPU. */
struct fp_hw {
	bool sve, sme, fa64, sme2;
	uint32_t sve_max, sme_max; /* bytes */
	uint16_t sve_eff[16], sme_eff[16]; /* effective VL in bytes for each LEN value */
};
extern struct fp_hw fp_hw;

void fp_cpu_init(unsigned cpu);
void fp_vcpu_init(struct vcpu *vcpu); /* allocates the save area for the VM's caps */
void fp_vcpu_reset(struct vcpu *vcpu); /* zero state, drop register ownership */
void fp_vm_destroy(struct vm *vm); /* drop ownership, free the save areas */
void fp_vcpu_load(struct vcpu *vcpu); /* sets CPTR_EL2 (eager mode: restores) */
void fp_vcpu_put(struct vcpu *vcpu); /* nothing (eager mode: saves) */
/* An FP, SVE or SME trap from the current vCPU; false: make it UNDEFINED (feature off). */
bool fp_trap(struct vcpu *vcpu, uint64_t esr);

/* sve.S */
void sve_save(void *z, void *p, void *ffr, bool with_ffr);
void sve_load(const void *z, const void *p, const void *ffr, bool with_ffr);
void za_save(void *za);
void za_load(const void *za);
uint64_t sve_rdvl(void);
uint64_t sme_rdsvl(void);

#endif
