// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fills its memory with a pattern and checks it stays intact while another VM probes around,
 * for 3 s or bootargs "seconds=N".
 */
#include "guest.h"

extern char _end[];

void guest_main(void)
{
	uint64_t secs = 3;

	bootarg_u64("seconds", &secs);
	uint64_t from = ((uint64_t)_end + 0xfff) & ~0xfffUL, to = guest_dtb_addr;
	uint64_t end = counter() + counter_freq() * secs, bad = 0;

	for (uint64_t a = from; a < to; a += 8)
		*(volatile uint64_t *)a = a * 0x9e3779b97f4a7c15UL;
	gprintf("canary: %lu KiB written\n", (unsigned long)((to - from) >> 10));
	while (counter() < end)
		for (uint64_t a = from; a < to && !bad; a += 64)
			if (*(volatile uint64_t *)a != a * 0x9e3779b97f4a7c15UL)
				bad = a;
	check(!bad, "canary", "pattern changed at 0x%lx", (unsigned long)bad);
}
