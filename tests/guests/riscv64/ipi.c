// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SBI IPIs between the two harts of a VM, taken as supervisor software
 * interrupts (scause (1 << 63) | 1) and cleared through sip.SSIP. The boot
 * hart (0 under keel) starts the other one (hart index ^ 1).
 */
#include "guest.h"

static volatile unsigned got[2];
static volatile bool ready1;
static unsigned boot_hart;

static void on_irq(unsigned irq)
{
	if (irq == IRQ_S_SOFT && cpu_index() < 2)
		got[cpu_index()]++;
}

static long send_ipi(unsigned long mask, unsigned long base)
{
	return sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, mask, base, 0).error;
}

/* Waits for this hart's own interrupts with WFI (the wake-up is part of the test). */
static bool wait_irq(volatile unsigned *v, unsigned n)
{
	uint64_t end = counter() + counter_freq() * 5;

	while (*v < n && counter() < end)
		asm volatile("wfi");
	return *v >= n;
}

/* Waits for what another hart does: no interrupt comes to wake a WFI here. */
static bool wait_other(volatile unsigned *v, unsigned n)
{
	uint64_t end = counter() + counter_freq() * 5;

	while (*v < n && counter() < end)
		;
	return *v >= n;
}

static void irqs_on(void)
{
	CSR_SET(sie, SIE_SSIE);
	irq_enable();
}

static void irqs_off(void)
{
	irq_disable();
	CSR_CLEAR(sie, SIE_SSIE);
}

void guest_secondary(unsigned id)
{
	long r = 0;

	irqs_on();
	ready1 = true;
	for (int i = 0; i < 10; i++)
		r |= send_ipi(1UL << boot_hart, 0);
	check(r == 0, "ipi_send_to_0", "send_ipi returned %ld", r);
	/* one by broadcast, one by hart_mask_base */
	check(wait_irq(&got[id], 2), "ipi_to_1", "hart %u saw %u IPIs from hart %u", id, got[id],
	      boot_hart);
	irqs_off();
}

void guest_main(void)
{
	unsigned me = cpu_index(), other = me ^ 1, before;
	long r;

	boot_hart = me;
	irq_hook = on_irq;
	irqs_on();
	r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, other, (uint64_t)_secondary, 0).error;
	check(r == 0 && wait_irq(&got[me], 1), "ipi_to_0",
	      "hart_start returned %ld, hart %u saw %u IPIs from hart %u", r, me, got[me], other);
	for (uint64_t end = counter() + counter_freq() * 5; !ready1 && counter() < end;)
		;
	for (uint64_t end = counter() + counter_freq() / 20; counter() < end;)
		; /* let hart 1's ten IPIs arrive, then count afresh */
	before = got[me];
	r = send_ipi(0, -1UL); /* hart_mask_base -1: every hart of the VM */
	/* both harts get it; the other one must take it before the next, or the two merge */
	check(r == 0 && wait_irq(&got[me], before + 1) && wait_other(&got[other], 1),
	      "ipi_broadcast", "send_ipi(all) returned %ld, harts saw %u and %u", r,
	      got[me] - before, got[other]);
	r = send_ipi(1, other); /* the other hart as bit 0 above hart_mask_base */
	check(r == 0 && wait_other(&got[other], 2), "ipi_mask_base",
	      "send_ipi(1, %u) returned %ld, hart %u saw %u IPIs", other, r, other, got[other]);
	r = send_ipi(1UL << 5, 0);
	check(r == SBI_ERR_INVALID_PARAM, "ipi_bad_mask", "send_ipi(hart 5) returned %ld", r);
	irqs_off();
	/* the other hart has printed its verdict once it has stopped */
	for (uint64_t end = counter() + counter_freq() * 5; counter() < end;) {
		struct sbiret s = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, other, 0, 0);

		if (s.error || s.value == SBI_HSM_STOPPED)
			break;
	}
}
