// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SBI FWFT server (arch/riscv64/fwft.c): ID ranges, capability checks, SET
 * flags/lock/value rules, the henvcfg/hedeleg bits behind each feature,
 * reset, per-vCPU state, and a randomized run against a reference model.
 * The QEMU 7.2 + OpenSBI 1.1 platform has none of the features, so most of
 * the paths are driven with fake capability sets.
 */
#include <limits.h>
#include <stdlib.h>
#include <asm/fwft.h>
#include <asm/sbi.h>
#include <keel/hypercall.h>
#include "check.h"

#define SET 0UL
#define GET 1UL
#define LOCK 1UL
#define NFEAT 6

/* Bit positions written out from the privileged spec, not taken from asm/fwft.h. */
#define BIT_HEDELEG_MIS 0x50ULL
#define BIT_LPE (1ULL << 2)
#define BIT_SSE (1ULL << 3)
#define BIT_PMM7 (2ULL << 32)
#define BIT_PMM16 (3ULL << 32)
#define BIT_DTE (1ULL << 59)
#define BIT_ADUE (1ULL << 61)

enum { F_MIS, F_LP, F_SS, F_DT, F_AD, F_PM };

static const char *const feat_name[NFEAT] = {
	"MISALIGNED_EXC_DELEG", "LANDING_PAD",	      "SHADOW_STACK",
	"DOUBLE_TRAP",		"PTE_AD_HW_UPDATING", "POINTER_MASKING_PMLEN",
};

/* The henvcfg bit of each 0/1 feature (0 for MISALIGNED, which lives in hedeleg). */
static const uint64_t feat_env_bit[NFEAT] = { 0, BIT_LPE, BIT_SSE, BIT_DTE, BIT_ADUE, 0 };

/* QEMU 7.2 + OpenSBI 1.1 (facts.md section 8): nothing. */
static const struct fwft_caps caps_qemu72 = { 0 };
static const struct fwft_caps caps_all = {
	.misaligned_deleg = true,
	.adue = true,
	.pmlen_mask = FWFT_PMLEN7 | FWFT_PMLEN16,
	.lpe = true,
	.sse = true,
	.dte = true,
};

/* IDs that are not defined features: reserved, platform-specific, global. */
static const uint32_t undefined_ids[] = {
	0x6,	    0x7,	0x8,	    0x3f,	0x100,	    0x3ffffffe, 0x3fffffff,
	0x40000000, 0x40000005, 0x5a5a5a5a, 0x7fffffff, 0x80000000, 0x80000001, 0x80000005,
	0xbfffffff, 0xc0000000, 0xc0000005, 0xfffffffe, 0xffffffff,
};

static const unsigned long high_bits[] = { 1UL << 32, 0xffffffff00000000UL, 1UL << 63,
					   0x123456700000000UL };

static const char *err_name(long e)
{
	switch (e) {
	case SBI_SUCCESS:
		return "SUCCESS";
	case SBI_ERR_FAILED:
		return "FAILED";
	case SBI_ERR_NOT_SUPPORTED:
		return "NOT_SUPPORTED";
	case SBI_ERR_INVALID_PARAM:
		return "INVALID_PARAM";
	case SBI_ERR_DENIED:
		return "DENIED";
	case SBI_ERR_DENIED_LOCKED:
		return "DENIED_LOCKED";
	default:
		return "?";
	}
}

/* A call's result is (error, value); value must be 0 on any error. */
#define CHECK_RET(call, err, val)                                                                \
	do {                                                                                     \
		struct sbiret r_ = (call);                                                       \
		long e_ = (err);                                                                 \
		unsigned long v_ = (val);                                                        \
		CHECK(r_.error == e_ && r_.value == v_,                                          \
		      "expected (%s %ld, value 0x%lx), saw (%s %ld, value 0x%lx)", err_name(e_), \
		      e_, v_, err_name(r_.error), r_.error, r_.value);                           \
	} while (0)

#define CHECK_STATE(s, lk, env, deleg)               \
	do {                                         \
		CHECK_EQ_U64((s)->locked, (lk));     \
		CHECK_EQ_U64((s)->henvcfg, (env));   \
		CHECK_EQ_U64((s)->hedeleg, (deleg)); \
	} while (0)

static struct sbiret get(struct fwft_state *s, const struct fwft_caps *c, unsigned long feature)
{
	return fwft_call(s, c, GET, feature, 0, 0);
}

static struct sbiret set(struct fwft_state *s, const struct fwft_caps *c, unsigned long feature,
			 unsigned long value, unsigned long flags)
{
	return fwft_call(s, c, SET, feature, value, flags);
}

/* A value other than 0 that the feature accepts with caps_all. */
static unsigned long on_value(int f)
{
	return f == F_PM ? 7 : 1;
}

/* caps_all with one feature taken away, or caps_qemu72 with one feature added. */
static struct fwft_caps caps_toggle(struct fwft_caps c, int f, bool on)
{
	switch (f) {
	case F_MIS:
		c.misaligned_deleg = on;
		break;
	case F_LP:
		c.lpe = on;
		break;
	case F_SS:
		c.sse = on;
		break;
	case F_DT:
		c.dte = on;
		break;
	case F_AD:
		c.adue = on;
		break;
	case F_PM:
		c.pmlen_mask = on ? FWFT_PMLEN7 | FWFT_PMLEN16 : 0;
		break;
	}
	return c;
}

/* State with every feature set to a non-zero value, nothing locked. */
static void fill_state(struct fwft_state *s, const struct fwft_caps *c)
{
	fwft_reset(s);
	for (int f = 0; f < NFEAT; f++)
		CHECK_RET(set(s, c, f, on_value(f), 0), SBI_SUCCESS, 0);
}

#define ALL_ENV (BIT_LPE | BIT_SSE | BIT_DTE | BIT_ADUE | BIT_PMM7)

