// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SBI FWFT server for guests (see asm/fwft.h). Order of checks, as in Linux
 * KVM: FID, then the feature ID (reserved/platform/global: DENIED; defined
 * but missing: NOT_SUPPORTED), then for SET the flags, the lock and the value.
 */
#include <asm/fwft.h>

void fwft_reset(struct fwft_state *s)
{
	s->locked = 0;
	s->henvcfg = 0;
	s->hedeleg = 0;
}

bool fwft_supported(const struct fwft_caps *caps, uint32_t feature)
{
	switch (feature) {
	case SBI_FWFT_MISALIGNED_EXC_DELEG:
		return caps->misaligned_deleg;
	case SBI_FWFT_LANDING_PAD:
		return caps->lpe;
	case SBI_FWFT_SHADOW_STACK:
		return caps->sse;
	case SBI_FWFT_DOUBLE_TRAP:
		return caps->dte;
	case SBI_FWFT_PTE_AD_HW_UPDATING:
		return caps->adue;
	case SBI_FWFT_POINTER_MASKING_PMLEN:
		return (caps->pmlen_mask & (FWFT_PMLEN7 | FWFT_PMLEN16)) != 0;
	default:
		return false;
	}
}

/* The henvcfg bit behind a 0/1 feature; 0 for the others. */
static uint64_t henvcfg_bit(uint32_t feature)
{
	switch (feature) {
	case SBI_FWFT_LANDING_PAD:
		return FWFT_HENVCFG_LPE;
	case SBI_FWFT_SHADOW_STACK:
		return FWFT_HENVCFG_SSE;
	case SBI_FWFT_DOUBLE_TRAP:
		return FWFT_HENVCFG_DTE;
	case SBI_FWFT_PTE_AD_HW_UPDATING:
		return FWFT_HENVCFG_ADUE;
	default:
		return 0;
	}
}

static unsigned long get_value(const struct fwft_state *s, uint32_t feature)
{
	switch (feature) {
	case SBI_FWFT_MISALIGNED_EXC_DELEG:
		return (s->hedeleg & FWFT_HEDELEG_MISALIGNED) == FWFT_HEDELEG_MISALIGNED;
	case SBI_FWFT_POINTER_MASKING_PMLEN:
		switch (s->henvcfg & FWFT_HENVCFG_PMM) {
		case FWFT_HENVCFG_PMM_PMLEN7:
			return 7;
		case FWFT_HENVCFG_PMM_PMLEN16:
			return 16;
		default:
			return 0;
		}
	default:
		return (s->henvcfg & henvcfg_bit(feature)) != 0;
	}
}

/* Applies a SET of a supported feature; false, with s untouched, for a bad value. */
static bool set_value(struct fwft_state *s, const struct fwft_caps *caps, uint32_t feature,
		      unsigned long value)
{
	uint64_t bit;

	if (feature == SBI_FWFT_POINTER_MASKING_PMLEN) {
		if (value == 0)
			bit = 0;
		else if (value == 7 && (caps->pmlen_mask & FWFT_PMLEN7))
			bit = FWFT_HENVCFG_PMM_PMLEN7;
		else if (value == 16 && (caps->pmlen_mask & FWFT_PMLEN16))
			bit = FWFT_HENVCFG_PMM_PMLEN16;
		else
			return false;
		s->henvcfg = (s->henvcfg & ~FWFT_HENVCFG_PMM) | bit;
		return true;
	}
	if (value > 1)
		return false;
	if (feature == SBI_FWFT_MISALIGNED_EXC_DELEG) {
		if (value)
			s->hedeleg |= FWFT_HEDELEG_MISALIGNED;
		else
			s->hedeleg &= ~FWFT_HEDELEG_MISALIGNED;
		return true;
	}
	bit = henvcfg_bit(feature);
	if (value)
		s->henvcfg |= bit;
	else
		s->henvcfg &= ~bit;
	return true;
}

struct sbiret fwft_call(struct fwft_state *s, const struct fwft_caps *caps, unsigned long fid,
			unsigned long a0, unsigned long a1, unsigned long a2)
{
	struct sbiret ret = { SBI_SUCCESS, 0 };
	uint32_t feature = (uint32_t)a0; /* the feature ID is 32-bit: ignore a0[63:32] */

	if (fid != SBI_FWFT_SET && fid != SBI_FWFT_GET) {
		ret.error = SBI_ERR_NOT_SUPPORTED;
		return ret;
	}
	/* reserved, platform-specific (keel defines none) and global IDs */
	if (feature >= SBI_FWFT_NR_LOCAL) {
		ret.error = SBI_ERR_DENIED;
		return ret;
	}
	if (!fwft_supported(caps, feature)) {
		ret.error = SBI_ERR_NOT_SUPPORTED;
		return ret;
	}
	if (fid == SBI_FWFT_GET) {
		ret.value = get_value(s, feature);
		return ret;
	}
	if (a2 & ~SBI_FWFT_SET_FLAG_LOCK)
		ret.error = SBI_ERR_INVALID_PARAM;
	else if (s->locked & (1U << feature))
		ret.error = SBI_ERR_DENIED_LOCKED;
	else if (!set_value(s, caps, feature, a1))
		ret.error = SBI_ERR_INVALID_PARAM;
	else if (a2 & SBI_FWFT_SET_FLAG_LOCK)
		s->locked |= 1U << feature;
	return ret;
}
