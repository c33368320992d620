// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * FP/SIMD, SVE and SME state under lazy switching. bootargs:
 *   seed=N    pattern seed (one per VM); each vCPU and round gets its own pattern
 *   vl=N svl=N  the vector lengths in bytes the VM must see (0: SVE / SME off)
 *   mode=N    1: V registers only; 2: SVE Z/P/FFR; 3: rounds cycle through SVE,
 *             streaming, ZA and streaming + ZA (PSTATE.SM and ZA toggled mid-run);
 *             0: leak check (reads zeros in every class, fills them, resets, reads
 *             zeros again)
 *   rounds=N  rounds of fill, yield, check; vcpus=2 runs a second vCPU alike
 * Each round fills every register of its classes, yields its pCPU (WFI on a
 * shared pCPU is a switch), spins a little (time-slice preemption) and checks.
 */
#include "guest.h"
#include <keel/printf.h>
#include <string.h>

#define VMAX 256 /* bytes: 2048 bits */
#define CPACR_ZEN (3UL << 16)
#define CPACR_SMEN (3UL << 24)
#define SMCR_FA64 (1UL << 31)
#define SVCR_SM 1UL
#define SVCR_ZA 2UL

void vec_v_write(const void *v);
void vec_v_read(void *v);
void vec_z_write(const void *z, const void *p, const void *ffr, int with_ffr);
void vec_z_read(void *z, void *p, void *ffr, int with_ffr);
void vec_za_write(const void *za);
void vec_za_read(void *za);
uint64_t vec_rdvl(void);
uint64_t vec_rdsvl(void);

#define RD(enc)                                                    \
	({                                                         \
		uint64_t v_;                                       \
		asm volatile("mrs %0, " enc : "=r"(v_)::"memory"); \
		v_;                                                \
	})
#define WR(enc, v) asm volatile("msr " enc ", %0" ::"r"((uint64_t)(v)) : "memory")
#define ZCR_EL1 "S3_0_C1_C2_0"
#define SMCR_EL1 "S3_0_C1_C2_6"
#define SVCR "S3_3_C4_C2_2"
#define TPIDR2_EL0 "S3_3_C13_C0_5"
#define SMFR0 "S3_0_C0_C4_5"

/* One vCPU's buffers: what it wrote and what it read back. */
struct regs {
	uint8_t z[32 * VMAX], p[16 * VMAX / 8], ffr[VMAX / 8];
	uint8_t za[VMAX * VMAX];
	uint64_t fpsr, fpcr, tpidr2, svcr;
};
static struct regs want[2], got[2];
static uint64_t seed, vl_want, svl_want, mode, rounds = 200;
static bool fa64;
static volatile unsigned done1;

static uint64_t mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void fill(uint8_t *b, size_t n, uint64_t *s)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t r = mix(s);

		memcpy(b + i, &r, n - i < 8 ? n - i : 8);
	}
}

/* Turn on what this VM may use: at EL1, and the largest lengths keel lets through. */
static void enable(void)
{
	uint64_t cpacr = SYSREG_READ(cpacr_el1);

	if (vl_want)
		cpacr |= CPACR_ZEN;
	if (svl_want)
		cpacr |= CPACR_SMEN;
	SYSREG_WRITE(cpacr_el1, cpacr);
	asm volatile("isb");
}

static void set_lengths(void)
{
	if (vl_want)
		WR(ZCR_EL1, 15);
	if (svl_want) {
		fa64 = RD(SMFR0) >> 63;
		WR(SMCR_EL1, 15 | (fa64 ? SMCR_FA64 : 0));
	}
	asm volatile("isb");
}

static void yield(unsigned cpu, uint64_t r)
{
	asm volatile("wfi"); /* shared pCPU: another vCPU runs now */
	for (volatile unsigned i = 0; i < 2000 + ((r * 37 + cpu) & 1023); i++)
		;
}

/* First differing byte of two buffers, or -1. */
static long diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

static bool same(const char *test, const char *what, const uint8_t *w, const uint8_t *g, size_t n,
		 size_t stride, uint64_t r)
{
	long d = diff(w, g, n);

	if (d < 0)
		return true;
	FAIL(test, "round %lu: %s register %ld byte %ld: expected 0x%02x, saw 0x%02x",
	     (unsigned long)r, what, d / (long)stride, d % (long)stride, w[d], g[d]);
	return false;
}

static bool same64(const char *test, const char *what, uint64_t w, uint64_t g, uint64_t r)
{
	if (w == g)
		return true;
	FAIL(test, "round %lu: %s expected 0x%lx, saw 0x%lx", (unsigned long)r, what,
	     (unsigned long)w, (unsigned long)g);
	return false;
}

/* The classes of round r: bit 0 SVE-format Z/P/FFR, then SVCR bits SM (2) and ZA (4). */
static unsigned classes(uint64_t r)
{
	if (mode == 1)
		return 0;
	if (mode == 2)
		return 1;
	return 1 | (unsigned)((r & 3) << 1);
}

