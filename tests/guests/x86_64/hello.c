// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Demo guest: prints a numbered line about every half second (nominal TSC rate), echoes what is
 * typed to it (polling COM1's LSR); with bootargs "count=N" it stops itself after N lines.
 */
#include "guest.h"

void guest_main(void)
{
	uint64_t count = 0, step = counter_freq() / 2, next = counter() + step;
	uint64_t mem = 0, size = 0;
	uint32_t type;

	bootarg_u64("count", &count);
	mb_mmap(0, &mem, &size, &type);
	gprintf("hello: %lu MiB at 0x%lx, multiboot information at 0x%lx\n",
		(unsigned long)(size >> 20), (unsigned long)mem, (unsigned long)guest_mbi_addr);
	for (uint64_t i = 1; !count || i <= count; i++) {
		while (counter() < next) {
			if (inb(COM1 + UART_LSR) & UART_LSR_DR) /* typed input: echo it */
				gprintf("hello: got '%c'\n", (char)inb(COM1 + UART_RBR));
		}
		next += step;
		gprintf("hello: line %lu\n", (unsigned long)i);
	}
	PASS("hello");
}
