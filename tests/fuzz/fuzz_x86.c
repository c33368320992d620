// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for x86_64's guest interrupt path and COM1: the x2APIC MSRs
 * (irq_msr() over arch/x86_64/vlapic.c), the Secure AVIC model
 * (arch/x86_64/savic.c through irq_msr, irq_savic_call and the guest's own
 * writes to its backing page), interrupt injection before VMRUN
 * (irq_before_run) with the APIC timer, and the NS16550 at COM1 reached by
 * port I/O (vm_mmio_access at PIO_SPACE + port, as ioio_exit does after
 * decoding EXITINFO1; fuzz_x86_exit.c drives ioio_exit and msr_exit
 * themselves). rdtsc is the harness's clock (x86.h host seam).
 *
 * Promises: a registered Secure AVIC page is a whole page of the VM's RAM
 * and nothing is active without one; the dropped counter never goes down;
 * an injected interrupt has a vector 16..255 and never goes with another
 * event; a VINTR request has V_IRQ set; MSR reads of size 4 registers give 32
 * bits; port reads of N bytes give N bytes; every page is given back.
 */
#include "fake_env.h"
#include <keel/arch.h>
#include <keel/mm.h>
#include <asm/savic.h>
#include <asm/svm.h>
#include <asm/vlapic.h>
#include <asm/x86_64.h>

#define NR_VCPUS 4
#define RAM 0x1000000ULL
#define COM1 0x3f8

void ns16550_register(struct vm *vm, uint64_t base, unsigned irq);
bool irq_msr(struct vcpu *vcpu, uint32_t msr, bool write, uint64_t *val, bool *gp);
int irq_savic_call(struct vcpu *vcpu, uint64_t op, uint64_t gpa);
void irq_before_run(struct vcpu *vcpu);

static struct vmcb vmcbs[NR_VCPUS];

uint64_t host_rdtsc(void)
{
	return fake_now;
}

void timer_program(uint64_t guest_deadline)
{
	(void)guest_deadline;
}

void arch_vcpu_init(struct vcpu *vcpu)
{
	vcpu->arch.vmcb = &vmcbs[vcpu->id];
	irq_vcpu_init(vcpu);
}

void arch_vm_devices(struct vm *vm) /* as arch/x86_64/board.c */
{
	if (vm->cfg->console != CONSOLE_NONE)
		ns16550_register(vm, PIO_SPACE + COM1, 4);
}

static void free_apic_pages(struct vm *vm) /* as svm.c's arch_vm_destroy */
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].arch.apic_page)
			mm_free(pa_init((uintptr_t)vm->vcpus[i].arch.apic_page), PAGE_SIZE);
		vm->vcpus[i].arch.apic_page = NULL;
	}
}

static uint32_t pick_msr(struct fin *in)
{
	static const uint32_t msrs[] = { 0x802, 0x803,
					 0x808, 0x80a,
					 0x80b, 0x80d,
					 0x80f, 0x810,
					 0x817, 0x818,
					 0x820, 0x827,
					 0x828, 0x82f,
					 0x830, 0x832,
					 0x833, 0x834,
					 0x835, 0x836,
					 0x837, 0x838,
					 0x839, 0x83e,
					 0x83f, MSR_AMD64_SAVIC_CONTROL };
	uint8_t m = fin_u8(in);

	if (m < 0xc0)
		return msrs[m % ARRAY_SIZE(msrs)];
	if (m < 0xf0)
		return 0x800 + fin_u8(in);
	return fin_u32(in);
}

static uint64_t pick_val(struct fin *in, const struct vm *vm)
{
	uint8_t mode = fin_u8(in);

	switch (mode % 6) {
	case 0:
		return fin_u8(in);
	case 1: /* ICR: vector, delivery mode, level, shorthand, destination */
		return fin_u32(in) | (uint64_t)(fin_u8(in) % (NR_VCPUS + 2)) << 32;
	case 2: /* SAVIC_CONTROL: EN/ALLOWEDNMI and a GPA in (or near) RAM */
		return (RAM + (uint64_t)(fin_u8(in) % 260) * PAGE_SIZE) | (fin_u8(in) & 0xf);
	case 3:
		return 0x100 | fin_u8(in); /* SPIV enabled */
	case 4:
		return fin_u64(in);
	default:
		(void)vm;
		return fin_u32(in);
	}
}

