// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest interrupts on x86_64: each vCPU has a software x2APIC (vlapic.c);
 * once the guest registers a Secure AVIC backing page (savic.c) keel delivers
 * only through that page. Before each VMRUN the highest deliverable vector is
 * injected (or an interrupt window is requested when the guest has IF clear).
 * The guest's APIC timer counts TSC cycles; keel's own APIC timer in
 * TSC-deadline mode brings the exit when the nearest one expires.
 */
#include <keel/arch.h>
#include <keel/mm.h>
#include <keel/vm.h>
#include <asm/savic.h>
#include <asm/svm.h>
#include <asm/vlapic.h>
#include <asm/x86.h>
#include <asm/x86_64.h>

#define INTERCEPT_VINTR (1u << 4)
#define V_IRQ (1u << 8)
#define V_IGN_TPR (1u << 20)

static void lock(struct vcpu *v)
{
	spin_lock(&v->arch.irq_lock);
}

static void unlock(struct vcpu *v)
{
	spin_unlock(&v->arch.irq_lock);
}

void irq_vcpu_init(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;

	if (!a->apic_page)
		a->apic_page = mm_alloc_page();
	vlapic_init(&a->apic, a->apic_page, vcpu->id, vcpu->vm->nr_vcpus);
	savic_init(&a->savic);
}

static void timer_run(struct vcpu_arch *a, uint64_t now);

static uint32_t *map_guest(void *ctx, uint64_t gpa, uint64_t size)
{
	return vm_ipa_ptr(ctx, gpa, size);
}

/* Deliver vector to vcpu (maybe on another pCPU): through its Secure AVIC page when it has one. */
static void deliver(struct vcpu *t, uint8_t vector, bool nmi)
{
	lock(t);
	if (savic_active(&t->arch.savic)) {
		if (nmi)
			savic_deliver_nmi(&t->arch.savic);
		else
			savic_deliver(&t->arch.savic, vector);
	} else if (nmi) {
		vlapic_accept_nmi(&t->arch.apic);
	} else {
		vlapic_accept(&t->arch.apic, vector);
	}
	unlock(t);
	if (t->pcpu != arch_cpu_id())
		vcpu_kick(t);
}

/*
 * INIT stops the target (it waits for a start-up IPI); a start-up IPI starts
 * a waiting target at vector << 12, in 32-bit protected mode like the boot
 * vCPU (QEMU 7.2's NPT mishandles real mode, facts.md 7.3).
 */
static void init_sipi(struct vcpu *t, uint8_t mode, uint8_t vector)
{
	struct vm *vm = t->vm;

	spin_lock(&vm->lock);
	if (mode == APIC_DM_INIT && vcpu_state(t) == VCPU_ON) {
		vcpu_set_state(t, VCPU_OFF_PENDING);
		vcpu_wake(t);
	} else if (mode == APIC_DM_SIPI && vcpu_state(t) == VCPU_OFF) {
		arch_vcpu_reset(t, (uint64_t)vector << 12, 0);
		vcpu_set_state(t, VCPU_ON);
		vcpu_wake(t);
	}
	spin_unlock(&vm->lock);
}

/* The IPI a WRMSR to ICR asked for. */
static void do_action(struct vcpu *vcpu, const struct vlapic_action *act)
{
	struct vm *vm = vcpu->vm;

	if (act->kind != VLAPIC_ACT_IPI)
		return;
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		if (!(act->targets & (1UL << i)))
			continue;
		if (act->mode == APIC_DM_INIT || act->mode == APIC_DM_SIPI)
			init_sipi(&vm->vcpus[i], act->mode, act->vector);
		else
			deliver(&vm->vcpus[i], act->vector, act->mode == APIC_DM_NMI);
	}
}

/*
 * Under Secure AVIC the guest has already written the other targets' IRR
 * (or NMI_REQ): keel only kicks them. Its own part of a shorthand is a self
 * IPI.
 */
static void savic_icr(struct vcpu *vcpu, const struct vlapic_action *act)
{
	for (unsigned i = 0; i < vcpu->vm->nr_vcpus; i++) {
		if (!(act->targets & (1UL << i)))
			continue;
		if (i == vcpu->id) {
			lock(vcpu);
			if (act->mode == APIC_DM_NMI)
				savic_self_nmi(&vcpu->arch.savic);
			else
				savic_self_ipi(&vcpu->arch.savic, act->vector);
			unlock(vcpu);
		} else {
			vcpu_kick(&vcpu->vm->vcpus[i]);
		}
	}
}

