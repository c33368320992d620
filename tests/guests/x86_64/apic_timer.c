// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keel's emulated x2APIC timer, which counts TSC cycles (divided by TDCR): one-shot, then
 * periodic at `period` cycles (bootargs "period=N") for TICKS periods, where the interrupt count
 * over the measured TSC window matches the rate (5% slack, as on arm64 and riscv64); a stopped
 * timer and a masked one give no interrupt; TMCCT counts down; TDCR divides. Latency is the TSC
 * in the handler minus the deadline the guest asked for (TSC read just before the TMICT write
 * plus whole periods).
 *
 * A periodic APIC timer does not catch up: expiries the vCPU could not take in time merge in the
 * IRR. So the rate check excuses the periods of every stretch longer than a period in which the
 * guest's wait loop did not run (QEMU's thread descheduled on a loaded host); a timer at the wrong
 * rate leaves no such stretches and still fails.
 *
 * Also: an interrupt pending while keel injects an exception is taken once interrupts are on, and
 * a timer expiry that keel has not looked at yet is not lost when the guest rewrites TMICT.
 */
#include "guest.h"

#define VEC 0x40
#define V_SELF 0x41
#define TICKS 200u
#define MSR_UNKNOWN 0xdead0000u

static volatile unsigned ticks, self_ipis;
static uint64_t period = 1000000, base, first_tsc, latency_sum, latency_max;

static void on_irq(unsigned vec)
{
	uint64_t now = counter(), lat;

	if (vec == V_SELF)
		self_ipis++;
	if (vec != VEC)
		return;
	/* whole periods since base: a coalesced (late) expiry is still measured from its own */
	lat = (now - base) % period;
	if (!ticks)
		first_tsc = now;
	latency_sum += lat;
	if (lat > latency_max)
		latency_max = lat;
	ticks++;
}

/* Starts the timer: LVT timer = lvtt, TMICT = count; base = the TSC just before. */
static void timer_start(uint32_t lvtt, uint32_t count)
{
	wrmsr(X2APIC_LVTT, lvtt);
	ticks = 0;
	base = counter();
	wrmsr(X2APIC_TMICT, count);
}

static void timer_stop(void)
{
	wrmsr(X2APIC_TMICT, 0);
	wrmsr(X2APIC_LVTT, APIC_LVT_MASKED | VEC);
}

/* Waits about n periods. */
static void wait_periods(uint64_t n)
{
	uint64_t end = counter() + n * period;

	while (counter() < end)
		asm volatile("pause");
}

static void check_apic(void)
{
	uint64_t base_msr = rdmsr(MSR_APIC_BASE);

	check((base_msr & (APIC_BASE_EN | APIC_BASE_EXTD | APIC_BASE_BSP)) ==
		      (APIC_BASE_EN | APIC_BASE_EXTD | APIC_BASE_BSP),
	      "apic_base_x2apic", "expected EN|EXTD|BSP (0x%x) in IA32_APIC_BASE, saw 0x%lx",
	      APIC_BASE_EN | APIC_BASE_EXTD | APIC_BASE_BSP, (unsigned long)base_msr);
	check(rdmsr(X2APIC_ID) == 0, "x2apic_id", "expected x2APIC ID 0, saw %lu",
	      (unsigned long)rdmsr(X2APIC_ID));
	x2apic_enable();
	check(rdmsr(X2APIC_SVR) == (APIC_SVR_ENABLE | APIC_SPURIOUS), "x2apic_svr",
	      "expected SVR 0x%x, saw 0x%lx", APIC_SVR_ENABLE | APIC_SPURIOUS,
	      (unsigned long)rdmsr(X2APIC_SVR));
	wrmsr(X2APIC_TDCR, APIC_TDCR_DIV1);
	check(rdmsr(X2APIC_TDCR) == APIC_TDCR_DIV1, "tdcr_rw", "expected TDCR 0x%x, saw 0x%lx",
	      APIC_TDCR_DIV1, (unsigned long)rdmsr(X2APIC_TDCR));
}

/*
 * TMCCT read between TSC t0 and t1 of a timer started at base with count (divide by 1): keel
 * armed it at or after base, before t0, and read its clock between t0 and t1.
 */
static bool tmcct_ok(uint32_t c, uint32_t count, uint64_t t1)
{
	return c <= count && (uint64_t)c + (t1 - base) >= count;
}

static void check_oneshot(void)
{
	uint32_t count = (uint32_t)(10 * period), c1, c2;
	uint64_t t, t1, t2;

	irq_enable();
	timer_start(VEC, count);
	c1 = (uint32_t)rdmsr(X2APIC_TMCCT);
	t1 = counter();
	wait_periods(1);
	c2 = (uint32_t)rdmsr(X2APIC_TMCCT);
	t2 = counter();
	check(tmcct_ok(c1, count, t1) && tmcct_ok(c2, count, t2) && c2 < c1 && c2 > 0,
	      "tmcct_counts_down",
	      "TMICT %u: TMCCT %u after <= %lu cycles, then %u after <= %lu (expected count - elapsed <= TMCCT <= count, decreasing)",
	      count, c1, (unsigned long)(t1 - base), c2, (unsigned long)(t2 - base));
	check(wait_count(&ticks, 1, 2000), "oneshot_fires", "expected 1 interrupt, saw %u", ticks);
	t = first_tsc - base;
	check(t >= count, "oneshot_not_early",
	      "expected the interrupt >= %u cycles after the TMICT write, saw %lu", count,
	      (unsigned long)t);
	wait_periods(20);
	check(ticks == 1, "oneshot_once", "expected 1 interrupt 20 periods later, saw %u", ticks);
	c1 = (uint32_t)rdmsr(X2APIC_TMCCT);
	check(c1 == 0, "tmcct_zero", "expected TMCCT 0 after a one-shot expiry, saw %u", c1);
	gprintf("timer: one-shot latency %lu ticks\n", (unsigned long)(t - count));
	timer_stop();
}

