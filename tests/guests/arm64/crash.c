// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A guest that destroys itself. bootargs "mode=1": vectors at an unmapped
 * address, then an undefined instruction (every exception faults again,
 * through keel). "mode=2": vectors on zeroed memory (UDF), a loop that never
 * leaves EL1.
 */
#include "guest.h"

void guest_main(void)
{
	uint64_t mode = 0;

	bootarg_u64("mode", &mode);
	gprintf("crash: mode %lu, going down\n", (unsigned long)mode);
	SYSREG_WRITE(vbar_el1, mode == 1 ? 0x3f000000UL : 0x40800000UL);
	asm volatile("isb; udf #0");
	FAIL("crash", "survived its own crash");
}
