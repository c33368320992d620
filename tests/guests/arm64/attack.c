// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An attacking guest (run it in 1 MiB at 0x40000000, so keel's host addresses are outside it):
 * 1. keel's image and heap, named as IPAs (keel lives at host-physical 0x40200000 and up on
 *    QEMU virt): every read, write and fetch is a synchronous external abort;
 * 2. EL2 system registers, EL2 TLB and address-translation instructions from EL1: UNDEFINED at
 *    EL1 (the CPU does this, keel never sees them); set/way cache maintenance is trapped by
 *    HCR_EL2.TSW and completes; SMC and HVC with unknown function IDs answer NOT_SUPPORTED;
 * 3. every emulated device register (GICD, its GICR frames, PL011, ICC_SGI1R_EL1) written with
 *    values of a seeded generator, at every size, then read back;
 * and keel still answers a hypercall afterwards. bootargs "seed=N", "rounds=N".
 */
#include "guest.h"
#include <keel/hypercall.h>

static unsigned bad;

static const uint64_t keel_addrs[] = {
	0x40200000, /* keel's image: vectors and text */
	0x40210000, 0x40240000, /* text, rodata */
	0x40280000, 0x40300000, /* data, bss: per-pCPU stacks, VM structures */
	0x40400000, 0x40800000, 0x41000000, /* heap: tables, other VMs' memory */
	0x48000000, 0x50000000, 0x60000000, 0x7ffff000, /* the rest of host RAM (1 GiB) */
};

static void probe_keel(void)
{
	static const char *const what[] = { "read", "write", "fetch" };
	unsigned before = bad;

	for (unsigned i = 0; i < sizeof(keel_addrs) / sizeof(keel_addrs[0]); i++)
		for (int k = 0; k < 3; k++)
			if (!probe_faults(keel_addrs[i], k)) {
				bad++;
				FAIL("attack_keel_image", "%s at 0x%lx: ESR 0x%lx", what[k],
				     (unsigned long)keel_addrs[i], (unsigned long)exc_seen.esr);
			}
	if (bad == before)
		PASS("attack_keel_image");
}

/* an instruction that must be UNDEFINED at EL1 (EC 0, taken at EL1) */
#define UNDEF(insn)                                                                   \
	do {                                                                          \
		unsigned b_ = exc_seen.count;                                         \
		expect_abort = true;                                                  \
		asm volatile("mov x0, xzr\n" insn ::: "x0", "memory");                \
		expect_abort = false;                                                 \
		n_undef++;                                                            \
		if (exc_seen.count != b_ + 1 || (exc_seen.esr >> 26) != 0) {          \
			bad++;                                                        \
			FAIL("attack_el2_insn", "%s: %u exceptions, ESR 0x%lx", insn, \
			     exc_seen.count - b_, (unsigned long)exc_seen.esr);       \
		}                                                                     \
	} while (0)

/* an instruction keel traps and completes: no exception in the guest */
#define QUIET(insn)                                                            \
	do {                                                                   \
		unsigned b_ = exc_seen.count;                                  \
		expect_abort = true;                                           \
		asm volatile("mov x0, xzr\n" insn ::: "x0", "memory");         \
		expect_abort = false;                                          \
		if (exc_seen.count != b_) {                                    \
			bad++;                                                 \
			FAIL("attack_el2_insn", "%s faulted: ESR 0x%lx", insn, \
			     (unsigned long)exc_seen.esr);                     \
		}                                                              \
	} while (0)

static struct hvc_ret smc(uint64_t fn, uint64_t a1)
{
	register uint64_t x0 asm("x0") = fn, x1 asm("x1") = a1, x2 asm("x2") = 0, x3 asm("x3") = 0;

	asm volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
	return (struct hvc_ret){ x0, x1, x2, x3 };
}

