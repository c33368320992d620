// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for arm64's emulated devices and the data-abort path that
 * reaches them: the GICv3 distributor and redistributors (arch/arm64/vgic.c,
 * with list-register delivery), the PL011 (src/dev/pl011.c), and the
 * syndrome decode of guest_sync_slow()/data_abort() (arch/arm64/trap.c; keel
 * has no instruction decoder on arm64: ESR_EL2.ISS describes the access).
 * System registers are a table (asm/sysreg.h KEEL_HOST seam).
 *
 * One VM with 4 vCPUs and 4 list registers; the input is a list of
 * operations (direct MMIO, trapped data abort, trapped ICC_SGI1R_EL1 write,
 * console input, list-register flush/save/restore, interrupt injection,
 * vCPU state change).
 *
 * Promises: a read of N < 8 bytes returns no bits above N bytes; after a
 * trapped data abort either the access was emulated (pc + 4, only Rt
 * changed, and only on a read) or an abort was injected (no register
 * changed); only list registers 0..ListRegs exist and none holds an INTID
 * the vGIC does not have, nor the same INTID twice; SGIs stay enabled; the
 * distributor and redistributor state keeps its masks; the PL011 IMSC keeps
 * its 11 bits.
 */
#include "arm64_env.h"
#include <keel/arch.h>
#include <asm/arm64.h>
#include <asm/fpstate.h>
#include <asm/gic.h>
#include <asm/lr.h>
#include <asm/sysreg.h>
#include <asm/vgic.h>

#define NR_LRS 4
#define UART_BASE 0x09000000ULL
#define RAM 0x40000000ULL

void pl011_register(struct vm *vm, uint64_t base, unsigned intid);
void guest_sync_slow(struct frame *f);
struct fp_hw fp_hw;

/* ---- system registers: named slots */
static struct {
	const char *name;
	uint64_t v;
} regs[64];

static uint64_t *sysreg(const char *name)
{
	unsigned i;

	for (i = 0; i < 64 && regs[i].name; i++)
		if (!strcmp(regs[i].name, name))
			return &regs[i].v;
	PROMISE(i < 64);
	regs[i].name = name;
	regs[i].v = 0;
	return &regs[i].v;
}

uint64_t host_sysreg_read(const char *name)
{
	int lr = lr_index(name);

	PROMISE(lr < NR_LRS); /* only the list registers ICH_VTR_EL2 says exist */
	if (!strcmp(name, "S3_4_C12_C11_1")) /* ICH_VTR_EL2.ListRegs */
		return NR_LRS - 1;
	return *sysreg(name);
}

void host_sysreg_write(const char *name, uint64_t v)
{
	PROMISE(lr_index(name) < NR_LRS);
	*sysreg(name) = v;
}

/* ---- the rest of arm64 a trap may reach */
void psci_call(struct vcpu *vcpu, struct frame *f)
{
	(void)vcpu;
	f->x[0] = (uint64_t)-1; /* NOT_SUPPORTED */
}

bool fp_trap(struct vcpu *vcpu, uint64_t esr)
{
	(void)vcpu;
	(void)esr;
	return false;
}

uint64_t guest_id_reg(const struct vcpu *vcpu, unsigned crm, unsigned op2)
{
	(void)vcpu;
	return crm * 8 + op2;
}

void gic_poll(void)
{
}

void gic_deactivate(unsigned intid)
{
	PROMISE(intid == INTID_VTIMER || intid == INTID_PTIMER);
}

void arch_vcpu_init(struct vcpu *vcpu)
{
	vgic_vcpu_init(vcpu);
}

void arch_vm_devices(struct vm *vm) /* as arch/arm64/board.c */
{
	vgic_register_devices(vm);
	if (vm->cfg->console != CONSOLE_NONE)
		pl011_register(vm, UART_BASE, INTID_UART);
}

/* ---- promises */
static void check_lrs(void)
{
	uint64_t seen[2] = { 0 };

	for (unsigned i = 0; i < NR_LRS; i++) {
		uint64_t lr = lr_read(i);
		unsigned intid = (uint32_t)lr;

		if (!(lr & (LR_PENDING | LR_ACTIVE)))
			continue;
		PROMISE(intid < VGIC_NR_IRQS);
		PROMISE(!(seen[intid / 64] & (1ULL << (intid % 64))));
		seen[intid / 64] |= 1ULL << (intid % 64);
	}
}

static void check_state(struct vm *vm)
{
	struct vgic_dist *d = &vm->arch.gicd;
	uint64_t v = 0;

	PROMISE(d->ctlr <= 3);
	for (unsigned i = 0; i < VGIC_NR_SPIS; i++)
		PROMISE(!(d->route[i] & ~0xff00ffffffULL));
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vgic_cpu *c = &vm->vcpus[i].arch.gic;

		PROMISE((c->enabled & 0xffff) == 0xffff && (c->waker == 0 || c->waker == 6));
	}
	PROMISE(vm_mmio_access(&vm->vcpus[0], UART_BASE + 0x38, false, 4, &v) && v <= 0x7ff);
	check_lrs();
}

