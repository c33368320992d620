// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SBI HSM from a two-hart VM: hart_start/hart_stop of hart 1, get_status,
 * the error codes, hart_suspend, then SRST cold reboot on the first boot and
 * SRST shutdown on the second (keel,boot-count in /chosen tells which).
 */
#include "guest.h"
#include <libfdt.h>

#define OPAQUE 0x6b65656cUL /* "keel" */

static volatile unsigned secondary_runs;
static volatile bool release;

static uint64_t deadline(unsigned seconds)
{
	return counter() + counter_freq() * seconds;
}

void guest_secondary(unsigned id)
{
	uint64_t end = deadline(5);

	gprintf("hsm: hart %u up (opaque 0x%lx)\n", id, (unsigned long)guest_hart_opaque[id]);
	__atomic_add_fetch(&secondary_runs, 1, __ATOMIC_SEQ_CST);
	while (!release && counter() < end)
		;
}

static struct sbiret hsm(unsigned long fid, unsigned long a0, unsigned long a1, unsigned long a2)
{
	return sbi_call(SBI_EXT_HSM, fid, a0, a1, a2);
}

static long hart_start(unsigned long hart, uint64_t addr)
{
	return hsm(SBI_HSM_HART_START, hart, addr, OPAQUE).error;
}

static bool wait_status(unsigned long hart, unsigned long state)
{
	uint64_t end = deadline(5);

	while (counter() < end) {
		struct sbiret r = hsm(SBI_HSM_HART_GET_STATUS, hart, 0, 0);

		if (r.error == 0 && r.value == state)
			return true;
	}
	return false;
}

/* Starts hart 1 and lets it stop; the first time, also checks it while it runs. */
static void bring_up(const char *name, unsigned expect_runs)
{
	long r;
	uint64_t end = deadline(5);

	release = false;
	r = hart_start(1, (uint64_t)_secondary);
	while (secondary_runs < expect_runs && counter() < end)
		;
	check(r == 0 && secondary_runs == expect_runs, name,
	      "hart_start returned %ld, hart 1 ran %u times", r, secondary_runs);
	if (expect_runs == 1) {
		struct sbiret s = hsm(SBI_HSM_HART_GET_STATUS, 1, 0, 0);

		check(s.error == 0 && s.value == SBI_HSM_STARTED, "status_running",
		      "get_status(1) of a running hart: error %ld state %lu", s.error, s.value);
		r = hart_start(1, (uint64_t)_secondary);
		check(r == SBI_ERR_ALREADY_AVAILABLE, "start_running",
		      "hart_start of a running hart returned %ld", r);
	}
	release = true;
}

/* Retentive suspend with a software interrupt already pending: returns at once. */
static void suspend(void)
{
	uint64_t me = cpu_index();
	long ipi;
	struct sbiret r;

	CSR_SET(sie, SIE_SSIE); /* wakes the hart; sstatus.SIE stays clear: no trap */
	ipi = sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL << me, 0, 0).error;
	r = hsm(SBI_HSM_HART_SUSPEND, SBI_HSM_SUSPEND_RET_DEFAULT, 0, 0);
	CSR_CLEAR(sip, SIE_SSIE);
	CSR_CLEAR(sie, SIE_SSIE);
	check(ipi == 0 && r.error == 0, "hart_suspend",
	      "self IPI returned %ld, retentive suspend returned %ld", ipi, r.error);
}

void guest_main(void)
{
	int node = fdt_path_offset(guest_dtb, "/chosen");
	const fdt32_t *bc = fdt_getprop(guest_dtb, node, "keel,boot-count", NULL);
	unsigned boot = bc ? fdt32_to_cpu(*bc) : 0;
	struct sbiret r;

	gprintf("hsm: boot %u\n", boot);
	if (boot == 2) {
		check(secondary_runs == 0, "reset_clean", "memory kept state across reset");
		PASS("reset");
		system_off();
	}
	r = hsm(SBI_HSM_HART_GET_STATUS, 1, 0, 0);
	check(r.error == 0 && r.value == SBI_HSM_STOPPED, "status_stopped",
	      "hart 1 at boot: error %ld state %lu", r.error, r.value);
	r = hsm(SBI_HSM_HART_GET_STATUS, 0, 0, 0);
	check(r.error == 0 && r.value == SBI_HSM_STARTED, "status_started",
	      "hart 0: error %ld state %lu", r.error, r.value);
	r = hsm(SBI_HSM_HART_GET_STATUS, 5, 0, 0);
	check(r.error == SBI_ERR_INVALID_PARAM, "status_invalid", "get_status(5) returned %ld",
	      r.error);
	bring_up("hart_start", 1);
	check(wait_status(1, SBI_HSM_STOPPED), "hart_stop", "hart 1 not STOPPED after hart_stop");
	bring_up("hart_start_again", 2);
	check(wait_status(1, SBI_HSM_STOPPED), "hart_stop_again",
	      "hart 1 not STOPPED after the second hart_stop");
	check(hart_start(0, (uint64_t)_secondary) == SBI_ERR_ALREADY_AVAILABLE, "already_available",
	      "hart_start(self) != ALREADY_AVAILABLE");
	check(hart_start(7, (uint64_t)_secondary) == SBI_ERR_INVALID_PARAM, "start_invalid",
	      "hart_start(7) != INVALID_PARAM");
	check(hart_start(1, 0x1000) == SBI_ERR_INVALID_ADDRESS, "start_bad_address",
	      "hart_start(start address outside memory) != INVALID_ADDRESS");
	suspend();
	gprintf("hsm: resetting\n");
	r = sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_COLD_REBOOT, 0, 0);
	FAIL("reset", "SRST cold reboot returned %ld", r.error);
}
