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

static bool probe_abort(uint64_t a, int kind)
{
	unsigned before = exc_seen.count;
	uint64_t ec;

	expect_abort = true;
	if (kind == 0)
		// cppcheck-suppress nullPointer ; probing address 0 is the point
		(void)*(volatile uint64_t *)a;
	else if (kind == 1)
		*(volatile uint64_t *)a = 0xdeadbeefdeadbeefUL;
	else
		((void (*)(void))a)();
	expect_abort = false;
	ec = exc_seen.esr >> 26;
	return exc_seen.count == before + 1 && (exc_seen.esr & 0x3f) == 0x10 &&
	       ec == (kind == 2 ? 0x21u : 0x25u);
}

void guest_main(void)
{
	static const char *const what[] = { "read", "write", "fetch" };
	unsigned bad = 0;

	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		for (int k = 0; k < 3; k++)
			if (!probe_abort(probes[i], k)) {
				bad++;
				FAIL("isolation", "%s at 0x%lx: ESR 0x%lx, %u exceptions", what[k],
				     (unsigned long)probes[i], (unsigned long)exc_seen.esr,
				     exc_seen.count);
			}
	if (!bad)
		PASS("isolation");
	gprintf("isolation: probes done\n");
}