static void test_sbi_constants(void)
{
	CHECK_EQ_U64(SBI_EXT_BASE, 0x10);
	CHECK_EQ_U64(SBI_EXT_TIME, 0x54494d45);
	CHECK_EQ_U64(SBI_EXT_IPI, 0x735049);
	CHECK_EQ_U64(SBI_EXT_RFENCE, 0x52464e43);
	CHECK_EQ_U64(SBI_EXT_HSM, 0x48534d);
	CHECK_EQ_U64(SBI_EXT_SRST, 0x53525354);
	CHECK_EQ_U64(SBI_EXT_DBCN, 0x4442434e);
	CHECK_EQ_U64(SBI_EXT_FWFT, 0x46574654);
	CHECK_EQ_U64(SBI_EXT_LEGACY_PUTCHAR, 0x01);
	CHECK_EQ_U64(SBI_EXT_LEGACY_GETCHAR, 0x02);
	CHECK_EQ_U64(SBI_EXT_KEEL, KEEL_HC_RISCV_EXT);
	CHECK_EQ_U64(SBI_SPEC_VERSION(3, 0), 0x03000000);
	CHECK_EQ_U64(SBI_SPEC_VERSION(1, 0), 0x01000000);

	static const long errs[] = {
		SBI_SUCCESS,
		SBI_ERR_FAILED,
		SBI_ERR_NOT_SUPPORTED,
		SBI_ERR_INVALID_PARAM,
		SBI_ERR_DENIED,
		SBI_ERR_INVALID_ADDRESS,
		SBI_ERR_ALREADY_AVAILABLE,
		SBI_ERR_ALREADY_STARTED,
		SBI_ERR_ALREADY_STOPPED,
		SBI_ERR_NO_SHMEM,
		SBI_ERR_INVALID_STATE,
		SBI_ERR_BAD_RANGE,
		SBI_ERR_TIMEOUT,
		SBI_ERR_IO,
		SBI_ERR_DENIED_LOCKED,
	};
	for (long i = 0; i < (long)ARRAY_SIZE(errs); i++)
		CHECK(errs[i] == -i, "error code #%ld: expected %ld, saw %ld", i, -i, errs[i]);

	static const int hsm[] = {
		SBI_HSM_STATE_STARTED,	      SBI_HSM_STATE_STOPPED,
		SBI_HSM_STATE_START_PENDING,  SBI_HSM_STATE_STOP_PENDING,
		SBI_HSM_STATE_SUSPENDED,      SBI_HSM_STATE_SUSPEND_PENDING,
		SBI_HSM_STATE_RESUME_PENDING,
	};
	for (int i = 0; i < (int)ARRAY_SIZE(hsm); i++)
		CHECK(hsm[i] == i, "HSM state #%d: expected %d, saw %d", i, i, hsm[i]);

	CHECK_EQ_U64(SBI_FWFT_SET, 0);
	CHECK_EQ_U64(SBI_FWFT_GET, 1);
	CHECK_EQ_U64(SBI_FWFT_MISALIGNED_EXC_DELEG, F_MIS);
	CHECK_EQ_U64(SBI_FWFT_LANDING_PAD, F_LP);
	CHECK_EQ_U64(SBI_FWFT_SHADOW_STACK, F_SS);
	CHECK_EQ_U64(SBI_FWFT_DOUBLE_TRAP, F_DT);
	CHECK_EQ_U64(SBI_FWFT_PTE_AD_HW_UPDATING, F_AD);
	CHECK_EQ_U64(SBI_FWFT_POINTER_MASKING_PMLEN, F_PM);
	CHECK_EQ_U64(SBI_FWFT_SET_FLAG_LOCK, 1);

	/* header bit positions against the spec's */
	CHECK_EQ_U64(FWFT_HEDELEG_MISALIGNED, BIT_HEDELEG_MIS);
	CHECK_EQ_U64(FWFT_HENVCFG_LPE, BIT_LPE);
	CHECK_EQ_U64(FWFT_HENVCFG_SSE, BIT_SSE);
	CHECK_EQ_U64(FWFT_HENVCFG_PMM, 3ULL << 32);
	CHECK_EQ_U64(FWFT_HENVCFG_PMM_PMLEN7, BIT_PMM7);
	CHECK_EQ_U64(FWFT_HENVCFG_PMM_PMLEN16, BIT_PMM16);
	CHECK_EQ_U64(FWFT_HENVCFG_DTE, BIT_DTE);
	CHECK_EQ_U64(FWFT_HENVCFG_ADUE, BIT_ADUE);
	CHECK_EQ_U64(FWFT_HENVCFG_OWNED, BIT_LPE | BIT_SSE | BIT_PMM16 | BIT_DTE | BIT_ADUE);
	CHECK_EQ_U64(FWFT_HEDELEG_OWNED, BIT_HEDELEG_MIS);
}

/* QEMU 7.2: every defined feature is NOT_SUPPORTED for GET and SET, the state stays at reset. */
static void test_qemu72_defined_not_supported(void)
{
	struct fwft_state s;
	static const unsigned long values[] = { 0, 1, 7, 16, 2, ULONG_MAX };

	fwft_reset(&s);
	for (int f = 0; f < NFEAT; f++) {
		CHECK(!fwft_supported(&caps_qemu72, f), "%s supported", feat_name[f]);
		CHECK_RET(get(&s, &caps_qemu72, f), SBI_ERR_NOT_SUPPORTED, 0);
		for (unsigned v = 0; v < ARRAY_SIZE(values); v++) {
			CHECK_RET(set(&s, &caps_qemu72, f, values[v], 0), SBI_ERR_NOT_SUPPORTED, 0);
			CHECK_RET(set(&s, &caps_qemu72, f, values[v], LOCK), SBI_ERR_NOT_SUPPORTED,
				  0);
			/* the feature check comes before the flags check */
			CHECK_RET(set(&s, &caps_qemu72, f, values[v], 2), SBI_ERR_NOT_SUPPORTED, 0);
		}
		for (unsigned h = 0; h < ARRAY_SIZE(high_bits); h++) {
			CHECK_RET(get(&s, &caps_qemu72, high_bits[h] | f), SBI_ERR_NOT_SUPPORTED,
				  0);
			CHECK_RET(set(&s, &caps_qemu72, high_bits[h] | f, 0, 0),
				  SBI_ERR_NOT_SUPPORTED, 0);
		}
	}
	CHECK_STATE(&s, 0, 0, 0);
}

