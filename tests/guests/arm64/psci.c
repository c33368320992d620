// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PSCI from a two-vCPU VM: versions and features, CPU_ON/CPU_OFF of vCPU 1,
 * AFFINITY_INFO, the error codes, then SYSTEM_RESET on the first boot and
 * SYSTEM_OFF on the second (keel,boot-count in /chosen tells which).
 */
#include "guest.h"
#include <libfdt.h>

#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL
extern char _secondary[];

static volatile unsigned secondary_runs;

void guest_secondary(unsigned id)
{
	gprintf("psci: vCPU %u up (MPIDR 0x%lx)\n", id, (unsigned long)SYSREG_READ(mpidr_el1));
	__atomic_add_fetch(&secondary_runs, 1, __ATOMIC_SEQ_CST);
}

static int64_t call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return (int64_t)hvc(fn, a1, a2, a3).x0;
}

static bool wait_off(uint64_t target)
{
	uint64_t end = counter() + counter_freq() * 5;

	while (counter() < end)
		if (call(PSCI_AFFINITY_INFO, target, 0, 0) == 1)
			return true;
	return false;
}

static void bring_up_and_down(const char *name, unsigned expect_runs)
{
	int64_t r = call(PSCI_CPU_ON, 1, (uint64_t)_secondary, 1);
	uint64_t end = counter() + counter_freq() * 5;

	while (secondary_runs < expect_runs && counter() < end)
		;
	check(r == 0 && secondary_runs == expect_runs, name,
	      "CPU_ON returned %ld, vCPU 1 ran %u times", (long)r, secondary_runs);
}

void guest_main(void)
{
	int node = fdt_path_offset(guest_dtb, "/chosen");
	const fdt32_t *bc = fdt_getprop(guest_dtb, node, "keel,boot-count", NULL);
	unsigned boot = bc ? fdt32_to_cpu(*bc) : 0;

	gprintf("psci: boot %u\n", boot);
	if (boot == 2) {
		check(secondary_runs == 0, "reset_clean", "memory kept state across reset");
		PASS("reset");
		system_off();
	}
	check(call(0x84000000, 0, 0, 0) == 0x10001, "psci_1_1", "PSCI_VERSION");
	check(call(0x8400000a, PSCI_CPU_ON, 0, 0) == 0, "features_cpu_on", "PSCI_FEATURES(CPU_ON)");
	check(call(0x8400000a, 0x8400abcd, 0, 0) == -1, "features_unknown",
	      "PSCI_FEATURES(unknown) != NOT_SUPPORTED");
	check(call(0x80000001, 0x80008000, 0, 0) == -1, "arch_features",
	      "SMCCC_ARCH_FEATURES(WORKAROUND_1) should be NOT_SUPPORTED");
	check(call(PSCI_AFFINITY_INFO, 1, 0, 0) == 1, "affinity_off", "vCPU 1 not OFF at boot");
	check(call(PSCI_AFFINITY_INFO, 0, 0, 0) == 0, "affinity_on", "vCPU 0 not ON");
	check(call(PSCI_AFFINITY_INFO, 5, 0, 0) == -2, "affinity_invalid", "target 5 accepted");
	bring_up_and_down("cpu_on", 1);
	check(wait_off(1), "cpu_off", "vCPU 1 still ON after CPU_OFF");
	bring_up_and_down("cpu_on_again", 2);
	check(wait_off(1), "cpu_off_again", "vCPU 1 still ON after second CPU_OFF");
	check(call(PSCI_CPU_ON, 0, (uint64_t)_secondary, 0) == -4, "already_on",
	      "CPU_ON(self) != ALREADY_ON");
	check(call(PSCI_CPU_ON, 7, (uint64_t)_secondary, 0) == -2, "on_invalid",
	      "CPU_ON(7) != INVALID_PARAMETERS");
	check(call(PSCI_CPU_ON, 1, 0x1000, 0) == -9, "on_bad_address",
	      "CPU_ON(entry outside memory) != INVALID_ADDRESS");
	check(call(0xc4000001, 0, 0, 0) == 0, "cpu_suspend", "CPU_SUSPEND standby");
	gprintf("psci: resetting\n");
	hvc(0x84000009, 0, 0, 0);
	FAIL("reset", "SYSTEM_RESET returned");
}
