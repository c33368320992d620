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
	uint32_t from = ((uint32_t)(uintptr_t)_end + 0xfff) & ~0xfffu,
		 to = guest_mbi_addr & ~0xfffu;
	uint64_t end = counter() + counter_freq() * secs;
	uint32_t bad = 0;

	for (uint32_t a = from; a < to; a += 4)
		*(volatile uint32_t *)(uintptr_t)a = a * 0x9e3779b9u;
	gprintf("canary: %lu KiB written\n", (unsigned long)((to - from) >> 10));
	while (counter() < end)
		for (uint32_t a = from; a < to && !bad; a += 64)
			if (*(volatile uint32_t *)(uintptr_t)a != a * 0x9e3779b9u)
				bad = a;
	check(!bad, "canary", "pattern changed at 0x%lx", (unsigned long)bad);
}