/* QEMU 7.2: reserved and platform-specific IDs are DENIED. */
static void test_qemu72_undefined_denied(void)
{
	struct fwft_state s;

	fwft_reset(&s);
	for (unsigned i = 0; i < ARRAY_SIZE(undefined_ids); i++) {
		uint32_t id = undefined_ids[i];

		CHECK(!fwft_supported(&caps_qemu72, id), "0x%x supported", id);
		CHECK_RET(get(&s, &caps_qemu72, id), SBI_ERR_DENIED, 0);
		CHECK_RET(set(&s, &caps_qemu72, id, 0, 0), SBI_ERR_DENIED, 0);
		CHECK_RET(set(&s, &caps_qemu72, id, 1, LOCK), SBI_ERR_DENIED, 0);
	}
	CHECK_STATE(&s, 0, 0, 0);
}

/* Full caps: every undefined ID (boundaries and a sweep) is DENIED, before any SET check. */
static void test_undefined_ids_denied(void)
{
	struct fwft_state s;
	static const unsigned long flags[] = { 0, LOCK, 2, ULONG_MAX };
	static const unsigned long values[] = { 0, 1, 7, 16, ULONG_MAX };

	fill_state(&s, &caps_all);
	for (unsigned i = 0; i < ARRAY_SIZE(undefined_ids); i++) {
		uint32_t id = undefined_ids[i];

		CHECK(!fwft_supported(&caps_all, id), "0x%x supported", id);
		CHECK_RET(get(&s, &caps_all, id), SBI_ERR_DENIED, 0);
		for (unsigned v = 0; v < ARRAY_SIZE(values); v++)
			for (unsigned fl = 0; fl < ARRAY_SIZE(flags); fl++)
				CHECK_RET(set(&s, &caps_all, id, values[v], flags[fl]),
					  SBI_ERR_DENIED, 0);
		for (unsigned h = 0; h < ARRAY_SIZE(high_bits); h++)
			CHECK_RET(get(&s, &caps_all, high_bits[h] | id), SBI_ERR_DENIED, 0);
	}
	/* a sweep over the 32-bit space, every range hit */
	unsigned seen[4] = { 0 };
	for (uint64_t id = 6; id <= 0xffffffffULL; id += 0x100003) {
		struct sbiret g = get(&s, &caps_all, id), t = set(&s, &caps_all, id, 0, LOCK);

		seen[id >> 30]++;
		if (g.error != SBI_ERR_DENIED || g.value || t.error != SBI_ERR_DENIED || t.value) {
			CHECK(0, "id 0x%llx: GET (%ld, 0x%lx), SET (%ld, 0x%lx), expected DENIED",
			      (unsigned long long)id, g.error, g.value, t.error, t.value);
			break;
		}
	}
	for (int r = 0; r < 4; r++)
		CHECK(seen[r] > 100, "range %d only hit %u times", r, seen[r]);
	CHECK_STATE(&s, 0, ALL_ENV, BIT_HEDELEG_MIS);
}

/* a0[63:32] is ignored: (hi | feature) behaves as feature in GET, SET and LOCK. */
static void test_feature_high_bits_ignored(void)
{
	struct fwft_state s;

	for (unsigned h = 0; h < ARRAY_SIZE(high_bits); h++) {
		unsigned long hi = high_bits[h];

		fwft_reset(&s);
		for (int f = 0; f < NFEAT; f++) {
			CHECK_RET(set(&s, &caps_all, hi | f, on_value(f), 0), SBI_SUCCESS, 0);
			CHECK_RET(get(&s, &caps_all, f), SBI_SUCCESS, on_value(f));
			CHECK_RET(get(&s, &caps_all, hi | f), SBI_SUCCESS, on_value(f));
			CHECK_RET(set(&s, &caps_all, hi | f, 0, LOCK), SBI_SUCCESS, 0);
			CHECK(s.locked & (1U << f), "%s not locked", feat_name[f]);
			CHECK_RET(set(&s, &caps_all, f, 0, 0), SBI_ERR_DENIED_LOCKED, 0);
			CHECK_RET(get(&s, &caps_all, hi | f), SBI_SUCCESS, 0);
		}
		CHECK_STATE(&s, 0x3f, 0, 0);
	}
	/* a0 = 1 << 32 alone is feature 0 */
	fwft_reset(&s);
	CHECK_RET(set(&s, &caps_all, 1UL << 32, 1, 0), SBI_SUCCESS, 0);
	CHECK_STATE(&s, 0, 0, BIT_HEDELEG_MIS);
	/* and with only MISALIGNED available, (1 << 32) | 1 is LANDING_PAD, not supported */
	struct fwft_caps mis = caps_toggle(caps_qemu72, F_MIS, true);
	CHECK_RET(get(&s, &mis, 1UL << 32), SBI_SUCCESS, 1);
	CHECK_RET(get(&s, &mis, (1UL << 32) | 1), SBI_ERR_NOT_SUPPORTED, 0);
}

/* FIDs other than 0 and 1 (compared over the whole register) are NOT_SUPPORTED. */
static void test_unknown_fid(void)
{
	static const unsigned long fids[] = {
		2,	    3,
		4,	    0xff,
		0x7fffffff, 0xffffffff,
		1UL << 32,  (1UL << 32) | 1,
		ULONG_MAX,  (unsigned long)LONG_MIN,
	};
	static const unsigned long features[] = {
		F_MIS, F_PM, 6, 0x40000000, 0x80000000, 0xffffffff
	};
	const struct fwft_caps *caps[] = { &caps_all, &caps_qemu72 };
	struct fwft_state s;

	fill_state(&s, &caps_all);
	for (unsigned c = 0; c < ARRAY_SIZE(caps); c++)
		for (unsigned i = 0; i < ARRAY_SIZE(fids); i++)
			for (unsigned f = 0; f < ARRAY_SIZE(features); f++) {
				CHECK_RET(fwft_call(&s, caps[c], fids[i], features[f], 0, 0),
					  SBI_ERR_NOT_SUPPORTED, 0);
				CHECK_RET(fwft_call(&s, caps[c], fids[i], features[f], 1, LOCK),
					  SBI_ERR_NOT_SUPPORTED, 0);
			}
	CHECK_STATE(&s, 0, ALL_ENV, BIT_HEDELEG_MIS);
}

