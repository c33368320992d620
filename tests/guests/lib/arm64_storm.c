// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 part of the call storm: PSCI, SMCCC, keel's hypercalls and random function IDs, by hvc
 * and smc, with random upper halves in x0. Left out: CPU_OFF, SYSTEM_OFF, SYSTEM_RESET (they end
 * the VM; the psci scenario tests them). Address arguments never point into the VM's own memory
 * but at a scratch buffer, so VM_INFO cannot overwrite the guest.
 */
#include "guest.h"
#include <keel/hypercall.h>
#include <keel/printf.h>

const char *const storm_kinds[STORM_KINDS] = { "PSCI", "SMCCC", "keel", "random" };
static uint64_t scratch[32];

static uint64_t arg(uint64_t *seed)
{
	return storm_arg(seed, 0x40000000, scratch, 32);
}

static bool psci_answer(int64_t r)
{
	return (r >= -9 && r <= 2) || r == 0x10001;
}

unsigned storm_call(uint64_t *seed, bool *ok, char *what, unsigned len)
{
	uint64_t r = rng_next(seed), fn, a1 = arg(seed), a2 = arg(seed), a3 = arg(seed);
	unsigned kind = (unsigned)(r & 3);
	register uint64_t x0 asm("x0"), x1 asm("x1") = a1, x2 asm("x2") = a2, x3 asm("x3") = a3;
	register uint64_t x4 asm("x4") = arg(seed), x5 asm("x5") = arg(seed);
	uint32_t low;

	switch (kind) {
	case 0:
		fn = ((r >> 8) & 1 ? 0xc4000000 : 0x84000000) | ((r >> 16) & 0x1f);
		break;
	case 1:
		fn = ((r >> 8) & 1 ? 0x80000000 : 0x80008000) | ((r >> 16) & 3);
		break;
	case 2:
		fn = KEEL_HC_ARM64_BASE + ((r >> 8) & 1 ? (r >> 16) & 7 : (r >> 16) & 0x1ff);
		break;
	default:
		fn = rng_next(seed);
	}
	if ((r >> 32) & 1)
		fn |= rng_next(seed) << 32; /* SMCCC: only w0 names the function */
	low = (uint32_t)fn;
	if (low == 0x84000002 || low == 0x84000008 || low == 0x84000009)
		fn ^= 0x10000; /* not CPU_OFF, SYSTEM_OFF, SYSTEM_RESET: unknown instead */
	x0 = fn;
	if ((r >> 33) & 1)
		asm volatile("hvc #0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4),
			       "+r"(x5)::"memory");
	else
		asm volatile("smc #0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4),
			       "+r"(x5)::"memory");
	low = (uint32_t)fn;
	if (low >= KEEL_HC_ARM64_BASE && low < KEEL_HC_ARM64_BASE + 0x100)
		*ok = (int64_t)x0 <= 0 && (int64_t)x0 >= KEEL_ESTATE;
	else
		*ok = psci_answer((int64_t)x0);
	if (!*ok)
		ksnprintf(what, len, "%s fn 0x%lx (0x%lx 0x%lx 0x%lx) -> 0x%lx",
			  (r >> 33) & 1 ? "hvc" : "smc", (unsigned long)fn, (unsigned long)a1,
			  (unsigned long)a2, (unsigned long)a3, (unsigned long)x0);
	return kind;
}
