// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A guest that destroys itself. bootargs "mode=1": stvec at an unmapped
 * address, then an illegal instruction (every trap faults again, through
 * keel). "mode=2": stvec on zeroed memory inside its own memory (an illegal
 * instruction), a loop that never leaves VS-mode. "mode=3": a stack overflow: sp runs below the
 * VM's memory, and so does every trap entry after it. "mode=4": an access-fault storm, each one
 * handled by the guest.
 */
#include "guest.h"

void guest_main(void)
{
	uint64_t mode = 0;

	bootarg_u64("mode", &mode);
	gprintf("crash: mode %lu, going down\n", (unsigned long)mode);
	if (mode == 3)
		asm volatile("mv sp, %0\n1:\taddi sp, sp, -16\n\tsd zero, 0(sp)\n\tj 1b" ::"r"(
			0x80000000UL));
	if (mode == 4) {
		expect_abort = true;
		for (;;)
			(void)*(volatile uint64_t *)0x7ffff000UL;
	}
	CSR_WRITE(stvec, mode == 1 ? 0x40000000UL : 0x80800000UL);
	asm volatile(".word 0"); /* an all-zero instruction is illegal */
	FAIL("crash", "survived its own crash");
}
