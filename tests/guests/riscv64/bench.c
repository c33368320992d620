// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Benchmark guest, run under -icount shift=0,sleep=off on one hart: 1 ns of
 * guest time is one executed instruction, so counter deltas * (1e9 / timebase)
 * are instruction counts. Each figure is (loop with the operation - the same
 * loop with a nop) per iteration + 1, i.e. the trapping instruction itself
 * plus everything keel executes until the next guest instruction. QEMU virt's
 * timebase is 10 MHz: one tick is 100 instructions, hence the long loops.
 * Prints "BENCH <name> <instructions>" lines for tests/bench/run.sh, under
 * the names the arm64 guest uses:
 *   null_hvc        null SBI call: BASE get_spec_version
 *   psci_version    keel's own VERSION call (SBI extension 0x084B454C)
 *   mmio_read       emulated MMIO read: a load of the NS16550's LSR
 *   vtimer_latency  stimecmp (Sstc; vstimecmp under keel) expiry to the handler
 */
#include "guest.h"
#include <keel/hypercall.h>

#define N 100000UL

static uint64_t ns_per_tick(void)
{
	return 1000000000UL / counter_freq();
}

/* body runs with a0, a6, a7 set; it may clobber a0, a1 (an ecall's results) and t0 */
#define LOOP(body, a0val, a6val, a7val)                            \
	({                                                         \
		uint64_t t0_ = counter();                          \
		for (uint64_t i_ = 0; i_ < N; i_++) {              \
			register uint64_t a0_ asm("a0") = (a0val); \
			register uint64_t a6_ asm("a6") = (a6val); \
			register uint64_t a7_ asm("a7") = (a7val); \
			asm volatile(body                          \
				     : "+r"(a0_)                   \
				     : "r"(a6_), "r"(a7_)          \
				     : "a1", "t0", "memory");      \
		}                                                  \
		counter() - t0_;                                   \
	})

static void report(const char *name, uint64_t ticks, uint64_t base)
{
	uint64_t per = ((ticks - base) * ns_per_tick() + N / 2) / N + 1;

	gprintf("BENCH %s %lu\n", name, (unsigned long)per);
}

static volatile unsigned fired;
static uint64_t lat_sum, cmp;

static void on_irq(unsigned irq)
{
	if (irq == IRQ_S_TIMER) {
		lat_sum += counter() - cmp;
		CSR_WRITE(CSR_STIMECMP, ~0UL);
		fired++;
	}
}

static void timer_latency(void)
{
	const unsigned rounds = 200;

	irq_hook = on_irq;
	CSR_SET(sie, SIE_STIE);
	irq_enable();
	for (unsigned i = 0; i < rounds; i++) {
		unsigned before = fired;

		cmp = counter() + 10;
		CSR_WRITE(CSR_STIMECMP, cmp);
		while (fired == before)
			asm volatile("wfi");
	}
	irq_disable();
	CSR_CLEAR(sie, SIE_STIE);
	gprintf("BENCH timer_latency %lu\n", (unsigned long)(lat_sum * ns_per_tick() / rounds));
}

void guest_main(void)
{
	uint64_t base, t;

	gprintf("BENCH guest_entry_counter %lu\n", (unsigned long)guest_start_counter);
	base = LOOP("nop", 0, 0, 0);
	t = LOOP("ecall", 0, SBI_BASE_GET_SPEC_VERSION, SBI_EXT_BASE);
	report("null_call", t, base);
	t = LOOP("ecall", 0, KEEL_HC_VERSION, KEEL_HC_RISCV_EXT);
	report("fw_version", t, base);
	base = LOOP("lbu t0, 5(a0)", (uint64_t)&guest_start_counter, 0, 0);
	t = LOOP("lbu t0, 5(a0)", UART_BASE, 0, 0);
	report("mmio_read", t, base);
	timer_latency();
}