static bool round_once(unsigned cpu, uint64_t r, const char *test)
{
	struct regs *w = &want[cpu], *g = &got[cpu];
	uint64_t s = (seed << 32) ^ ((uint64_t)cpu << 24) ^ r;
	unsigned cls = classes(r);
	uint64_t svcr = (cls >> 1) & 3;
	bool sm = svcr & SVCR_SM, za = svcr & SVCR_ZA, ok = true;
	size_t vl = mode == 1 ? 16 : (sm ? svl_want : vl_want), zn = 32 * vl, pn = vl / 8;
	unsigned k = (unsigned)(mix(&s) % (pn * 8)) + 1; /* FFR: first k elements true */

	fill(w->z, zn, &s);
	fill(w->p, 16 * pn, &s);
	memset(w->ffr, 0, sizeof(w->ffr));
	for (unsigned i = 0; i < k; i++)
		w->ffr[i / 8] |= (uint8_t)(1u << (i % 8));
	/* FPCR: AHP, DN, FZ, RMode; FPSR: the cumulative flags and QC */
	w->fpcr = mix(&s) & (0x1fUL << 22);
	w->fpsr = mix(&s) & 0x0800009fUL;
	w->tpidr2 = mix(&s);
	w->svcr = svcr;
	if (za)
		fill(w->za, svl_want * svl_want, &s);

	if (svcr)
		WR(SVCR, svcr); /* toggles streaming mode and ZA */
	if (za)
		vec_za_write(w->za);
	if (cls & 1)
		vec_z_write(w->z, w->p, w->ffr, !sm || fa64);
	else
		vec_v_write(w->z);
	SYSREG_WRITE(fpcr, w->fpcr);
	SYSREG_WRITE(fpsr, w->fpsr);
	if (svl_want)
		WR(TPIDR2_EL0, w->tpidr2);

	yield(cpu, r);

	g->svcr = svl_want ? RD(SVCR) : 0;
	g->fpsr = SYSREG_READ(fpsr);
	g->fpcr = SYSREG_READ(fpcr);
	g->tpidr2 = svl_want ? RD(TPIDR2_EL0) : 0;
	if (cls & 1)
		vec_z_read(g->z, g->p, g->ffr, !sm || fa64);
	else
		vec_v_read(g->z);
	if (za)
		vec_za_read(g->za);
	if (svcr)
		WR(SVCR, 0);

	ok = ok && same64(test, "SVCR", w->svcr, g->svcr, r);
	ok = ok && same64(test, "FPSR", w->fpsr, g->fpsr, r);
	ok = ok && same64(test, "FPCR", w->fpcr, g->fpcr, r);
	ok = ok && (!svl_want || same64(test, "TPIDR2_EL0", w->tpidr2, g->tpidr2, r));
	ok = ok && same(test, cls & 1 ? (sm ? "streaming Z" : "Z") : "V", w->z, g->z, zn, vl, r);
	if (cls & 1) {
		ok = ok && same(test, sm ? "streaming P" : "P", w->p, g->p, 16 * pn, pn, r);
		ok = ok && (sm && !fa64 ? true : same(test, "FFR", w->ffr, g->ffr, pn, pn, r));
	}
	ok = ok && (!za || same(test, "ZA row", w->za, g->za, svl_want * svl_want, svl_want, r));
	return ok;
}

static void check_lengths(unsigned cpu)
{
	uint64_t pfr0 = SYSREG_READ(id_aa64pfr0_el1), pfr1 = SYSREG_READ(id_aa64pfr1_el1);
	bool sve = (pfr0 >> 32) & 0xf, sme = (pfr1 >> 24) & 0xf;

	if (cpu)
		return;
	check(sve == !!vl_want && sme == !!svl_want, "vec_id_regs",
	      "ID_AA64PFR0 0x%lx PFR1 0x%lx: SVE %d SME %d, expected %d %d", (unsigned long)pfr0,
	      (unsigned long)pfr1, sve, sme, !!vl_want, !!svl_want);
	if (vl_want) {
		uint64_t vl = vec_rdvl();

		check(vl == vl_want, "vec_vl_cap",
		      "rdvl %lu bytes with ZCR_EL1.LEN 15, expected %lu", (unsigned long)vl,
		      (unsigned long)vl_want);
	}
	if (svl_want) {
		uint64_t svl = vec_rdsvl();

		check(svl == svl_want, "vec_svl_cap",
		      "rdsvl %lu bytes with SMCR_EL1.LEN 15, expected %lu", (unsigned long)svl,
		      (unsigned long)svl_want);
	}
}

/* A feature the VM may not use is UNDEFINED (EC 0), even with the EL1 enables on. */
static void check_off(void)
{
	uint64_t cpacr = SYSREG_READ(cpacr_el1);
	unsigned before = exc_seen.count;

	if (vl_want && svl_want)
		return;
	SYSREG_WRITE(cpacr_el1, cpacr | CPACR_ZEN | CPACR_SMEN);
	asm volatile("isb");
	expect_abort = true;
	if (!vl_want)
		asm volatile(".inst 0x04bf5020" ::: "x0", "memory"); /* rdvl x0, #1 */
	if (!svl_want)
		asm volatile(".inst 0xd503477f" ::: "memory"); /* smstart */
	expect_abort = false;
	SYSREG_WRITE(cpacr_el1, cpacr);
	asm volatile("isb");
	check(exc_seen.count == before + !vl_want + !svl_want && (exc_seen.esr >> 26) == 0,
	      "vec_off_undef", "%u exceptions, last ESR 0x%lx", exc_seen.count - before,
	      (unsigned long)exc_seen.esr);
}

