// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Probes guest-physical addresses outside its memory and the emulated
 * devices: every read, write and instruction fetch must come back as a
 * synchronous external abort, and the guest must keep running.
 */
#include "guest.h"

static const uint64_t probes[] = {
	0x0, /* flash on the real board */
	0x08010000, /* GICv2 CPU interface: not emulated */
	0x0a000000, /* virtio-mmio */
	0x10000000, /* PCIe MMIO */
	0x3ffff000, /* just below guest memory */
	0x41000000, /* just above guest memory (16 MiB VM) */
	0x80000000, /* where host RAM of other VMs could be */
	0xc0000000, 0xfffffff000UL /* last page of the 40-bit IPA space */
};

void guest_main(void)
{
	static const char *const what[] = { "read", "write", "fetch" };
	unsigned bad = 0;

	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		for (int k = 0; k < 3; k++)
			if (!probe_faults(probes[i], k)) {
				bad++;
				FAIL("isolation", "%s at 0x%lx: ESR 0x%lx, %u exceptions", what[k],
				     (unsigned long)probes[i], (unsigned long)exc_seen.esr,
				     exc_seen.count);
			}
	if (!bad)
		PASS("isolation");
	gprintf("isolation: probes done\n");
}
