// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A long seeded stream of random firmware calls and hypercalls (PSCI/SMCCC over hvc and smc,
 * SBI, vmmcall; the arch part picks them, <arch>_storm.c): every answer must be one the ABI
 * defines, and keel must still answer VERSION afterwards. bootargs "seed=N", "calls=N".
 */
#include "guest.h"
#include <keel/hypercall.h>

void guest_main(void)
{
	uint64_t seed = 1, calls = 20000;
	unsigned long count[STORM_KINDS] = { 0 }, bad = 0;
	struct keel_ret r;
	char what[120];

	bootarg_u64("seed", &seed);
	bootarg_u64("calls", &calls);
	gprintf("callstorm: seed %lu, %lu calls\n", (unsigned long)seed, (unsigned long)calls);
	seed |= 1;
	for (uint64_t i = 0; i < calls; i++) {
		bool ok = true;
		unsigned k = storm_call(&seed, &ok, what, sizeof(what));

		count[k]++;
		if (!ok && ++bad <= 5)
			FAIL("callstorm_answer", "call %lu: %s", (unsigned long)i, what);
	}
	for (unsigned k = 0; k < STORM_KINDS; k++)
		gprintf("callstorm: %lu %s calls\n", count[k], storm_kinds[k]);
	r = keel_call(KEEL_HC_VERSION, 0);
	check(r.status == KEEL_OK && r.v[0] == KEEL_ABI_VERSION, "callstorm_alive",
	      "VERSION after the storm: %ld 0x%lx", r.status, r.v[0]);
	check(!bad, "callstorm", "%lu of %lu answers outside the ABI", bad, (unsigned long)calls);
}
