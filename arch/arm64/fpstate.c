// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Lazy FP/SIMD, SVE and SME switching between vCPUs that share a pCPU.
 *
 * keel never uses these registers, so a vCPU's state simply stays in them
 * until another vCPU on the same pCPU wants its own. Each pCPU records the
 * vCPU that owns its live registers. Entering a vCPU that is not the owner
 * arms CPTR_EL2 (TFP, TZ, TSM); its first FP, SVE or SME instruction traps
 * here, which saves the owner's state (only the classes the owner used: V
 * registers, Z/P/FFR at its VL, streaming Z/P, ZA) and loads the new vCPU's.
 * A vCPU that owns its pCPU alone traps once and never again.
 *
 * Vector lengths: ZCR_EL2/SMCR_EL2 always hold the owner's caps, so the
 * owner's registers are saved at the length they were written with, then
 * the new caps are set, then the new state is loaded; PSTATE.SM is cleared
 * before SMCR_EL2 changes. Nothing is ever cut short by a VL change.
 *
 * A vCPU starts (and restarts after a reset) in the smallest format: V
 * registers only. Its first SVE instruction widens its saved V registers to
 * Z registers at its VL (upper bits, P and FFR zero); its first SME access
 * adds SVCR and SMCR_EL1. TPIDR2_EL0 is not behind CPTR_EL2.TSM (a guest
 * writes it without a trap), so it moves eagerly with the EL1 registers. Entering or leaving streaming mode
 * zeroes Z/P/FFR in hardware, and ZA when PSTATE.ZA goes 0 -> 1, so another
 * VM's values can never show through.
 */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/mm.h>
#include <keel/vm.h>
#include <asm/arm64.h>
#include <asm/fpstate.h>
#include <asm/sysreg.h>
#include <string.h>

#define ID_AA64SMFR0_EL1 S3_0_C0_C4_5
#define CPTR_ARMED (CPTR_EL2_RES1 | CPTR_TFP | CPTR_TZ | CPTR_TSM | CPTR_TTA | CPTR_TAM)

struct fp_hw fp_hw;

static struct {
	spinlock_t lock; /* owner changes: its trap path vs a reset or destroy elsewhere */
	struct vcpu *owner; /* whose state is in this pCPU's FP/SVE/SME registers */
} fp_pcpu[KEEL_MAX_PCPUS];

static void cptr_write(uint64_t v)
{
	write_sysreg(cptr_el2, v);
	isb();
}

/* All traps off, for keel's own save/restore code at EL2 (CPTR_EL2 also traps EL2). */
static void cptr_open(void)
{
	cptr_write(CPTR_ARMED &
		   ~(CPTR_TFP | (fp_hw.sve ? CPTR_TZ : 0) | (fp_hw.sme ? CPTR_TSM : 0)));
}

/* While vcpu owns the registers: what it has used runs without traps. */
static uint64_t cptr_owned(const struct vcpu_fp *f)
{
	uint64_t v = CPTR_ARMED & ~CPTR_TFP;

	if (f->used & FPU_SVE)
		v &= ~CPTR_TZ;
	if (f->used & FPU_SME)
		v &= ~CPTR_TSM;
	return v;
}

static void probe(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);

	fp_hw.sve = ((pfr0 >> 32) & 0xf) != 0;
	fp_hw.sme = ((pfr1 >> 24) & 0xf) != 0;
	cptr_open();
	for (unsigned len = 0; fp_hw.sve && len < 16; len++) {
		write_sysreg_s(ZCR_EL2, len);
		isb();
		fp_hw.sve_eff[len] = (uint16_t)sve_rdvl();
		if (fp_hw.sve_eff[len] > fp_hw.sve_max)
			fp_hw.sve_max = fp_hw.sve_eff[len];
	}
	if (fp_hw.sme) {
		uint64_t smfr0 = read_sysreg_s(ID_AA64SMFR0_EL1);

		fp_hw.fa64 = smfr0 >> 63;
		fp_hw.sme2 = ((smfr0 >> 56) & 0xf) != 0;
	}
	for (unsigned len = 0; fp_hw.sme && len < 16; len++) {
		write_sysreg_s(SMCR_EL2, len);
		isb();
		fp_hw.sme_eff[len] = (uint16_t)sme_rdsvl();
		if (fp_hw.sme_eff[len] > fp_hw.sme_max)
			fp_hw.sme_max = fp_hw.sme_eff[len];
	}
	cptr_write(CPTR_ARMED);
	log_info("FP/SIMD%s%s: SVE up to %u bytes, SME up to %u bytes%s", fp_hw.sve ? ", SVE" : "",
		 fp_hw.sme ? ", SME" : "", fp_hw.sve_max, fp_hw.sme_max,
		 fp_hw.fa64 ? " (FA64)" : "");
}

