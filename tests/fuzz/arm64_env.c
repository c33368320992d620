// SPDX-License-Identifier: GPL-2.0-or-later
/* See arm64_env.h. */
#include "arm64_env.h"
#include <asm/frame.h>
#include <asm/gic.h>

#define NR_SLOTS 256

struct a64_hw a64_hw;
unsigned a64_puts;
char pcpu_stacks[KEEL_MAX_PCPUS * PCPU_STACK_SIZE]; /* vcpu.c's frames (load/put only) */

static struct {
	const char *name;
	uint32_t hash;
	uint64_t v;
} slots[NR_SLOTS];

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

uint64_t *a64_reg(const char *name)
{
	uint32_t h = hash(name);

	/* open addressing: at most ~100 names, never removed but all at once */
	for (unsigned n = 0, i = h % NR_SLOTS; n < NR_SLOTS; n++, i = (i + 1) % NR_SLOTS) {
		if (!slots[i].name) {
			slots[i].name = name;
			slots[i].hash = h;
			slots[i].v = 0;
			return &slots[i].v;
		}
		if (slots[i].hash == h && (slots[i].name == name || !strcmp(slots[i].name, name)))
			return &slots[i].v;
	}
	PROMISE(!"more system registers than slots");
	return NULL;
}

uint64_t host_sysreg_read(const char *name)
{
	PROMISE(lr_index(name) < A64_NR_LRS); /* only the list registers ICH_VTR_EL2 says exist */
	if (!strcmp(name, "S3_4_C12_C11_1")) /* ICH_VTR_EL2.ListRegs */
		return A64_NR_LRS - 1;
	return *a64_reg(name);
}

void host_sysreg_write(const char *name, uint64_t v)
{
	PROMISE(lr_index(name) < A64_NR_LRS);
	/* the ID registers are read-only: keel hides features by emulating reads, never by writes */
	PROMISE(strncmp(name, "S3_0_C0_C", 9) || strlen(name) != 12);
	*a64_reg(name) = v;
}

static const char *const id_names[8][8] = {
#define ROW(c)                                                                                      \
	[c] = {                                                                                     \
		"S3_0_C0_C" #c "_0", "S3_0_C0_C" #c "_1", "S3_0_C0_C" #c "_2", "S3_0_C0_C" #c "_3", \
		"S3_0_C0_C" #c "_4", "S3_0_C0_C" #c "_5", "S3_0_C0_C" #c "_6", "S3_0_C0_C" #c "_7"  \
	}
	ROW(1), ROW(2), ROW(3), ROW(4), ROW(5), ROW(6), ROW(7),
#undef ROW
};

static uint64_t field(uint64_t v, unsigned lo, uint64_t f)
{
	return (v & ~(0xfULL << lo)) | f << lo;
}

void a64_reset(const struct a64_hw *hw)
{
	a64_hw = *hw;
	memset(slots, 0, sizeof(slots));
	/* the ID registers say what fp_hw says (fpstate.c's probe reads them) */
	a64_hw.id[4][0] = field(a64_hw.id[4][0], 32, hw->sve_max ? 1 : 0);
	a64_hw.id[4][1] = field(a64_hw.id[4][1], 24, hw->sme_max ? (hw->sme2 ? 2 : 1) : 0);
	if (!hw->sme_max)
		a64_hw.id[4][5] = 0;
	a64_hw.id[4][5] = field(a64_hw.id[4][5], 56, hw->sme_max && hw->sme2 ? 1 : 0);
	a64_hw.id[4][5] &= ~(1ULL << 63);
	a64_hw.id[4][5] |= (uint64_t)(hw->sme_max && hw->fa64) << 63;
	for (unsigned crm = 1; crm < 8; crm++)
		for (unsigned op2 = 0; op2 < 8; op2++)
			*a64_reg(id_names[crm][op2]) = a64_hw.id[crm][op2];
	memset(&fp_hw, 0, sizeof(fp_hw));
	fp_hw.sve = hw->sve_max != 0;
	fp_hw.sme = hw->sme_max != 0;
	fp_hw.fa64 = fp_hw.sme && hw->fa64;
	fp_hw.sme2 = fp_hw.sme && hw->sme2;
	fp_hw.sve_max = hw->sve_max;
	fp_hw.sme_max = hw->sme_max;
	for (unsigned len = 0; len < 16; len++) {
		uint32_t want = 16 * (len + 1), sme = 16;

		/* any multiple of 16 for SVE, powers of two for SME, each up to its maximum */
		fp_hw.sve_eff[len] = (uint16_t)(want < hw->sve_max ? want : hw->sve_max);
		while (sme * 2 <= want && sme * 2 <= hw->sme_max)
			sme *= 2;
		fp_hw.sme_eff[len] = (uint16_t)(hw->sme_max ? sme : 0);
	}
}

