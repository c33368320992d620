// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for arm64's synchronous guest exits other than MMIO: PSCI,
 * SMCCC and keel's calls by HVC (hvc_fast, then guest_sync_slow, as
 * exception.S does) and by trapped SMC (arch/arm64/psci.c); trapped system
 * registers (EC 0x18: TID3 ID registers through idregs.c, ICC_SGI1R_EL1,
 * set/way DC ISW/CSW/CISW, RAZ/WI), WFI/WFE, FP/SVE/SME traps (the real
 * fpstate.c switch with per-VM caps) and every other EC (UNDEFINED, or an
 * abort for IABT/DABT) in arch/arm64/trap.c, with keel's real vCPU reset
 * (vcpu.c). The hardware (ID registers, SVE/SME lengths) and the VM (2-4
 * vCPUs, sve/sme caps, manager or not) come from the input; a second VM keeps
 * running beside it.
 *
 * Promises: every PSCI/SMCCC answer is the one PSCI 1.1 / SMCCC 1.1 define
 * for the call and the vCPUs' states (CPU_ON: INVALID_PARAMETERS for a
 * vCPU that does not exist, INVALID_ADDRESS for an entry point outside the
 * VM's memory, ALREADY_ON for one that runs, else the target starts at the
 * entry with x0 = context; AFFINITY_INFO; *_32 calls use only W registers;
 * PSCI_FEATURES agrees with what answers); only x0 changes (x0-x4 for keel's
 * calls); HVC returns to ELR as it is, a trapped SMC 4 bytes on; a system
 * register trap moves pc by 4 and changes only Rt on a read; ID registers
 * never show SVE/SME the VM's caps turn off, SME2, PAuth, MTE, AMU, PMU,
 * SPE or trace buffer, change nothing else, and read the same every time;
 * an SVE/SME trap is served exactly when the ID registers show the feature;
 * an UNDEFINED or abort enters the guest's vector with ESR/ELR/SPSR_EL1 and
 * PSTATE as AArch64.TakeException says and no general register changed;
 * vCPU states stay valid and the other VM untouched; SVE/SME save areas
 * hold the live vector length; nothing allocated leaks. The promises
 * themselves, written from the specs, are in arm64_promises.c.
 */
#include "arm64_promises.h"
#include <keel/hypercall.h>
#include <asm/smccc.h>

#define RAM 0x40000000ULL
#define RAM_SIZE MiB(1)
#define OTHER_RAM 0x50000000ULL
#define VBAR 0x40080000ULL
void guest_sync_slow(struct frame *f);
int hvc_fast(struct frame *f);

static struct vm *vm, *other;
static struct vm_config cfg, other_cfg;

/* A call argument: a vCPU's MPIDR (with junk where PSCI ignores it), an address, or raw. */
static uint64_t arg(struct fin *in)
{
	uint8_t mode = fin_u8(in);
	uint32_t v = fin_u32(in);

	switch (mode % 8) {
	case 0:
		return v % 6; /* vCPU 0..5, level 0/1 */
	case 1:
		return RAM + v % RAM_SIZE;
	case 2:
		return RAM + RAM_SIZE - v % 8; /* the last word and past it */
	case 3:
		return RAM - 4 + v % 8; /* the first word and before it */
	case 4:
		return (uint64_t)fin_u32(in) << 32 | v;
	case 5:
		return (uint64_t)v << 32 | (mode >> 3) % 6; /* junk above a W register */
	case 6:
		return ((uint64_t)(v & 0xff) << ((mode >> 3) % 4 * 8 + 8)) | (mode >> 5) % 4;
	default:
		return v;
	}
}

/* ---- one exit */
static uint64_t *R(const char *name)
{
	return a64_reg(name);
}

struct ctx {
	uint64_t elr, spsr, sctlr;
	uint64_t el1[4]; /* esr, far, elr, spsr _el1 */
};

