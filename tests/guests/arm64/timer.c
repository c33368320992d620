// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Virtual timer at 1 kHz for 200 ms: the interrupt count matches the
 * programmed rate; then one physical-timer interrupt.
 */
#include "guest.h"

static volatile unsigned vticks, pticks;
static uint64_t period, latency_sum, latency_max;

static void on_irq(unsigned intid)
{
	if (intid == 27) {
		uint64_t cval = SYSREG_READ(cntv_cval_el0), now = counter(), lat = now - cval;

		latency_sum += lat;
		if (lat > latency_max)
			latency_max = lat;
		vticks++;
		SYSREG_WRITE(cntv_cval_el0, cval + period);
	} else if (intid == 30) {
		pticks++;
		SYSREG_WRITE(cntp_ctl_el0, 0);
	}
}

void guest_main(void)
{
	uint64_t f = counter_freq(), start, end;

	period = f / 1000;
	irq_hook = on_irq;
	gic_cpu_enable();
	gic_enable_ppi(0, 27);
	gic_enable_ppi(0, 30);
	start = counter();
	SYSREG_WRITE(cntv_cval_el0, start + period);
	SYSREG_WRITE(cntv_ctl_el0, 1);
	irq_enable();
	end = start + f / 5;
	while (counter() < end)
		asm volatile("wfi");
	SYSREG_WRITE(cntv_ctl_el0, 0);
	irq_disable();
	check(vticks >= 190 && vticks <= 201, "vtimer_rate",
	      "expected 200 interrupts in 200 ms at 1 kHz (190..201), saw %u", vticks);
	if (vticks)
		gprintf("timer: latency avg %lu max %lu ticks (%lu Hz)\n",
			(unsigned long)(latency_sum / vticks), (unsigned long)latency_max,
			(unsigned long)f);
	SYSREG_WRITE(cntp_tval_el0, f / 100);
	SYSREG_WRITE(cntp_ctl_el0, 1);
	irq_enable();
	end = counter() + f / 2;
	while (!pticks && counter() < end)
		asm volatile("wfi");
	irq_disable();
	check(pticks == 1, "ptimer", "expected 1 physical timer interrupt, saw %u", pticks);
}
