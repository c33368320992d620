// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A guest that destroys itself. bootargs "mode=1": vectors at an unmapped
 * address, then an undefined instruction (every exception faults again,
 * through keel). "mode=2": vectors on zeroed memory (UDF), a loop that never
 * leaves EL1. "mode=3": a stack overflow: SP runs below the VM's memory, and so does every
 * exception entry after it. "mode=4": an abort storm, each one handled by the guest.
 */
#include "guest.h"

void guest_main(void)
{
	uint64_t mode = 0;

	bootarg_u64("mode", &mode);
	gprintf("crash: mode %lu, going down\n", (unsigned long)mode);
	if (mode == 3)
		asm volatile(
			"mov sp, %0\n1:\tstp xzr, xzr, [sp, #-16]!\n\tb 1b" ::"r"(0x40000000UL));
	if (mode == 4) {
		expect_abort = true;
		for (;;)
			(void)*(volatile uint64_t *)0x3ffff000UL;
	}
	SYSREG_WRITE(vbar_el1, mode == 1 ? 0x3f000000UL : 0x40800000UL);
	asm volatile("isb; udf #0");
	FAIL("crash", "survived its own crash");
}
