// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Supervisor timer through Sstc's stimecmp at 1 kHz for 200 ms: the
 * interrupt count matches the programmed rate; then one interrupt set up
 * with the SBI TIME extension. Deadlines stop at the end of the 200 ms, so a
 * hart that QEMU's host delays catches up with the deadlines it missed but
 * does not count beyond them.
 */
#include "guest.h"

static volatile unsigned sticks, sbi_ticks;
static volatile bool use_sbi;
static uint64_t period, next_cmp, last_cmp, latency_sum, latency_max;

static void on_irq(unsigned irq)
{
	if (irq != IRQ_S_TIMER)
		return;
	if (use_sbi) {
		sbi_ticks++;
		sbi_set_timer(~0UL);
		return;
	}
	uint64_t lat = counter() - next_cmp;

	latency_sum += lat;
	if (lat > latency_max)
		latency_max = lat;
	sticks++;
	next_cmp += period;
	CSR_WRITE(CSR_STIMECMP, next_cmp <= last_cmp ? next_cmp : ~0UL);
}

void guest_main(void)
{
	uint64_t f = counter_freq(), start, end;
	long r;

	period = f / 1000;
	irq_hook = on_irq;
	start = counter();
	next_cmp = start + period;
	end = last_cmp = start + 200 * period;
	CSR_WRITE(CSR_STIMECMP, next_cmp);
	CSR_SET(sie, SIE_STIE);
	irq_enable();
	while (counter() < end)
		asm volatile("wfi");
	irq_disable();
	CSR_WRITE(CSR_STIMECMP, ~0UL);
	check(sticks >= 190 && sticks <= 201, "stimecmp_rate",
	      "expected 200 interrupts in 200 ms at 1 kHz (190..201), saw %u", sticks);
	if (sticks)
		gprintf("timer: latency avg %lu max %lu ticks (%lu Hz)\n",
			(unsigned long)(latency_sum / sticks), (unsigned long)latency_max,
			(unsigned long)f);
	use_sbi = true;
	r = sbi_set_timer(counter() + f / 100);
	irq_enable();
	end = counter() + f / 2;
	while (!sbi_ticks && counter() < end)
		asm volatile("wfi");
	irq_disable();
	CSR_CLEAR(sie, SIE_STIE);
	check(r == 0 && sbi_ticks == 1, "sbi_set_timer",
	      "set_timer returned %ld, expected 1 interrupt, saw %u", r, sbi_ticks);
}
