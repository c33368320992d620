// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SBI RFENCE from the boot hart (0 under keel) to the other running hart of
 * the same VM (hart index ^ 1), and the error code for harts that do not exist.
 */
#include "guest.h"

static volatile bool ready1, done;

void guest_secondary(unsigned id)
{
	uint64_t end = counter() + counter_freq() * 5;

	(void)id;
	ready1 = true;
	while (!done && counter() < end)
		;
}

static long rfence(unsigned long fid, unsigned long mask, unsigned long base, unsigned long start,
		   unsigned long size, unsigned long asid)
{
	return sbi_call6(SBI_EXT_RFENCE, fid, mask, base, start, size, asid, 0).error;
}

void guest_main(void)
{
	unsigned long other = cpu_index() ^ 1, mask = 1UL << other;
	long r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, other, (uint64_t)_secondary, 0).error;
	uint64_t end = counter() + counter_freq() * 5;

	while (!ready1 && counter() < end)
		;
	check(r == 0 && ready1, "rfence_hart1_up", "hart_start returned %ld", r);
	r = rfence(SBI_RFENCE_FENCE_I, mask, 0, 0, 0, 0);
	check(r == 0, "rfence_fence_i", "remote fence.i to the other hart returned %ld", r);
	r = rfence(SBI_RFENCE_SFENCE_VMA, mask, 0, 0, -1UL, 0);
	check(r == 0, "rfence_sfence_vma", "remote sfence.vma (all) to the other hart returned %ld",
	      r);
	r = rfence(SBI_RFENCE_SFENCE_VMA, mask, 0, 0x80000000UL, 0x1000, 0);
	check(r == 0, "rfence_sfence_vma_range", "remote sfence.vma of one page returned %ld", r);
	r = rfence(SBI_RFENCE_SFENCE_VMA_ASID, mask, 0, 0, -1UL, 0);
	check(r == 0, "rfence_sfence_vma_asid", "remote sfence.vma ASID 0 returned %ld", r);
	r = rfence(SBI_RFENCE_FENCE_I, 0, -1UL, 0, 0, 0);
	check(r == 0, "rfence_all", "remote fence.i to every hart returned %ld", r);
	r = rfence(SBI_RFENCE_FENCE_I, 1UL << 5, 0, 0, 0, 0);
	check(r == SBI_ERR_INVALID_PARAM, "rfence_bad_mask",
	      "remote fence.i to hart 5 returned %ld", r);
	r = rfence(SBI_RFENCE_SFENCE_VMA, 1UL << 1, 6, 0, -1UL, 0);
	check(r == SBI_ERR_INVALID_PARAM, "rfence_bad_base",
	      "remote sfence.vma to hart 7 (mask 1, base 7) returned %ld", r);
	done = true;
	end = counter() + counter_freq() * 5;
	while (counter() < end) {
		struct sbiret s = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, other, 0, 0);

		if (s.error == 0 && s.value == SBI_HSM_STOPPED)
			break;
	}
}
