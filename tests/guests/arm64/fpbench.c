// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vCPU switch cost with FP/SVE/SME state, under -icount shift=0,sleep=off
 * (counter ticks * 1e9 / CNTFRQ = instructions). Two vCPUs share one pCPU;
 * vCPU 1 only yields (WFI), vCPU 0 uses one register class, yields, uses it
 * again. A round trip is two vCPU switches. tests/bench/run.sh boots this
 * once with keel/fp-switch = "lazy" and once with "eager" and prints both.
 * Prints "BENCH fp_switch_<class> <instructions per switch>".
 */
#include "guest.h"

#define N 4000UL

void vec_touch_fp(void);
void vec_touch_sve(void);
void vec_sm_za(int on);
extern char _secondary[];

static void (*volatile touch)(void);
static void touch_none(void)
{
}

static uint64_t per_switch(void)
{
	uint64_t t0;

	for (unsigned i = 0; i < 16; i++) /* settle: state owned, caches warm */
		asm volatile("wfi");
	t0 = counter();
	for (uint64_t i = 0; i < N; i++) {
		touch();
		asm volatile("wfi"); /* to vCPU 1 and back: two switches */
	}
	return ((counter() - t0) * (1000000000UL / counter_freq()) + N) / (2 * N);
}

void guest_secondary(unsigned id)
{
	(void)id;
	for (;;)
		asm volatile("wfi");
}

void guest_main(void)
{
	SYSREG_WRITE(cpacr_el1, SYSREG_READ(cpacr_el1) | (3UL << 16) | (3UL << 24));
	asm volatile("isb");
	hvc(0xc4000003, 1, (uint64_t)_secondary, 1);
	touch = touch_none;
	gprintf("BENCH fp_switch_none %lu\n", (unsigned long)per_switch());
	touch = vec_touch_fp;
	gprintf("BENCH fp_switch_fp %lu\n", (unsigned long)per_switch());
	/* the first SVE access (ZCR_EL1) widens vCPU 0's state to Z/P/FFR */
	asm volatile("msr S3_0_C1_C2_0, %0" ::"r"(15UL)); /* ZCR_EL1: 2048 bits */
	touch = vec_touch_sve;
	gprintf("BENCH fp_switch_sve %lu\n", (unsigned long)per_switch());
	asm volatile("msr S3_0_C1_C2_6, %0" ::"r"(15UL | (1UL << 31))); /* SMCR_EL1, FA64 */
	vec_sm_za(1);
	gprintf("BENCH fp_switch_sme %lu\n", (unsigned long)per_switch());
	vec_sm_za(0);
	system_off();
}
