// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Virtual GICv3 for guests: emulated distributor (SPIs 32..63) and one
 * redistributor per vCPU; delivery through list registers. Interrupts wait
 * in software (per-vCPU pending bits for SGIs/PPIs, distributor bits for
 * SPIs) until the guest has them enabled and a list register is free.
 */
#include <asm/gic.h>
#include <asm/lr.h>
#include <keel/vm.h>
#include <keel/arch.h>
#include <string.h>

#define GICD_CTLR 0x0
#define GICD_TYPER 0x4
#define GICD_IIDR 0x8
#define GICD_IGROUPR 0x80
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ICFGR 0xc00
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8
#define GICR_CTLR 0x0
#define GICR_IIDR 0x4
#define GICR_TYPER 0x8
#define GICR_WAKER 0x14
#define GICR_SGI 0x10000

static unsigned nr_lrs(void)
{
	return (unsigned)(read_sysreg(S3_4_C12_C11_1) & 0x1f) + 1; /* ICH_VTR_EL2.ListRegs */
}

static struct vcpu *spi_target(struct vm *vm, unsigned intid)
{
	uint64_t aff0 = vm->arch.gicd.route[intid - 32] & 0xff;

	return &vm->vcpus[aff0 < vm->nr_vcpus ? aff0 : 0];
}

void vgic_inject(struct vcpu *vcpu, unsigned intid)
{
	if (intid < 32)
		__atomic_or_fetch(&vcpu->arch.gic.pending, 1u << intid, __ATOMIC_SEQ_CST);
	else if (intid < VGIC_NR_IRQS)
		__atomic_or_fetch(&vcpu->vm->arch.gicd.pending, 1u << (intid - 32),
				  __ATOMIC_SEQ_CST);
	else
		return;
	if (vcpu->state == VCPU_WFI)
		vcpu->state = VCPU_ON;
	if (vcpu->pcpu != arch_cpu_id())
		vcpu_kick(vcpu); /* its pCPU flushes on the way back into the guest */
}

void arch_inject_irq(struct vcpu *vcpu, unsigned irq)
{
	vgic_inject(vcpu, irq);
}

void arch_vm_irq_line(struct vm *vm, unsigned irq, bool level)
{
	vgic_set_spi_level(vm, irq, level);
}

void arch_vm_irq_source(struct vm *vm, unsigned irq, bool (*level)(void *dev), void *dev)
{
	/* the vGIC injects edges; the PL011 model raises its line again on every access */
	(void)vm;
	(void)irq;
	(void)level;
	(void)dev;
}

void vgic_set_spi_level(struct vm *vm, unsigned intid, bool level)
{
	/* rising edges only: the emulated devices re-raise on every register access */
	if (level)
		vgic_inject(spi_target(vm, intid), intid);
}

static uint8_t prio_of(struct vcpu *vcpu, unsigned intid)
{
	return intid < 32 ? vcpu->arch.gic.prio[intid] : vcpu->vm->arch.gicd.prio[intid - 32];
}

/* Put intid in a list register; false when none is free. */
static bool lr_add(struct vcpu *vcpu, unsigned intid, unsigned n)
{
	int free_lr = -1;

	for (unsigned i = 0; i < n; i++) {
		uint64_t lr = lr_read(i);

		if ((uint32_t)lr == intid && (lr & (LR_PENDING | LR_ACTIVE))) {
			if (!(lr & (LR_PENDING | LR_HW)))
				lr_write(i,
					 lr | LR_PENDING); /* active: becomes active and pending */
			return true;
		}
		if (!(lr & (LR_PENDING | LR_ACTIVE)) && free_lr < 0)
			free_lr = (int)i;
	}
	if (free_lr < 0)
		return false;
	uint64_t v =
		LR_PENDING | LR_GROUP1 | ((uint64_t)prio_of(vcpu, intid) << LR_PRIO_SHIFT) | intid;

	if (intid == INTID_VTIMER || intid == INTID_PTIMER)
		v |= LR_HW | ((uint64_t)intid << LR_PINTID_SHIFT);
	lr_write((unsigned)free_lr, v);
	return true;
}

