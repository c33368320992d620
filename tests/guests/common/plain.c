// SPDX-License-Identifier: GPL-2.0-or-later
/* A VM that is not keel,manager: acting on another VM is refused. Then it powers itself off. */
#include "guest.h"
#include <keel/hypercall.h>

void guest_main(void)
{
	struct keel_ret r = keel_call(KEEL_HC_VM_TERMINATE, 0);

	gprintf("plain: boot %u\n", guest_boot_count());
	check(r.status == KEEL_EPERM, "not_manager", "TERMINATE of VM 0 from a plain VM: %ld",
	      r.status);
	r = keel_call2(KEEL_HC_VM_CREATE, 0x1000, 0x1000);
	check(r.status == KEEL_EPERM, "create_not_manager", "VM_CREATE from a plain VM: %ld",
	      r.status);
}