void fp_cpu_init(unsigned cpu)
{
	static bool probed;

	fp_pcpu[cpu].owner = NULL; /* (static storage: the lock starts unlocked) */
	if (!probed) /* the boot CPU, before the partition is read; the others are alike */
		probe();
	probed = true;
	cptr_write(CPTR_ARMED);
}

void fp_vcpu_init(struct vcpu *vcpu)
{
	struct vcpu_fp *f = &vcpu->arch.fpu;
	const struct vm_config *c = vcpu->vm->cfg;
	uint32_t sve = fp_hw.sve ? c->sve_max_vl : 0, sme = fp_hw.sme ? c->sme_max_vl : 0;
	paddr_t pa;

	f->sve_vl = sve ? fp_hw.sve_eff[fp_vl_len(sve)] : 0;
	f->sme_vl = sme ? fp_hw.sme_eff[fp_vl_len(sme)] : 0;
	f->zcr_el2 = fp_vl_len(f->sve_vl);
	f->smcr_el2 = fp_vl_len(f->sme_vl) | (fp_hw.fa64 ? SMCR_FA64 : 0);
	fp_layout(&f->lay, f->sve_vl, f->sme_vl, false); /* keel does not offer SME2/ZT0 */
	if (!f->lay.size)
		return;
	f->area_bytes = ALIGN_UP(f->lay.size, PAGE_SIZE);
	if (!mm_alloc(f->area_bytes, PAGE_SIZE, &pa)) {
		log_err("%s: vCPU %u: no memory for its SVE/SME state, SVE and SME turned off",
			vcpu->vm->name, vcpu->id);
		f->sve_vl = f->sme_vl = 0;
		f->area_bytes = 0;
		fp_layout(&f->lay, 0, 0, false);
		return;
	}
	f->area = pa_ptr(pa);
}

/* Forget vcpu as the owner of its pCPU's registers (their content is dead). */
static void release(struct vcpu *vcpu)
{
	spinlock_t *l = &fp_pcpu[vcpu->pcpu].lock;

	spin_lock(l);
	if (fp_pcpu[vcpu->pcpu].owner == vcpu)
		fp_pcpu[vcpu->pcpu].owner = NULL;
	spin_unlock(l);
}

void fp_vcpu_reset(struct vcpu *vcpu)
{
	struct vcpu_fp *f = &vcpu->arch.fpu;

	release(vcpu);
	memset(&f->fp, 0, sizeof(f->fp));
	f->zcr_el1 = f->smcr_el1 = f->svcr = 0;
	f->used = 0; /* the save area is zeroed when a class is first used */
}

void fp_vm_destroy(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu_fp *f = &vm->vcpus[i].arch.fpu;

		if (vm->vcpus[i].vm)
			release(&vm->vcpus[i]);
		if (f->area)
			mm_free(pa_init((uintptr_t)f->area), f->area_bytes);
		f->area = NULL;
	}
}

#define Z(f) ((f)->area + (f)->lay.z_off)
#define P(f) ((f)->area + (f)->lay.p_off)
#define FFR(f) ((f)->area + (f)->lay.ffr_off)
#define ZA(f) ((f)->area + (f)->lay.za_off)

/* Store the owner's live registers: only the classes it used. Leaves SVCR = 0. */
static void save(struct vcpu_fp *f)
{
	uint64_t svcr = f->used & FPU_SME ? read_sysreg_s(SVCR) : 0;

	if (f->used & FPU_SVE)
		f->zcr_el1 = read_sysreg_s(ZCR_EL1);
	if (svcr & SVCR_SM) /* streaming Z/P at SVL; FFR exists there only with FA64 */
		sve_save(Z(f), P(f), FFR(f), fp_hw.fa64);
	else if (f->used & FPU_SVE)
		sve_save(Z(f), P(f), FFR(f), true);
	else
		fpsimd_save(&f->fp);
	/* before SVCR changes: leaving streaming mode resets FPSR */
	f->fp.fpsr = read_sysreg(fpsr);
	f->fp.fpcr = read_sysreg(fpcr);
	if (f->used & FPU_SME) {
		f->svcr = svcr;
		f->smcr_el1 = read_sysreg_s(SMCR_EL1);
		if (svcr & SVCR_ZA)
			za_save(ZA(f));
		if (svcr)
			write_sysreg_s(SVCR, 0);
	}
}

