// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Benchmark guest, run under -icount shift=0,sleep=off on one pCPU: QEMU's TSC then counts
 * nanoseconds of guest time, which are executed instructions (tests/bench/x86_64.env:
 * COUNTER_HZ). Each figure is (loop with the operation - the same loop with a nop) per
 * iteration + 1, i.e. the trapping instruction itself plus everything keel executes until the
 * next guest instruction. Prints "BENCH <name> <instructions>" lines for tests/bench/run.sh,
 * under the names the other arches use:
 *   null_call      keel's VERSION hypercall (vmmcall, EAX = 0)
 *   fw_version     CPUID of the hypervisor leaf 0x40000000 (an exit keel answers)
 *   mmio_read      emulated device read: in from COM1's LSR (port 0x3fd), a port I/O exit
 *   timer_latency  x2APIC timer, one-shot: TSC in the interrupt handler minus the deadline the
 *                  guest asked for (TSC just before the TMICT write + the count, divide by 1), so
 *                  it also holds what keel runs between that TSC read and its own clock read in
 *                  the WRMSR exit. The count is well beyond that exit's length, so the timer
 *                  expires while the guest spins with interrupts on: the path measured is keel's
 *                  own timer interrupt, the exit, the injection and the guest's handler.
 */
#include "guest.h"
#include <keel/hypercall.h>

#define N 100000u
#define TIMER_VEC 0x40
#define TIMER_COUNT 50000u /* TSC ticks = instructions */
#define TIMER_ROUNDS 200u

/* insn runs with EAX, ECX, EDX set and may clobber EAX..EDX (what vmmcall and cpuid return) */
#define LOOP(insn, eax_val, ecx_val, edx_val)                                                  \
	({                                                                                     \
		uint64_t t0_ = counter();                                                      \
		for (uint32_t i_ = 0; i_ < N; i_++) {                                          \
			uint32_t a_ = (eax_val), b_ = 0, c_ = (ecx_val), d_ = (edx_val);       \
			asm volatile(insn : "+a"(a_), "+b"(b_), "+c"(c_), "+d"(d_)::"memory"); \
		}                                                                              \
		counter() - t0_;                                                               \
	})

static void report(const char *name, uint64_t ticks, uint64_t base)
{
	/* one TSC tick is one instruction under -icount shift=0 */
	uint64_t per = (ticks - base + N / 2) / N + 1;
	char buf[21];

	gprintf("BENCH %s %s\n", name, u64_str(per, buf));
}

static volatile unsigned fired;
static volatile uint64_t fired_at;

static void on_irq(unsigned vec)
{
	if (vec == TIMER_VEC) {
		fired_at = counter();
		fired++;
	}
}

static void timer_latency(void)
{
	uint64_t lat_sum = 0;
	char buf[21];

	irq_hook = on_irq;
	x2apic_enable();
	wrmsr(X2APIC_TDCR, APIC_TDCR_DIV1);
	wrmsr(X2APIC_LVTT, TIMER_VEC); /* one-shot, unmasked */
	irq_enable();
	for (unsigned i = 0; i < TIMER_ROUNDS; i++) {
		unsigned before = fired;
		uint64_t t0 = counter();

		wrmsr(X2APIC_TMICT, TIMER_COUNT);
		while (fired == before)
			asm volatile("pause");
		lat_sum += fired_at - (t0 + TIMER_COUNT);
	}
	irq_disable();
	gprintf("BENCH timer_latency %s\n", u64_str(lat_sum / TIMER_ROUNDS, buf));
}

void guest_main(void)
{
	uint64_t base, t;
	char buf[21];

	gprintf("BENCH guest_entry_counter %s\n", u64_str(guest_start_counter, buf));
	base = LOOP("nop", 0, 0, 0);
	t = LOOP("vmmcall", KEEL_HC_VERSION, 0, 0);
	report("null_call", t, base);
	t = LOOP("cpuid", 0x40000000, 0, 0);
	report("fw_version", t, base);
	t = LOOP("inb %%dx, %%al", 0, 0, COM1 + UART_LSR);
	report("mmio_read", t, base);
	timer_latency();
}
