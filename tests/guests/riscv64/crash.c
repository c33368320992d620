// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A guest that destroys itself. bootargs "mode=1": stvec at an unmapped
 * address, then an illegal instruction (every trap faults again, through
 * keel). "mode=2": stvec on zeroed memory inside its own memory (an illegal
 * instruction), a loop that never leaves VS-mode.
 */
#include "guest.h"

void guest_main(void)
{
	uint64_t mode = 0;

	bootarg_u64("mode", &mode);
	gprintf("crash: mode %lu, going down\n", (unsigned long)mode);
	CSR_WRITE(stvec, mode == 1 ? 0x40000000UL : 0x80800000UL);
	asm volatile(".word 0"); /* an all-zero instruction is illegal */
	FAIL("crash", "survived its own crash");
}
