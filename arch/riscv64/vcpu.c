// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * riscv64 vCPU context. A vCPU that owns its hart is loaded once and never
 * saved; the VS CSRs, FP registers and timer are switched only when vCPUs
 * share a hart.
 */
#include <keel/arch.h>
#include <keel/vm.h>
#include <asm/csr.h>
#include <asm/riscv.h>
#include <string.h>

extern struct fwft_caps fwft_caps;
void fp_save(uint64_t *regs);
void fp_restore(const uint64_t *regs);

void arch_vcpu_init(struct vcpu *vcpu)
{
	memset(&vcpu->arch, 0, sizeof(vcpu->arch));
}

void arch_vcpu_reset(struct vcpu *vcpu, uint64_t entry, uint64_t arg)
{
	struct vcpu_arch *a = &vcpu->arch;

	memset(&a->regs, 0, sizeof(a->regs));
	a->regs.x[10] = vcpu->id; /* a0 = hart id */
	a->regs.x[11] = arg; /* a1 = DTB or HSM opaque */
	a->sepc = entry;
	a->hstatus = HSTATUS_SPV | HSTATUS_SPVP; /* sret lands in VS-mode */
	a->sstatus_spp = SSTATUS_SPP;
	a->vsstatus = 0;
	a->vsie = a->vstvec = a->vsscratch = a->vsepc = a->vscause = a->vstval = a->vsatp = 0;
	a->vstimecmp = ~0UL;
	a->ipi = 0;
	a->ext_line = false;
	a->stime = ~0UL;
	memset(a->fp, 0, sizeof(a->fp));
	a->fcsr = 0;
	fwft_reset(&a->fwft);
	a->fresh = true;
}

static uint64_t base_henvcfg(void)
{
	return have_sstc ? HENVCFG_STCE : 0;
}

void arch_vcpu_load(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	struct pcpu *p = &pcpus[vcpu->pcpu];
	struct frame *f = cpu_frame(vcpu->pcpu);
	uint64_t cpu = f->x[0];

	*f = a->regs;
	f->x[0] = cpu;
	f->hcall_exits = &vcpu->stats.exits[EXIT_HCALL];
	csr_write(CSR_SEPC, a->sepc);
	csr_write(CSR_HSTATUS, a->hstatus | (sched_shared(p) ? HSTATUS_VTW : 0));
	/*
	 * return to the mode the vCPU left: a guest preempted in VU-mode (Linux
	 * user space) must not resume its user code in VS-mode
	 */
	csr_clear(CSR_SSTATUS, SSTATUS_SPP);
	csr_set(CSR_SSTATUS, a->sstatus_spp);
	csr_write(CSR_VSSTATUS, a->vsstatus);
	csr_write(CSR_VSIE, a->vsie);
	csr_write(CSR_VSTVEC, a->vstvec);
	csr_write(CSR_VSSCRATCH, a->vsscratch);
	csr_write(CSR_VSEPC, a->vsepc);
	csr_write(CSR_VSCAUSE, a->vscause);
	csr_write(CSR_VSTVAL, a->vstval);
	csr_write(CSR_VSATP, a->vsatp);
	csr_write(CSR_HENVCFG, fwft_henvcfg(&a->fwft, base_henvcfg()));
	csr_write(CSR_HEDELEG, fwft_hedeleg(&a->fwft, csr_read(CSR_HEDELEG)));
	if (have_sstc)
		csr_write(CSR_VSTIMECMP, a->vstimecmp);
	csr_write(CSR_HGATP, vcpu->vm->arch.hgatp);
	if (a->fresh) {
		hfence_gvma_vmid(vcpu->vm->arch.vmid);
		hfence_vvma_all();
		a->fresh = false;
	}
	fp_restore(a->fp);
	vcpu_update_hvip(vcpu);
	if (sched_shared(p))
		tick_arm();
}

