// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shares a pCPU with another VM: counts its progress in time slices and
 * yields with WFI now and then; passes once it has run for "slices=N" rounds.
 */
#include "guest.h"

void guest_main(void)
{
	uint64_t want = 5, f = counter_freq();
	const char *name = dt_string("/", "model");

	bootarg_u64("slices", &want);
	for (uint64_t i = 1; i <= want; i++) {
		uint64_t end = counter() + f / 20;

		while (counter() < end)
			;
		gprintf("%s: progress %lu\n", name, (unsigned long)i);
		if (i & 1)
			asm volatile("wfi");
	}
	PASS("shared_progress");
}