static void run(unsigned cpu)
{
	char test[32];
	uint64_t r;

	enable();
	set_lengths();
	check_lengths(cpu);
	ksnprintf(test, sizeof(test), "vec_patterns_%u", cpu);
	for (r = 0; r < rounds; r++)
		if (!round_once(cpu, r, test))
			return;
	gprintf("vCPU %u: %lu rounds, mode %lu, VL %lu, SVL %lu\n", cpu, (unsigned long)r,
		(unsigned long)mode, (unsigned long)vl_want, (unsigned long)svl_want);
	PASS(test);
}

/* FAIL unless b[0..n) is all zero. */
static bool zero(const char *test, const char *what, const uint8_t *b, size_t n, size_t stride)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i]) {
			FAIL(test, "%s register %lu byte %lu: expected 0x00, saw 0x%02x", what,
			     (unsigned long)(i / stride), (unsigned long)(i % stride), b[i]);
			return false;
		}
	}
	return true;
}

/* Every class this VM may use reads zero: nothing of another VM, or of its own before a reset. */
static void check_zero(const char *test, unsigned yields)
{
	struct regs *g = &got[0];
	uint64_t fpsr, fpcr;
	bool ok;

	for (unsigned i = 0; i < yields; i++)
		yield(0, i); /* let the pattern VMs fill this pCPU's registers */
	fpsr = SYSREG_READ(fpsr); /* this VM's first FP access since boot */
	fpcr = SYSREG_READ(fpcr);
	vec_v_read(g->z);
	ok = same64(test, "FPSR", 0, fpsr, 0) && same64(test, "FPCR", 0, fpcr, 0) &&
	     zero(test, "V", g->z, 32 * 16, 16);
	enable();
	ok = ok && (!vl_want || same64(test, "ZCR_EL1", 0, RD(ZCR_EL1), 0));
	ok = ok && (!svl_want || (same64(test, "SMCR_EL1", 0, RD(SMCR_EL1), 0) &&
				  same64(test, "TPIDR2_EL0", 0, RD(TPIDR2_EL0), 0) &&
				  same64(test, "SVCR", 0, RD(SVCR), 0)));
	set_lengths(); /* the full lengths: upper Z bits included */
	if (ok && vl_want) {
		vec_z_read(g->z, g->p, g->ffr, 1);
		ok = ok && zero(test, "Z", g->z, 32 * vl_want, vl_want) &&
		     zero(test, "P", g->p, 2 * vl_want, vl_want / 8) &&
		     zero(test, "FFR", g->ffr, vl_want / 8, vl_want / 8);
	}
	if (ok && svl_want) {
		WR(SVCR, SVCR_SM | SVCR_ZA);
		vec_za_read(g->za);
		vec_z_read(g->z, g->p, g->ffr, fa64);
		WR(SVCR, 0);
		ok = ok && zero(test, "ZA row", g->za, svl_want * svl_want, svl_want) &&
		     zero(test, "streaming Z", g->z, 32 * svl_want, svl_want);
	}
	if (ok)
		PASS(test);
}

void guest_secondary(unsigned id)
{
	run(id);
	done1 = 1;
}

extern char _secondary[];

void guest_main(void)
{
	uint64_t vcpus = 1;

	bootarg_u64("seed", &seed);
	bootarg_u64("vl", &vl_want);
	bootarg_u64("svl", &svl_want);
	bootarg_u64("mode", &mode);
	bootarg_u64("rounds", &rounds);
	bootarg_u64("vcpus", &vcpus);
	if (mode == 0) { /* leak check, then a reset must zero the VM's own state */
		if (guest_boot_count() == 1) {
			check_zero("vec_leak_zero", 300);
			mode = 3;
			set_lengths();
			for (uint64_t r = 0; r < 8; r++)
				round_once(0, r + 1, "vec_leak_fill");
			/* leave patterns in the registers (streaming mode and ZA on) across the reset */
			vec_v_write(want[0].z);
			if (svl_want) {
				WR(SVCR, SVCR_SM | SVCR_ZA);
				vec_za_write(want[0].za);
				vec_z_write(want[0].z, want[0].p, want[0].ffr, 0);
			}
			hvc(0x84000009, 0, 0, 0); /* PSCI SYSTEM_RESET */
		}
		/* at once: its pre-reset values may still be in the registers */
		check_zero("vec_reset_zero", 0);
		return;
	}
	check_off();
	if (vcpus > 1)
		hvc(0xc4000003, 1, (uint64_t)_secondary, 1);
	run(0);
	while (vcpus > 1 && !done1)
		asm volatile("wfi");
}
