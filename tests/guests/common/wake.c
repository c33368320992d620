// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Wake-up latency of a vCPU waiting in WFI/HLT on a shared pCPU: one guest, two roles chosen by
 * the bootargs. Times are in counter() ticks (on x86_64 at its nominal 1 GHz TSC rate).
 *
 *   hog=MS      spins for MS ms and never waits: the vCPU it shares its pCPU with runs only
 *               when keel switches to it.
 *   wake=N      two vCPUs. From delay=D ms after its start, vCPU 1 (another pCPU) sends N IPIs
 *               to vCPU 0, one per period_us=P (default 2000) after the previous one was taken:
 *               it writes counter() to memory and sends the IPI (it pauses in WFI/HLT on a
 *               timer, which leaves the host's cores to the other two). vCPU 0 (sharing the hog's pCPU)
 *               waits in WFI/HLT with interrupts masked and, in the handler, records counter()
 *               minus that time: how long the wake-up took, the IPI plus keel switching to it.
 *               Checks all N were taken, avg <= avg_us=N, max <= max_us=N and >= fast_pct=N % of
 *               them within 1 ms. Waiting for the time-slice tick instead would take half a
 *               slice on average.
 */
#include "guest.h"

#define WAKE_MAX 1000

static uint64_t f, ms_ticks;

static uint64_t to_us(uint64_t t)
{
	return t * 1000000 / f;
}

/* ---- waker: shared by its two vCPUs */

static unsigned want;
static uint64_t period;
static volatile uint64_t send_at; /* published by sent_seq (no 64-bit atomics on 32-bit x86) */
static volatile unsigned sent_seq, taken_seq, sender_done, lost, timed_out;
static uint64_t lat[WAKE_MAX];

static void wake_irq(unsigned intid)
{
	uint64_t now = counter();
	unsigned seq = __atomic_load_n(&sent_seq, __ATOMIC_ACQUIRE);

	if (guest_ipi_ack(intid)) {
		if (seq != taken_seq && seq <= want) {
			lat[seq - 1] = now - send_at;
			__atomic_store_n(&taken_seq, seq, __ATOMIC_RELEASE);
		}
	} else if (guest_timer_ack(intid) && cpu_index() == 0 && taken_seq < want) {
		timed_out = 1; /* the backstop: an IPI was lost (vCPU 1's timer ends its pause) */
	}
}

/* vCPU 1: the sender, alone on its pCPU */
void guest_secondary(unsigned id)
{
	uint64_t next = counter();

	(void)id;
	irq_disable();
	guest_timer_enable();
	for (unsigned i = 1; i <= want; i++) {
		uint64_t give_up;

		/* the pause in WFI/HLT: QEMU's thread for this pCPU sleeps, the host has a core more */
		while (counter() < next) {
			guest_timer_at(next); /* again: a stale interrupt taken here disarmed it */
			guest_wait_irq_masked();
		}
		send_at = counter();
		__atomic_store_n(&sent_seq, i, __ATOMIC_RELEASE);
		guest_ipi_send(0);
		give_up = counter() + f; /* 1 s */
		while (__atomic_load_n(&taken_seq, __ATOMIC_ACQUIRE) != i && counter() < give_up)
			;
		if (__atomic_load_n(&taken_seq, __ATOMIC_ACQUIRE) != i) {
			lost = i;
			break;
		}
		next = counter() + period;
	}
	__atomic_store_n(&sender_done, 1, __ATOMIC_SEQ_CST);
}

static void sort(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static void waker(uint64_t n, uint64_t delay)
{
	uint64_t avg_us = 2000, max_us = 1000000, fast_pct = 50, period_us = 2000;
	uint64_t sum = 0, max = 0, fast = 0, avg, med, wait;
	unsigned got;

	bootarg_u64("avg_us", &avg_us);
	bootarg_u64("max_us", &max_us);
	bootarg_u64("fast_pct", &fast_pct);
	bootarg_u64("period_us", &period_us);
	want = n > WAKE_MAX ? WAKE_MAX : (unsigned)n;
	period = period_us * ms_ticks / 1000;
	while (counter() < guest_start_counter + delay * ms_ticks)
		;
	irq_hook = wake_irq;
	irq_disable();
	guest_ipi_enable();
	guest_timer_enable();
	gprintf("wake: waker on: %u IPIs, one per %lu us after the previous was taken\n", want,
		(unsigned long)period_us);
	guest_start_vcpu(1);
	while (__atomic_load_n(&taken_seq, __ATOMIC_ACQUIRE) < want && !timed_out &&
	       !__atomic_load_n(&sender_done, __ATOMIC_ACQUIRE)) {
		/* backstop, 2 s from each wake-up (x86's APIC count has 32 bits): a lost IPI
		 * ends the test instead of leaving vCPU 0 waiting for good */
		guest_timer_at(counter() + 2 * f);
		guest_wait_irq_masked();
	}
	guest_timer_at(~0ULL);
	wait = counter() + 2 * f;
	while (!__atomic_load_n(&sender_done, __ATOMIC_ACQUIRE) && counter() < wait)
		;
	got = __atomic_load_n(&taken_seq, __ATOMIC_ACQUIRE);
	for (unsigned i = 0; i < got; i++) {
		sum += lat[i];
		if (lat[i] > max)
			max = lat[i];
		if (lat[i] <= ms_ticks)
			fast++;
	}
	sort(lat, got);
	avg = got ? to_us(sum / got) : 0;
	med = got ? to_us(lat[got / 2]) : 0;
	fast = got ? fast * 100 / got : 0;
	gprintf("wake: waker off: %u wake-ups, latency avg %lu us, median %lu us, max %lu us, %lu%% within 1 ms\n",
		got, (unsigned long)avg, (unsigned long)med, (unsigned long)to_us(max),
		(unsigned long)fast);
	check(got == want, "wake_count", "expected %u IPIs taken, saw %u%s%s", want, got,
	      lost ? " (one not taken within 1 s)" : "", timed_out ? " (timed out)" : "");
	check(got && avg <= avg_us, "wake_latency_avg",
	      "expected wake-up latency avg <= %lu us, saw %lu us (median %lu us)",
	      (unsigned long)avg_us, (unsigned long)avg, (unsigned long)med);
	check(got && to_us(max) <= max_us, "wake_latency_max",
	      "expected wake-up latency max <= %lu us, saw %lu us", (unsigned long)max_us,
	      (unsigned long)to_us(max));
	check(got && fast >= fast_pct, "wake_latency_fast",
	      "expected >= %lu%% of the wake-ups within 1 ms, saw %lu%%", (unsigned long)fast_pct,
	      (unsigned long)fast);
}

/* ---- hog: never waits */

static void hog(uint64_t ms)
{
	uint64_t end = counter() + ms * ms_ticks;

	gprintf("wake: hog on for %lu ms\n", (unsigned long)ms);
	while (counter() < end)
		;
	gprintf("wake: hog off\n");
}

void guest_main(void)
{
	uint64_t n, delay = 300;

	f = counter_freq();
	ms_ticks = f / 1000;
	bootarg_u64("delay", &delay);
	if (bootarg_u64("hog", &n))
		hog(n);
	else if (bootarg_u64("wake", &n))
		waker(n, delay);
	else
		FAIL("wake", "expected hog= or wake= in the bootargs");
}
