// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Console input through the emulated NS16550A, polled (no interrupts for x86 guests yet):
 * collects what is typed until a '.', prints it, and stops.
 */
#include "guest.h"

void guest_main(void)
{
	char line[64];
	unsigned len = 0, polls = 0;

	gprintf("echo: ready for input\n");
	for (;;) {
		char c;

		polls++;
		if (!(inb(COM1 + UART_LSR) & UART_LSR_DR)) {
			asm volatile("pause");
			continue;
		}
		c = (char)inb(COM1 + UART_RBR);
		if (c == '.')
			break;
		if (len < sizeof(line) - 1)
			line[len++] = c;
	}
	line[len] = 0;
	gprintf("echo: got \"%s\"\n", line);
	check(len > 0, "echo", "no input arrived (%u polls)", polls);
}