/* x2APIC MSRs (0x800-0x8ff) and the Secure AVIC control MSR; false when it is neither. */
bool irq_msr(struct vcpu *vcpu, uint32_t msr, bool write, uint64_t *val, bool *gp)
{
	struct vcpu_arch *a = &vcpu->arch;
	struct vlapic_action act = { 0 };
	uint64_t now;
	int err;

	*gp = false;
	if (msr == MSR_AMD64_SAVIC_CONTROL) {
		lock(vcpu);
		if (write)
			*gp = savic_ctl_write(&a->savic, *val) != 0;
		else
			*val = savic_ctl_read(&a->savic);
		unlock(vcpu);
		return true;
	}
	if (msr < 0x800 || msr > 0x8ff)
		return false;
	lock(vcpu);
	now = rdtsc();
	/* an expiry keel has not looked at yet happened before this write: raise it first */
	if (write)
		timer_run(a, now);
	if (savic_active(&a->savic) && write && msr == 0x83f) { /* SELF_IPI short path */
		*gp = *val > 0xff;
		if (!*gp)
			savic_self_ipi(&a->savic, (uint8_t)*val);
		unlock(vcpu);
		return true;
	}
	if (savic_active(&a->savic) && write && msr == 0x80b) { /* EOI (edge) */
		*gp = *val != 0;
		if (!*gp)
			savic_eoi(&a->savic);
		unlock(vcpu);
		return true;
	}
	if (write)
		err = vlapic_wrmsr(&a->apic, msr, *val, now, &act);
	else
		err = vlapic_rdmsr(&a->apic, msr, now, val);
	unlock(vcpu);
	*gp = err != 0;
	if (!err && savic_active(&a->savic) && act.kind == VLAPIC_ACT_IPI &&
	    act.mode != APIC_DM_INIT && act.mode != APIC_DM_SIPI) {
		savic_icr(vcpu, &act);
	} else if (!err) {
		do_action(vcpu, &act);
	}
	return true;
}

/* VMMCALL with RAX = 0x8000001A: RCX 0 registers the page at RBX, 1 unregisters. */
int irq_savic_call(struct vcpu *vcpu, uint64_t op, uint64_t gpa)
{
	int err;

	lock(vcpu);
	if (op == SVM_VMGEXIT_SAVIC_REGISTER_GPA)
		err = savic_register(&vcpu->arch.savic, gpa, map_guest, vcpu->vm);
	else if (op == SVM_VMGEXIT_SAVIC_UNREGISTER_GPA)
		err = savic_unregister(&vcpu->arch.savic);
	else
		err = SAVIC_ERR;
	unlock(vcpu);
	return err;
}

/*
 * Under Secure AVIC the guest keeps SPIV in its page (Linux's x2apic_savic.c never writes the
 * MSR): the vlapic software enable, which gates the timer and forces LVTs masked, follows it.
 */
static void savic_sync_spiv(struct vcpu_arch *a, uint64_t now)
{
	struct vlapic_action act;
	uint64_t cur = 0;
	uint32_t spiv;

	if (!savic_active(&a->savic))
		return;
	spiv = apic_reg_read(a->savic.page, APIC_REG_SPIV) & 0x3ffU;
	if (!vlapic_rdmsr(&a->apic, X2APIC_MSR_SPIV, now, &cur) && cur != spiv)
		vlapic_wrmsr(&a->apic, X2APIC_MSR_SPIV, spiv, now, &act);
}

/* Runs the guest APIC timer up to now (irq_lock held): a due vector goes to the IRR or the page. */
static void timer_run(struct vcpu_arch *a, uint64_t now)
{
	int vec;

	savic_sync_spiv(a, now);
	if (savic_active(&a->savic)) {
		/* with Secure AVIC the timer vector lands in the page, if allowed */
		vec = vlapic_timer_tick(&a->apic, now);
		if (vec >= 0)
			savic_deliver(&a->savic, (uint8_t)vec);
	} else {
		vlapic_timer_expire(&a->apic, now);
	}
}

/* The guest APIC timer: raise its vector when due, and arm keel's timer for the next expiry. */
static void timer_update(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	uint64_t deadline;

	lock(vcpu);
	timer_run(a, rdtsc());
	deadline = vlapic_timer_deadline(&a->apic);
	unlock(vcpu);
	timer_program(deadline);
}

/*
 * Before VMRUN: inject an NMI or the highest deliverable interrupt. When the guest cannot take
 * the interrupt now (IF clear, interrupt shadow, or an event already being injected: an
 * exception, or the NMI) ask for an exit as soon as it can (VINTR).
 */
void irq_before_run(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	struct vmcb *v = a->vmcb;
	int vec = -1;
	bool nmi = false;

	timer_update(vcpu);
	v->intercept3 &= ~INTERCEPT_VINTR;
	v->int_ctl &= ~(V_IRQ | V_IGN_TPR);
	lock(vcpu);
	if (!(v->event_inj & EVENT_VALID))
		nmi = savic_active(&a->savic) ? savic_nmi_pick(&a->savic) :
						vlapic_take_nmi(&a->apic);
	if (nmi)
		v->event_inj = EVENT_VALID | EVENT_TYPE_NMI | 2;
	if (savic_active(&a->savic))
		vec = savic_pick(&a->savic, savic_tpr(&a->savic));
	else
		vec = vlapic_pending_vector(&a->apic);
	if (vec >= 0 && (v->rflags & (1u << 9)) && !(v->int_state & 1) &&
	    !(v->event_inj & EVENT_VALID)) {
		if (savic_active(&a->savic))
			savic_ack(&a->savic, (uint8_t)vec);
		else
			vlapic_ack(&a->apic, (uint8_t)vec);
		v->event_inj = EVENT_VALID | EVENT_TYPE_INTR | (uint32_t)vec;
	} else if (vec >= 0) {
		/* exit as soon as the guest can take it (VINTR) */
		v->int_ctl |= V_IRQ | V_IGN_TPR;
		v->intercept3 |= INTERCEPT_VINTR;
	}
	unlock(vcpu);
}