void vgic_flush(struct vcpu *vcpu)
{
	struct vgic_dist *d = &vcpu->vm->arch.gicd;
	uint32_t ppi = vcpu->arch.gic.pending & vcpu->arch.gic.enabled;
	uint32_t spi = (d->ctlr & 2) ? d->pending & d->enabled : 0;
	bool full = false;
	unsigned n;

	/* the common exit has nothing to deliver: keep it cheap */
	if (!ppi && !spi && !vcpu->arch.gic.underflow)
		return;
	n = nr_lrs();

	/*
	 * Visit only the set bits (the timer PPI is bit 27: no walk over the clear
	 * ones). A shift-based walk once reached i = 32 with bit 31 set, which
	 * read route[32] and queued INTID 64 (found by fuzzing).
	 */
	for (uint32_t todo = ppi; todo; todo &= todo - 1) {
		unsigned i = (unsigned)__builtin_ctz(todo);

		if (!lr_add(vcpu, i, n)) {
			full = true;
			break;
		}
		__atomic_and_fetch(&vcpu->arch.gic.pending, ~(1u << i), __ATOMIC_SEQ_CST);
	}
	for (uint32_t todo = full ? 0 : spi; todo; todo &= todo - 1) {
		unsigned i = (unsigned)__builtin_ctz(todo);

		if (spi_target(vcpu->vm, 32 + i) != vcpu)
			continue;
		if (!lr_add(vcpu, 32 + i, n)) {
			full = true;
			break;
		}
		__atomic_and_fetch(&d->pending, ~(1u << i), __ATOMIC_SEQ_CST);
	}
	/* underflow maintenance interrupt when something is still waiting */
	write_sysreg(S3_4_C12_C11_0, full ? 3 : 1); /* ICH_HCR_EL2: En | UIE */
	vcpu->arch.gic.underflow = full;
}

/*
 * A vCPU leaving a shared pCPU must not leave its timer PPI active in the
 * physical GIC, or the next vCPU's timer never fires: every timer interrupt
 * this vCPU took (in a list register, or injected and not flushed yet) is
 * deactivated. The saved list registers keep their HW link: restored, the
 * guest's EOI deactivates the physical PPI again, which is harmless when it is
 * inactive, and a timer that still fires meanwhile finds its list register
 * and is not injected twice. (Saving them unlinked made a timer that fired
 * again before the guest masked it merge into the unlinked entry: the
 * physical PPI stayed active for good and that pCPU's timers stopped. Linux
 * sleeping on vCPUs that share a pCPU never woke up.)
 */
void vgic_save(struct vcpu *vcpu)
{
	unsigned n = nr_lrs();
	uint32_t hw = vcpu->arch.gic.pending & ((1u << INTID_VTIMER) | (1u << INTID_PTIMER));

	for (unsigned i = 0; i < n; i++) {
		uint64_t lr = lr_read(i);

		if (lr & LR_HW)
			hw |= 1u << ((lr >> LR_PINTID_SHIFT) & 0x1f);
		vcpu->arch.gic.lr[i] = lr;
		lr_write(i, 0);
	}
	for (unsigned intid = 0; hw >> intid; intid++)
		if (hw & (1u << intid))
			gic_deactivate(intid);
	vcpu->arch.gic.vmcr = read_sysreg(S3_4_C12_C11_7); /* ICH_VMCR_EL2 */
	vcpu->arch.gic.ap0r0 = read_sysreg(S3_4_C12_C8_0); /* ICH_AP0R0_EL2 */
	vcpu->arch.gic.ap1r0 = read_sysreg(S3_4_C12_C9_0); /* ICH_AP1R0_EL2 */
}

void vgic_restore(struct vcpu *vcpu)
{
	unsigned n = nr_lrs();

	for (unsigned i = 0; i < n; i++)
		lr_write(i, vcpu->arch.gic.lr[i]);
	write_sysreg(S3_4_C12_C11_7, vcpu->arch.gic.vmcr);
	write_sysreg(S3_4_C12_C8_0, vcpu->arch.gic.ap0r0);
	write_sysreg(S3_4_C12_C9_0, vcpu->arch.gic.ap1r0);
	vgic_flush(vcpu);
}

void vgic_vcpu_init(struct vcpu *vcpu)
{
	memset(&vcpu->arch.gic, 0, sizeof(vcpu->arch.gic));
	vcpu->arch.gic.waker = 6; /* ProcessorSleep | ChildrenAsleep */
	vcpu->arch.gic.enabled = 0xffff; /* SGIs are always enabled on QEMU's GIC too */
}

