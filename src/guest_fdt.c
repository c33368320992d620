// SPDX-License-Identifier: GPL-2.0-or-later
#include <keel/guest_fdt.h>
#include <keel/arch.h>
#include <keel/vm.h>
#include <keel/printf.h>
#include <libfdt.h>

/* Property of n values, each written as `cells` 32-bit cells (1 or 2). */
int fdt_prop_cells(void *fdt, const char *name, const uint64_t *vals, int n, int cells)
{
	fdt32_t buf[16];

	if (n * cells > (int)ARRAY_SIZE(buf))
		return -FDT_ERR_NOSPACE;
	for (int i = 0; i < n; i++) {
		if (cells == 2)
			buf[i * 2] = cpu_to_fdt32((uint32_t)(vals[i] >> 32));
		buf[i * cells + cells - 1] = cpu_to_fdt32((uint32_t)vals[i]);
	}
	return fdt_property(fdt, name, buf, n * cells * 4);
}

static int chosen_node(void *fdt, struct vm *vm, const struct guest_fdt_info *info)
{
	FDT_TRY(fdt_begin_node(fdt, "chosen"));
	const char *stdout_path = arch_guest_stdout_path(vm);

	if (vm->cfg->bootargs)
		FDT_TRY(fdt_property_string(fdt, "bootargs", vm->cfg->bootargs));
	/* 1 on the first boot, +1 after each PSCI/SBI system reset */
	FDT_TRY(fdt_property_u32(fdt, "keel,boot-count", vm->boot_count));
	if (stdout_path && vm->cfg->console != CONSOLE_NONE)
		FDT_TRY(fdt_property_string(fdt, "stdout-path", stdout_path));
	if (info->initrd_size) {
		uint64_t s = info->initrd_ipa, e = info->initrd_ipa + info->initrd_size;

		FDT_TRY(fdt_prop_cells(fdt, "linux,initrd-start", &s, 1, 2));
		FDT_TRY(fdt_prop_cells(fdt, "linux,initrd-end", &e, 1, 2));
	}
	return fdt_end_node(fdt);
}

static int memory_nodes(void *fdt, struct vm *vm)
{
	char name[32];

	for (unsigned i = 0; i < vm->nr_mem; i++) {
		uint64_t reg[2] = { vm->mem[i].ipa, vm->mem[i].size };

		ksnprintf(name, sizeof(name), "memory@%lx", (unsigned long)vm->mem[i].ipa);
		FDT_TRY(fdt_begin_node(fdt, name));
		FDT_TRY(fdt_property_string(fdt, "device_type", "memory"));
		FDT_TRY(fdt_prop_cells(fdt, "reg", reg, 2, 2));
		FDT_TRY(fdt_end_node(fdt));
	}
	return 0;
}

int guest_fdt_build(void *buf, size_t size, struct vm *vm, const struct guest_fdt_info *info)
{
	FDT_TRY(fdt_create(buf, (int)size));
	FDT_TRY(fdt_finish_reservemap(buf));
	FDT_TRY(fdt_begin_node(buf, ""));
	FDT_TRY(fdt_property_string(buf, "compatible", "keel,guest"));
	FDT_TRY(fdt_property_string(buf, "model", vm->name));
	FDT_TRY(fdt_property_u32(buf, "#address-cells", 2));
	FDT_TRY(fdt_property_u32(buf, "#size-cells", 2));
	FDT_TRY(chosen_node(buf, vm, info));
	FDT_TRY(memory_nodes(buf, vm));
	FDT_TRY(arch_guest_fdt_nodes(buf, vm));
	FDT_TRY(fdt_end_node(buf));
	return fdt_finish(buf);
}
