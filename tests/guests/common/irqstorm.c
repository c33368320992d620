// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Interrupt storm (issue 9): one guest, three roles chosen by the bootargs. Times are in ms of
 * counter() (on x86_64 at its nominal 1 GHz TSC rate, see guest.h).
 *
 *   storm=MS    two vCPUs: for MS ms each re-arms its timer in the past from its handler, so it
 *               fires again right after every ack (the shortest period there is), and sends an
 *               IPI to the other vCPU from each timer interrupt and from its loop. The IPI has
 *               the higher priority, so both kinds are taken. The loop hardly runs: what counts
 *               as progress is the interrupts taken. Then each vCPU checks it took at least
 *               min_timer=N timer interrupts (default one per ms) and some IPIs, and keel must
 *               still answer VERSION.
 *   steady=MS   alone on its pCPU: from delay=D ms after its start, a periodic timer by absolute
 *               deadlines for MS ms, one per period_us=N (default 1000: 1 kHz; a late interrupt
 *               is followed at once by the deadlines it missed). Latency = counter() in the
 *               handler minus the deadline, or minus the end of the previous interrupt when that
 *               was later (a stall counts once, not again for each deadline it made late); checks
 *               max <= max_us=N, avg <= avg_us=N and that >= 95 % of them came within the window.
 *   sharer=MS   shares a pCPU with a storming vCPU: from delay=D ms on it spins reading the
 *               counter for MS ms; a gap of more than 1 ms between two reads is time it did not
 *               run. Checks its share of the window >= min_pct=N and that no gap was longer than
 *               max_gap_ms=N (the time slice comes back).
 *
 * The storm lasts longer than delay + window of the others; the scenario checks that their
 * windows open after the storm began and close before it ended.
 */
#include "guest.h"
#include <keel/hypercall.h>

static uint64_t f, ms_ticks;

/* ---- storm */

static volatile uint64_t storm_end;
static volatile unsigned timer_irqs[2], ipis[2], done[2];
static volatile uint64_t sent[2], loops[2];

static void storm_irq(unsigned intid)
{
	unsigned me = cpu_index() & 1;

	if (guest_timer_ack(intid)) {
		timer_irqs[me]++;
		if (counter() < storm_end) {
			guest_timer_at(0); /* in the past: pending again at once */
			/* the loop below hardly runs now: the flood goes on from here */
			guest_ipi_send(me ^ 1);
			sent[me]++;
		}
	} else if (guest_ipi_ack(intid)) {
		ipis[me]++;
	}
}

static void storm_run(unsigned me)
{
	unsigned other = me ^ 1;

	guest_timer_enable();
	guest_ipi_enable();
	irq_enable();
	guest_timer_at(0);
	while (counter() < storm_end) {
		guest_ipi_send(other);
		sent[me]++;
		loops[me]++;
	}
	irq_disable();
	gprintf("irqstorm: vCPU %u took %u timer interrupts and %u IPIs, sent %lu IPIs (%lu from its loop)\n",
		me, timer_irqs[me], ipis[me], (unsigned long)sent[me], (unsigned long)loops[me]);
	__atomic_store_n(&done[me], 1, __ATOMIC_SEQ_CST);
}

void guest_secondary(unsigned id)
{
	if (storm_end)
		storm_run(id & 1);
}

static void storm(uint64_t ms)
{
	uint64_t wait, min = ms; /* default: at least 1 timer interrupt per ms on each vCPU */
	struct keel_ret r;

	bootarg_u64("min_timer", &min);

	irq_hook = storm_irq;
	storm_end = counter() + ms * ms_ticks;
	gprintf("irqstorm: storm on for %lu ms\n", (unsigned long)ms);
	guest_start_vcpu(1);
	storm_run(0);
	wait = counter() + 5 * f;
	while (!done[1] && counter() < wait)
		;
	gprintf("irqstorm: storm off\n");
	for (unsigned i = 0; i < 2; i++)
		check(timer_irqs[i] >= min && ipis[i] > 0 && sent[i] > 0,
		      i ? "irqstorm_storm_progress_1" : "irqstorm_storm_progress_0",
		      "vCPU %u: expected >= %lu timer interrupts, > 0 IPIs taken and sent, saw %u, %u, %lu%s",
		      i, (unsigned long)min, timer_irqs[i], ipis[i], (unsigned long)sent[i],
		      done[i] ? "" : " (not finished)");
	r = keel_call(KEEL_HC_VERSION, 0);
	check(r.status == KEEL_OK && r.v[0] != 0, "irqstorm_keel_answers",
	      "expected VERSION to answer OK with a version, saw status %ld value 0x%lx", r.status,
	      r.v[0]);
}

/* ---- steady: a 1 kHz timer beside the storm */

static volatile unsigned ticks;
static unsigned want;
static uint64_t deadline, period, lat_sum, lat_max, last_end;
static unsigned late; /* latencies above 1 ms */

