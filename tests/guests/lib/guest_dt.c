// SPDX-License-Identifier: GPL-2.0-or-later
/* Guests that boot with a DTB (arm64, riscv64): guest_entry() and device tree queries. */
#include "guest.h"
#include <libfdt.h>

const void *guest_dtb;
uint64_t guest_dtb_addr;

bool dt_reg(const char *path, uint64_t *base, uint64_t *size)
{
	int node = fdt_path_offset(guest_dtb, path), len;
	const fdt32_t *reg;

	if (node < 0)
		return false;
	reg = fdt_getprop(guest_dtb, node, "reg", &len);
	if (!reg || len < 16)
		return false;
	*base = ((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1]);
	*size = ((uint64_t)fdt32_to_cpu(reg[2]) << 32) | fdt32_to_cpu(reg[3]);
	return true;
}

const char *dt_string(const char *path, const char *prop)
{
	int node = fdt_path_offset(guest_dtb, path);

	return node < 0 ? NULL : fdt_getprop(guest_dtb, node, prop, NULL);
}

const char *guest_bootargs(void)
{
	return dt_string("/chosen", "bootargs");
}

/* Called by start.S on the boot vCPU with the DTB address. */
void guest_entry(uint64_t dtb)
{
	guest_dtb_addr = dtb;
	guest_dtb = (const void *)dtb;
	if (fdt_check_header(guest_dtb)) {
		gprintf("FAIL boot: " GUEST_DTB_REG " = 0x%lx is not a DTB\n", (unsigned long)dtb);
		system_off();
	}
	arch_guest_init();
	guest_main();
	system_off();
}

unsigned guest_boot_count(void)
{
	int node = fdt_path_offset(guest_dtb, "/chosen");
	const fdt32_t *bc =
		node >= 0 ? fdt_getprop(guest_dtb, node, "keel,boot-count", NULL) : NULL;

	return bc ? fdt32_to_cpu(*bc) : 0;
}
