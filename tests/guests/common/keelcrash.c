// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Asks the test-only keel build (make KEEL_TEST_HOOKS=1) to break itself with hypercall 0x7f:
 * bootargs "how=1" overruns a stack buffer in keel (its stack canary must catch it), "how=2"
 * recurses until keel's stack overflows (the guard page below it must catch it), "how=3" writes
 * to keel's own text (W^X: its read-only mapping must catch it), "how=4" (x86_64) recurses on
 * the stack keel's #PF handler runs on until it overflows (its guard page must catch it). Each
 * way keel must panic with a message that names the cause; a normal keel answers NOT_SUPPORTED.
 */
#include "guest.h"
#include <keel/hypercall.h>

void guest_main(void)
{
	uint64_t how = 1;
	struct keel_ret r;

	bootarg_u64("how", &how);
	gprintf("keelcrash: asking keel to crash, way %lu\n", (unsigned long)how);
	r = keel_call(0x7f, how);
	FAIL("keelcrash", "keel survived (status %ld)", r.status);
}