void arch_vcpu_put(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;

	a->regs = *cpu_frame(vcpu->pcpu);
	a->sepc = csr_read(CSR_SEPC);
	a->hstatus = csr_read(CSR_HSTATUS) & ~HSTATUS_VTW;
	a->sstatus_spp = csr_read(CSR_SSTATUS) & SSTATUS_SPP;
	a->vsstatus = csr_read(CSR_VSSTATUS);
	a->vsie = csr_read(CSR_VSIE);
	a->vstvec = csr_read(CSR_VSTVEC);
	a->vsscratch = csr_read(CSR_VSSCRATCH);
	a->vsepc = csr_read(CSR_VSEPC);
	a->vscause = csr_read(CSR_VSCAUSE);
	a->vstval = csr_read(CSR_VSTVAL);
	a->vsatp = csr_read(CSR_VSATP);
	if (have_sstc) {
		a->vstimecmp = csr_read(CSR_VSTIMECMP);
		csr_write(CSR_VSTIMECMP, ~0UL); /* not for the next vCPU */
	}
	fp_save(a->fp);
	if (csr_read(CSR_HVIP) & (1UL << IRQ_VS_SOFT))
		a->ipi = 1; /* not yet taken by the guest */
	csr_write(CSR_HVIP, 0);
	rfence_done(vcpu);
}

void arch_vcpu_enter(struct vcpu *vcpu)
{
	guest_enter(cpu_frame(vcpu->pcpu));
}

/*
 * The loaded vCPU's virtual interrupt lines. VSSIP is handed to the hardware
 * once (the guest clears it there); VSEIP follows the emulated PLIC; without
 * Sstc, VSTIP follows the SBI TIME deadline.
 */
void vcpu_update_hvip(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	uint64_t hvip = csr_read(CSR_HVIP) & (1UL << IRQ_VS_SOFT);

	if (a->ipi && __atomic_exchange_n(&a->ipi, 0, __ATOMIC_SEQ_CST))
		hvip |= 1UL << IRQ_VS_SOFT;
	if (a->ext_line)
		hvip |= 1UL << IRQ_VS_EXT;
	if (!have_sstc && arch_counter() >= a->stime)
		hvip |= 1UL << IRQ_VS_TIMER;
	csr_write(CSR_HVIP, hvip);
	if (a->rfence)
		rfence_done(vcpu);
}

/* Remote fences other vCPUs asked this one for, run on its own hart. */
void rfence_done(struct vcpu *vcpu)
{
	uint64_t r = __atomic_exchange_n(&vcpu->arch.rfence, 0, __ATOMIC_SEQ_CST);

	if (r & RFENCE_FENCE_I)
		asm volatile("fence.i" ::: "memory");
	if (r & RFENCE_VMA)
		hfence_vvma_all();
	if (this_pcpu()->cur != vcpu)
		vcpu->arch.fresh = true; /* flushed again when it is next loaded */
}

/* Enter the guest's trap handler as the hardware would have (vstvec, vsepc, vscause, vstval). */
void inject_exception(struct vcpu *vcpu, uint64_t cause, uint64_t tval)
{
	uint64_t vsstatus = csr_read(CSR_VSSTATUS);
	uint64_t hstatus = csr_read(CSR_HSTATUS);

	(void)vcpu;
	csr_write(CSR_VSEPC, csr_read(CSR_SEPC));
	csr_write(CSR_VSCAUSE, cause);
	csr_write(CSR_VSTVAL, tval);
	/* SPP <- the guest's privilege at the trap (hstatus.SPVP), SPIE <- SIE, SIE <- 0 */
	vsstatus &= ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);
	if (hstatus & HSTATUS_SPVP)
		vsstatus |= SSTATUS_SPP;
	if (csr_read(CSR_VSSTATUS) & SSTATUS_SIE)
		vsstatus |= SSTATUS_SPIE;
	csr_write(CSR_VSSTATUS, vsstatus);
	csr_write(CSR_HSTATUS, hstatus | HSTATUS_SPVP);
	csr_set(CSR_SSTATUS, SSTATUS_SPP);
	csr_write(CSR_SEPC, csr_read(CSR_VSTVEC) & ~3UL);
}