static void steady_irq(unsigned intid)
{
	uint64_t now = counter(), lat;

	if (!guest_timer_ack(intid))
		return;
	/*
	 * From the deadline, or from the end of the previous interrupt when that came later: after
	 * a stall (QEMU's thread descheduled by the host) the deadlines it missed follow at once,
	 * and the stall is counted once, not again for each of them.
	 */
	lat = now - (deadline > last_end ? deadline : last_end);
	lat_sum += lat;
	if (lat > lat_max)
		lat_max = lat;
	if (lat > ms_ticks)
		late++;
	if (++ticks < want) {
		deadline += period; /* a late one is followed at once by the deadlines it missed */
		guest_timer_at(deadline);
	}
	last_end = counter();
}

static uint64_t to_us(uint64_t t)
{
	return t * 1000000 / f;
}

static void steady(uint64_t ms, uint64_t delay)
{
	uint64_t max_us = 1000, avg_us = 1000, period_us = 1000, start, end, avg;

	bootarg_u64("max_us", &max_us);
	bootarg_u64("avg_us", &avg_us);
	bootarg_u64("period_us", &period_us);
	while (counter() < guest_start_counter + delay * ms_ticks)
		;
	period = period_us * ms_ticks / 1000;
	want = (unsigned)(ms * 1000 / period_us);
	irq_hook = steady_irq;
	guest_timer_enable();
	gprintf("irqstorm: steady window on\n");
	start = counter();
	deadline = start + period;
	end = start + (want + 1) * period;
	guest_timer_at(deadline);
	irq_enable();
	while (ticks < want && counter() < end)
		guest_wait_irq();
	irq_disable();
	avg = ticks ? to_us(lat_sum / ticks) : 0;
	gprintf("irqstorm: steady window off: %u interrupts, latency avg %lu max %lu us, %u above 1 ms\n",
		ticks, (unsigned long)avg, (unsigned long)to_us(lat_max), late);
	check(ticks >= want - want / 20, "irqstorm_steady_rate",
	      "expected %u interrupts, one per %lu us, within %lu us (>= %u), saw %u", want,
	      (unsigned long)period_us, (unsigned long)((want + 1) * period_us), want - want / 20,
	      ticks);
	check(ticks && to_us(lat_max) <= max_us && avg <= avg_us, "irqstorm_steady_latency",
	      "expected latency max <= %lu us and avg <= %lu us, saw max %lu us avg %lu us",
	      (unsigned long)max_us, (unsigned long)avg_us, (unsigned long)to_us(lat_max),
	      (unsigned long)avg);
}

/* ---- sharer: its share of a pCPU with a storming vCPU */

static void sharer(uint64_t ms, uint64_t delay)
{
	uint64_t min_pct = 25, max_gap_ms = 1000, start, end, prev, now, lost = 0, gap_max = 0;
	uint64_t gaps = 0, pct;

	bootarg_u64("min_pct", &min_pct);
	bootarg_u64("max_gap_ms", &max_gap_ms);
	while (counter() < guest_start_counter + delay * ms_ticks)
		;
	gprintf("irqstorm: sharer window on\n");
	start = prev = counter();
	end = start + ms * ms_ticks;
	do {
		uint64_t gap;

		now = counter();
		if (now > end)
			now = end;
		gap = now - prev;
		if (gap > ms_ticks) {
			lost += gap;
			gaps++;
			if (gap > gap_max)
				gap_max = gap;
		}
		prev = now;
	} while (now < end);
	pct = (end - start - lost) * 100 / (end - start);
	gprintf("irqstorm: sharer window off: ran %lu%% of %lu ms, %lu times away, longest %lu us\n",
		(unsigned long)pct, (unsigned long)ms, (unsigned long)gaps,
		(unsigned long)to_us(gap_max));
	check(pct >= min_pct, "irqstorm_sharer_share",
	      "expected >= %lu%% of the %lu ms window, saw %lu%% (longest time away %lu us)",
	      (unsigned long)min_pct, (unsigned long)ms, (unsigned long)pct,
	      (unsigned long)to_us(gap_max));
	check(gap_max <= max_gap_ms * ms_ticks, "irqstorm_sharer_gap",
	      "expected no time away longer than %lu ms, saw %lu us (%lu times away)",
	      (unsigned long)max_gap_ms, (unsigned long)to_us(gap_max), (unsigned long)gaps);
}

void guest_main(void)
{
	uint64_t ms, delay = 500;

	f = counter_freq();
	ms_ticks = f / 1000;
	bootarg_u64("delay", &delay);
	if (bootarg_u64("storm", &ms))
		storm(ms);
	else if (bootarg_u64("steady", &ms))
		steady(ms, delay);
	else if (bootarg_u64("sharer", &ms))
		sharer(ms, delay);
	else
		FAIL("irqstorm", "expected storm=, steady= or sharer= in the bootargs");
}
