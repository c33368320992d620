// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 vCPU context. A vCPU that owns its pCPU is loaded once and never
 * saved; the EL1 registers, timers and vGIC state are switched only when
 * vCPUs share a pCPU, FP/SVE/SME state only on first use (fpstate.c).
 */
#include <keel/arch.h>
#include <keel/vm.h>
#include <asm/sysreg.h>
#include <asm/gic.h>
#include <string.h>

#include <asm/arm64.h>
#include <asm/fpstate.h>

extern char pcpu_stacks[];

#define HCR_GUEST                                                                           \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TSC | HCR_TIDCP | HCR_TACR | \
	 HCR_TSW | HCR_RW | HCR_TLOR | HCR_TID3)

static struct frame *cpu_frame(unsigned cpu)
{
	return (struct frame *)(pcpu_stacks + (cpu + 1) * PCPU_STACK_SIZE - FRAME_SIZE);
}

void arch_vcpu_init(struct vcpu *vcpu)
{
	memset(&vcpu->arch, 0, sizeof(vcpu->arch));
	vcpu->arch.vmpidr = (1UL << 31) | vcpu->id; /* Aff0 = vCPU index */
	vcpu->arch.hcr = HCR_GUEST;
	vgic_vcpu_init(vcpu);
	fp_vcpu_init(vcpu);
}

void arch_vcpu_reset(struct vcpu *vcpu, uint64_t entry, uint64_t arg)
{
	struct vcpu_arch *a = &vcpu->arch;

	memset(&a->regs, 0, sizeof(a->regs));
	memset(a->el1, 0, sizeof(a->el1));
	fp_vcpu_reset(vcpu);
	a->regs.x[0] = arg;
	a->elr = entry;
	a->spsr = SPSR_EL1H_MASKED;
	a->el1[R_SCTLR] = SCTLR_EL1_RESET;
	vgic_vcpu_init(vcpu);
}

#define SAVE(r, name) a->el1[r] = read_sysreg(name)
#define LOAD(r, name) write_sysreg(name, a->el1[r])

static void el1_save(struct vcpu_arch *a)
{
	SAVE(R_SCTLR, sctlr_el1);
	SAVE(R_TTBR0, ttbr0_el1);
	SAVE(R_TTBR1, ttbr1_el1);
	SAVE(R_TCR, tcr_el1);
	SAVE(R_MAIR, mair_el1);
	SAVE(R_AMAIR, amair_el1);
	SAVE(R_VBAR, vbar_el1);
	SAVE(R_CONTEXTIDR, contextidr_el1);
	SAVE(R_TPIDR_EL0, tpidr_el0);
	SAVE(R_TPIDRRO_EL0, tpidrro_el0);
	SAVE(R_TPIDR_EL1, tpidr_el1);
	SAVE(R_SP_EL0, sp_el0);
	SAVE(R_SP_EL1, sp_el1);
	SAVE(R_ELR_EL1, elr_el1);
	SAVE(R_SPSR_EL1, spsr_el1);
	SAVE(R_ESR, esr_el1);
	SAVE(R_FAR, far_el1);
	SAVE(R_AFSR0, afsr0_el1);
	SAVE(R_AFSR1, afsr1_el1);
	SAVE(R_PAR, par_el1);
	SAVE(R_CPACR, cpacr_el1);
	SAVE(R_CNTKCTL, cntkctl_el1);
	SAVE(R_CSSELR, csselr_el1);
	SAVE(R_CNTV_CTL, cntv_ctl_el0);
	SAVE(R_CNTV_CVAL, cntv_cval_el0);
	SAVE(R_CNTP_CTL, cntp_ctl_el0);
	SAVE(R_CNTP_CVAL, cntp_cval_el0);
	if (fp_hw.sme)
		a->el1[R_TPIDR2_EL0] = read_sysreg_s(TPIDR2_EL0);
	/* a timer left running would fire for the next vCPU */
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
}

static void el1_load(struct vcpu_arch *a)
{
	LOAD(R_SCTLR, sctlr_el1);
	LOAD(R_TTBR0, ttbr0_el1);
	LOAD(R_TTBR1, ttbr1_el1);
	LOAD(R_TCR, tcr_el1);
	LOAD(R_MAIR, mair_el1);
	LOAD(R_AMAIR, amair_el1);
	LOAD(R_VBAR, vbar_el1);
	LOAD(R_CONTEXTIDR, contextidr_el1);
	LOAD(R_TPIDR_EL0, tpidr_el0);
	LOAD(R_TPIDRRO_EL0, tpidrro_el0);
	LOAD(R_TPIDR_EL1, tpidr_el1);
	LOAD(R_SP_EL0, sp_el0);
	LOAD(R_SP_EL1, sp_el1);
	LOAD(R_ELR_EL1, elr_el1);
	LOAD(R_SPSR_EL1, spsr_el1);
	LOAD(R_ESR, esr_el1);
	LOAD(R_FAR, far_el1);
	LOAD(R_AFSR0, afsr0_el1);
	LOAD(R_AFSR1, afsr1_el1);
	LOAD(R_PAR, par_el1);
	LOAD(R_CPACR, cpacr_el1);
	LOAD(R_CNTKCTL, cntkctl_el1);
	LOAD(R_CSSELR, csselr_el1);
	LOAD(R_CNTV_CVAL, cntv_cval_el0);
	LOAD(R_CNTV_CTL, cntv_ctl_el0);
	LOAD(R_CNTP_CVAL, cntp_cval_el0);
	LOAD(R_CNTP_CTL, cntp_ctl_el0);
	if (fp_hw.sme)
		write_sysreg_s(TPIDR2_EL0, a->el1[R_TPIDR2_EL0]);
}

void arch_vcpu_load(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	struct pcpu *p = &pcpus[vcpu->pcpu];

	*cpu_frame(vcpu->pcpu) = a->regs;
	cpu_frame(vcpu->pcpu)->hcall_exits = &vcpu->stats.exits[EXIT_HCALL];
	write_sysreg(elr_el2, a->elr);
	write_sysreg(spsr_el2, a->spsr);
	el1_load(a);
	fp_vcpu_load(vcpu);
	write_sysreg(vmpidr_el2, a->vmpidr);
	write_sysreg(vttbr_el2, vcpu->vm->arch.vttbr);
	/* a shared pCPU traps WFI (it yields) and takes the time-slice tick */
	write_sysreg(hcr_el2, a->hcr | (sched_shared(p) ? HCR_TWI : 0));
	isb();
	vgic_restore(vcpu);
	if (sched_shared(p))
		arch_arm_tick();
}

void arch_vcpu_put(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;

	a->regs = *cpu_frame(vcpu->pcpu);
	a->elr = read_sysreg(elr_el2);
	a->spsr = read_sysreg(spsr_el2);
	el1_save(a);
	fp_vcpu_put(vcpu);
	vgic_save(vcpu);
}

void arch_vcpu_enter(struct vcpu *vcpu)
{
	guest_enter(cpu_frame(vcpu->pcpu));
}
