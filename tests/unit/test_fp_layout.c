// SPDX-License-Identifier: GPL-2.0-or-later
/* arm64 SVE/SME save-area layout and sizes per vector length (arch/arm64/fp_layout.c). */
#include "check.h"
#include <asm/fp_layout.h>
#include <string.h>

/* Size of everything one vCPU saves at these lengths, computed the long way. */
static uint32_t expected_size(uint32_t sve, uint32_t sme, bool zt0)
{
	uint32_t vl = sve > sme ? sve : sme;
	uint32_t zpf = 32 * vl + 16 * (vl / 8) + vl / 8;

	if (!vl)
		return 0;
	zpf = (zpf + 15) & ~15u;
	return zpf + sme * sme + (sme && zt0 ? 64 : 0);
}

static void test_none(void)
{
	struct fp_layout l;

	memset(&l, 0xff, sizeof(l));
	fp_layout(&l, 0, 0, true);
	CHECK_EQ_U64(l.size, 0); /* FP only: the V registers live in struct fpsimd_state */
	CHECK_EQ_U64(l.vl, 0);
	CHECK_EQ_U64(l.svl, 0);
}

static void test_every_length(void)
{
	for (uint32_t sve = 0; sve <= FP_VL_MAX; sve += FP_VL_QUANTUM) {
		for (uint32_t sme = 0; sme <= FP_VL_MAX; sme += FP_VL_QUANTUM) {
			struct fp_layout l;
			uint32_t vl = sve > sme ? sve : sme;

			fp_layout(&l, sve, sme, false);
			CHECK_EQ_U64(l.size, expected_size(sve, sme, false));
			if (!vl)
				continue;
			/* Z at either length fits below P, P below FFR, FFR below ZA */
			CHECK_EQ_U64(l.z_off, 0);
			CHECK(l.p_off >= 32 * sve && l.p_off >= 32 * sme, "P overlaps Z at %u/%u",
			      sve, sme);
			CHECK_EQ_U64(l.ffr_off - l.p_off, 16 * (vl / 8));
			CHECK(l.za_off >= l.ffr_off + vl / 8, "ZA overlaps FFR at %u/%u", sve, sme);
			CHECK_EQ_U64(l.za_off % 16, 0);
			CHECK_EQ_U64(l.zt0_off - l.za_off, sme * sme);
			CHECK_EQ_U64(l.size, l.zt0_off);
		}
	}
}

static void test_known_sizes(void)
{
	struct fp_layout l;

	/* SVE at 2048 bits: 32 x 256 + 16 x 32 + 32 */
	fp_layout(&l, 256, 0, false);
	CHECK_EQ_U64(l.size, 8192 + 512 + 32);
	/* streaming + ZA at 2048 bits: ZA alone is 64 KiB */
	fp_layout(&l, 256, 256, false);
	CHECK_EQ_U64(l.size, 8192 + 512 + 32 + 65536);
	/* SVE at 128 bits, SME at 512: the Z slots follow the larger length */
	fp_layout(&l, 16, 64, false);
	CHECK_EQ_U64(l.vl, 64);
	CHECK_EQ_U64(l.svl, 64);
	CHECK_EQ_U64(l.size, 2048 + 128 + 16 + 4096);
	/* SME2: 64 more bytes for ZT0, only with SME */
	fp_layout(&l, 32, 32, true);
	CHECK_EQ_U64(l.size, expected_size(32, 32, true));
	CHECK_EQ_U64(l.size - l.zt0_off, FP_ZT0_BYTES);
	fp_layout(&l, 32, 0, true);
	CHECK_EQ_U64(l.size, expected_size(32, 0, false));
}

static void test_len_field(void)
{
	CHECK_EQ_U64(fp_vl_len(16), 0);
	CHECK_EQ_U64(fp_vl_len(48), 2);
	CHECK_EQ_U64(fp_vl_len(256), 15);
	CHECK_EQ_U64(fp_vl_len(0), 0);
}

int main(void)
{
	RUN(test_none);
	RUN(test_every_length);
	RUN(test_known_sizes);
	RUN(test_len_field);
	CHECK_EXIT();
}
