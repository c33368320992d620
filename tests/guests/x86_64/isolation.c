// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Probes guest-physical addresses outside its memory (16 MiB at 0): every load, store and
 * instruction fetch must come back as #GP with error code 0, and the guest must keep running.
 */
#include "guest.h"

static const uint32_t probes[] = {
	0x01000000, /* just above guest memory */
	0x40000000, /* where host RAM of other VMs could be */
	0xfee00000, /* the local APIC's page: not given to guests yet */
	0xfffff000, /* the last page below 4 GiB (the BIOS ROM on the real machine) */
};

static bool probe_fault(uint32_t a, int kind)
{
	bool faulted;

	expect_abort = true;
	if (kind == 0)
		faulted = probe_read(a);
	else if (kind == 1)
		faulted = probe_write(a, 0xdeadbeef);
	else
		faulted = probe_fetch(a);
	expect_abort = false;
	return faulted && exc_seen.vector == EXC_GP && exc_seen.error == 0 &&
	       (kind != 2 || exc_seen.eip == a);
}

void guest_main(void)
{
	static const char *const what[] = { "read", "write", "fetch" };
	unsigned bad = 0;

	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		for (int k = 0; k < 3; k++)
			if (!probe_fault(probes[i], k)) {
				bad++;
				FAIL("isolation",
				     "%s at 0x%lx: vector %u error 0x%x eip 0x%x, %u exceptions",
				     what[k], (unsigned long)probes[i], (unsigned)exc_seen.vector,
				     (unsigned)exc_seen.error, (unsigned)exc_seen.eip,
				     exc_seen.count);
			}
	if (!bad)
		PASS("isolation");
	gprintf("isolation: probes done\n");
}