/* Each capability gates exactly its own feature. */
static void test_supported_per_cap(void)
{
	struct fwft_state s;

	for (int f = 0; f < NFEAT; f++) {
		struct fwft_caps only = caps_toggle(caps_qemu72, f, true);
		struct fwft_caps without = caps_toggle(caps_all, f, false);

		fwft_reset(&s);
		for (int g = 0; g < NFEAT; g++) {
			CHECK(fwft_supported(&only, g) == (g == f), "only %s: %s supported = %d",
			      feat_name[f], feat_name[g], fwft_supported(&only, g));
			CHECK(fwft_supported(&without, g) == (g != f),
			      "without %s: %s supported = %d", feat_name[f], feat_name[g],
			      fwft_supported(&without, g));
			if (g == f) {
				CHECK_RET(set(&s, &only, g, on_value(g), 0), SBI_SUCCESS, 0);
				CHECK_RET(get(&s, &only, g), SBI_SUCCESS, on_value(g));
				CHECK_RET(set(&s, &without, g, 0, 0), SBI_ERR_NOT_SUPPORTED, 0);
				CHECK_RET(get(&s, &without, g), SBI_ERR_NOT_SUPPORTED, 0);
			} else {
				CHECK_RET(set(&s, &only, g, on_value(g), 0), SBI_ERR_NOT_SUPPORTED,
					  0);
				CHECK_RET(get(&s, &only, g), SBI_ERR_NOT_SUPPORTED, 0);
				CHECK_RET(set(&s, &without, g, on_value(g), LOCK), SBI_SUCCESS, 0);
				CHECK_RET(get(&s, &without, g), SBI_SUCCESS, on_value(g));
			}
		}
	}
	/* PMLEN is there when either encoding works; unknown mask bits do not count */
	static const struct {
		uint8_t mask;
		bool sup;
	} pm[] = { { 0, false }, { 1, true },	  { 2, true },	 { 3, true },
		   { 4, false }, { 0xfc, false }, { 0xfd, true } };
	for (unsigned i = 0; i < ARRAY_SIZE(pm); i++) {
		struct fwft_caps c = caps_qemu72;

		c.pmlen_mask = pm[i].mask;
		CHECK(fwft_supported(&c, F_PM) == pm[i].sup, "pmlen_mask 0x%x: supported = %d",
		      pm[i].mask, fwft_supported(&c, F_PM));
		fwft_reset(&s);
		CHECK_RET(get(&s, &c, F_PM), pm[i].sup ? SBI_SUCCESS : SBI_ERR_NOT_SUPPORTED, 0);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(undefined_ids); i++)
		CHECK(!fwft_supported(&caps_all, undefined_ids[i]), "0x%x supported",
		      undefined_ids[i]);
}

/* SET flags other than LOCK: INVALID_PARAM, before the lock and the value are looked at. */
static void test_set_bad_flags(void)
{
	static const unsigned long flags[] = { 2,	  3,	     4,	   0x100,    1UL << 31,
					       1UL << 32, 1UL << 63, ~1UL, ULONG_MAX };
	struct fwft_state s;

	for (int f = 0; f < NFEAT; f++) {
		fwft_reset(&s);
		for (unsigned i = 0; i < ARRAY_SIZE(flags); i++) {
			CHECK_RET(set(&s, &caps_all, f, on_value(f), flags[i]),
				  SBI_ERR_INVALID_PARAM, 0);
			CHECK_RET(set(&s, &caps_all, f, 2, flags[i]), SBI_ERR_INVALID_PARAM, 0);
		}
		CHECK_STATE(&s, 0, 0, 0);
		CHECK_RET(get(&s, &caps_all, f), SBI_SUCCESS, 0);

		/* locked: still INVALID_PARAM, not DENIED_LOCKED */
		CHECK_RET(set(&s, &caps_all, f, on_value(f), LOCK), SBI_SUCCESS, 0);
		for (unsigned i = 0; i < ARRAY_SIZE(flags); i++)
			CHECK_RET(set(&s, &caps_all, f, 0, flags[i]), SBI_ERR_INVALID_PARAM, 0);
		CHECK_EQ_U64(s.locked, 1U << f);
		CHECK_RET(get(&s, &caps_all, f), SBI_SUCCESS, on_value(f));
	}
}

/* Bad values: INVALID_PARAM, value and lock unchanged (also with LOCK in the flags). */
#define BIG (1UL << 32)
#define TOP (1UL << 63)
#define NEG_7 ((unsigned long)-7)

static void test_set_bad_values(void)
{
	static const unsigned long bad01[] = { 2,	   3,	7,	 16,	  0xff,
					       0xffffffff, BIG, BIG | 1, TOP | 1, ULONG_MAX };
	static const unsigned long badpm[] = { 1,	 2,	3,	    4,	     6,
					       8,	 15,	17,	    32,	     48,
					       57,	 64,	0xffffffff, BIG | 7, BIG | 16,
					       TOP | 16, NEG_7, ULONG_MAX };
	struct fwft_state s;

	for (int f = 0; f < NFEAT; f++) {
		const unsigned long *bad = f == F_PM ? badpm : bad01;
		unsigned n = f == F_PM ? ARRAY_SIZE(badpm) : ARRAY_SIZE(bad01);

		for (int start = 0; start < 2; start++) {
			unsigned long cur = start ? on_value(f) : 0;

			fwft_reset(&s);
			CHECK_RET(set(&s, &caps_all, f, cur, 0), SBI_SUCCESS, 0);
			struct fwft_state before = s;
			for (unsigned i = 0; i < n; i++) {
				CHECK_RET(set(&s, &caps_all, f, bad[i], 0), SBI_ERR_INVALID_PARAM,
					  0);
				CHECK_RET(set(&s, &caps_all, f, bad[i], LOCK),
					  SBI_ERR_INVALID_PARAM, 0);
			}
			CHECK_STATE(&s, before.locked, before.henvcfg, before.hedeleg);
			CHECK_RET(get(&s, &caps_all, f), SBI_SUCCESS, cur);
			/* still unlocked */
			CHECK_RET(set(&s, &caps_all, f, 0, 0), SBI_SUCCESS, 0);
		}
	}
}