void vgic_sgi1r(struct vcpu *vcpu, uint64_t val)
{
	struct vm *vm = vcpu->vm;
	unsigned intid = (val >> 24) & 0xf;
	bool all_others = val & (1UL << 40);
	uint64_t aff1 = (val >> 16) & 0xff, aff2 = (val >> 32) & 0xff, aff3 = (val >> 48) & 0xff;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *t = &vm->vcpus[i];
		bool hit = all_others ? t != vcpu :
					(!aff1 && !aff2 && !aff3 && i < 16 && (val & (1u << i)));

		if (hit && t->state != VCPU_OFF && t->state != VCPU_STOPPED)
			vgic_inject(t, intid);
	}
}

/* ---- emulated distributor */

static uint32_t bits_read(uint32_t v, unsigned off)
{
	return off == 4 ? v : 0; /* register 1 holds INTIDs 32..63 */
}

static bool gicd_read(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off, unsigned size,
		      uint64_t *val)
{
	struct vgic_dist *d = &vcpu->vm->arch.gicd;

	(void)dev;
	*val = 0;
	if (off >= GICD_IROUTER + 8 * 32 && off < GICD_IROUTER + 8 * VGIC_NR_IRQS && size == 8) {
		*val = d->route[(off - GICD_IROUTER) / 8 - 32];
		return true;
	}
	if (off >= GICD_IPRIORITYR + 32 && off < GICD_IPRIORITYR + VGIC_NR_IRQS) {
		for (unsigned i = 0; i < size && off + i < GICD_IPRIORITYR + VGIC_NR_IRQS; i++)
			*val |= (uint64_t)d->prio[off - GICD_IPRIORITYR - 32 + i] << (8 * i);
		return true;
	}
	if (size != 4)
		return true; /* RAZ */
	switch (off) {
	case GICD_CTLR:
		*val = d->ctlr | (1u << 4); /* ARE always on */
		break;
	case GICD_TYPER:
		*val = (VGIC_NR_IRQS / 32 - 1) | (9u << 19); /* ITLinesNumber, IDbits = 10 bits */
		break;
	case GICD_IIDR:
		*val = 0x4b << 0; /* implementer 'K' */
		break;
	case GICD_PIDR2:
		*val = 0x30; /* GICv3 */
		break;
	case GICD_IGROUPR + 4:
		*val = d->group;
		break;
	case GICD_ISENABLER + 4:
	case GICD_ICENABLER + 4:
		*val = bits_read(d->enabled, (unsigned)(off & 0x7f));
		break;
	case GICD_ISPENDR + 4:
	case GICD_ICPENDR + 4:
		*val = d->pending;
		break;
	case GICD_ICFGR + 8:
	case GICD_ICFGR + 12:
		*val = d->cfg[(off - GICD_ICFGR - 8) / 4];
		break;
	}
	return true;
}

static bool gicd_write(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off, unsigned size,
		       uint64_t val)
{
	struct vgic_dist *d = &vcpu->vm->arch.gicd;

	(void)dev;
	if (off >= GICD_IROUTER + 8 * 32 && off < GICD_IROUTER + 8 * VGIC_NR_IRQS && size == 8) {
		d->route[(off - GICD_IROUTER) / 8 - 32] = val & 0xff00ffffffUL;
		return true;
	}
	if (off >= GICD_IPRIORITYR + 32 && off < GICD_IPRIORITYR + VGIC_NR_IRQS) {
		for (unsigned i = 0; i < size && off + i < GICD_IPRIORITYR + VGIC_NR_IRQS; i++)
			d->prio[off - GICD_IPRIORITYR - 32 + i] = (uint8_t)(val >> (8 * i));
		return true;
	}
	if (size != 4)
		return true; /* WI */
	switch (off) {
	case GICD_CTLR:
		d->ctlr = (uint32_t)val & 3;
		break;
	case GICD_IGROUPR + 4:
		d->group = (uint32_t)val;
		break;
	case GICD_ISENABLER + 4:
		__atomic_or_fetch(&d->enabled, (uint32_t)val, __ATOMIC_SEQ_CST);
		break;
	case GICD_ICENABLER + 4:
		__atomic_and_fetch(&d->enabled, ~(uint32_t)val, __ATOMIC_SEQ_CST);
		break;
	case GICD_ISPENDR + 4:
		for (unsigned i = 0; i < 32; i++)
			if (val & (1u << i))
				vgic_inject(spi_target(vcpu->vm, 32 + i), 32 + i);
		break;
	case GICD_ICPENDR + 4:
		__atomic_and_fetch(&d->pending, ~(uint32_t)val, __ATOMIC_SEQ_CST);
		break;
	case GICD_ICFGR + 8:
	case GICD_ICFGR + 12:
		d->cfg[(off - GICD_ICFGR - 8) / 4] = (uint32_t)val;
		break;
	}
	return true;
}

