// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An attacking guest (run it in 1 MiB at 0x80000000, so keel's host addresses are outside it):
 * 1. keel's image and heap, named as guest-physical addresses (keel lives at host-physical
 *    0x80200000 and up on QEMU virt): every load, store and fetch is an access fault;
 * 2. hypervisor CSRs (virtual instruction exception, which keel turns into an illegal
 *    instruction), M-mode CSRs and mret (illegal instruction), hfence and hlv from VS-mode: the
 *    guest always sees scause 2; SBI calls to unknown extensions answer NOT_SUPPORTED;
 * 3. every emulated device register (PLIC priorities, pending, enables and contexts, random
 *    offsets across its 64 MiB, the NS16550) written with values of a seeded generator, at
 *    every size, then read back;
 * and keel still answers a hypercall afterwards. bootargs "seed=N", "rounds=N".
 */
#include "guest.h"
#include <keel/hypercall.h>

static unsigned bad;

static const uint64_t keel_addrs[] = {
	0x80200000, /* keel's image: entry and text */
	0x80210000, 0x80240000, /* text, rodata */
	0x80280000, 0x80300000, /* data, bss: per-hart stacks, VM structures */
	0x80400000, 0x80800000, 0x81000000, /* heap: tables, other VMs' memory */
	0x88000000, 0x90000000, 0xa0000000, 0xbffff000, /* the rest of host RAM (1 GiB) */
};

static void probe_keel(void)
{
	static const char *const what[] = { "read", "write", "fetch" };
	unsigned before = bad;

	for (unsigned i = 0; i < sizeof(keel_addrs) / sizeof(keel_addrs[0]); i++)
		for (int k = 0; k < 3; k++)
			if (!probe_faults(keel_addrs[i], k)) {
				bad++;
				FAIL("attack_keel_image", "%s at 0x%lx: scause %lu", what[k],
				     (unsigned long)keel_addrs[i], (unsigned long)exc_seen.scause);
			}
	if (bad == before)
		PASS("attack_keel_image");
}

/* an instruction that must raise an illegal-instruction exception in the guest */
#define ILLEGAL(insn)                                                                   \
	do {                                                                            \
		unsigned b_ = exc_seen.count;                                           \
		expect_abort = true;                                                    \
		asm volatile("li t0, 0\n" insn ::: "t0", "memory");                     \
		expect_abort = false;                                                   \
		n_illegal++;                                                            \
		if (exc_seen.count != b_ + 1 || exc_seen.scause != EXC_ILLEGAL_INSN) {  \
			bad++;                                                          \
			FAIL("attack_priv_insn", "%s: %u exceptions, scause %lu", insn, \
			     exc_seen.count - b_, (unsigned long)exc_seen.scause);      \
		}                                                                       \
	} while (0)

static void privileged(void)
{
	static const unsigned long unknown[] = {
		0x11,	    0x4e4f4e45, 0x08000000,	     0x084b454d,
		0x0a000000, 0xffffffff, 0xffffffffffffffffUL
	};
	unsigned before = bad, n_illegal = 0;

	/* CSR numbers and .word encodings: the guests' -march has no H extension */
	ILLEGAL("csrr t0, 0x600"); /* hstatus */
	ILLEGAL("csrw 0x600, t0");
	ILLEGAL("csrr t0, 0x680"); /* hgatp */
	ILLEGAL("csrw 0x680, t0");
	ILLEGAL("csrr t0, 0x602"); /* hedeleg */
	ILLEGAL("csrw 0x603, t0"); /* hideleg */
	ILLEGAL("csrw 0x645, t0"); /* hvip */
	ILLEGAL("csrr t0, 0x643"); /* htval */
	ILLEGAL("csrw 0x605, t0"); /* htimedelta */
	ILLEGAL("csrr t0, 0x280"); /* vsatp */
	ILLEGAL("csrr t0, 0x300"); /* mstatus */
	ILLEGAL("csrw 0x300, t0");
	ILLEGAL("csrw 0x305, t0"); /* mtvec */
	ILLEGAL("csrr t0, 0x341"); /* mepc */
	ILLEGAL("csrr t0, 0xf14"); /* mhartid */
	ILLEGAL("csrw 0x3a0, t0"); /* pmpcfg0 */
	ILLEGAL("csrw 0x3b0, t0"); /* pmpaddr0 */
	ILLEGAL("csrw 0x302, t0"); /* medeleg */
	ILLEGAL("csrr t0, 0x344"); /* mip */
	ILLEGAL("mret");
	ILLEGAL(".word 0x62000073"); /* hfence.gvma */
	ILLEGAL(".word 0x22000073"); /* hfence.vvma */
	ILLEGAL(".word 0x6c02c2f3"); /* hlv.d t0, (t0) */
	ILLEGAL(".word 0x6e52c073"); /* hsv.d t0, (t0) */
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		struct sbiret r = sbi_call6(unknown[i], i, 1, 2, 3, 4, 5, 6);

		if (r.error != SBI_ERR_NOT_SUPPORTED) {
			bad++;
			FAIL("attack_fw_calls", "extension 0x%lx: error %ld", unknown[i], r.error);
		}
	}
	if (bad == before) {
		gprintf("attack: %u privileged instructions illegal\n", n_illegal);
		PASS("attack_priv_insn");
	}
}

static unsigned long poke(uint64_t a, uint64_t *seed)
{
	unsigned sz = 1u << (rng_next(seed) & 3);

	a &= ~(uint64_t)(sz - 1);
	mmio_write_sized(a, sz, rng_next(seed));
	(void)mmio_read_sized(a, sz);
	return 2;
}

/* Every 4th byte of [base, base + size), random sizes and values. */
static unsigned long fuzz_region(uint64_t base, uint64_t size, uint64_t *seed)
{
	unsigned long n = 0;

	for (uint64_t off = 0; off < size; off += 4)
		n += poke(base + off, seed);
	return n;
}

static void fuzz_devices(uint64_t seed, unsigned rounds)
{
	unsigned before = exc_seen.count;
	unsigned long n = 0;

	irq_disable(); /* whatever the fuzzing makes pending stays pending */
	for (unsigned r = 0; r < rounds; r++) {
		n += fuzz_region(PLIC_BASE, 0x1080, &seed); /* priorities, pending */
		n += fuzz_region(PLIC_BASE + 0x2000, 0x80 * 9, &seed); /* enables, contexts 0..8 */
		for (unsigned ctx = 0; ctx < 9; ctx++) /* threshold, claim/complete */
			n += fuzz_region(PLIC_BASE + 0x200000 + 0x1000 * ctx, 0x10, &seed);
		for (int i = 0; i < 8192; i++) /* anywhere in the 64 MiB PLIC window */
			n += poke(PLIC_BASE + (rng_next(&seed) & 0x3fffffc), &seed);
		/* the NS16550 but its data register (it would print) */
		n += fuzz_region(UART_BASE + 4, 0x100 - 4, &seed);
	}
	/* a console that still prints: LCR 8N1 without DLAB, no interrupts */
	mmio_write8(UART_BASE + 3, 3);
	mmio_write8(UART_BASE + UART_IER, 0);
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
