// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SBI FWFT (firmware features): GET and SET of every defined feature, the
 * reserved, platform-specific and global feature IDs, bad flags, an unknown
 * function, and a feature ID with bits above 31 set (only the low 32 count).
 */
#include "guest.h"

static struct sbiret fwft(unsigned long fid, unsigned long feature, unsigned long value,
			  unsigned long flags)
{
	return sbi_call(SBI_EXT_FWFT, fid, feature, value, flags);
}

/* Defined features: a GET answers or says NOT_SUPPORTED; a SET with a reserved flag fails. */
static void defined_features(void)
{
	unsigned bad = 0, supported = 0;

	for (unsigned long f = 0; f <= 5; f++) {
		struct sbiret g = fwft(SBI_FWFT_GET, f, 0, 0);
		struct sbiret s = fwft(SBI_FWFT_SET, f, g.error ? 0 : g.value, 2);
		long want_set = g.error ? SBI_ERR_NOT_SUPPORTED : SBI_ERR_INVALID_PARAM;

		if (g.error == 0) {
			supported++;
			gprintf("fwft: feature %lu supported, value %lu\n", f, g.value);
		}
		if ((g.error != 0 && g.error != SBI_ERR_NOT_SUPPORTED) || s.error != want_set) {
			bad++;
			FAIL("fwft_defined", "feature %lu: GET error %ld, SET flags 2 error %ld", f,
			     g.error, s.error);
		}
	}
	if (!bad)
		PASS("fwft_defined");
	gprintf("fwft: %u of 6 defined features supported\n", supported);
}

static void denied(const char *name, unsigned long feature)
{
	struct sbiret g = fwft(SBI_FWFT_GET, feature, 0, 0);
	struct sbiret s = fwft(SBI_FWFT_SET, feature, 0, 0);

	check(g.error == SBI_ERR_DENIED && s.error == SBI_ERR_DENIED, name,
	      "feature 0x%lx: GET error %ld, SET error %ld", feature, g.error, s.error);
}

void guest_main(void)
{
	struct sbiret r, plain;

	defined_features();
	denied("fwft_reserved", 0x6);
	denied("fwft_reserved_top", 0x3fffffff);
	denied("fwft_platform", 0x40000000);
	denied("fwft_global", 0x80000000);
	denied("fwft_global_platform", 0xc0000000);
	r = fwft(SBI_FWFT_SET, 0, 0, 0);
	check(r.error == 0 || r.error == SBI_ERR_NOT_SUPPORTED, "fwft_set",
	      "SET of feature 0 to 0: error %ld", r.error);
	plain = fwft(SBI_FWFT_GET, 0, 0, 0);
	r = fwft(SBI_FWFT_GET, 1UL << 32, 0, 0);
	check(r.error == plain.error && r.value == plain.value, "fwft_high_bits",
	      "GET of feature 0 with bit 32 set: error %ld, without: %ld", r.error, plain.error);
	r = fwft(SBI_FWFT_GET, (1UL << 32) | 6, 0, 0);
	check(r.error == SBI_ERR_DENIED, "fwft_high_bits_reserved",
	      "GET of feature 6 with bit 32 set: error %ld", r.error);
	r = fwft(2, 0, 0, 0);
	check(r.error == SBI_ERR_NOT_SUPPORTED, "fwft_unknown_fid", "FID 2: error %ld", r.error);
}
