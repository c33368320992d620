// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Emulated PLIC for guests (at QEMU virt's address): sources 1..31, one
 * S-mode context per vCPU (context n = vCPU n), priorities, enables,
 * thresholds, claim/complete. A context with an eligible interrupt has VSEIP
 * raised; level-triggered sources are sampled again on complete.
 */
#include <keel/vm.h>
#include <keel/arch.h>
#include <asm/riscv.h>

#define PENDING 0x1000
#define ENABLE 0x2000
#define CONTEXT 0x200000

/* Best pending, enabled source above the context's threshold, or 0. */
static unsigned best(struct vplic *p, unsigned ctx)
{
	uint32_t cand = p->pending & p->enable[ctx] & ~p->claimed;
	unsigned src = 0, prio = p->threshold[ctx];

	for (unsigned i = 1; i < VPLIC_NR_SOURCES; i++)
		if ((cand & (1u << i)) && p->prio[i] > prio) {
			prio = p->prio[i];
			src = i;
		}
	return src;
}

/* Recompute VSEIP of every vCPU and wake the ones whose line went up. */
static void update(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		bool line = best(&vm->arch.plic, i) != 0;

		if (line != v->arch.ext_line) {
			v->arch.ext_line = line;
			if (v->pcpu != arch_cpu_id())
				vcpu_kick(v);
		}
	}
}

void vplic_set_level(struct vm *vm, unsigned src, bool level)
{
	if (!src || src >= VPLIC_NR_SOURCES || !level)
		return;
	spin_lock(&vm->lock);
	__atomic_or_fetch(&vm->arch.plic.pending, 1u << src, __ATOMIC_SEQ_CST);
	update(vm);
	spin_unlock(&vm->lock);
}

void arch_vm_irq_line(struct vm *vm, unsigned irq, bool level)
{
	vplic_set_level(vm, irq, level);
}

void arch_inject_irq(struct vcpu *vcpu, unsigned irq)
{
	vplic_set_level(vcpu->vm, irq, true);
}

void arch_vm_irq_source(struct vm *vm, unsigned src, bool (*level)(void *dev), void *dev)
{
	if (src && src < VPLIC_NR_SOURCES) {
		vm->arch.plic.level[src] = level;
		vm->arch.plic.dev[src] = dev;
	}
}

static bool plic_read(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off, unsigned size,
		      uint64_t *val)
{
	struct vm *vm = vcpu->vm;
	struct vplic *p = &vm->arch.plic;
	unsigned ctx;

	(void)dev;
	*val = 0;
	if (size != 4)
		return true;
	if (off < 4 * VPLIC_NR_SOURCES) {
		*val = p->prio[off / 4];
	} else if (off == PENDING) {
		*val = p->pending;
	} else if (off >= ENABLE && off < ENABLE + 0x80 * VPLIC_MAX_CTX) {
		ctx = (unsigned)((off - ENABLE) / 0x80); /* < VPLIC_MAX_CTX */
		if ((off & 0x7f) == 0 && ctx < vm->nr_vcpus)
			*val = p->enable[ctx];
	} else if (off >= CONTEXT && off < CONTEXT + 0x1000 * VPLIC_MAX_CTX) {
		ctx = (unsigned)((off - CONTEXT) / 0x1000); /* < VPLIC_MAX_CTX */
		if (ctx >= vm->nr_vcpus)
			return true;
		if ((off & 0xfff) == 0) {
			*val = p->threshold[ctx];
		} else if ((off & 0xfff) == 4) { /* claim */
			spin_lock(&vm->lock);
			unsigned src = best(p, ctx);

			if (src) {
				__atomic_and_fetch(&p->pending, ~(1u << src), __ATOMIC_SEQ_CST);
				p->claimed |= 1u << src;
			}
			update(vm);
			spin_unlock(&vm->lock);
			*val = src;
		}
	}
	return true;
}

static bool plic_write(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off, unsigned size,
		       uint64_t val)
{
	struct vm *vm = vcpu->vm;
	struct vplic *p = &vm->arch.plic;
	unsigned ctx;

	(void)dev;
	if (size != 4)
		return true;
	spin_lock(&vm->lock);
	if (off < 4 * VPLIC_NR_SOURCES && off >= 4) {
		p->prio[off / 4] = (uint32_t)val & 7;
	} else if (off >= ENABLE && off < ENABLE + 0x80 * VPLIC_MAX_CTX) {
		ctx = (unsigned)((off - ENABLE) / 0x80); /* < VPLIC_MAX_CTX */
		if ((off & 0x7f) == 0 && ctx < vm->nr_vcpus)
			p->enable[ctx] = (uint32_t)val & ~1u;
	} else if (off >= CONTEXT && off < CONTEXT + 0x1000 * VPLIC_MAX_CTX) {
		ctx = (unsigned)((off - CONTEXT) / 0x1000); /* < VPLIC_MAX_CTX */
		if (ctx < vm->nr_vcpus && (off & 0xfff) == 0) {
			p->threshold[ctx] = (uint32_t)val & 7;
		} else if (ctx < vm->nr_vcpus && (off & 0xfff) == 4 && val < VPLIC_NR_SOURCES &&
			   (p->claimed & (1u << val))) { /* complete */
			p->claimed &= ~(1u << val);
			if (p->level[val] && p->level[val](p->dev[val]))
				__atomic_or_fetch(&p->pending, 1u << val, __ATOMIC_SEQ_CST);
		}
	}
	update(vm);
	spin_unlock(&vm->lock);
	return true;
}

void vplic_register(struct vm *vm)
{
	struct mmio_dev *d = &vm->devs[vm->nr_devs++];

	d->name = "plic";
	d->base = VPLIC_BASE;
	d->size = VPLIC_SIZE;
	d->read = plic_read;
	d->write = plic_write;
}