/* Load a vCPU's state; the live SVCR is 0. Its caps go in first. */
static void load(struct vcpu_fp *f)
{
	if (fp_hw.sve)
		write_sysreg_s(ZCR_EL2, f->zcr_el2);
	if (fp_hw.sme)
		write_sysreg_s(SMCR_EL2, f->smcr_el2);
	isb();
	if (f->used & FPU_SVE)
		write_sysreg_s(ZCR_EL1, f->zcr_el1);
	/* in streaming mode its Z/P are the streaming ones, loaded below */
	if (!(f->svcr & SVCR_SM) && (f->used & FPU_SVE))
		sve_load(Z(f), P(f), FFR(f), true);
	else if (!(f->svcr & SVCR_SM))
		fpsimd_restore(&f->fp);
	if (f->used & FPU_SME) {
		write_sysreg_s(SMCR_EL1, f->smcr_el1);
		if (f->svcr) /* zeroes Z/P/FFR (SM) and ZA (ZA) first, resets FPSR */
			write_sysreg_s(SVCR, f->svcr);
		if (f->svcr & SVCR_SM)
			sve_load(Z(f), P(f), FFR(f), fp_hw.fa64);
		if (f->svcr & SVCR_ZA)
			za_load(ZA(f));
	}
	write_sysreg(fpsr, f->fp.fpsr);
	write_sysreg(fpcr, f->fp.fpcr);
}

/* Make vcpu the owner of this pCPU's registers (traps open). */
static void take(struct vcpu *vcpu)
{
	unsigned cpu = vcpu->pcpu;
	struct vcpu *prev;

	spin_lock(&fp_pcpu[cpu].lock);
	prev = fp_pcpu[cpu].owner;
	if (prev != vcpu) {
		if (prev)
			save(&prev->arch.fpu);
		else if (fp_hw.sme && read_sysreg_s(SVCR))
			write_sysreg_s(SVCR, 0); /* a released owner's streaming mode or ZA */
		load(&vcpu->arch.fpu);
		fp_pcpu[cpu].owner = vcpu;
	}
	spin_unlock(&fp_pcpu[cpu].lock);
}

/* First SVE use: its V registers become Z registers at its VL, P and FFR zero. */
static void widen_to_sve(struct vcpu_fp *f)
{
	fpsimd_save(&f->fp);
	memset(f->area, 0, f->lay.za_off);
	for (unsigned i = 0; i < FP_NR_Z; i++)
		memcpy(Z(f) + i * f->sve_vl, &f->fp.v[i], sizeof(f->fp.v[i]));
	write_sysreg_s(ZCR_EL1, f->zcr_el1);
	sve_load(Z(f), P(f), FFR(f), true);
	f->used |= FPU_SVE;
}

/* First SME use: its SME control register (SVCR is 0 already). */
static void add_sme(struct vcpu_fp *f)
{
	write_sysreg_s(SMCR_EL1, f->smcr_el1);
	f->used |= FPU_SME;
}

bool fp_trap(struct vcpu *vcpu, uint64_t esr)
{
	struct vcpu_fp *f = &vcpu->arch.fpu;
	unsigned ec = ESR_EC(esr);
	bool ok = true;

	if (ec == ESR_EC_SME && ESR_ISS_SMTC(esr))
		return false; /* not a CPTR_EL2 trap: nothing keel switches */
	cptr_open();
	take(vcpu);
	if (ec == ESR_EC_SVE && !(f->used & FPU_SVE)) {
		if (f->sve_vl)
			widen_to_sve(f);
		else
			ok = false; /* SVE off for this VM: UNDEFINED */
	} else if (ec == ESR_EC_SME && !(f->used & FPU_SME)) {
		if (f->sme_vl)
			add_sme(f);
		else
			ok = false;
	}
	cptr_write(cptr_owned(f));
	return ok;
}

void fp_vcpu_load(struct vcpu *vcpu)
{
	struct vcpu_fp *f = &vcpu->arch.fpu;

	if (sched_fp_eager) { /* benchmark mode: every switch moves the state */
		cptr_open();
		take(vcpu);
		cptr_write(cptr_owned(f));
		return;
	}
	cptr_write(fp_pcpu[vcpu->pcpu].owner == vcpu ? cptr_owned(f) : CPTR_ARMED);
}

void fp_vcpu_put(struct vcpu *vcpu)
{
	unsigned cpu = vcpu->pcpu;

	if (!sched_fp_eager)
		return; /* lazy: the state stays in the registers */
	cptr_open();
	spin_lock(&fp_pcpu[cpu].lock);
	if (fp_pcpu[cpu].owner == vcpu) {
		save(&vcpu->arch.fpu);
		fp_pcpu[cpu].owner = NULL;
	}
	spin_unlock(&fp_pcpu[cpu].lock);
}
