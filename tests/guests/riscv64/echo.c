// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Console input through the emulated NS16550's receive interrupt (source 10
 * through the emulated PLIC, context = hart index): collects what is typed
 * until a '.', prints it, and stops.
 */
#include "guest.h"

static char line[64];
static volatile unsigned len;
static volatile bool done;
static volatile unsigned irqs;

static void on_irq(unsigned irq)
{
	if (irq != IRQ_PLIC(PLIC_SRC_UART0))
		return;
	irqs++;
	while (mmio_read8(UART_BASE + UART_LSR) & UART_LSR_DR) {
		char c = (char)mmio_read8(UART_BASE + UART_RBR);

		if (c == '.')
			done = true;
		else if (len < sizeof(line) - 1)
			line[len++] = c;
	}
}

void guest_main(void)
{
	const char *name = dt_string("/", "model");

	irq_hook = on_irq;
	plic_enable(cpu_index(), PLIC_SRC_UART0);
	mmio_write8(UART_BASE + UART_IER, UART_IER_RDI);
	CSR_SET(sie, SIE_SEIE);
	irq_enable();
	gprintf("%s: ready for input\n", name);
	while (!done)
		asm volatile("wfi");
	irq_disable();
	mmio_write8(UART_BASE + UART_IER, 0);
	line[len] = 0;
	gprintf("%s: got \"%s\" in %u interrupt(s)\n", name, line, irqs);
	check(len > 0 && irqs > 0, "echo", "no input arrived by interrupt");
}