static void check_savic(struct vm *vm, const uint64_t *dropped)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		const struct savic *s = &vm->vcpus[i].arch.savic;

		PROMISE(s->dropped >= dropped[i]);
		if (!s->page) {
			PROMISE(!savic_active(s));
			continue;
		}
		PROMISE(!(s->gpa & (PAGE_SIZE - 1)) &&
			(uint32_t *)vm_ipa_ptr(vm, s->gpa, PAGE_SIZE) == s->page);
	}
}

static void before_run(struct vcpu *vcpu, struct fin *in)
{
	struct vmcb *v = vcpu->arch.vmcb;
	uint8_t b = fin_u8(in);
	uint32_t old;

	v->rflags = b & 1 ? 1u << 9 : 0;
	v->int_state = (b >> 1) & 1;
	if (b & 4) /* the last VMRUN delivered what was injected */
		v->event_inj = 0;
	old = v->event_inj;
	irq_before_run(vcpu);
	if (v->event_inj != old && (v->event_inj & (7u << 8)) == EVENT_TYPE_INTR) {
		/* a new interrupt: a legal vector, only when the guest can take it */
		PROMISE(!(old & EVENT_VALID) && (v->event_inj & EVENT_VALID));
		PROMISE((v->event_inj & 0xff) >= 16 && (v->rflags & (1u << 9)) && !v->int_state);
	}
	if (v->intercept3 & (1u << 4))
		PROMISE(v->int_ctl & (1u << 8));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_config cfg;
	static jmp_buf off;
	struct fin in = { data, size };
	uint64_t dropped[NR_VCPUS] = { 0 };
	struct vm *vm;
	unsigned ops = 0;

	memset(vmcbs, 0, sizeof(vmcbs));
	fake_now = 1000;
	fake_poweroff = &off;
	fake_vm_destroy_hook = free_apic_pages;
	vm = fake_boot_vm(&cfg, "x86", NR_VCPUS, RAM, MiB(1), 0);
	if (!setjmp(off)) {
		while (in.n && ops++ < 200) {
			uint8_t op = fin_u8(&in);
			struct vcpu *vcpu = &vm->vcpus[(op >> 4) % NR_VCPUS];
			uint64_t val, gpa;
			uint32_t msr, *p;
			bool gp, write;
			unsigned sz;

			switch (op % 8) {
			case 0:
			case 1:
				msr = pick_msr(&in);
				write = op & 8;
				val = pick_val(&in, vm);
				if (irq_msr(vcpu, msr, write, &val, &gp) && !write && !gp &&
				    msr != 0x830 && msr != MSR_AMD64_SAVIC_CONTROL)
					PROMISE(val <= 0xffffffffULL);
				break;
			case 2:
				gpa = fin_u8(&in) & 1 ?
					      SVM_VMGEXIT_SAVIC_SELF_GPA :
					      RAM + (uint64_t)(fin_u16(&in) % 300) * 0x800;
				irq_savic_call(vcpu, fin_u8(&in) % 3, gpa);
				break;
			case 3: /* the guest writes its own backing page */
				p = vcpu->arch.savic.page;
				val = fin_u16(&in) & 0xffc;
				if (p)
					p[val / 4] = fin_u32(&in);
				break;
			case 4:
				before_run(vcpu, &in);
				break;
			case 5:
				fake_now += fin_u32(&in);
				break;
			case 6: /* port I/O */
				gpa = PIO_SPACE +
				      (fin_u8(&in) & 0x80 ? fin_u16(&in) : COM1 + fin_u8(&in) % 8);
				sz = 1u << (fin_u8(&in) % 3);
				write = op & 8;
				val = fin_u32(&in);
				if (vm_mmio_access(vcpu, gpa, write, sz, &val) && !write)
					PROMISE(!(val >> (8 * sz)));
				break;
			default:
				console_input((char)fin_u8(&in));
				break;
			}
			check_savic(vm, dropped);
			for (unsigned i = 0; i < NR_VCPUS; i++)
				dropped[i] = vm->vcpus[i].arch.savic.dropped;
		}
	}
	fake_destroy_all();
	PROMISE(fake_mm_live() == 0);
	fake_poweroff = NULL;
	fake_vm_destroy_hook = NULL;
	return 0;
}
