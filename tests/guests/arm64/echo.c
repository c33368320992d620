// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Console input through the emulated PL011's receive interrupt (SPI 1 =
 * INTID 33 through the virtual distributor): collects what is typed until a
 * '.', prints it, and stops.
 */
#include "guest.h"

static char line[64];
static volatile unsigned len;
static volatile bool done;
static volatile unsigned irqs;

static void on_irq(unsigned intid)
{
	if (intid != 33)
		return;
	irqs++;
	while (!(mmio_read32(0x09000018) & (1u << 4))) { /* until RXFE */
		char c = (char)mmio_read32(0x09000000);

		if (c == '.')
			done = true;
		else if (len < sizeof(line) - 1)
			line[len++] = c;
	}
}

void guest_main(void)
{
	const char *name = dt_string("/", "model");
	uint64_t gicd = 0x08000000;

	irq_hook = on_irq;
	gic_cpu_enable();
	mmio_write32(gicd + 0x0, 2); /* GICD_CTLR: group 1 */
	*(volatile uint64_t *)(gicd + 0x6000 + 8 * 33) = 0; /* route to vCPU 0 */
	*(volatile uint8_t *)(gicd + 0x400 + 33) = 0x80; /* priority */
	mmio_write32(gicd + 0x80 + 4, 1u << 1); /* group 1 */
	mmio_write32(gicd + 0x100 + 4, 1u << 1); /* enable INTID 33 */
	mmio_write32(0x09000000 + 0x38, (1u << 4) | (1u << 6)); /* UART IMSC: RX, RT */
	irq_enable();
	gprintf("%s: ready for input\n", name);
	while (!done)
		asm volatile("wfi");
	irq_disable();
	line[len] = 0;
	gprintf("%s: got \"%s\" in %u interrupt(s)\n", name, line, irqs);
	check(len > 0 && irqs > 0, "echo", "no input arrived by interrupt");
}
