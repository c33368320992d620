// SPDX-License-Identifier: GPL-2.0-or-later
/* What a guest sees on arm64: its devices, its DTB nodes, the partition limits they imply. */
#include <keel/arch.h>
#include <keel/guest_fdt.h>
#include <keel/vm.h>
#include <asm/gic.h>
#include <asm/fpstate.h>
#include <asm/vgic.h>
#include <keel/printf.h>
#include <libfdt.h>

void pl011_register(struct vm *vm, uint64_t base, unsigned intid);

#define UART_BASE 0x09000000UL
#define UART_SIZE 0x1000UL
#define GUEST_UART_INTID 33

static const struct mem_region dev_ranges[] = {
	{ GICD_BASE, GICD_SIZE },
	{ GICR_BASE, GICR_STRIDE *KEEL_MAX_VCPUS },
	{ UART_BASE, UART_SIZE },
};
static const char *const dev_names[] = { "gicd", "gicr", "pl011" };

void arch_part_limits(struct part_limits *lim, unsigned nr_cpus)
{
	lim->nr_pcpus = nr_cpus;
	lim->max_vcpus = KEEL_MAX_VCPUS;
	lim->ipa_limit = 1UL << 40;
	lim->nr_dev = ARRAY_SIZE(dev_ranges);
	lim->dev = dev_ranges;
	lim->dev_names = dev_names;
	lim->sve_max_vl = fp_hw.sve_max; /* probed by the boot CPU's arch_cpu_init */
	lim->sme_max_vl = fp_hw.sme_max;
}

void arch_vm_devices(struct vm *vm)
{
	vgic_register_devices(vm);
	if (vm->cfg->console != CONSOLE_NONE)
		pl011_register(vm, UART_BASE, GUEST_UART_INTID);
}

const char *arch_guest_stdout_path(struct vm *vm)
{
	(void)vm;
	return "/pl011@9000000";
}

#define PHANDLE_GIC 1
#define PHANDLE_CLK 2

static int cpus_node(void *fdt, struct vm *vm)
{
	char name[16];

	FDT_TRY(fdt_begin_node(fdt, "cpus"));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		ksnprintf(name, sizeof(name), "cpu@%u", i);
		FDT_TRY(fdt_begin_node(fdt, name));
		FDT_TRY(fdt_property_string(fdt, "device_type", "cpu"));
		FDT_TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
		FDT_TRY(fdt_property_u32(fdt, "reg", i));
		FDT_TRY(fdt_property_string(fdt, "enable-method", "psci"));
		FDT_TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int psci_node(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	FDT_TRY(fdt_begin_node(fdt, "psci"));
	FDT_TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	FDT_TRY(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

static int gic_node(void *fdt, struct vm *vm)
{
	uint64_t reg[4] = { GICD_BASE, GICD_SIZE, GICR_BASE, GICR_STRIDE * vm->nr_vcpus };

	FDT_TRY(fdt_begin_node(fdt, "intc@8000000"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	FDT_TRY(fdt_property(fdt, "interrupt-controller", "", 0));
	FDT_TRY(fdt_prop_cells(fdt, "reg", reg, 4, 2));
	FDT_TRY(fdt_property_u32(fdt, "phandle", PHANDLE_GIC));
	return fdt_end_node(fdt);
}

static int timer_node(void *fdt)
{
	/* secure phys, non-secure phys, virtual, hyp: PPIs 13, 14, 11, 10, level-low */
	uint64_t irqs[12] = { 1, 13, 0x104, 1, 14, 0x104, 1, 11, 0x104, 1, 10, 0x104 };

	FDT_TRY(fdt_begin_node(fdt, "timer"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	FDT_TRY(fdt_property_u32(fdt, "interrupt-parent", PHANDLE_GIC));
	FDT_TRY(fdt_prop_cells(fdt, "interrupts", irqs, 12, 1));
	FDT_TRY(fdt_property(fdt, "always-on", "", 0));
	return fdt_end_node(fdt);
}

static int uart_nodes(void *fdt)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clocks_names[] = "uartclk\0apb_pclk";
	uint64_t reg[2] = { UART_BASE, UART_SIZE };
	uint64_t irq[3] = { 0, GUEST_UART_INTID - 32, 4 };
	uint64_t clocks[2] = { PHANDLE_CLK, PHANDLE_CLK };

	FDT_TRY(fdt_begin_node(fdt, "apb-pclk"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	FDT_TRY(fdt_property_u32(fdt, "#clock-cells", 0));
	FDT_TRY(fdt_property_u32(fdt, "clock-frequency", 24000000));
	FDT_TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	FDT_TRY(fdt_property_u32(fdt, "phandle", PHANDLE_CLK));
	FDT_TRY(fdt_end_node(fdt));
	FDT_TRY(fdt_begin_node(fdt, "pl011@9000000"));
	FDT_TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	FDT_TRY(fdt_prop_cells(fdt, "reg", reg, 2, 2));
	FDT_TRY(fdt_property_u32(fdt, "interrupt-parent", PHANDLE_GIC));
	FDT_TRY(fdt_prop_cells(fdt, "interrupts", irq, 3, 1));
	FDT_TRY(fdt_prop_cells(fdt, "clocks", clocks, 2, 1));
	FDT_TRY(fdt_property(fdt, "clock-names", clocks_names, sizeof(clocks_names)));
	return fdt_end_node(fdt);
}

int arch_guest_fdt_nodes(void *fdt, struct vm *vm)
{
	FDT_TRY(cpus_node(fdt, vm));
	FDT_TRY(psci_node(fdt));
	FDT_TRY(gic_node(fdt, vm));
	FDT_TRY(timer_node(fdt));
	if (vm->cfg->console != CONSOLE_NONE)
		FDT_TRY(uart_nodes(fdt));
	return 0;
}