static uint64_t pick_ipa(struct fin *in, struct vm *vm)
{
	uint8_t which = fin_u8(in);
	uint32_t off = fin_u32(in);

	switch (which % 5) {
	case 0:
		return GICD_BASE + off % GICD_SIZE;
	case 1:
		return GICD_BASE + 0x6000 + off % 0x400; /* IROUTER */
	case 2:
		return GICR_BASE + off % (GICR_STRIDE * (vm->nr_vcpus + 1));
	case 3:
		return UART_BASE + off % 0x1000;
	default:
		return (uint64_t)off << (which >> 3 & 15);
	}
}

static void mmio(struct vm *vm, struct vcpu *vcpu, struct fin *in)
{
	uint64_t ipa = pick_ipa(in, vm), val = fin_u64(in);
	unsigned size = 1u << (fin_u8(in) & 3);
	bool write = val & 1;

	if (vm_mmio_access(vcpu, ipa, write, size, &val) && !write && size < 8 &&
	    (val >> (8 * size))) {
		fprintf(stderr, "read of %u bytes at 0x%llx gave 0x%llx\n", size,
			(unsigned long long)ipa, (unsigned long long)val);
		PROMISE(!"no bits beyond the access");
	}
}

static void data_abort(struct vm *vm, struct vcpu *vcpu, struct fin *in)
{
	static struct frame f;
	struct frame before;
	uint64_t ipa = pick_ipa(in, vm), pc = 0x40001000, vbar = 0x40080000;
	uint32_t iss = fin_u32(in) & 0x1ffffff;
	unsigned rt = (iss >> ISS_SRT_SHIFT) & 31, size;

	for (unsigned i = 0; i < 31; i++)
		f.x[i] = fin_u8(in) & 1 ? fin_u64(in) : 0x1111111111111111ULL * i;
	f.hcall_exits = NULL;
	before = f;
	this_pcpu()->cur = vcpu;
	host_sysreg_write("esr_el2", ((uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT) | ESR_IL | iss);
	host_sysreg_write("far_el2", ipa & 0xfff);
	host_sysreg_write("hpfar_el2", (ipa >> 8) & 0xffffffffff0ULL);
	host_sysreg_write("elr_el2", pc);
	host_sysreg_write("vbar_el1", vbar);
	host_sysreg_write("spsr_el2", 0x3c5);
	guest_sync_slow(&f);
	if (host_sysreg_read("elr_el2") == pc + 4) { /* emulated */
		PROMISE(iss & ISS_ISV);
		for (unsigned i = 0; i < 31; i++)
			PROMISE(f.x[i] == before.x[i] || (i == rt && !(iss & ISS_WNR)));
		size = 1u << ((iss >> ISS_SAS_SHIFT) & 3);
		if (!(iss & ISS_WNR) && rt != 31 && !(iss & ISS_SF))
			PROMISE(f.x[rt] <= 0xffffffffULL);
		if (!(iss & ISS_WNR) && rt != 31 && !(iss & ISS_SSE) && size < 8)
			PROMISE(!(f.x[rt] >> (8 * size))); /* a narrow load fills only its bytes */
	} else { /* an abort injected at the guest's vector */
		PROMISE(host_sysreg_read("elr_el2") == vbar + 0x200);
		PROMISE(!memcmp(&f, &before, sizeof(f)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_config cfg;
	static jmp_buf off;
	struct fin in = { data, size };
	struct vm *vm;
	unsigned ops = 0;

	memset(regs, 0, sizeof(regs));
	fake_poweroff = &off;
	vm = fake_boot_vm(&cfg, "gic", 4, RAM, MiB(1), 0);
	if (!setjmp(off)) {
		while (in.n && ops++ < 200) {
			uint8_t op = fin_u8(&in);
			struct vcpu *vcpu = &vm->vcpus[(op >> 4) % vm->nr_vcpus];

			switch (op % 8) {
			case 0:
			case 1:
				mmio(vm, vcpu, &in);
				break;
			case 2:
				data_abort(vm, vcpu, &in);
				break;
			case 3:
				vgic_sgi1r(vcpu, fin_u64(&in));
				break;
			case 4:
				console_input((char)fin_u8(&in));
				break;
			case 5: /* the vCPU is loaded, runs and is put again */
				vgic_restore(vcpu);
				if (fin_u8(&in) &
				    1) /* the guest took (activated) the first interrupt */
					host_sysreg_write("S3_4_C12_C12_0",
							  lr_read(0) ^ (LR_PENDING | LR_ACTIVE));
				check_lrs();
				vgic_save(vcpu);
				break;
			case 6:
				vgic_inject(vcpu, fin_u8(&in));
				break;
			default:
				vcpu->state = (enum vcpu_state)(fin_u8(&in) % 5);
				break;
			}
			check_state(vm);
		}
	}
	fake_destroy_all();
	PROMISE(fake_mm_live() == 0);
	fake_poweroff = NULL;
	return 0;
}
