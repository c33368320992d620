// SPDX-License-Identifier: GPL-2.0-or-later
/* arm64 guest exits: the HVC fast path, synchronous traps, interrupts, faults. */
#include <keel/arch.h>
#include <keel/vm.h>
#include <keel/hypercall.h>
#include <asm/arm64.h>
#include <asm/fpstate.h>
#include <asm/gic.h>
#include <asm/smccc.h>
#include <asm/sysreg.h>

#define FAULT_LOG_MAX 8
#define FAULT_STOP_AT 1000 /* a guest spinning on faults is stopped */

/*
 * Called with only x0-x18 and x30 stored. Answers the calls that need no
 * other state; returns non-zero to take the full path.
 */
int hvc_fast(struct frame *f)
{
	uint32_t fn = (uint32_t)f->x[0];

	if (fn == KEEL_HC_ARM64_BASE + KEEL_HC_VERSION) {
		f->x[0] = KEEL_OK;
		f->x[1] = KEEL_ABI_VERSION;
	} else if (fn == PSCI_VERSION) {
		f->x[0] = PSCI_VERSION_1_1;
	} else {
		return 1;
	}
	(*f->hcall_exits)++; /* counted, not timed (vcpu_stats.h) */
	return 0;
}

static struct vcpu *current(void)
{
	return this_pcpu()->cur;
}

static void skip_instr(void)
{
	write_sysreg(elr_el2, read_sysreg(elr_el2) + 4);
}

/* Vector offset for an exception taken to EL1 from the guest's current mode. */
static uint64_t el1_vector(uint64_t spsr)
{
	switch (spsr & 0xf) {
	case 0x5:
		return 0x200; /* EL1h */
	case 0x4:
		return 0x0; /* EL1t */
	default:
		return 0x400; /* EL0, AArch64 */
	}
}

/*
 * PSTATE on taking an exception to EL1 (AArch64.TakeException): EL1h with D, A,
 * I, F masked; NZCV, DIT and PAN kept, PAN set when SCTLR_EL1.SPAN is 0 (RES1
 * without FEAT_PAN), SSBS = SCTLR_EL1.DSSBS (RES0 without FEAT_SSBS); SS, IL,
 * BTYPE and UAO cleared. keel hides MTE, so TCO stays 0.
 */
static uint64_t el1_entry_pstate(uint64_t spsr)
{
	uint64_t sctlr = read_sysreg(sctlr_el1);
	uint64_t v = SPSR_EL1H_MASKED | (spsr & (PSR_NZCV | PSR_DIT | PSR_PAN));

	if (!(sctlr & SCTLR_EL1_SPAN))
		v |= PSR_PAN;
	if (sctlr & SCTLR_EL1_DSSBS)
		v |= PSR_SSBS;
	return v;
}

static void inject_sync(uint64_t esr, uint64_t far)
{
	uint64_t spsr = read_sysreg(spsr_el2);

	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	write_sysreg(elr_el1, read_sysreg(elr_el2));
	write_sysreg(spsr_el1, spsr);
	write_sysreg(elr_el2, read_sysreg(vbar_el1) + el1_vector(spsr));
	write_sysreg(spsr_el2, el1_entry_pstate(spsr));
}

static bool from_el0(void)
{
	return (read_sysreg(spsr_el2) & 0xf) == 0;
}

void inject_abort(struct vcpu *vcpu, uint64_t esr, uint64_t far, bool instr)
{
	uint64_t ec = (instr ? ESR_EC_IABT_LOW : ESR_EC_DABT_LOW) + (from_el0() ? 0u : 1u);

	(void)vcpu;
	(void)esr;
	inject_sync((ec << ESR_EC_SHIFT) | ESR_IL | 0x10 /* synchronous external abort */, far);
}

void inject_undef(struct vcpu *vcpu)
{
	(void)vcpu;
	inject_sync(ESR_IL, 0);
}

static void guest_fault(struct vcpu *vcpu, const char *what, uint64_t esr, uint64_t far,
			uint64_t ipa)
{
	struct vm *vm = vcpu->vm;
	uint64_t n = ++vm->faults;

	const char *more = n == FAULT_LOG_MAX ? " (further faults not logged)" : "";
	unsigned long pc = read_sysreg(elr_el2);

	if (n <= FAULT_LOG_MAX && !far && !ipa)
		log_warn("%s: %s at pc 0x%lx (vCPU %u): ESR 0x%lx%s", vm->name, what, pc, vcpu->id,
			 (unsigned long)esr, more);
	else if (n <= FAULT_LOG_MAX)
		log_warn("%s: %s at pc 0x%lx (vCPU %u): ESR 0x%lx FAR 0x%lx IPA 0x%lx%s", vm->name,
			 what, pc, vcpu->id, (unsigned long)esr, (unsigned long)far,
			 (unsigned long)ipa, more);
	if (n >= FAULT_STOP_AT) {
		log_err("%s: stopped after %u unhandled faults", vm->name, FAULT_STOP_AT);
		vm_request_stop(vm, false);
	}
}

static uint64_t fault_ipa(uint64_t far)
{
	return ((read_sysreg(hpfar_el2) & 0xffffffffff0UL) << 8) | (far & 0xfff);
}