/* PMLEN takes 0, 7 (PMM = 2) and 16 (PMM = 3), each only when its encoding works. */
static void test_pmlen_values(void)
{
	struct fwft_state s;

	for (uint8_t mask = 1; mask <= 3; mask++) {
		struct fwft_caps c = caps_qemu72;
		bool has7 = mask & 1, has16 = mask & 2;

		c.pmlen_mask = mask;
		fwft_reset(&s);
		CHECK_RET(set(&s, &c, F_PM, 7, 0), has7 ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM, 0);
		CHECK_EQ_U64(s.henvcfg, has7 ? BIT_PMM7 : 0);
		CHECK_RET(get(&s, &c, F_PM), SBI_SUCCESS, has7 ? 7 : 0);
		CHECK_RET(set(&s, &c, F_PM, 16, 0), has16 ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM, 0);
		CHECK_EQ_U64(s.henvcfg, has16 ? BIT_PMM16 : has7 ? BIT_PMM7 : 0);
		CHECK_RET(get(&s, &c, F_PM), SBI_SUCCESS, has16 ? 16 : has7 ? 7 : 0);
		CHECK_RET(set(&s, &c, F_PM, 0, 0), SBI_SUCCESS, 0);
		CHECK_STATE(&s, 0, 0, 0);
		CHECK_RET(get(&s, &c, F_PM), SBI_SUCCESS, 0);
	}
	/* 7 -> 16 -> 7 -> 0 rewrites both PMM bits; other henvcfg bits stay */
	fwft_reset(&s);
	CHECK_RET(set(&s, &caps_all, F_AD, 1, 0), SBI_SUCCESS, 0);
	CHECK_RET(set(&s, &caps_all, F_LP, 1, 0), SBI_SUCCESS, 0);
	CHECK_RET(set(&s, &caps_all, F_PM, 7, 0), SBI_SUCCESS, 0);
	CHECK_EQ_U64(s.henvcfg, BIT_ADUE | BIT_LPE | BIT_PMM7);
	CHECK_RET(set(&s, &caps_all, F_PM, 16, 0), SBI_SUCCESS, 0);
	CHECK_EQ_U64(s.henvcfg, BIT_ADUE | BIT_LPE | BIT_PMM16);
	CHECK_RET(get(&s, &caps_all, F_PM), SBI_SUCCESS, 16);
	CHECK_RET(set(&s, &caps_all, F_PM, 7, 0), SBI_SUCCESS, 0);
	CHECK_EQ_U64(s.henvcfg, BIT_ADUE | BIT_LPE | BIT_PMM7);
	CHECK_RET(set(&s, &caps_all, F_PM, 0, 0), SBI_SUCCESS, 0);
	CHECK_EQ_U64(s.henvcfg, BIT_ADUE | BIT_LPE);
	CHECK_EQ_U64(s.hedeleg, 0);
	/* GET decodes PMM; the reserved encoding 1 reads as 0 */
	s.henvcfg = 1ULL << 32;
	CHECK_RET(get(&s, &caps_all, F_PM), SBI_SUCCESS, 0);
}

/* MISALIGNED_EXC_DELEG owns hedeleg bits 4 and 6; GET is 1 only when both are set. */
static void test_misaligned_hedeleg(void)
{
	struct fwft_state s;

	fwft_reset(&s);
	CHECK_RET(set(&s, &caps_all, F_MIS, 1, 0), SBI_SUCCESS, 0);
	CHECK_STATE(&s, 0, 0, 0x50);
	CHECK_RET(get(&s, &caps_all, F_MIS), SBI_SUCCESS, 1);
	CHECK_RET(set(&s, &caps_all, F_MIS, 0, 0), SBI_SUCCESS, 0);
	CHECK_STATE(&s, 0, 0, 0);
	CHECK_RET(get(&s, &caps_all, F_MIS), SBI_SUCCESS, 0);

	s.hedeleg = 1ULL << 4;
	CHECK_RET(get(&s, &caps_all, F_MIS), SBI_SUCCESS, 0);
	s.hedeleg = 1ULL << 6;
	CHECK_RET(get(&s, &caps_all, F_MIS), SBI_SUCCESS, 0);
	s.hedeleg = 0x50;
	CHECK_RET(get(&s, &caps_all, F_MIS), SBI_SUCCESS, 1);
	s.hedeleg = 1ULL << 4;
	CHECK_RET(set(&s, &caps_all, F_MIS, 1, 0), SBI_SUCCESS, 0);
	CHECK_EQ_U64(s.hedeleg, 0x50);
	s.hedeleg = 1ULL << 6;
	CHECK_RET(set(&s, &caps_all, F_MIS, 0, 0), SBI_SUCCESS, 0);
	CHECK_EQ_U64(s.hedeleg, 0);

	/* the switch-path merge: FWFT decides bits 4 and 6, the rest come from the base */
	fwft_reset(&s);
	CHECK_EQ_U64(fwft_hedeleg(&s, 0xb109 | 0x50), 0xb109);
	CHECK_RET(set(&s, &caps_all, F_MIS, 1, 0), SBI_SUCCESS, 0);
	CHECK_EQ_U64(fwft_hedeleg(&s, 0xb109), 0xb159);
}

