// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Demo guest: prints a numbered line about every half second, echoes what
 * is typed to it; with bootargs "count=N" it stops itself after N lines.
 */
#include "guest.h"

void guest_main(void)
{
	const char *name = dt_string("/", "model");
	uint64_t count = 0, step = counter_freq() / 2, next = counter() + step;
	uint64_t mem = 0, size = 0;

	bootarg_u64("count", &count);
	dt_reg("/memory@80000000", &mem, &size);
	gprintf("hello from %s: %lu MiB at 0x%lx, DTB at 0x%lx\n", name ? name : "?",
		(unsigned long)(size >> 20), (unsigned long)mem, (unsigned long)guest_dtb_addr);
	for (uint64_t i = 1; !count || i <= count; i++) {
		while (counter() < next) {
			if (mmio_read8(UART_BASE + UART_LSR) &
			    UART_LSR_DR) /* typed input: echo it */
				gprintf("%s got '%c'\n", name,
					(char)mmio_read8(UART_BASE + UART_RBR));
		}
		next += step;
		gprintf("%s: line %lu\n", name, (unsigned long)i);
	}
	PASS("hello");
}
