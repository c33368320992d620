// SPDX-License-Identifier: GPL-2.0-or-later
/* A VM that is not keel,manager: acting on another VM is refused. Then it powers itself off. */
#include "guest.h"
#include <keel/hypercall.h>
#include <libfdt.h>

void guest_main(void)
{
	int node = fdt_path_offset(guest_dtb, "/chosen");
	const fdt32_t *bc = fdt_getprop(guest_dtb, node, "keel,boot-count", NULL);
	struct sbiret r = sbi_call(KEEL_HC_RISCV_EXT, KEEL_HC_VM_TERMINATE, 0, 0, 0);

	gprintf("plain: boot %u\n", bc ? fdt32_to_cpu(*bc) : 0);
	check(r.error == -4, "not_manager", "TERMINATE of VM 0 from a plain VM: %ld", r.error);
}