/* Each 0/1 henvcfg feature owns exactly its bit; nothing else moves. */
static void test_henvcfg_bits(void)
{
	struct fwft_state s;

	for (int f = F_LP; f <= F_AD; f++) {
		fwft_reset(&s);
		CHECK_RET(set(&s, &caps_all, f, 1, 0), SBI_SUCCESS, 0);
		CHECK_STATE(&s, 0, feat_env_bit[f], 0);
		CHECK_RET(get(&s, &caps_all, f), SBI_SUCCESS, 1);
		for (int g = 0; g < NFEAT; g++)
			if (g != f)
				CHECK_RET(get(&s, &caps_all, g), SBI_SUCCESS, 0);
		CHECK_RET(set(&s, &caps_all, f, 0, 0), SBI_SUCCESS, 0);
		CHECK_STATE(&s, 0, 0, 0);
	}
	/* all on, then each cleared alone */
	for (int f = F_LP; f <= F_AD; f++) {
		fill_state(&s, &caps_all);
		CHECK_STATE(&s, 0, ALL_ENV, BIT_HEDELEG_MIS);
		CHECK_RET(set(&s, &caps_all, f, 0, 0), SBI_SUCCESS, 0);
		CHECK_STATE(&s, 0, ALL_ENV & ~feat_env_bit[f], BIT_HEDELEG_MIS);
		for (int g = 0; g < NFEAT; g++)
			CHECK_RET(get(&s, &caps_all, g), SBI_SUCCESS, g == f ? 0 : on_value(g));
	}
	/* the switch-path merge keeps STCE/PBMTE/CBxE/FIOM and replaces the FWFT bits */
	uint64_t base = 0xc0000000000000f1ULL;
	fwft_reset(&s);
	CHECK_EQ_U64(fwft_henvcfg(&s, base | BIT_ADUE | BIT_PMM16 | BIT_LPE), base);
	CHECK_RET(set(&s, &caps_all, F_DT, 1, 0), SBI_SUCCESS, 0);
	CHECK_EQ_U64(fwft_henvcfg(&s, base), base | BIT_DTE);
}

/* A locked feature answers every SET with DENIED_LOCKED and keeps its value. */
static void test_lock(void)
{
	struct fwft_state s;

	for (int f = 0; f < NFEAT; f++) {
		for (int lock_on = 0; lock_on < 2; lock_on++) {
			unsigned long v = lock_on ? on_value(f) : 0;
			unsigned long other = lock_on ? 0 : on_value(f);

			fwft_reset(&s);
			CHECK_RET(set(&s, &caps_all, f, v, LOCK), SBI_SUCCESS, 0);
			CHECK_EQ_U64(s.locked, 1U << f);
			struct fwft_state before = s;
			CHECK_RET(get(&s, &caps_all, f), SBI_SUCCESS, v);
			CHECK_RET(set(&s, &caps_all, f, v, 0), SBI_ERR_DENIED_LOCKED, 0);
			CHECK_RET(set(&s, &caps_all, f, v, LOCK), SBI_ERR_DENIED_LOCKED, 0);
			CHECK_RET(set(&s, &caps_all, f, other, 0), SBI_ERR_DENIED_LOCKED, 0);
			CHECK_RET(set(&s, &caps_all, f, other, LOCK), SBI_ERR_DENIED_LOCKED, 0);
			CHECK_RET(set(&s, &caps_all, f, 2, 0), SBI_ERR_DENIED_LOCKED, 0);
			CHECK_RET(set(&s, &caps_all, f, ULONG_MAX, LOCK), SBI_ERR_DENIED_LOCKED, 0);
			if (f == F_PM)
				CHECK_RET(set(&s, &caps_all, f, 16, 0), SBI_ERR_DENIED_LOCKED, 0);
			CHECK_STATE(&s, before.locked, before.henvcfg, before.hedeleg);
			CHECK_RET(get(&s, &caps_all, f), SBI_SUCCESS, v);
			/* the others are still free */
			for (int g = 0; g < NFEAT; g++) {
				if (g == f)
					continue;
				CHECK_RET(set(&s, &caps_all, g, on_value(g), 0), SBI_SUCCESS, 0);
				CHECK_RET(set(&s, &caps_all, g, 0, 0), SBI_SUCCESS, 0);
			}
			CHECK_EQ_U64(s.locked, 1U << f);
		}
	}
	/* lock every feature, one by one */
	fwft_reset(&s);
	for (int f = 0; f < NFEAT; f++) {
		CHECK_RET(set(&s, &caps_all, f, on_value(f), LOCK), SBI_SUCCESS, 0);
		CHECK_EQ_U64(s.locked, (2U << f) - 1);
	}
	CHECK_STATE(&s, 0x3f, ALL_ENV, BIT_HEDELEG_MIS);
	for (int f = 0; f < NFEAT; f++)
		CHECK_RET(set(&s, &caps_all, f, 0, 0), SBI_ERR_DENIED_LOCKED, 0);
	CHECK_STATE(&s, 0x3f, ALL_ENV, BIT_HEDELEG_MIS);
}

/* SET of the current value succeeds (while unlocked), also as the SET that locks. */
static void test_idempotent_set(void)
{
	struct fwft_state s;

	for (int f = 0; f < NFEAT; f++) {
		fwft_reset(&s);
		CHECK_RET(set(&s, &caps_all, f, 0, 0), SBI_SUCCESS, 0);
		CHECK_RET(set(&s, &caps_all, f, 0, 0), SBI_SUCCESS, 0);
		CHECK_STATE(&s, 0, 0, 0);
		CHECK_RET(set(&s, &caps_all, f, on_value(f), 0), SBI_SUCCESS, 0);
		struct fwft_state once = s;
		CHECK_RET(set(&s, &caps_all, f, on_value(f), 0), SBI_SUCCESS, 0);
		CHECK_STATE(&s, 0, once.henvcfg, once.hedeleg);
		CHECK_RET(set(&s, &caps_all, f, on_value(f), LOCK), SBI_SUCCESS, 0);
		CHECK_STATE(&s, 1U << f, once.henvcfg, once.hedeleg);
		CHECK_RET(get(&s, &caps_all, f), SBI_SUCCESS, on_value(f));
	}
	fwft_reset(&s);
	CHECK_RET(set(&s, &caps_all, F_PM, 16, 0), SBI_SUCCESS, 0);
	CHECK_RET(set(&s, &caps_all, F_PM, 16, 0), SBI_SUCCESS, 0);
	CHECK_STATE(&s, 0, BIT_PMM16, 0);
}

