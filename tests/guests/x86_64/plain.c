// SPDX-License-Identifier: GPL-2.0-or-later
/* A VM that is not keel,manager: acting on another VM is refused. Then it powers itself off. */
#include "guest.h"
#include <keel/hypercall.h>

void guest_main(void)
{
	uint32_t a = KEEL_HC_VM_TERMINATE, b = 0;

	asm volatile("vmmcall" : "+a"(a), "+b"(b)::"ecx", "edx", "esi", "edi", "memory");
	gprintf("plain: boot\n");
	check((int32_t)a == KEEL_EPERM, "not_manager", "TERMINATE of VM 0 from a plain VM: %d",
	      (int)(int32_t)a);
}
