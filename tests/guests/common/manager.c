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
	check(STATUS(call(KEEL_HC_VM_CREATE, 0)) == KEEL_ENOTSUP, "create_not_yet",
	      "VM_CREATE: %ld", (long)STATUS(call(KEEL_HC_VM_CREATE, 0)));
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
}
