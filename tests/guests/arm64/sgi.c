// SPDX-License-Identifier: GPL-2.0-or-later
/* SGIs between the two vCPUs of a VM through the trapped ICC_SGI1R_EL1. */
#include "guest.h"

extern char _secondary[];
static volatile unsigned got[2];
static volatile bool ready1;
static volatile unsigned done1;

static void on_irq(unsigned intid)
{
	if (intid == 5)
		got[cpu_index()]++;
}

static void send_sgi(unsigned target, unsigned intid)
{
	SYSREG_WRITE(S3_0_C12_C11_5, ((uint64_t)intid << 24) | (1u << target)); /* ICC_SGI1R_EL1 */
	asm volatile("isb");
}

/* Waits for this vCPU's own interrupts with WFI (the wake-up is part of the test). */
static bool wait_irq(volatile unsigned *v, unsigned n)
{
	uint64_t end = counter() + counter_freq() * 5;

	while (*v < n && counter() < end)
		asm volatile("wfi");
	return *v >= n;
}

/* Waits for what another vCPU does: no interrupt comes to wake a WFI here. */
static void wait_other(volatile unsigned *v, unsigned n)
{
	uint64_t end = counter() + counter_freq() * 5;

	while (*v < n && counter() < end)
		;
}

void guest_secondary(unsigned id)
{
	gic_cpu_enable();
	gic_enable_ppi(id, 5);
	irq_enable();
	ready1 = true;
	for (int i = 0; i < 10; i++)
		send_sgi(0, 5);
	check(wait_irq(&got[1], 1), "sgi_to_1", "vCPU 1 saw %u SGIs from vCPU 0", got[1]);
	irq_disable();
	done1 = 1;
}

void guest_main(void)
{
	irq_hook = on_irq;
	gic_cpu_enable();
	gic_enable_ppi(0, 5);
	irq_enable();
	hvc(0xc4000003, 1, (uint64_t)_secondary, 1);
	check(wait_irq(&got[0], 1), "sgi_to_0", "vCPU 0 saw %u SGIs from vCPU 1", got[0]);
	while (!ready1)
		;
	send_sgi(1, 5);
	/* vCPU 1 has printed its verdict before the VM is switched off */
	wait_other(&done1, 1);
}
