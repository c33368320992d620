// SPDX-License-Identifier: GPL-2.0-or-later
/* See arm64_promises.h. */
#include "arm64_promises.h"
#include <keel/hypercall.h>
#include <asm/smccc.h>

static uint64_t id_seen[8][8]; /* what the VM's first read of each ID register gave */
static bool id_read[8][8];

const struct a64_fn a64_fns[] = {
	{ PSCI_VERSION, true },
	{ PSCI_CPU_SUSPEND_32, true },
	{ PSCI_CPU_SUSPEND, true },
	{ PSCI_CPU_OFF, true },
	{ PSCI_CPU_ON_32, true },
	{ PSCI_CPU_ON, true },
	{ PSCI_AFFINITY_INFO_32, true },
	{ PSCI_AFFINITY_INFO, true },
	{ 0x84000005, false }, /* MIGRATE */
	{ PSCI_MIGRATE_INFO_TYPE, true },
	{ 0xc4000007, false }, /* MIGRATE_INFO_UP_CPU */
	{ PSCI_SYSTEM_OFF, true },
	{ PSCI_SYSTEM_RESET, true },
	{ PSCI_FEATURES, true },
	{ 0xc400000e, false }, /* SYSTEM_SUSPEND */
	{ 0xc4000012, false }, /* SYSTEM_RESET2 */
	{ SMCCC_VERSION, true },
	{ SMCCC_ARCH_FEATURES, false },
	{ 0x80008000, false }, /* SMCCC_ARCH_WORKAROUND_1 */
	{ KEEL_HC_ARM64_BASE + KEEL_HC_VERSION, false },
	{ KEEL_HC_ARM64_BASE + KEEL_HC_VM_INFO, false },
	{ KEEL_HC_ARM64_BASE + KEEL_HC_VM_TERMINATE, false },
	{ KEEL_HC_ARM64_BASE + 0xff, false },
	{ KEEL_HC_ARM64_BASE + 0x100, false },
	{ 0x86000000, false }, /* vendor hypervisor service, 32-bit */
};

const unsigned a64_nr_fns = ARRAY_SIZE(a64_fns);

bool a64_is_keel(uint32_t fn)
{
	return fn >= KEEL_HC_ARM64_BASE && fn < KEEL_HC_ARM64_BASE + 0x100;
}

static int listed(uint32_t fn)
{
	for (unsigned i = 0; i < a64_nr_fns; i++)
		if (a64_fns[i].fn == fn)
			return (int)i;
	return -1;
}

/* ---- what PSCI 1.1 says */
static int target(const struct vm *m, uint64_t mpidr)
{
	/* Aff1-Aff3 name a cluster this VM does not have; bits 24-31 and 40-63 are not affinity */
	if ((mpidr & 0xff00ffff00ULL) || (mpidr & 0xff) >= m->nr_vcpus)
		return -1;
	return (int)(mpidr & 0xff);
}

static bool in_ram(const struct vm_config *c, uint64_t ipa)
{
	for (unsigned i = 0; i < c->nr_mem; i++)
		if (ipa >= c->mem[i].base && ipa - c->mem[i].base <= c->mem[i].size - 4)
			return true;
	return false;
}

static bool running(enum vcpu_state s)
{
	return s == VCPU_ON || s == VCPU_WFI || s == VCPU_OFF_PENDING;
}

void a64_check_states(const struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		enum vcpu_state s = vm->vcpus[i].state;

		PROMISE(s <= VCPU_STOPPED);
		PROMISE((s == VCPU_STOPPED) == (vm->state != VM_RUNNING));
	}
}