/* Reset: every value back to 0 and unlocked, also after locked SETs. */
static void test_reset(void)
{
	struct fwft_state s;

	memset(&s, 0xff, sizeof(s));
	fwft_reset(&s);
	CHECK_STATE(&s, 0, 0, 0);
	for (int f = 0; f < NFEAT; f++)
		CHECK_RET(get(&s, &caps_all, f), SBI_SUCCESS, 0);

	for (int f = 0; f < NFEAT; f++)
		CHECK_RET(set(&s, &caps_all, f, f == F_PM ? 16 : 1, LOCK), SBI_SUCCESS, 0);
	CHECK_STATE(&s, 0x3f, (ALL_ENV & ~BIT_PMM7) | BIT_PMM16, BIT_HEDELEG_MIS);
	fwft_reset(&s);
	CHECK_STATE(&s, 0, 0, 0);
	for (int f = 0; f < NFEAT; f++) {
		CHECK_RET(get(&s, &caps_all, f), SBI_SUCCESS, 0);
		CHECK_RET(set(&s, &caps_all, f, on_value(f), 0), SBI_SUCCESS, 0);
		CHECK_RET(get(&s, &caps_all, f), SBI_SUCCESS, on_value(f));
	}
	fwft_reset(&s);
	CHECK_STATE(&s, 0, 0, 0);
}

/* Two vCPUs: nothing one does shows in the other. */
static void test_per_vcpu(void)
{
	struct fwft_state a, b;

	fwft_reset(&a);
	fwft_reset(&b);
	for (int f = 0; f < NFEAT; f++)
		CHECK_RET(set(&a, &caps_all, f, on_value(f), LOCK), SBI_SUCCESS, 0);
	CHECK_STATE(&b, 0, 0, 0);
	for (int f = 0; f < NFEAT; f++) {
		CHECK_RET(get(&b, &caps_all, f), SBI_SUCCESS, 0);
		CHECK_RET(get(&a, &caps_all, f), SBI_SUCCESS, on_value(f));
	}
	/* b is still free, and its changes leave a alone */
	CHECK_RET(set(&b, &caps_all, F_PM, 16, 0), SBI_SUCCESS, 0);
	CHECK_RET(set(&b, &caps_all, F_MIS, 1, LOCK), SBI_SUCCESS, 0);
	CHECK_STATE(&b, 1U << F_MIS, BIT_PMM16, BIT_HEDELEG_MIS);
	CHECK_STATE(&a, 0x3f, ALL_ENV, BIT_HEDELEG_MIS);
	CHECK_RET(set(&b, &caps_all, F_MIS, 0, 0), SBI_ERR_DENIED_LOCKED, 0);
	CHECK_RET(set(&b, &caps_all, F_PM, 0, 0), SBI_SUCCESS, 0);
	/* resetting a leaves b's lock */
	fwft_reset(&a);
	CHECK_STATE(&a, 0, 0, 0);
	CHECK_STATE(&b, 1U << F_MIS, 0, BIT_HEDELEG_MIS);
	CHECK_RET(set(&b, &caps_all, F_MIS, 0, 0), SBI_ERR_DENIED_LOCKED, 0);
	CHECK_RET(set(&a, &caps_all, F_MIS, 0, LOCK), SBI_SUCCESS, 0);
	CHECK_STATE(&b, 1U << F_MIS, 0, BIT_HEDELEG_MIS);
}

/* GET uses a0 only: junk in a1 and a2 does not matter. */
static void test_get_ignores_a1_a2(void)
{
	struct fwft_state s;

	fill_state(&s, &caps_all);
	for (int f = 0; f < NFEAT; f++) {
		CHECK_RET(fwft_call(&s, &caps_all, GET, f, ULONG_MAX, ULONG_MAX), SBI_SUCCESS,
			  on_value(f));
		CHECK_RET(fwft_call(&s, &caps_all, GET, f, 5, 2), SBI_SUCCESS, on_value(f));
	}
	CHECK_STATE(&s, 0, ALL_ENV, BIT_HEDELEG_MIS);
}

/* ---- randomized run against a reference model ---- */

struct model {
	unsigned long val[NFEAT];
	bool locked[NFEAT];
};

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static bool model_has(const struct fwft_caps *c, unsigned f)
{
	const bool has[NFEAT] = { c->misaligned_deleg,	   c->lpe, c->sse, c->dte, c->adue,
				  (c->pmlen_mask & 3) != 0 };
	return has[f];
}

static struct sbiret model_call(struct model *m, const struct fwft_caps *c, unsigned long fid,
				unsigned long a0, unsigned long a1, unsigned long a2)
{
	unsigned f = a0 & 0xffffffffUL;
	bool ok;

	if (fid > 1)
		return (struct sbiret){ -2, 0 };
	if (f >= NFEAT)
		return (struct sbiret){ -4, 0 };
	if (!model_has(c, f))
		return (struct sbiret){ -2, 0 };
	if (fid == 1)
		return (struct sbiret){ 0, m->val[f] };
	if (a2 > 1)
		return (struct sbiret){ -3, 0 };
	if (m->locked[f])
		return (struct sbiret){ -14, 0 };
	if (f == F_PM)
		ok = a1 == 0 || (a1 == 7 && (c->pmlen_mask & 1)) ||
		     (a1 == 16 && (c->pmlen_mask & 2));
	else
		ok = a1 <= 1;
	if (!ok)
		return (struct sbiret){ -3, 0 };
	m->val[f] = a1;
	if (a2)
		m->locked[f] = true;
	return (struct sbiret){ 0, 0 };
}

static void model_expect(const struct model *m, uint32_t *locked, uint64_t *env, uint64_t *deleg)
{
	*locked = 0;
	*env = 0;
	*deleg = m->val[F_MIS] ? BIT_HEDELEG_MIS : 0;
	for (int f = 0; f < NFEAT; f++) {
		if (m->locked[f])
			*locked |= 1U << f;
		if (f != F_MIS && f != F_PM && m->val[f])
			*env |= feat_env_bit[f];
	}
	if (m->val[F_PM] == 7)
		*env |= BIT_PMM7;
	else if (m->val[F_PM] == 16)
		*env |= BIT_PMM16;
}

static struct fwft_caps random_caps(void)
{
	uint64_t r = rnd();
	struct fwft_caps c;

	if ((r & 7) == 0)
		return caps_qemu72;
	if ((r & 7) <= 3)
		return caps_all;
	r >>= 3;
	c.misaligned_deleg = r & 1;
	c.lpe = r & 2;
	c.sse = r & 4;
	c.dte = r & 8;
	c.adue = r & 16;
	c.pmlen_mask = (r >> 5) & 3;
	return c;
}