/* ---- sve.S, fpsimd.S: the live vector lengths are what ZCR_EL2 / SMCR_EL2 / SVCR say */
static uint32_t live_vl(bool streaming)
{
	uint32_t vl = streaming ? fp_hw.sme_eff[*a64_reg("S3_4_C1_C2_6") & 0xf] :
				  fp_hw.sve_eff[*a64_reg("S3_4_C1_C2_0") & 0xf];

	PROMISE(vl >= 16 && vl <= 256 && !(vl % 16)); /* SVE (or SME) is on and capped */
	return vl;
}

static bool streaming(void)
{
	return *a64_reg("S3_3_C4_C2_2") & SVCR_SM;
}

static void sve_regs(void *z, void *p, void *ffr, bool with_ffr, bool save)
{
	uint32_t vl = live_vl(streaming());

	/* Z0-31, P0-15 and FFR at the live VL inside the vCPU's save area */
	PROMISE(fake_mm_owns(z, 32 * vl) && fake_mm_owns(p, 2 * vl));
	PROMISE(!with_ffr || fake_mm_owns(ffr, vl / 8));
	if (save) {
		memset(z, 0x5a, 32 * vl);
		memset(p, 0xa5, 2 * vl);
		if (with_ffr)
			memset(ffr, 0x3c, vl / 8);
	}
}

void sve_save(void *z, void *p, void *ffr, bool with_ffr)
{
	sve_regs(z, p, ffr, with_ffr, true);
}

void sve_load(const void *z, const void *p, const void *ffr, bool with_ffr)
{
	sve_regs((void *)z, (void *)p, (void *)ffr, with_ffr, false);
}

void za_save(void *za)
{
	uint32_t svl = live_vl(true);

	PROMISE(*a64_reg("S3_3_C4_C2_2") & SVCR_ZA);
	PROMISE(fake_mm_owns(za, (uint64_t)svl * svl));
	memset(za, 0x77, (size_t)svl * svl);
}

void za_load(const void *za)
{
	uint32_t svl = live_vl(true);

	PROMISE(fake_mm_owns(za, (uint64_t)svl * svl));
}

uint64_t sve_rdvl(void)
{
	return live_vl(false);
}

uint64_t sme_rdsvl(void)
{
	return live_vl(true);
}

void fpsimd_save(struct fpsimd_state *s)
{
	(void)s;
}

void fpsimd_restore(const struct fpsimd_state *s)
{
	(void)s;
}

/* ---- the rest of the CPU a trap may reach */
void gic_poll(void)
{
}

void gic_deactivate(unsigned intid)
{
	(void)intid;
}

void arch_arm_tick(void)
{
}

void __attribute__((noreturn)) guest_enter(struct frame *f)
{
	(void)f;
	PROMISE(!"guest_enter is not reached from an exit");
	abort();
}

void sched_next(void)
{
	struct vcpu *cur = this_pcpu()->cur;
	struct vm *vm = cur->vm;

	this_pcpu()->requests = 0;
	if (vcpu_state(cur) == VCPU_ON)
		return; /* picked again */
	a64_puts++;
	if (vcpu_state(cur) == VCPU_OFF_PENDING)
		vcpu_set_state(cur, VCPU_OFF);
	if (__atomic_sub_fetch(&vm->arch.nr_loaded, 1, __ATOMIC_SEQ_CST) == VM_LOADED_STOPPING)
		vm_stopped(vm);
	/* keel would load another vCPU here; the harness keeps cur as the exit's context */
}
