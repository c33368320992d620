// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Benchmark guest, run under -icount shift=0,sleep=off on one pCPU: 1 ns of
 * guest time is one executed instruction, so counter deltas * (1e9 / CNTFRQ)
 * are instruction counts. Each figure is (loop with the operation - the same
 * loop with a nop) per iteration + 1, i.e. the trapping instruction itself
 * plus everything keel executes until the next guest instruction.
 * Prints "BENCH <name> <instructions>" lines for tests/bench/run.sh.
 */
#include "guest.h"
#include <keel/hypercall.h>

#define N 20000UL

static uint64_t ns_per_tick(void)
{
	return 1000000000UL / counter_freq();
}

#define LOOP(body, x0val)                                                           \
	({                                                                          \
		uint64_t t0_ = counter();                                           \
		for (uint64_t i_ = 0; i_ < N; i_++) {                               \
			register uint64_t x0_ asm("x0") = (x0val);                  \
			asm volatile(body : "+r"(x0_)::"x1", "x2", "x3", "memory"); \
		}                                                                   \
		counter() - t0_;                                                    \
	})

static void report(const char *name, uint64_t ticks, uint64_t base)
{
	uint64_t per = ((ticks - base) * ns_per_tick() + N / 2) / N + 1;

	gprintf("BENCH %s %lu\n", name, (unsigned long)per);
}

static volatile unsigned fired;
static uint64_t lat_sum;

static void on_irq(unsigned intid)
{
	if (intid == 27) {
		lat_sum += counter() - SYSREG_READ(cntv_cval_el0);
		SYSREG_WRITE(cntv_ctl_el0, 0);
		fired++;
	}
}

static void timer_latency(void)
{
	const unsigned rounds = 200;

	irq_hook = on_irq;
	gic_cpu_enable();
	gic_enable_ppi(0, 27);
	irq_enable();
	for (unsigned i = 0; i < rounds; i++) {
		unsigned before = fired;

		SYSREG_WRITE(cntv_cval_el0, counter() + 50);
		SYSREG_WRITE(cntv_ctl_el0, 1);
		while (fired == before)
			asm volatile("wfi");
	}
	irq_disable();
	gprintf("BENCH timer_latency %lu\n", (unsigned long)(lat_sum * ns_per_tick() / rounds));
}

void guest_main(void)
{
	uint64_t base, t;

	gprintf("BENCH guest_entry_counter %lu\n", (unsigned long)guest_start_counter);
	base = LOOP("nop", 0);
	t = LOOP("hvc #0", KEEL_HC_ARM64_BASE + KEEL_HC_VERSION);
	report("null_call", t, base);
	t = LOOP("hvc #0", 0x84000000);
	report("fw_version", t, base);
	base = LOOP("ldr w1, [%0]", (uint64_t)&guest_start_counter);
	t = LOOP("ldr w1, [%0]", 0x09000018);
	report("mmio_read", t, base);
	timer_latency();
}