/* ---- emulated redistributors: one 128 KiB frame per vCPU */

static uint64_t gicr_typer(struct vm *vm, unsigned i)
{
	uint64_t t = ((uint64_t)i << 32) | ((uint64_t)i << 8); /* Aff0 = vCPU index */

	return i + 1 == vm->nr_vcpus ? t | (1u << 4) : t; /* Last */
}

static bool gicr_sgi_read(struct vgic_cpu *c, uint64_t off, unsigned size, uint64_t *val)
{
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32) {
		for (unsigned i = 0; i < size && off + i < GICD_IPRIORITYR + 32; i++)
			*val |= (uint64_t)c->prio[off - GICD_IPRIORITYR + i] << (8 * i);
		return true;
	}
	switch (off) {
	case GICD_IGROUPR:
		*val = c->group;
		break;
	case GICD_ISENABLER:
	case GICD_ICENABLER:
		*val = c->enabled;
		break;
	case GICD_ISPENDR:
	case GICD_ICPENDR:
		*val = c->pending;
		break;
	case GICD_ICFGR + 4:
		*val = c->cfg1;
		break;
	}
	return true;
}

static bool gicr_sgi_write(struct vgic_cpu *c, uint64_t off, unsigned size, uint64_t val)
{
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32) {
		for (unsigned i = 0; i < size && off + i < GICD_IPRIORITYR + 32; i++)
			c->prio[off - GICD_IPRIORITYR + i] = (uint8_t)(val >> (8 * i));
		return true;
	}
	switch (off) {
	case GICD_IGROUPR:
		c->group = (uint32_t)val;
		break;
	case GICD_ISENABLER:
		__atomic_or_fetch(&c->enabled, (uint32_t)val, __ATOMIC_SEQ_CST);
		break;
	case GICD_ICENABLER:
		__atomic_and_fetch(&c->enabled, ~(uint32_t)val | 0xffff, __ATOMIC_SEQ_CST);
		break;
	case GICD_ISPENDR:
		__atomic_or_fetch(&c->pending, (uint32_t)val, __ATOMIC_SEQ_CST);
		break;
	case GICD_ICPENDR:
		__atomic_and_fetch(&c->pending, ~(uint32_t)val, __ATOMIC_SEQ_CST);
		break;
	case GICD_ICFGR + 4:
		c->cfg1 = (uint32_t)val;
		break;
	}
	return true;
}

static bool gicr_access(struct vcpu *vcpu, uint64_t off, unsigned size, uint64_t *val, bool write)
{
	struct vm *vm = vcpu->vm;
	unsigned i = (unsigned)(off / GICR_STRIDE);
	struct vgic_cpu *c;

	if (i >= vm->nr_vcpus)
		return false;
	c = &vm->vcpus[i].arch.gic;
	off %= GICR_STRIDE;
	if (off >= GICR_SGI) {
		if (write)
			return gicr_sgi_write(c, off - GICR_SGI, size, *val);
		*val = 0;
		return gicr_sgi_read(c, off - GICR_SGI, size, val);
	}
	if (write) {
		if (off == GICR_WAKER)
			c->waker = (*val & 2) ? 6 : 0;
		return true;
	}
	switch (off) {
	case GICR_TYPER:
		*val = gicr_typer(vm, i);
		break;
	case GICR_TYPER + 4:
		*val = gicr_typer(vm, i) >> 32;
		break;
	case GICR_WAKER:
		*val = c->waker;
		break;
	case GICR_IIDR:
		*val = 0x4b;
		break;
	case GICD_PIDR2:
		*val = 0x30;
		break;
	default:
		*val = 0;
	}
	return true;
}

static bool gicr_read(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off, unsigned size,
		      uint64_t *val)
{
	(void)dev;
	return gicr_access(vcpu, off, size, val, false);
}

static bool gicr_write(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off, unsigned size,
		       uint64_t val)
{
	(void)dev;
	return gicr_access(vcpu, off, size, &val, true);
}

void vgic_register_devices(struct vm *vm)
{
	struct mmio_dev *d = &vm->devs[vm->nr_devs++];

	d->name = "gicd";
	d->base = GICD_BASE;
	d->size = GICD_SIZE;
	d->read = gicd_read;
	d->write = gicd_write;
	d = &vm->devs[vm->nr_devs++];
	d->name = "gicr";
	d->base = GICR_BASE;
	d->size = GICR_STRIDE * vm->nr_vcpus;
	d->read = gicr_read;
	d->write = gicr_write;
}
