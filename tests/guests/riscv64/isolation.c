// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Probes guest-physical addresses outside its memory and the emulated
 * devices: every load, store and instruction fetch must come back as an
 * access fault (scause 5, 7, 1), and the guest must keep running.
 */
#include "guest.h"

static const uint64_t probes[] = {
	0x0, /* debug ROM / boot ROM on the real board */
	0x1000, /* QEMU's reset vector ROM */
	0x02000000, /* CLINT: not given to guests */
	0x0bfff000, /* just below the PLIC */
	0x10001000, /* virtio-mmio, just above the UART */
	0x20000000, /* flash */
	0x7ffff000, /* just below guest memory */
	0x81000000, /* just above guest memory (16 MiB VM) */
	0x100000000UL, /* where host RAM of other VMs could be */
	0x1fffffff000UL, /* last page of the 41-bit (Sv39x4) guest-physical space */
	0x3fffffff000UL, /* beyond it */
};

void guest_main(void)
{
	static const char *const what[] = { "read", "write", "fetch" };
	unsigned bad = 0;

	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		for (int k = 0; k < 3; k++)
			if (!probe_faults(probes[i], k)) {
				bad++;
				FAIL("isolation",
				     "%s at 0x%lx: scause %lu stval 0x%lx, %u exceptions", what[k],
				     (unsigned long)probes[i], (unsigned long)exc_seen.scause,
				     (unsigned long)exc_seen.stval, exc_seen.count);
			}
	if (!bad)
		PASS("isolation");
	gprintf("isolation: probes done\n");
}
