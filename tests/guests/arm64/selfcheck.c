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

static void check_devices(void)
{
	uint64_t base = 0, size = 0;
	const char *sp = dt_string("/chosen", "stdout-path");
	int node = fdt_node_offset_by_compatible(guest_dtb, -1, "arm,gic-v3"), len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(guest_dtb, node, "reg", &len) : NULL;
	uint64_t want_vcpus = 1;
	int cpus = 0, n;

	check(sp && !strcmp(sp, "/pl011@9000000"), "dt_stdout", "stdout-path %s", sp ? sp : "none");
	check(dt_reg("/pl011@9000000", &base, &size) && base == 0x09000000, "dt_uart",
	      "pl011 reg 0x%lx", (unsigned long)base);
	check(mmio_read32(base + 0xfe0) == 0x11 && mmio_read32(base + 0xff0) == 0x0d &&
		      mmio_read32(base + 0xffc) == 0xb1,
	      "uart_ids", "PL011 PeriphID0 0x%lx CellID0 0x%lx",
	      (unsigned long)mmio_read32(base + 0xfe0), (unsigned long)mmio_read32(base + 0xff0));
	check(reg && len >= 32, "dt_gic", "no arm,gic-v3 node with distributor and redistributors");
	if (reg) {
		uint64_t gicd = ((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1]);
		uint64_t gicr = ((uint64_t)fdt32_to_cpu(reg[4]) << 32) | fdt32_to_cpu(reg[5]);

		check(mmio_read32(gicd + 0xffe8) == 0x30, "gicd_pidr2", "GICD_PIDR2 0x%lx",
		      (unsigned long)mmio_read32(gicd + 0xffe8));
		check((mmio_read32(gicr + 0x8) & (1u << 4)) != 0 || want_vcpus > 1, "gicr_typer",
		      "GICR_TYPER 0x%lx", (unsigned long)mmio_read32(gicr + 0x8));
	}
	bootarg_u64("vcpus", &want_vcpus);
	n = fdt_path_offset(guest_dtb, "/cpus");
	for (int c = fdt_first_subnode(guest_dtb, n); c >= 0; c = fdt_next_subnode(guest_dtb, c)) {
		const char *em = fdt_getprop(guest_dtb, c, "enable-method", NULL);

		if (em && !strcmp(em, "psci"))
			cpus++;
	}
	check((uint64_t)cpus == want_vcpus, "dt_cpus", "%d psci cpu nodes, partition said %lu",
	      cpus, (unsigned long)want_vcpus);
	sp = dt_string("/psci", "method");
	check(sp && !strcmp(sp, "hvc"), "dt_psci", "psci method %s", sp ? sp : "none");
	check(fdt_node_offset_by_compatible(guest_dtb, -1, "arm,armv8-timer") >= 0, "dt_timer",
	      "no arm,armv8-timer node");
}

/* VM_INFO: the VM itself (state, vCPUs, memory), others only for a manager. */
static void check_vm_info(void)
{
	uint64_t size = 0, vcpus = 1;
	struct hvc_ret r = hvc(KEEL_HC_ARM64_BASE + KEEL_HC_VM_INFO, KEEL_VM_SELF, 0, 0);

	bootarg_u64("size", &size);
	bootarg_u64("vcpus", &vcpus);
	check(r.x0 == KEEL_OK && r.x1 == KEEL_VM_RUNNING && r.x2 == vcpus && r.x3 == size,
	      "vm_info_self", "status %ld state %lu vCPUs %lu memory 0x%lx", (long)r.x0,
	      (unsigned long)r.x1, (unsigned long)r.x2, (unsigned long)r.x3);
	r = hvc(KEEL_HC_ARM64_BASE + KEEL_HC_VM_INFO, 1000, 0, 0);
	check((int64_t)r.x0 == KEEL_EINVAL, "vm_info_unknown", "id 1000: %ld", (long)r.x0);
	r = hvc(KEEL_HC_ARM64_BASE + KEEL_HC_VM_INFO, 0, 0, 0);
	r.x0 = r.x0 == KEEL_OK ? (uint64_t)hvc(KEEL_HC_ARM64_BASE + KEEL_HC_VM_INFO, 1, 0, 0).x0 :
				 r.x0;
	check((int64_t)r.x0 == KEEL_EPERM, "vm_info_other", "another VM's info: %ld", (long)r.x0);
}

