// SPDX-License-Identifier: GPL-2.0-or-later
/* What a guest sees on riscv64: its devices, its DTB nodes, the partition limits they imply. */
#include <keel/arch.h>
#include <keel/guest_fdt.h>
#include <keel/printf.h>
#include <keel/vm.h>
#include <asm/riscv.h>
#include <asm/vplic.h>
#include <libfdt.h>
#include <platform.h>

void ns16550_register(struct vm *vm, uint64_t base, unsigned irq);

#define UART_BASE 0x10000000UL
#define UART_SIZE 0x1000UL
#define UART_IRQ 10
#define PHANDLE_PLIC 0x100
#define PHANDLE_INTC(n) (1 + (n))

static const struct mem_region dev_ranges[] = {
	{ VPLIC_BASE, VPLIC_SIZE },
	{ UART_BASE, UART_SIZE },
};
static const char *const dev_names[] = { "plic", "ns16550" };

void arch_part_limits(struct part_limits *lim, unsigned nr_cpus)
{
	lim->nr_pcpus = nr_cpus;
	lim->max_vcpus = KEEL_MAX_VCPUS;
	lim->ipa_limit = 1UL << 41; /* Sv39x4 */
	lim->nr_dev = ARRAY_SIZE(dev_ranges);
	lim->dev = dev_ranges;
	lim->dev_names = dev_names;
}

void arch_vm_devices(struct vm *vm)
{
	vplic_register(vm);
	if (vm->cfg->console != CONSOLE_NONE)
		ns16550_register(vm, UART_BASE, UART_IRQ);
}

const char *arch_guest_stdout_path(struct vm *vm)
{
	(void)vm;
	return "/uart@10000000";
}

static int cpus_node(void *fdt, struct vm *vm)
{
	char name[16];

	FDT_TRY(fdt_begin_node(fdt, "cpus"));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", 0));
	FDT_TRY(fdt_property_u32(fdt, "timebase-frequency", PLAT_TIMEBASE_HZ));
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		ksnprintf(name, sizeof(name), "cpu@%u", i);
		FDT_TRY(fdt_begin_node(fdt, name));
		FDT_TRY(fdt_property_string(fdt, "device_type", "cpu"));
		FDT_TRY(fdt_property_string(fdt, "compatible", "riscv"));
		FDT_TRY(fdt_property_u32(fdt, "reg", i));
		FDT_TRY(fdt_property_string(fdt, "status", "okay"));
		FDT_TRY(fdt_property_string(fdt, "riscv,isa",
					    have_sstc ? "rv64imafdc_zicsr_zifencei_sstc" :
							"rv64imafdc_zicsr_zifencei"));
		FDT_TRY(fdt_property_string(fdt, "mmu-type", "riscv,sv39"));
		FDT_TRY(fdt_begin_node(fdt, "interrupt-controller"));
		FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
		FDT_TRY(fdt_property(fdt, "interrupt-controller", "", 0));
		FDT_TRY(fdt_property_string(fdt, "compatible", "riscv,cpu-intc"));
		FDT_TRY(fdt_property_u32(fdt, "phandle", PHANDLE_INTC(i)));
		FDT_TRY(fdt_end_node(fdt));
		FDT_TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int plic_node(void *fdt, struct vm *vm)
{
	static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	uint64_t reg[2] = { VPLIC_BASE, VPLIC_SIZE };
	uint64_t ext[2 * KEEL_MAX_VCPUS];

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		ext[2 * i] = PHANDLE_INTC(i);
		ext[2 * i + 1] = 9; /* supervisor external interrupt: context i */
	}
	FDT_TRY(fdt_begin_node(fdt, "plic@c000000"));
	FDT_TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 0));
	FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	FDT_TRY(fdt_property(fdt, "interrupt-controller", "", 0));
	FDT_TRY(fdt_prop_cells(fdt, "reg", reg, 2, 2));
	FDT_TRY(fdt_property_u32(fdt, "riscv,ndev", VPLIC_NR_SOURCES - 1));
	FDT_TRY(fdt_prop_cells(fdt, "interrupts-extended", ext, 2 * (int)vm->nr_vcpus, 1));
	FDT_TRY(fdt_property_u32(fdt, "phandle", PHANDLE_PLIC));
	return fdt_end_node(fdt);
}

static int uart_node(void *fdt)
{
	uint64_t reg[2] = { UART_BASE, 0x100 };

	FDT_TRY(fdt_begin_node(fdt, "uart@10000000"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "ns16550a"));
	FDT_TRY(fdt_prop_cells(fdt, "reg", reg, 2, 2));
	FDT_TRY(fdt_property_u32(fdt, "clock-frequency", 3686400));
	FDT_TRY(fdt_property_u32(fdt, "interrupt-parent", PHANDLE_PLIC));
	FDT_TRY(fdt_property_u32(fdt, "interrupts", UART_IRQ));
	return fdt_end_node(fdt);
}

int arch_guest_fdt_nodes(void *fdt, struct vm *vm)
{
	FDT_TRY(cpus_node(fdt, vm));
	FDT_TRY(plic_node(fdt, vm));
	if (vm->cfg->console != CONSOLE_NONE)
		FDT_TRY(uart_node(fdt));
	return 0;
}