static void privileged(void)
{
	static const uint64_t unknown[] = { 0x0,	0x12345678, 0x8400ffff, 0xc4000100,
					    0xc6000100, 0xc7000000, 0xf2000000, 0xffffffff };
	unsigned before = bad, n_undef = 0;

	UNDEF("mrs x0, hcr_el2");
	UNDEF("msr hcr_el2, x0");
	UNDEF("mrs x0, vttbr_el2");
	UNDEF("msr vttbr_el2, x0");
	UNDEF("mrs x0, vtcr_el2");
	UNDEF("mrs x0, sctlr_el2");
	UNDEF("msr sctlr_el2, x0");
	UNDEF("msr vbar_el2, x0");
	UNDEF("mrs x0, ttbr0_el2");
	UNDEF("msr ttbr0_el2, x0");
	UNDEF("mrs x0, esr_el2");
	UNDEF("mrs x0, elr_el2");
	UNDEF("msr spsr_el2, x0");
	UNDEF("mrs x0, tpidr_el2");
	UNDEF("msr cptr_el2, x0");
	UNDEF("msr cnthctl_el2, x0");
	UNDEF("msr cntvoff_el2, x0");
	UNDEF("mrs x0, S3_4_C12_C11_0"); /* ICH_HCR_EL2 */
	UNDEF("msr S3_4_C12_C11_0, x0");
	UNDEF("msr S3_4_C12_C12_0, x0"); /* ICH_LR0_EL2 */
	UNDEF("mrs x0, S3_4_C12_C9_5"); /* ICC_SRE_EL2 */
	UNDEF("tlbi alle2");
	UNDEF("tlbi alle1");
	UNDEF("tlbi vmalls12e1");
	UNDEF("tlbi ipas2e1, x0");
	UNDEF("at s12e1r, x0");
	UNDEF("at s1e2r, x0");
	QUIET("dc isw, x0");
	QUIET("dc csw, x0");
	QUIET("dc cisw, x0");
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		struct hvc_ret h = hvc(unknown[i], 1, 2, 3), s = smc(unknown[i], 1);

		if (h.x0 != (uint64_t)-1 || s.x0 != (uint64_t)-1) {
			bad++;
			FAIL("attack_fw_calls", "function 0x%lx: hvc 0x%lx smc 0x%lx",
			     (unsigned long)unknown[i], (unsigned long)h.x0, (unsigned long)s.x0);
		}
	}
	/* CPU_ON of a vCPU this VM does not have, by SMC too */
	if (smc(0xc4000003, 5).x0 != (uint64_t)-2) {
		bad++;
		FAIL("attack_fw_calls", "SMC CPU_ON of MPIDR 5 did not answer INVALID_PARAMETERS");
	}
	if (bad == before) {
		gprintf("attack: %u EL2 instructions UNDEFINED\n", n_undef);
		PASS("attack_el2_insn");
	}
}

/* Every aligned register of [base, base + size) at every access size, random values. */
static unsigned long fuzz_region(uint64_t base, uint64_t size, uint64_t skip, uint64_t *seed)
{
	unsigned long n = 0;

	for (uint64_t off = 0; off < size; off += 4) {
		unsigned sz = 1u << (rng_next(seed) & 3);
		uint64_t a = base + (off & ~(uint64_t)(sz - 1));

		if (a - base == skip)
			continue;
		mmio_write_sized(a, sz, rng_next(seed));
		(void)mmio_read_sized(a, sz);
		n += 2;
	}
	return n;
}

static void fuzz_devices(uint64_t seed, unsigned rounds)
{
	unsigned before = exc_seen.count;
	unsigned long n = 0;

	irq_disable(); /* whatever the fuzzing makes pending stays pending */
	for (unsigned r = 0; r < rounds; r++) {
		n += fuzz_region(0x08000000, 0x10000, ~0UL, &seed); /* GICD */
		n += fuzz_region(0x080a0000, 0x20000, ~0UL, &seed); /* GICR of vCPU 0 */
		n += fuzz_region(0x09000000, 0x1000, 0, &seed); /* PL011, not its data register */
		for (int i = 0; i < 256; i++, n++)
			SYSREG_WRITE(S3_0_C12_C11_5, rng_next(&seed)); /* ICC_SGI1R_EL1 */
	}
	/* a console that still prints */
	mmio_write32(0x09000000 + 0x30, 0x301); /* UARTCR */
	mmio_write32(0x09000000 + 0x38, 0); /* UARTIMSC */
	gprintf("attack: %lu device register accesses, %u exceptions\n", n,
		exc_seen.count - before);
	check(exc_seen.count == before, "attack_devices", "%u exceptions while fuzzing",
	      exc_seen.count - before);
}

void guest_main(void)
{
	uint64_t seed = 1, rounds = 2;
	struct keel_ret r;

	bootarg_u64("seed", &seed);
	bootarg_u64("rounds", &rounds);
	gprintf("attack: seed %lu, %lu rounds\n", (unsigned long)seed, (unsigned long)rounds);
	probe_keel();
	privileged();
	fuzz_devices(seed | 1, (unsigned)rounds);
	r = keel_call(KEEL_HC_VERSION, 0);
	check(r.status == KEEL_OK && r.v[0] == KEEL_ABI_VERSION && !bad, "attack",
	      "keel answered VERSION with %ld 0x%lx after the attack, %u failures", r.status,
	      r.v[0], bad);
}