static void check_calls(void)
{
	struct hvc_ret r = hvc(KEEL_HC_ARM64_BASE + KEEL_HC_VERSION, 0, 0, 0);

	check(r.x0 == KEEL_OK && r.x1 == KEEL_ABI_VERSION, "keel_version", "x0 %ld x1 0x%lx",
	      (long)r.x0, (unsigned long)r.x1);
	r = hvc(KEEL_HC_ARM64_BASE + KEEL_HC_VM_CREATE, 0, 0, 0);
	check((int64_t)r.x0 == KEEL_EPERM, "keel_not_manager", "VM_CREATE from a plain VM: %ld",
	      (long)r.x0);
	check_vm_info();
	r = hvc(0x84000000, 0, 0, 0);
	check(r.x0 == 0x10001, "psci_version", "0x%lx", (unsigned long)r.x0);
	r = hvc(0x80000000, 0, 0, 0);
	check(r.x0 == 0x10001, "smccc_version", "0x%lx", (unsigned long)r.x0);
	r = hvc(0xc2001234, 0, 0, 0);
	check((int64_t)r.x0 == -1, "unknown_call", "unknown function returned %ld", (long)r.x0);
}

/* Features keel does not switch for guests are hidden (HCR_EL2.TID3). */
static void check_id_regs(void)
{
	uint64_t pfr0 = SYSREG_READ(id_aa64pfr0_el1), pfr1 = SYSREG_READ(id_aa64pfr1_el1);
	uint64_t dfr0 = SYSREG_READ(id_aa64dfr0_el1);

	check(((pfr0 >> 32) & 0xf) == 0, "id_no_sve", "ID_AA64PFR0_EL1 0x%lx shows SVE",
	      (unsigned long)pfr0);
	check(((pfr1 >> 24) & 0xf) == 0, "id_no_sme", "ID_AA64PFR1_EL1 0x%lx shows SME",
	      (unsigned long)pfr1);
	check(((dfr0 >> 8) & 0xf) == 0 && (dfr0 & 0xf) >= 6, "id_debug",
	      "ID_AA64DFR0_EL1 0x%lx: PMU shown or DebugVer lost", (unsigned long)dfr0);
	unsigned before = exc_seen.count;

	/* enable SVE at EL1 so that only keel's CPTR_EL2.TZ stands in the way */
	SYSREG_WRITE(cpacr_el1, SYSREG_READ(cpacr_el1) | (3UL << 16));
	asm volatile("isb");
	expect_abort = true;
	asm volatile(".inst 0x04bf5020" ::: "x0", "memory"); /* rdvl x0, #1 (SVE) */
	expect_abort = false;
	check(exc_seen.count == before + 1 && (exc_seen.esr >> 26) == 0, "sve_undef",
	      "SVE instruction: %u exceptions, ESR 0x%lx", exc_seen.count - before,
	      (unsigned long)exc_seen.esr);
	/* the same for SME with CPACR_EL1.SMEN on */
	before = exc_seen.count;
	SYSREG_WRITE(cpacr_el1, SYSREG_READ(cpacr_el1) | (3UL << 24));
	asm volatile("isb");
	expect_abort = true;
	asm volatile(".inst 0xd503477f" ::: "memory"); /* smstart */
	expect_abort = false;
	check(exc_seen.count == before + 1 && (exc_seen.esr >> 26) == 0, "sme_undef",
	      "SME instruction: %u exceptions, ESR 0x%lx", exc_seen.count - before,
	      (unsigned long)exc_seen.esr);
	check(((pfr0 >> 0) & 0xf) != 0, "id_el0_kept", "ID_AA64PFR0_EL1 0x%lx lost EL0",
	      (unsigned long)pfr0);
}

void guest_main(void)
{
	check_id_regs();
	dt_check_memory();
	check_devices();
	check_calls();
}
