// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A keel,manager VM drives the others (partition: boss = 0 this, worker = 1
 * running forever, plain = 2 that powers itself off): VM_INFO, the refused
 * transitions, TERMINATE (hardware ID released once stopped), DESTROY
 * (memory back), and START of a VM that powered itself off.
 */
#include "guest.h"
#include <keel/hypercall.h>

static struct keel_ret call(unsigned n, unsigned long id)
{
	return keel_call(n, id);
}

static bool wait_state(uint64_t id, uint64_t state)
{
	uint64_t end = counter() + counter_freq() * 10;

	while (counter() < end)
		if (call(KEEL_HC_VM_INFO, id).v[0] == state)
			return true;
	return false;
}

#define STATUS(r) ((r).status)

/* child.dtb: a partition with one small VM that prints a line and powers itself off */
asm(".section .rodata\n.balign 8\n.globl child_dtb\nchild_dtb:\n.incbin \"" CHILD_DTB
    "\"\n.globl child_dtb_end\nchild_dtb_end:\n.text\n");
extern const char child_dtb[], child_dtb_end[];
static char corrupt[4096] __attribute__((aligned(8)));

static struct keel_ret create(const void *dtb, unsigned long size)
{
	return keel_call2(KEEL_HC_VM_CREATE, (unsigned long)dtb, size);
}

/* VM_CREATE: errors, then create/start/terminate/destroy cycles that must not leak the pool. */
static void check_create(void)
{
	unsigned long size = (unsigned long)(uintptr_t)child_dtb_end - (uintptr_t)child_dtb;
	unsigned long ids[3];
	unsigned ok = 0;

	check(STATUS(create((void *)0x1000, size)) == KEEL_EINVAL, "create_outside",
	      "a DTB outside the manager's memory was accepted");
	check(STATUS(create(child_dtb, size / 2)) == KEEL_EINVAL, "create_truncated",
	      "a truncated DTB was accepted");
	for (unsigned long i = 0; i < size && i < sizeof(corrupt); i++)
		corrupt[i] = child_dtb[i];
	corrupt[0] ^= 0xff;
	check(STATUS(create(corrupt, size < sizeof(corrupt) ? size : sizeof(corrupt))) ==
		      KEEL_EINVAL,
	      "create_corrupt", "a DTB with a bad magic was accepted");
	/* the pool holds three children, not four */
	for (unsigned i = 0; i < 3; i++) {
		struct keel_ret r = create(child_dtb, size);

		ids[i] = r.v[0];
		ok += STATUS(r) == KEEL_OK;
		if (i == 0)
			check(STATUS(r) == KEEL_OK &&
				      keel_call(KEEL_HC_VM_INFO, ids[0]).v[0] == KEEL_VM_CREATED,
			      "create", "VM_CREATE %ld", (long)STATUS(r));
	}
	check(ok == 3 && STATUS(create(child_dtb, size)) == KEEL_EINVAL, "create_pool",
	      "%u of 3 created, or a 4th beyond the memory-pool accepted", ok);
	for (unsigned i = 0; i < 3; i++) {
		keel_call(KEEL_HC_VM_TERMINATE, ids[i]);
		keel_call(KEEL_HC_VM_DESTROY, ids[i]);
	}
	/* 100 full cycles: the pool and the VM slots come back every time */
	ok = 0;
	for (unsigned i = 0; i < 100; i++) {
		struct keel_ret r = create(child_dtb, size);
		unsigned long id = r.v[0];

		if (STATUS(r) != KEEL_OK || STATUS(keel_call(KEEL_HC_VM_START, id)) != KEEL_OK ||
		    !wait_state(id, KEEL_VM_STOPPED) ||
		    STATUS(keel_call(KEEL_HC_VM_TERMINATE, id)) != KEEL_OK ||
		    !wait_state(id, KEEL_VM_TERMINATED) ||
		    STATUS(keel_call(KEEL_HC_VM_DESTROY, id)) != KEEL_OK)
			break;
		ok++;
	}
	check(ok == 100, "create_cycles", "%u of 100 create/start/terminate/destroy cycles", ok);
}

void guest_main(void)
{
	struct keel_ret r = call(KEEL_HC_VM_INFO, 1);

	check(STATUS(r) == KEEL_OK && r.v[0] == KEEL_VM_RUNNING && r.v[1] == 1 &&
		      r.v[2] == 0x1000000,
	      "info_other", "status %ld state %lu vCPUs %lu memory 0x%lx", (long)STATUS(r),
	      (unsigned long)r.v[0], (unsigned long)r.v[1], (unsigned long)r.v[2]);
	check(STATUS(call(KEEL_HC_VM_START, 1)) == KEEL_EINVAL, "start_running", "START accepted");
	check(STATUS(call(KEEL_HC_VM_DESTROY, 1)) == KEEL_EINVAL, "destroy_before_terminate",
	      "DESTROY of a running VM accepted");
	check(STATUS(call(KEEL_HC_VM_TERMINATE, 0)) == KEEL_EINVAL, "terminate_self",
	      "the manager terminated itself");
	check(STATUS(call(KEEL_HC_VM_INFO, 99)) == KEEL_EINVAL, "info_unknown", "id 99 accepted");
	check(STATUS(call(KEEL_HC_VM_TERMINATE, 1)) == KEEL_OK && wait_state(1, KEEL_VM_TERMINATED),
	      "terminate", "worker not TERMINATED (state %lu)",
	      (unsigned long)call(KEEL_HC_VM_INFO, 1).v[0]);
	check(STATUS(call(KEEL_HC_VM_START, 1)) == KEEL_EINVAL, "start_terminated",
	      "a terminated VM started again");
	check(STATUS(call(KEEL_HC_VM_TERMINATE, 1)) == KEEL_EINVAL, "terminate_twice",
	      "second TERMINATE accepted");
	r = call(KEEL_HC_VM_DESTROY, 1);
	/* a destroyed VM's id is free again: VM_INFO no longer knows it */
	check(STATUS(r) == KEEL_OK && STATUS(call(KEEL_HC_VM_INFO, 1)) == KEEL_EINVAL, "destroy",
	      "DESTROY %ld, then VM_INFO %ld", (long)STATUS(r),
	      (long)STATUS(call(KEEL_HC_VM_INFO, 1)));
	check(STATUS(call(KEEL_HC_VM_DESTROY, 1)) == KEEL_EINVAL, "destroy_twice",
	      "second DESTROY accepted");
	/* plain powers itself off; START boots it again from its pristine image */
	check(wait_state(2, KEEL_VM_STOPPED) && STATUS(call(KEEL_HC_VM_START, 2)) == KEEL_OK,
	      "start_again", "plain not restarted (state %lu)",
	      (unsigned long)call(KEEL_HC_VM_INFO, 2).v[0]);
	check(wait_state(2, KEEL_VM_STOPPED), "restarted_ran",
	      "plain did not run to its end again");
	check_create();
}
