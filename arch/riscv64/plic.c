// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The physical PLIC as keel uses it: only the console UART's interrupt, to
 * the boot hart's S-mode context; every other source belongs to nobody yet.
 */
#include <keel/vcpu.h>
#include <asm/riscv.h>
#include <platform.h>

#define PRIO(src) (PLAT_PLIC_BASE + 4 * (src))
#define ENABLE(ctx) (PLAT_PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define THRESHOLD(ctx) (PLAT_PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define CLAIM(ctx) (THRESHOLD(ctx) + 4)

static volatile uint32_t *reg(uint64_t a)
{
	return (volatile uint32_t *)a;
}

static uint64_t console_ctx = ~0UL;

void plic_cpu_init(unsigned cpu, uint64_t hartid)
{
	uint64_t ctx = PLAT_PLIC_S_CONTEXT(hartid);

	*reg(THRESHOLD(ctx)) = 0;
	if (console_ctx != ~0UL)
		return;
	/* the first pCPU up (the boot hart) takes console input */
	(void)cpu;
	console_ctx = ctx;
	*reg(PRIO(PLAT_UART_IRQ)) = 1;
	*reg(ENABLE(ctx)) = 1u << PLAT_UART_IRQ;
	*(volatile uint8_t *)(PLAT_UART_BASE + 1) = 1; /* UART IER: receive data available */
}

void plic_poll(void)
{
	uint64_t ctx = PLAT_PLIC_S_CONTEXT(this_pcpu()->hwid);
	uint32_t src;

	while ((src = *reg(CLAIM(ctx))) != 0) {
		if (src == PLAT_UART_IRQ)
			uart_poll_input();
		*reg(CLAIM(ctx)) = src;
	}
}
