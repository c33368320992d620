// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * make bench, guest-create figures (tests/bench/<arch>/create.dts). As a
 * keel,manager VM it creates and starts a VM on its own pCPU, then waits for
 * an interrupt so the new VM runs at once and prints the counter at its first
 * instruction (entry.c). Then it terminates and destroys VMs of 64 MiB,
 * 256 MiB and 1 GiB. Prints "BENCH <name> <value>" lines; under -icount
 * shift=0 a counter nanosecond is one instruction.
 */
#include "guest.h"
#include <keel/hypercall.h>

GUEST_EMBED_DTB(entry);

static char dtb[128 * 1024] __attribute__((aligned(8)));

static uint32_t be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

/*
 * Copy entry.dtb with its VM's memory size set to size: the memory property
 * (entry.dts lists it first) is the first <0 base 0 0x200000> in the
 * structure block. Returns the DTB size, 0 when it does not fit or match.
 */
static unsigned long resized(uint64_t size)
{
	unsigned long n = DTB_SIZE(entry), off;

	if (n > sizeof(dtb))
		return 0;
	for (unsigned long i = 0; i < n; i++)
		dtb[i] = entry_dtb[i];
	for (off = be32(dtb + 8); off + 16 <= n && off < be32(dtb + 8) + 1024; off += 4)
		if (be32(dtb + off) == 0 && be32(dtb + off + 8) == 0 &&
		    be32(dtb + off + 12) == 0x200000)
			break;
	if (off + 16 > n || off >= be32(dtb + 8) + 1024)
		return 0;
	for (int i = 0; i < 4; i++) {
		dtb[off + 8 + i] = (char)(size >> (56 - 8 * i));
		dtb[off + 12 + i] = (char)(size >> (24 - 8 * i));
	}
	return n;
}

static uint64_t ns(uint64_t ticks)
{
	return ticks * (1000000000ULL / counter_freq());
}

static void teardown(const char *name, uint64_t size)
{
	unsigned long n = resized(size);
	struct keel_ret r = keel_call2(KEEL_HC_VM_CREATE, (unsigned long)(uintptr_t)dtb, n);
	unsigned long id;
	uint64_t t0, t1;
	char b[21];

	if (!n || r.status != KEEL_OK) {
		gprintf("bench: %s VM not created (status %ld)\n", name, r.status);
		return;
	}
	id = r.v[0];
	t0 = counter();
	keel_call(KEEL_HC_VM_TERMINATE, id);
	keel_wait_state(id, KEEL_VM_TERMINATED, 100);
	r = keel_call(KEEL_HC_VM_DESTROY, id);
	t1 = counter();
	if (r.status != KEEL_OK)
		gprintf("bench: %s VM not destroyed (status %ld)\n", name, r.status);
	else
		gprintf("BENCH teardown_%s %s\n", name, u64_str(ns(t1 - t0), b));
}

static volatile unsigned woken;

static void on_irq(unsigned intid)
{
	if (guest_timer_ack(intid))
		woken++;
}

void guest_main(void)
{
	unsigned long id;
	char b[21];
	uint64_t t0 = counter();
	struct keel_ret r =
		keel_call2(KEEL_HC_VM_CREATE, (unsigned long)(uintptr_t)entry_dtb, DTB_SIZE(entry));

	if (r.status != KEEL_OK || keel_call(KEEL_HC_VM_START, r.v[0]).status != KEEL_OK) {
		gprintf("bench: VM_CREATE/START failed (status %ld)\n", r.status);
		return;
	}
	/* give pCPU 0 to the new VM at once: wait for an interrupt 100 ms away */
	irq_hook = on_irq;
	guest_timer_oneshot(counter_freq() / 10);
	irq_enable();
	while (!woken)
		guest_wait_irq();
	irq_disable();
	gprintf("BENCH create_start_counter %s\n", u64_str(t0, b));
	id = r.v[0];
	keel_wait_state(id, KEEL_VM_STOPPED, 100);
	keel_call(KEEL_HC_VM_TERMINATE, id);
	keel_wait_state(id, KEEL_VM_TERMINATED, 100);
	keel_call(KEEL_HC_VM_DESTROY, id);
	teardown("64m", 64ULL << 20);
	teardown("256m", 256ULL << 20);
	teardown("1g", 1ULL << 30);
}