static void data_abort(struct vcpu *vcpu, struct frame *f, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2), ipa = fault_ipa(far);
	unsigned size = 1u << ((esr >> ISS_SAS_SHIFT) & 3);
	unsigned rt = (esr >> ISS_SRT_SHIFT) & 31;
	bool write = esr & ISS_WNR;
	uint64_t val = 0;

	if (!(esr & ISS_ISV)) {
		guest_fault(vcpu, "data abort without syndrome (not emulable)", esr, far, ipa);
		inject_abort(vcpu, esr, far, false);
		return;
	}
	if (write)
		val = rt == 31 ? 0 : f->x[rt];
	if (!vm_mmio_access(vcpu, ipa, write, size, &val)) {
		guest_fault(vcpu, write ? "write to unmapped IPA" : "read from unmapped IPA", esr,
			    far, ipa);
		inject_abort(vcpu, esr, far, false);
		return;
	}
	if (!write && rt != 31) {
		if ((esr & ISS_SSE) && size < 8 && (val & (1UL << (size * 8 - 1))))
			val |= ~0UL << (size * 8);
		if (!(esr & ISS_SF))
			val &= 0xffffffffUL;
		f->x[rt] = val;
	}
	skip_instr();
}

static void sysreg_trap(struct vcpu *vcpu, struct frame *f, uint64_t esr)
{
	unsigned rt = (esr >> 5) & 31;
	bool read = esr & 1;
	/* Op0, Op2, Op1, CRn, CRm as ISS packs them, direction bit and Rt masked out */
	uint64_t key = esr & 0x3ffc1e;

	unsigned op0 = (esr >> 20) & 3, op2 = (esr >> 17) & 7, op1 = (esr >> 14) & 7;
	unsigned crn = (esr >> 10) & 15, crm = (esr >> 1) & 15;

	if (key == ((3u << 20) | (5u << 17) | (0u << 14) | (12u << 10) | (11u << 1)) && !read) {
		vgic_sgi1r(vcpu, rt == 31 ? 0 : f->x[rt]); /* ICC_SGI1R_EL1 */
	} else if (read && op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7) {
		if (rt != 31)
			f->x[rt] = guest_id_reg(vcpu, crm, op2); /* HCR_EL2.TID3 */
	} else if (read && rt != 31) {
		f->x[rt] = 0; /* debug, PMU, implementation-defined: RAZ/WI */
	}
	/* set/way cache maintenance (HCR_EL2.TSW) lands here too: a no-op under QEMU */
	skip_instr();
}

static void after_exit(void)
{
	struct pcpu *p = this_pcpu();

	if (p->requests || p->cur->state != VCPU_ON)
		sched_next();
	vgic_flush(p->cur);
	vstat_enter(&p->cur->stats, read_sysreg(cntpct_el0));
}

static enum exit_class sync_class(uint64_t ec)
{
	switch (ec) {
	case ESR_EC_HVC64:
	case ESR_EC_SMC64:
		return EXIT_HCALL;
	case ESR_EC_DABT_LOW:
		return EXIT_IO;
	case ESR_EC_SYS64:
		return EXIT_SYSREG;
	case ESR_EC_WFX:
		return EXIT_WFI;
	default:
		return EXIT_OTHER;
	}
}

KEEL_NO_STACK_PROTECTOR void guest_sync_slow(struct frame *f)
{
	uint64_t esr = read_sysreg(esr_el2);
	struct vcpu *vcpu = current();
	uint64_t ec = ESR_EC(esr);

	vstat_exit(&vcpu->stats, sync_class(ec), read_sysreg(cntpct_el0));
	switch (ec) {
	case ESR_EC_HVC64:
		psci_call(vcpu, f);
		break;
	case ESR_EC_SMC64:
		skip_instr(); /* SMC traps with the SMC itself as the return address */
		psci_call(vcpu, f);
		break;
	case ESR_EC_DABT_LOW:
		data_abort(vcpu, f, esr);
		break;
	case ESR_EC_IABT_LOW: {
		uint64_t far = read_sysreg(far_el2);

		guest_fault(vcpu, "instruction fetch from unmapped IPA", esr, far, fault_ipa(far));
		inject_abort(vcpu, esr, far, true);
		break;
	}
	case ESR_EC_SYS64:
		sysreg_trap(vcpu, f, esr);
		break;
	case ESR_EC_WFX:
		skip_instr();
		sched_yield();
		break;
	case ESR_EC_FP:
	case ESR_EC_SVE:
	case ESR_EC_SME:
		if (fp_trap(vcpu, esr))
			break;
		/* SVE or SME turned off for this VM */
		guest_fault(vcpu, "SVE/SME instruction made UNDEFINED (off for this VM)", esr, 0,
			    0);
		inject_undef(vcpu);
		break;
	default:
		/* unknown instructions: UNDEFINED for the guest */
		guest_fault(vcpu, "trapped instruction made UNDEFINED", esr, 0, 0);
		inject_undef(vcpu);
		break;
	}
	after_exit();
}

void guest_irq_handler(struct frame *f)
{
	(void)f;
	vstat_exit(&current()->stats, EXIT_IRQ, read_sysreg(cntpct_el0));
	gic_poll();
	after_exit();
}

void guest_bad_exception(struct frame *f, unsigned kind)
{
	static const char *const what[] = { "", "FIQ", "SError", "AArch32 exception" };
	struct vcpu *vcpu = current();

	(void)f;
	vstat_exit(&vcpu->stats, EXIT_OTHER, read_sysreg(cntpct_el0));
	log_err("%s: %s (ESR 0x%lx, pc 0x%lx), stopping the VM", vcpu->vm->name, what[kind & 3],
		(unsigned long)read_sysreg(esr_el2), (unsigned long)read_sysreg(elr_el2));
	vm_request_stop(vcpu->vm, false);
	after_exit();
}