/* x0 after a PSCI/SMCCC call from vcpu, given the registers and the states before. */
void a64_check_psci(struct vcpu *vcpu, const struct frame *b, const struct frame *f,
		    const enum vcpu_state *st, uint32_t boot_count)
{
	struct vm *vm = vcpu->vm;
	uint32_t fn = (uint32_t)b->x[0];
	bool w = !(fn & 0x40000000); /* SMC32/HVC32: only W1-W7 carry arguments */
	uint64_t a1 = w ? (uint32_t)b->x[1] : b->x[1], a2 = w ? (uint32_t)b->x[2] : b->x[2];
	uint64_t a3 = w ? (uint32_t)b->x[3] : b->x[3];
	int64_t r = (int64_t)f->x[0];
	int t = target(vm, a1);

	switch (fn) {
	case PSCI_VERSION:
	case SMCCC_VERSION:
		PROMISE(r == 0x10001);
		break;
	case PSCI_FEATURES: {
		int i = listed((uint32_t)a1);

		PROMISE(r == (i >= 0 && a64_fns[i].features ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED));
		break;
	}
	case SMCCC_ARCH_FEATURES:
		PROMISE(r == PSCI_SUCCESS || r == PSCI_NOT_SUPPORTED);
		break;
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND_32:
		PROMISE(r == PSCI_SUCCESS);
		break;
	case PSCI_CPU_OFF:
		PROMISE(vcpu->state == VCPU_OFF || vm->state != VM_RUNNING);
		break;
	case PSCI_CPU_ON:
	case PSCI_CPU_ON_32:
		if (t < 0) {
			PROMISE(r == PSCI_INVALID_PARAMETERS);
		} else if (!in_ram(vm->cfg, a2)) {
			PROMISE(r == PSCI_INVALID_ADDRESS);
		} else if (running(st[t])) {
			PROMISE(r == PSCI_ALREADY_ON);
		} else if (st[t] == VCPU_STOPPED) {
			PROMISE(r == PSCI_DENIED); /* its VM is stopping (PSCI 1.2's DENIED) */
		} else {
			struct vcpu *v = &vm->vcpus[t];

			PROMISE(r == PSCI_SUCCESS && v->state == VCPU_ON);
			PROMISE(v->arch.elr == a2 && v->arch.regs.x[0] == a3);
			PROMISE(v->arch.spsr == SPSR_EL1H_MASKED && !v->arch.fpu.used);
		}
		for (unsigned i = 0; i < vm->nr_vcpus; i++)
			PROMISE(vm->vcpus[i].state == st[i] || (r == 0 && (int)i == t));
		return;
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO_32:
		if (t < 0 || a2 != 0)
			PROMISE(r == PSCI_INVALID_PARAMETERS);
		else
			PROMISE(r ==
				(st[t] == VCPU_OFF || st[t] == VCPU_STOPPED ? AFF_OFF : AFF_ON));
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		PROMISE(r == 2); /* no trusted OS to migrate */
		break;
	case PSCI_SYSTEM_OFF:
		PROMISE(vm->state == VM_STOPPED);
		return;
	case PSCI_SYSTEM_RESET:
		/* reloaded and restarted: vCPU 0 at the entry point, the others off */
		PROMISE(vm->state == VM_RUNNING && vm->boot_count == boot_count + 1);
		PROMISE(vm->vcpus[0].state == VCPU_ON && vm->vcpus[0].arch.elr == vm->cfg->entry);
		for (unsigned i = 1; i < vm->nr_vcpus; i++)
			PROMISE(vm->vcpus[i].state == VCPU_OFF);
		return;
	default:
		if (a64_is_keel(fn)) {
			PROMISE(r <= KEEL_OK && r >= KEEL_ESTATE);
			return; /* a manager may stop VMs, itself included */
		}
		PROMISE(r == PSCI_NOT_SUPPORTED);
		break;
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		PROMISE(vm->vcpus[i].state == st[i] ||
			(fn == PSCI_CPU_OFF && &vm->vcpus[i] == vcpu) || vm->state != VM_RUNNING);
}

/* ---- what a guest may see in an ID register (op0 3, op1 0, CRn 0, crm, op2) */
void a64_check_id(struct vcpu *vcpu, unsigned crm, unsigned op2, uint64_t g)
{
	const struct vm_config *cfg = vcpu->vm->cfg;
	uint64_t h = a64_hw.id[crm][op2], hidden = 0;
	bool sve = vcpu->arch.fpu.sve_vl, sme = vcpu->arch.fpu.sme_vl;

	/* a feature shows only when the VM's caps and the hardware both allow it */
	PROMISE(!sve || (cfg->sve_max_vl && a64_hw.sve_max));
	PROMISE(!sme || (cfg->sme_max_vl && a64_hw.sme_max));
	switch (crm * 8 + op2) {
	case 4 * 8 + 0: /* ID_AA64PFR0_EL1: AMU, SVE */
		hidden = 0xfULL << 44 | 0xfULL << 32;
		PROMISE(FIELD(g, 32) == (sve ? FIELD(h, 32) : 0) && !FIELD(g, 44));
		break;
	case 4 * 8 + 1: /* ID_AA64PFR1_EL1: SME (never SME2), MTE */
		hidden = 0xfULL << 24 | 0xfULL << 8;
		PROMISE(FIELD(g, 24) == (sme ? 1 : 0) && !FIELD(g, 8));
		break;
	case 4 * 8 + 4: /* ID_AA64ZFR0_EL1: SVE features, also streaming mode's */
		hidden = ~0ULL;
		PROMISE(g == (sve || sme ? h : 0));
		break;
	case 4 * 8 + 5: /* ID_AA64SMFR0_EL1: SMEver 0 */
		hidden = ~0ULL;
		PROMISE(g == (sme ? h & ~(0xfULL << 56) : 0));
		break;
	case 6 * 8 + 1: /* ID_AA64ISAR1_EL1: GPI, GPA, API, APA */
		hidden = 0xffULL << 24 | 0xffULL << 4;
		PROMISE(!(g & hidden));
		break;
	case 6 * 8 + 2: /* ID_AA64ISAR2_EL1: APA3, GPA3 */
		hidden = 0xffULL << 8;
		PROMISE(!(g & hidden));
		break;
	case 5 * 8 + 0: /* ID_AA64DFR0_EL1: PMUVer, PMSVer, TraceBuffer */
		hidden = 0xfULL << 8 | 0xfULL << 32 | 0xfULL << 44;
		PROMISE(!(g & hidden));
		break;
	case 1 * 8 + 2: /* ID_DFR0_EL1: PerfMon */
		hidden = 0xfULL << 24;
		PROMISE(!(g & hidden));
		break;
	}
	PROMISE(!((g ^ h) & ~hidden)); /* nothing else changed */
	if (id_read[crm][op2])
		PROMISE(g == id_seen[crm][op2]); /* the same for every vCPU, every time */
	id_read[crm][op2] = true;
	id_seen[crm][op2] = g;
}

void a64_id_forget(void)
{
	memset(id_read, 0, sizeof(id_read));
}

uint64_t a64_vector(uint64_t spsr)
{
	return (spsr & 0xf) == 5 ? 0x200 : (spsr & 0xf) == 4 ? 0 : 0x400;
}

/* PSTATE on an exception taken to EL1 (AArch64.TakeException) from one with spsr. */
uint64_t a64_entry_pstate(uint64_t spsr, uint64_t sctlr)
{
	uint64_t v = SPSR_EL1H_MASKED | (spsr & (A_NZCV | A_DIT | A_PAN));

	if (!(sctlr & A_SPAN))
		v |= A_PAN;
	if (sctlr & A_DSSBS)
		v |= A_SSBS;
	return v;
}