/* Whether VEC waits in the IRR (raised, not yet taken). */
static unsigned irr_pending(void)
{
	return (unsigned)(rdmsr(X2APIC_IRR0 + VEC / 32) >> (VEC % 32)) & 1;
}

static void check_periodic(void)
{
	uint64_t end, window, expect_lo, expect_hi, excused = 0;
	unsigned n, c, pending;

	latency_sum = latency_max = 0;
	timer_start(VEC | APIC_LVTT_PERIODIC, (uint32_t)period);
	end = base + TICKS * period;
	c = (unsigned)rdmsr(X2APIC_TMCCT);
	check(c > 0 && c <= period, "tmcct_periodic", "expected 0 < TMCCT <= %lu, saw %u",
	      (unsigned long)period, c);
	for (uint64_t prev = counter(), now; prev < end; prev = now) {
		now = counter();
		if (now - prev > period)
			excused += (now - prev) / period;
	}
	/* stop it with interrupts off: one raised just before may still wait in the IRR */
	irq_disable();
	window = counter() - base;
	timer_stop();
	pending = irr_pending();
	n = ticks;
	irq_enable();
	wait_periods(10);
	check(ticks == n + pending, "timer_stopped",
	      "expected %u interrupt(s) after TMICT = 0 (IRR), saw %u", pending, ticks - n);
	n += pending;
	/* TICKS periods in the window; the last may just have been taken or not */
	expect_hi = window / period + 1;
	expect_lo = window / period - excused;
	expect_lo -= expect_lo / 20;
	check(n >= expect_lo && n <= expect_hi, "periodic_rate",
	      "window %lu cycles at one per %lu, %lu period(s) with the guest not running: expected %lu..%lu interrupts, saw %u",
	      (unsigned long)window, (unsigned long)period, (unsigned long)excused,
	      (unsigned long)expect_lo, (unsigned long)expect_hi, n);
	if (n)
		gprintf("timer: latency avg %lu max %lu ticks (%lu Hz nominal), %u interrupts, %lu periods excused\n",
			(unsigned long)(latency_sum / ticks), (unsigned long)latency_max,
			(unsigned long)counter_freq(), n, (unsigned long)excused);
}

static void check_masked(void)
{
	uint32_t c;

	timer_start(VEC | APIC_LVTT_PERIODIC | APIC_LVT_MASKED, (uint32_t)period);
	wait_periods(20);
	c = (uint32_t)rdmsr(X2APIC_TMCCT);
	check(ticks == 0, "masked_none", "expected no interrupt in 20 periods while masked, saw %u",
	      ticks);
	check(c > 0 && c <= period, "masked_counts",
	      "expected 0 < TMCCT <= %lu while masked, saw %u", (unsigned long)period, c);
	wrmsr(X2APIC_LVTT, VEC | APIC_LVTT_PERIODIC); /* unmasked, the count goes on */
	check(wait_count(&ticks, 3, 2000), "unmask_resumes",
	      "expected interrupts again once unmasked, saw %u", ticks);
	timer_stop();
}

static void check_divide(void)
{
	uint32_t count = (uint32_t)(5 * period);
	uint64_t t;

	wrmsr(X2APIC_TDCR, APIC_TDCR_DIV2);
	timer_start(VEC, count / 2);
	check(wait_count(&ticks, 1, 2000), "tdcr_div2_fires", "expected 1 interrupt, saw %u",
	      ticks);
	t = first_tsc - base;
	check(t >= count, "tdcr_div2",
	      "TMICT %u divided by 2: expected the interrupt >= %u cycles later, saw %lu",
	      count / 2, count, (unsigned long)t);
	timer_stop();
	wrmsr(X2APIC_TDCR, APIC_TDCR_DIV1);
}

/* A self IPI raised with interrupts off, then keel injects #GP (an exit with an event to inject). */
static void check_irq_after_exception(void)
{
	uint64_t v;

	irq_disable();
	self_ipis = 0;
	wrmsr(X2APIC_SELF_IPI, V_SELF);
	rdmsr_safe(MSR_UNKNOWN, &v);
	/* interrupts on, no exit of the guest's own: keel must have asked for an interrupt window */
	check(wait_count(&self_ipis, 1, 200), "irq_after_exception",
	      "self IPI pending across an injected #GP: expected 1 interrupt, saw %u", self_ipis);
}

/* The deadline passes while the guest runs with interrupts off; then it stops the timer. */
static void check_expiry_before_rewrite(void)
{
	uint32_t count = (uint32_t)period;
	uint64_t t1;
	unsigned pending;

	irq_disable();
	wrmsr(X2APIC_LVTT, VEC);
	ticks = 0;
	wrmsr(X2APIC_TMICT, count);
	t1 = counter(); /* keel armed the timer before: the deadline is at most t1 + count */
	while (counter() < t1 + count)
		;
	wrmsr(X2APIC_TMICT, 0);
	pending = irr_pending();
	irq_enable();
	wait_periods(2);
	check(pending && ticks == 1, "expiry_before_rewrite",
	      "one-shot expired before TMICT = 0: expected its vector in the IRR and 1 interrupt, saw IRR %u, %u",
	      pending, ticks);
	timer_stop();
}

void guest_main(void)
{
	bootarg_u64("period", &period);
	irq_hook = on_irq;
	check_apic();
	check_oneshot();
	check_periodic();
	check_masked();
	check_divide();
	check_irq_after_exception();
	check_expiry_before_rewrite();
	irq_disable();
}
