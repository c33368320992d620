// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checks from inside a VM that what keel built matches the partition file:
 * bootargs carry what the partition said ("mem=<base> size=<bytes> vcpus=<n>").
 */
#include "guest.h"
#include <libfdt.h>
#include <keel/hypercall.h>
#include <keel/printf.h>
#include <string.h>

static uint64_t reg_base(int node)
{
	int len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(guest_dtb, node, "reg", &len) : NULL;

	return reg && len >= 16 ? ((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1]) :
				  ~0UL;
}

static void check_devices(void)
{
	uint64_t base = 0, size = 0, plic;
	const char *sp = dt_string("/chosen", "stdout-path");
	int node;

	check(sp && !strcmp(sp, "/uart@10000000"), "dt_stdout", "stdout-path %s", sp ? sp : "none");
	check(dt_reg("/uart@10000000", &base, &size) && base == UART_BASE, "dt_uart",
	      "uart reg 0x%lx", (unsigned long)base);
	sp = dt_string("/uart@10000000", "compatible");
	check(sp && !strncmp(sp, "ns16550", 7), "uart_compatible", "compatible %s",
	      sp ? sp : "none");
	/* idle transmitter: THR empty; nothing typed: no data ready */
	check((mmio_read8(UART_BASE + UART_LSR) & (UART_LSR_THRE | UART_LSR_DR)) == UART_LSR_THRE,
	      "uart_lsr", "LSR 0x%x", mmio_read8(UART_BASE + UART_LSR));

	node = fdt_node_offset_by_compatible(guest_dtb, -1, "riscv,plic0");
	if (node < 0)
		node = fdt_node_offset_by_compatible(guest_dtb, -1, "sifive,plic-1.0.0");
	plic = reg_base(node);
	check(plic == PLIC_BASE, "dt_plic", "PLIC node %d at 0x%lx", node, (unsigned long)plic);
	if (plic == PLIC_BASE) {
		mmio_write32(PLIC_PRIORITY(PLIC_SRC_UART0), 3);
		check(mmio_read32(PLIC_PRIORITY(PLIC_SRC_UART0)) == 3, "plic_priority",
		      "priority of source %d reads 0x%lx", PLIC_SRC_UART0,
		      (unsigned long)mmio_read32(PLIC_PRIORITY(PLIC_SRC_UART0)));
		mmio_write32(PLIC_PRIORITY(PLIC_SRC_UART0), 0);
	}
}

static void check_cpus(void)
{
	uint64_t want_vcpus = 1;
	int cpus = 0, bad = 0, n, len;
	const fdt32_t *tb;

	bootarg_u64("vcpus", &want_vcpus);
	n = fdt_path_offset(guest_dtb, "/cpus");
	for (int c = fdt_first_subnode(guest_dtb, n); c >= 0; c = fdt_next_subnode(guest_dtb, c)) {
		const char *dev = fdt_getprop(guest_dtb, c, "device_type", NULL);
		const char *isa = fdt_getprop(guest_dtb, c, "riscv,isa", NULL);
		const char *mmu = fdt_getprop(guest_dtb, c, "mmu-type", NULL);

		if (!dev || strcmp(dev, "cpu"))
			continue;
		cpus++;
		if (!isa || strncmp(isa, "rv64i", 5) || !mmu || strncmp(mmu, "riscv,sv", 8)) {
			bad++;
			FAIL("dt_cpu_props", "%s: riscv,isa %s mmu-type %s",
			     fdt_get_name(guest_dtb, c, NULL), isa ? isa : "none",
			     mmu ? mmu : "none");
		}
	}
	check((uint64_t)cpus == want_vcpus, "dt_cpus", "%d cpu nodes, partition said %lu", cpus,
	      (unsigned long)want_vcpus);
	if (!bad)
		PASS("dt_cpu_props");
	tb = n >= 0 ? fdt_getprop(guest_dtb, n, "timebase-frequency", &len) : NULL;
	check(tb && len == 4 && fdt32_to_cpu(*tb) == counter_freq() && counter_freq() >= 1000000,
	      "dt_timebase", "/cpus/timebase-frequency %u", tb ? fdt32_to_cpu(*tb) : 0);
}

static void check_calls(void)
{
	static const struct {
		unsigned long eid;
		const char *name;
	} exts[] = {
		{ SBI_EXT_TIME, "TIME" }, { SBI_EXT_IPI, "IPI" },   { SBI_EXT_RFENCE, "RFENCE" },
		{ SBI_EXT_HSM, "HSM" },	  { SBI_EXT_SRST, "SRST" }, { SBI_EXT_DBCN, "DBCN" },
		{ SBI_EXT_FWFT, "FWFT" },
	};
	struct sbiret r = sbi_call(KEEL_HC_RISCV_EXT, KEEL_HC_VERSION, 0, 0, 0);
	unsigned missing = 0;

	check(r.error == KEEL_OK && r.value == KEEL_ABI_VERSION, "keel_version",
	      "error %ld value 0x%lx", r.error, r.value);
	r = sbi_call(KEEL_HC_RISCV_EXT, KEEL_HC_VM_INFO, KEEL_VM_SELF, 0, 0);
	check(r.error == 0 && r.value == KEEL_VM_RUNNING, "vm_info_self", "error %ld state %lu",
	      r.error, r.value);
	r = sbi_call(KEEL_HC_RISCV_EXT, KEEL_HC_VM_CREATE, 0, 0, 0);
	check(r.error == -4, "keel_not_manager", "VM_CREATE from a plain VM: error %ld", r.error);
	r = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);
	check(r.error == 0 && r.value == 0x03000000, "sbi_spec_version", "error %ld value 0x%lx",
	      r.error, r.value);
	for (unsigned i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, exts[i].eid, 0, 0);
		if (r.error || r.value != 1) {
			missing++;
			FAIL("sbi_probe_ext", "%s: error %ld value %lu", exts[i].name, r.error,
			     r.value);
		}
	}
	if (!missing)
		PASS("sbi_probe_ext");
	r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, 0x0a0b0c0d, 0, 0);
	check(r.error == 0 && r.value == 0, "sbi_probe_unknown", "error %ld value %lu", r.error,
	      r.value);
	missing = 0;
	for (unsigned long fid = SBI_BASE_GET_IMPL_ID; fid <= SBI_BASE_GET_MIMPID; fid++) {
		r = sbi_call(SBI_EXT_BASE, fid, 0, 0, 0);
		if (r.error) {
			missing++;
			FAIL("sbi_base_ids", "BASE FID %lu: error %ld", fid, r.error);
		}
	}
	if (!missing)
		PASS("sbi_base_ids");
	r = sbi_call(0x0a0b0c0d, 0, 0, 0, 0);
	check(r.error == SBI_ERR_NOT_SUPPORTED, "unknown_call", "unknown EID returned %ld",
	      r.error);
	r = sbi_call(SBI_EXT_BASE, 99, 0, 0, 0);
	check(r.error == SBI_ERR_NOT_SUPPORTED, "unknown_fid", "BASE FID 99 returned %ld", r.error);
}

void guest_main(void)
{
	dt_check_memory();
	check_devices();
	check_cpus();
	check_calls();
}
