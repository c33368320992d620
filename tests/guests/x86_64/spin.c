// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shares pCPU 0 with another VM: prints its progress about every 50 ms (nominal TSC rate),
 * spinning with pause in between (no hlt: interrupts are off, the tick takes the pCPU away);
 * passes once it has printed "slices=N" progress lines.
 */
#include "guest.h"

void guest_main(void)
{
	uint64_t want = 5, f = counter_freq();

	bootarg_u64("slices", &want);
	for (uint64_t i = 1; i <= want; i++) {
		uint64_t end = counter() + f / 20;

		while (counter() < end)
			asm volatile("pause");
		gprintf("spin: progress %lu\n", (unsigned long)i);
	}
	PASS("shared_progress");
}