static const char *const el1_names[4] = { "esr_el1", "far_el1", "elr_el1", "spsr_el1" };

static void el1_unchanged(const struct ctx *c)
{
	for (unsigned i = 0; i < 4; i++)
		PROMISE(*R(el1_names[i]) == c->el1[i]);
	PROMISE(*R("spsr_el2") == c->spsr && *R("vbar_el1") == VBAR);
}

static void check_entered(const struct ctx *c, uint64_t esr, bool far_set)
{
	PROMISE(*R("elr_el2") == VBAR + a64_vector(c->spsr));
	PROMISE(*R("spsr_el2") == a64_entry_pstate(c->spsr, c->sctlr));
	PROMISE(*R("esr_el1") == esr && *R("elr_el1") == c->elr && *R("spsr_el1") == c->spsr);
	PROMISE(!far_set || *R("far_el1") == *R("far_el2"));
}

static void exit_once(struct vcpu *vcpu, struct fin *in, unsigned kind)
{
	static struct frame f;
	struct frame b;
	struct ctx c;
	enum vcpu_state st[KEEL_MAX_VCPUS], ost = other->vcpus[0].state;
	enum vm_state ovs = other->state;
	uint32_t boot_count = vm->boot_count, iss = 0, sel;
	unsigned ec = 0, puts = a64_puts;
	uint8_t m = fin_u8(in);
	static const unsigned modes[4] = { 5, 4, 0, 5 };

	for (unsigned i = 0; i < 31; i++)
		f.x[i] = 0x0101010101010101ULL * i;
	f.hcall_exits = &vcpu->stats.exits[EXIT_HCALL];
	c.elr = RAM + 4 * (uint64_t)fin_u16(in);
	c.spsr = modes[m & 3] | ((uint64_t)(m >> 2 & 0xf) << 28) | (m & 0x10 ? A_PAN | A_DIT : 0);
	c.sctlr = SCTLR_EL1_RESET ^ (m & 0x20 ? A_SPAN : 0) ^ (m & 0x40 ? A_DSSBS : 0);
	for (unsigned i = 0; i < 4; i++)
		c.el1[i] = 0xe11e11e100000000ULL | i;
	sel = fin_u8(in);
	switch (kind) {
	case 0: /* HVC or SMC */
	case 1:
		ec = kind ? ESR_EC_SMC64 : ESR_EC_HVC64;
		f.x[0] = sel < 0xe0 ? a64_fns[sel % a64_nr_fns].fn : fin_u32(in);
		if (fin_u8(in) & 1)
			f.x[0] |= (uint64_t)fin_u32(in)
				  << 32; /* SMCCC: only W0 names the function */
		for (unsigned i = 1; i < 6; i++)
			f.x[i] = arg(in);
		iss = sel & 0xf; /* the immediate */
		break;
	case 2: { /* system register or instruction, AArch64 */
		unsigned rt = fin_u8(in) % 32, crm = 1 + sel % 7, op2 = (sel >> 3) % 8;

		switch (sel >> 6) {
		case 0: /* TID3: MRS of an ID register */
			iss = 3u << 20 | op2 << 17 | crm << 1 | 1;
			break;
		case 1: /* ICC_SGI1R_EL1 */
			iss = 3u << 20 | 5u << 17 | 12u << 10 | 11u << 1 | (sel & 1);
			f.x[rt % 31] = fin_u64(in);
			break;
		case 2: /* DC ISW, CSW, CISW (TSW) */
			iss = 1u << 20 | 2u << 17 | 7u << 10 | (6u + 4 * (sel % 3)) << 1;
			break;
		default:
			iss = fin_u32(in) & 0x3ffc1f;
			break;
		}
		iss = (iss & ~(31u << 5)) | rt << 5;
		ec = ESR_EC_SYS64;
		break;
	}
	case 3: /* WFI, WFE (and their timeouts) */
		ec = ESR_EC_WFX;
		iss = sel & 3;
		break;
	case 4: /* FP, SVE, SME access trapped by CPTR_EL2 */
		ec = (const unsigned[]){ ESR_EC_FP, ESR_EC_SVE, ESR_EC_SME }[sel % 3];
		iss = ec == ESR_EC_SME ? (sel >> 4) % 4 : 0; /* SMTC */
		break;
	default: /* anything else, aborts included */
		ec = sel & 0x3f;
		iss = fin_u32(in) & 0x1ffffff;
		if (ec == ESR_EC_HVC64 || ec == ESR_EC_SMC64 || ec == ESR_EC_SYS64 ||
		    ec == ESR_EC_WFX || ec == ESR_EC_FP || ec == ESR_EC_SVE || ec == ESR_EC_SME)
			ec = ESR_EC_UNKNOWN;
		break;
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		st[i] = vm->vcpus[i].state;
	b = f;
	/* the vCPU is loaded: its registers are live */
	__atomic_add_fetch(&vm->arch.nr_loaded, 1, __ATOMIC_SEQ_CST);
	this_pcpu()->cur = vcpu;
	/* m bit 7: ISS2 (bits 55:32) set, as FEAT_LS64/GCS CPUs may: keel must classify by EC alone */
	*R("esr_el2") = (m & 0x80 ? ((c.elr >> 2 & 0xffffff) | 1) << 32 : 0) |
			(uint64_t)ec << ESR_EC_SHIFT | ESR_IL | iss;
	*R("elr_el2") = c.elr;
	*R("spsr_el2") = c.spsr;
	*R("sctlr_el1") = c.sctlr;
	*R("vbar_el1") = VBAR;
	*R("far_el2") = 0xfa00000000ULL | iss;
	*R("hpfar_el2") = (uint64_t)iss << 4;
	for (unsigned i = 0; i < 4; i++)
		*R(el1_names[i]) = c.el1[i];
	if (ec != ESR_EC_HVC64 || hvc_fast(&f))
		guest_sync_slow(&f);
	if (a64_puts ==
	    puts) /* not put: its VM is not stopping (sched_next() puts a STOPPED vCPU) */
		PROMISE(__atomic_sub_fetch(&vm->arch.nr_loaded, 1, __ATOMIC_SEQ_CST) !=
			VM_LOADED_STOPPING);

	a64_check_states(vm);
	switch (ec) {
	case ESR_EC_HVC64:
	case ESR_EC_SMC64: {
		uint32_t fn = (uint32_t)b.x[0];
		unsigned vals = a64_is_keel(fn) ? 5 : 1;

		PROMISE(*R("elr_el2") == c.elr + (ec == ESR_EC_SMC64 ? 4 : 0));
		el1_unchanged(&c);
		for (unsigned i = vals; i < 31; i++)
			PROMISE(f.x[i] == b.x[i]);
		a64_check_psci(vcpu, &b, &f, st, boot_count);
		if (!cfg.manager || !a64_is_keel(fn))
			PROMISE(other->vcpus[0].state == ost && other->state == ovs);
		return;
	}
	case ESR_EC_SYS64: {
		unsigned rt = (iss >> 5) & 31, op0 = (iss >> 20) & 3, op1 = (iss >> 14) & 7;
		unsigned crn = (iss >> 10) & 15, crm = (iss >> 1) & 15, op2 = (iss >> 17) & 7;
		bool read = iss & 1;

		PROMISE(*R("elr_el2") == c.elr + 4);
		el1_unchanged(&c);
		for (unsigned i = 0; i < 31; i++)
			PROMISE(f.x[i] == b.x[i] || (read && i == rt));
		if (read && rt != 31 && op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7)
			a64_check_id(vcpu, crm, op2, f.x[rt]);
		else if (read && rt != 31)
			PROMISE(f.x[rt] == 0); /* RAZ */
		break;
	}
	case ESR_EC_WFX:
		PROMISE(*R("elr_el2") == c.elr + 4);
		el1_unchanged(&c);
		PROMISE(!memcmp(&f, &b, sizeof(f)));
		break;
	case ESR_EC_FP:
	case ESR_EC_SVE:
	case ESR_EC_SME: {
		/* served (the instruction runs again) exactly when the ID registers show it */
		bool on =
			ec == ESR_EC_FP ||
			(ec == ESR_EC_SVE ? FIELD(guest_id_reg(vcpu, 4, 0), 32) != 0 :
					    FIELD(guest_id_reg(vcpu, 4, 1), 24) != 0 && !(iss & 7));

		PROMISE(!memcmp(&f, &b, sizeof(f)));
		if (on) {
			PROMISE(*R("elr_el2") == c.elr);
			el1_unchanged(&c);
		} else {
			check_entered(&c, ESR_IL, false);
		}
		break;
	}
	default:
		PROMISE(!memcmp(&f, &b, sizeof(f)));
		if (ec == ESR_EC_IABT_LOW || ec == ESR_EC_DABT_LOW) /* nothing is emulated here */
			check_entered(&c,
				      (uint64_t)(ec + ((c.spsr & 0xf) ? 1 : 0)) << ESR_EC_SHIFT |
					      ESR_IL | 0x10,
				      true);
		else
			check_entered(&c, ESR_IL, false);
		break;
	}
	PROMISE(other->vcpus[0].state == ost && other->state == ovs);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		PROMISE(vm->vcpus[i].state == st[i] || vm->state != VM_RUNNING);
}

static const uint32_t sve_caps[4] = { 0, 16, 64, 256 }, sme_caps[4] = { 0, 16, 32, 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static jmp_buf off;
	struct fin in = { data, size };
	uint8_t c = fin_u8(&in), h = fin_u8(&in);
	uint64_t seed = fin_u64(&in);
	struct a64_hw hw = { .sve_max = sve_caps[h & 3],
			     .sme_max = sme_caps[(h >> 2) & 3],
			     .sme2 = h & 0x10,
			     .fa64 = h & 0x20 };
	unsigned ops = 0;

	for (unsigned i = 0; i < 64; i++) { /* splitmix64 of the seed: any feature bits at all */
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		hw.id[i / 8][i % 8] = z ^ (z >> 31);
	}
	a64_reset(&hw);
	a64_id_forget();
	fake_vm_destroy_hook = fp_vm_destroy;
	fake_poweroff = &off;
	fake_vm_config(&cfg, "trap", 2 + (c & 3) % 3, RAM, RAM_SIZE, c & 4 ? MiB(1) : 0);
	/* the partition parser caps sve-max-vl / sme-max-vl at what the hardware has */
	cfg.sve_max_vl = sve_caps[(c >> 3) & 3] < hw.sve_max ? sve_caps[(c >> 3) & 3] : hw.sve_max;
	cfg.sme_max_vl = sme_caps[(c >> 5) & 3] < hw.sme_max ? sme_caps[(c >> 5) & 3] : hw.sme_max;
	sched_fp_eager = c & 0x80;
	vm = fake_start_vm(&cfg);
	other = fake_boot_vm(&other_cfg, "other", 1, OTHER_RAM, MiB(1), 0);
	if (!setjmp(off)) {
		while (in.n && ops++ < 64) {
			uint8_t op = fin_u8(&in);
			unsigned i, n = vm->nr_vcpus, first = (op >> 3) % n;

			/* a call comes from a running vCPU: the first at or after the one named */
			for (i = 0; i < n && vm->vcpus[(first + i) % n].state != VCPU_ON; i++)
				;
			if (i == n)
				break; /* the VM stopped, or all its vCPUs are off */
			exit_once(&vm->vcpus[(first + i) % n], &in, op % 8);
		}
	}
	fake_destroy_all();
	PROMISE(fake_mm_live() == 0);
	fake_poweroff = NULL;
	sched_fp_eager = false;
	return 0;
}