static unsigned long random_fid(void)
{
	static const unsigned long odd[] = { 2, 3, 0xffffffff, 1UL << 32, ULONG_MAX };
	uint64_t r = rnd();

	if (r % 10 < 9)
		return (r >> 8) & 1;
	return (r >> 8) % 4 ? odd[(r >> 16) % ARRAY_SIZE(odd)] : r >> 20;
}

static unsigned long random_feature(void)
{
	uint64_t r = rnd();
	unsigned long hi = (r >> 8) % 4 == 0 ? (rnd() & ~0xffffffffUL) : 0;

	if (r % 10 < 8)
		return hi | ((r >> 16) % NFEAT);
	if (r % 10 == 8)
		return hi | undefined_ids[(r >> 16) % ARRAY_SIZE(undefined_ids)];
	return hi | (NFEAT + (uint32_t)(rnd() % (0x100000000ULL - NFEAT)));
}

static unsigned long random_value(void)
{
	static const unsigned long good[] = { 0, 1, 1, 7, 16 };
	static const unsigned long bad[] = {
		2, 3, 6, 8, 15, 17, (1UL << 32) | 1, (1UL << 32) | 7, ULONG_MAX
	};
	uint64_t r = rnd();

	if (r % 16 == 0)
		return rnd();
	if (r % 16 < 12)
		return good[(r >> 8) % ARRAY_SIZE(good)];
	return bad[(r >> 8) % ARRAY_SIZE(bad)];
}

static unsigned long random_flags(void)
{
	static const unsigned long odd[] = { 2, 3, 1UL << 63, ULONG_MAX };
	uint64_t r = rnd();

	if (r % 20 < 16)
		return 0;
	if (r % 20 < 18)
		return LOCK; /* rare enough that features do not stay locked most of the time */
	return (r >> 8) % 2 ? odd[(r >> 16) % ARRAY_SIZE(odd)] : rnd();
}

static void test_random_vs_model(void)
{
	enum { NVCPU = 2, STEPS = 10000 };
	struct fwft_state s[NVCPU];
	struct model m[NVCPU];
	struct fwft_caps caps[NVCPU];
	unsigned hits[NFEAT] = { 0 }, locked_hits = 0, err_hits[15] = { 0 };

	for (int v = 0; v < NVCPU; v++) {
		caps[v] = v ? caps_all : random_caps();
		fwft_reset(&s[v]);
		memset(&m[v], 0, sizeof(m[v]));
	}
	for (int step = 0; step < STEPS; step++) {
		int v = rnd() % NVCPU;

		if (rnd() % 200 == 0) { /* vCPU reset; the caps can change with it (new boot) */
			caps[v] = random_caps();
			fwft_reset(&s[v]);
			memset(&m[v], 0, sizeof(m[v]));
		}
		unsigned long fid = random_fid(), a0 = random_feature(), a1 = random_value(),
			      a2 = random_flags();
		struct sbiret want = model_call(&m[v], &caps[v], fid, a0, a1, a2);
		struct sbiret saw = fwft_call(&s[v], &caps[v], fid, a0, a1, a2);
		uint32_t lk;
		uint64_t env, deleg;

		model_expect(&m[v], &lk, &env, &deleg);
		if (saw.error != want.error || saw.value != want.value || s[v].locked != lk ||
		    s[v].henvcfg != env || s[v].hedeleg != deleg) {
			CHECK(0,
			      "step %d vcpu %d call(fid 0x%lx, a0 0x%lx, a1 0x%lx, a2 0x%lx): "
			      "expected (%ld, 0x%lx) locked 0x%x henvcfg 0x%llx hedeleg 0x%llx, "
			      "saw (%ld, 0x%lx) locked 0x%x henvcfg 0x%llx hedeleg 0x%llx",
			      step, v, fid, a0, a1, a2, want.error, want.value, lk,
			      (unsigned long long)env, (unsigned long long)deleg, saw.error,
			      saw.value, s[v].locked, (unsigned long long)s[v].henvcfg,
			      (unsigned long long)s[v].hedeleg);
			break;
		}
		if (want.error <= 0 && want.error >= -14)
			err_hits[-want.error]++;
		if (fid == SET && !want.error && (a0 & 0xffffffffUL) < NFEAT &&
		    a1 == m[v].val[a0 & 0xffffffffUL] && a1)
			hits[a0 & 0xffffffffUL]++;
		if (want.error == SBI_ERR_DENIED_LOCKED)
			locked_hits++;
	}
	/* the generator must have reached every outcome */
	static const int errs[] = { 0, 2, 3, 4, 14 };
	for (unsigned i = 0; i < ARRAY_SIZE(errs); i++)
		CHECK(err_hits[errs[i]] > 50, "error -%d seen only %u times", errs[i],
		      err_hits[errs[i]]);
	for (int f = 0; f < NFEAT; f++)
		CHECK(hits[f] > 20, "%s set non-zero only %u times", feat_name[f], hits[f]);
	CHECK(locked_hits > 50, "DENIED_LOCKED only %u times", locked_hits);
	if (getenv("FWFT_STATS"))
		printf("  hits %u %u %u %u %u %u, errors 0:%u -2:%u -3:%u -4:%u -14:%u\n", hits[0],
		       hits[1], hits[2], hits[3], hits[4], hits[5], err_hits[0], err_hits[2],
		       err_hits[3], err_hits[4], err_hits[14]);
}

int main(void)
{
	RUN(test_sbi_constants);
	RUN(test_qemu72_defined_not_supported);
	RUN(test_qemu72_undefined_denied);
	RUN(test_undefined_ids_denied);
	RUN(test_feature_high_bits_ignored);
	RUN(test_unknown_fid);
	RUN(test_supported_per_cap);
	RUN(test_set_bad_flags);
	RUN(test_set_bad_values);
	RUN(test_pmlen_values);
	RUN(test_misaligned_hedeleg);
	RUN(test_henvcfg_bits);
	RUN(test_lock);
	RUN(test_idempotent_set);
	RUN(test_reset);
	RUN(test_per_vcpu);
	RUN(test_get_ignores_a1_a2);
	RUN(test_random_vs_model);
	CHECK_EXIT();
}
