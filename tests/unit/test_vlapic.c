// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Software x2APIC (arch/x86_64/vlapic.c) and the shared vector helpers
 * (asm/apic_regs.h): register-file layout at every word boundary, PPR,
 * every x2APIC MSR read and write (valid, read-only, write-only, reserved
 * bits, undefined), LDR, EOI with nested ISR, TPR masking, the one-shot and
 * periodic timer with every divide setting, ICR destinations and modes,
 * and a randomized run against a reference model.
 */
#include <stdint.h>
#include <asm/apic_regs.h>
#include <asm/vlapic.h>
#include <keel/types.h>
#include "check.h"

/* Written out from the SDM's x2APIC register table, not taken from the headers. */
#define MSR_ID 0x802
#define MSR_LVR 0x803
#define MSR_TPR 0x808
#define MSR_PPR 0x80a
#define MSR_EOI 0x80b
#define MSR_LDR 0x80d
#define MSR_SPIV 0x80f
#define MSR_ISR0 0x810
#define MSR_TMR0 0x818
#define MSR_IRR0 0x820
#define MSR_ESR 0x828
#define MSR_ICR 0x830
#define MSR_LVTT 0x832
#define MSR_LVTTHMR 0x833
#define MSR_LVTPC 0x834
#define MSR_LVT0 0x835
#define MSR_LVT1 0x836
#define MSR_LVTERR 0x837
#define MSR_TMICT 0x838
#define MSR_TMCCT 0x839
#define MSR_TDCR 0x83e
#define MSR_SELF_IPI 0x83f

#define MASKED 0x10000U
#define PERIODIC (1U << 17)
#define TSCDL (2U << 17)
#define ICR_NMI (4U << 8)
#define ICR_INIT (5U << 8)
#define ICR_SIPI (6U << 8)
#define ICR_LOWEST (1U << 8)
#define ICR_LOGICAL (1U << 11)
#define ICR_ASSERT (1U << 14)
#define ICR_LEVEL (1U << 15)
#define SH_SELF (1U << 18)
#define SH_ALL (2U << 18)
#define SH_OTHERS (3U << 18)
#define DEST(id) ((uint64_t)(id) << 32)

static uint32_t page[1024] __attribute__((aligned(4096)));
static uint32_t page2[1024] __attribute__((aligned(4096)));
static struct vlapic_action act;

static int wr(struct vlapic *v, uint32_t msr, uint64_t val, uint64_t now)
{
	return vlapic_wrmsr(v, msr, val, now, &act);
}

static uint64_t rd(struct vlapic *v, uint32_t msr, uint64_t now)
{
	uint64_t val = 0xdeadbeefdeadbeefULL;
	int rc = vlapic_rdmsr(v, msr, now, &val);

	CHECK(rc == 0, "RDMSR 0x%x failed (rc %d)", msr, rc);
	return val;
}

/* A vCPU with the APIC software-enabled (SPIV 0x1ff) */
static void setup(struct vlapic *v, uint32_t id, uint32_t nr)
{
	vlapic_init(v, page, id, nr);
	CHECK_EQ_U64(wr(v, MSR_SPIV, 0x1ff, 0), 0);
}

static bool irr(const uint32_t *p, unsigned int vec)
{
	return (p[(0x200 + 0x10 * (vec / 32)) / 4] >> (vec % 32)) & 1;
}

static bool isr(const uint32_t *p, unsigned int vec)
{
	return (p[(0x100 + 0x10 * (vec / 32)) / 4] >> (vec % 32)) & 1;
}

static bool page_is_zero(const uint32_t *p)
{
	for (int i = 0; i < 1024; i++) {
		if (p[i])
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------ vector helpers */

static void test_vec_set_clear_every_vector(void)
{
	static const uint32_t bases[] = { 0x100, 0x180, 0x200, 0x204 };

	for (size_t b = 0; b < ARRAY_SIZE(bases); b++) {
		for (unsigned int v = 0; v < 256; v++) {
			uint32_t word = (bases[b] + 0x10 * (v / 32)) / 4;

			memset(page, 0, sizeof(page));
			apic_vec_set(page, bases[b], v);
			CHECK(page[word] == 1U << (v % 32),
			      "base 0x%x vector %u: expected word 0x%x = 0x%x, saw 0x%x", bases[b],
			      v, word * 4, 1U << (v % 32), page[word]);
			page[word] &= ~(1U << (v % 32));
			CHECK(page_is_zero(page), "base 0x%x vector %u: another word changed",
			      bases[b], v);
			page[word] |= 1U << (v % 32);
			CHECK(apic_vec_test(page, bases[b], v), "vector %u not seen set", v);
			CHECK(v == 0 || !apic_vec_test(page, bases[b], v - 1), "vector %u seen",
			      v - 1);
			CHECK(v == 255 || !apic_vec_test(page, bases[b], v + 1), "vector %u seen",
			      v + 1);
			CHECK_EQ_U64(apic_vec_highest(page, bases[b]), v);
			apic_vec_clear(page, bases[b], v);
			CHECK(page_is_zero(page), "base 0x%x vector %u: clear left bits", bases[b],
			      v);
			CHECK_EQ_U64(apic_vec_highest(page, bases[b]), -1);
		}
	}
}

static void test_vec_word_boundaries(void)
{
	static const unsigned int edges[] = { 0,   1,	30,  31,  32,  33,  63,	 64,  95,  96,
					      127, 128, 159, 160, 191, 192, 223, 224, 254, 255 };

	for (size_t i = 0; i < ARRAY_SIZE(edges); i++) {
		unsigned int v = edges[i];

		CHECK_EQ_U64(apic_vec_offset(0x200, v), 0x200 + 0x10 * (v / 32));
		CHECK_EQ_U64(apic_vec_offset(0x204, v), 0x204 + 0x10 * (v / 32));
		CHECK_EQ_U64(apic_vec_bit(v), 1U << (v % 32));
	}
	/* IRR (0x200) and ALLOWED_IRR (0x204) are interleaved and independent */
	memset(page, 0, sizeof(page));
	apic_vec_set(page, 0x204, 255);
	CHECK_EQ_U64(apic_vec_highest(page, 0x200), -1);
	apic_vec_set(page, 0x200, 32);
	CHECK_EQ_U64(apic_vec_highest(page, 0x200), 32);
	CHECK_EQ_U64(apic_vec_highest(page, 0x204), 255);
	CHECK(!apic_vec_test(page, 0x204, 32), "IRR bit seen in ALLOWED_IRR");
	/* an out-of-range vector or offset never leaves the page */
	CHECK_EQ_U64(apic_vec_offset(0x200, 0x1ff), 0x270);
	CHECK(apic_reg_ptr(page, 0x1000) == &page[0], "offset 0x1000 not masked");
	CHECK(apic_reg_ptr(page, 0xffffffff) == &page[1023], "offset ~0 not masked");
	CHECK(apic_reg_ptr(page, 0x203) == &page[0x200 / 4], "unaligned offset not masked");
}

static void test_vec_highest_pairs(void)
{
	memset(page, 0, sizeof(page));
	CHECK_EQ_U64(apic_vec_highest(page, 0x200), -1);
	for (unsigned int a = 0; a < 256; a++) {
		for (unsigned int b = 0; b < 256; b++) {
			int h;

			apic_vec_set(page, 0x200, a);
			apic_vec_set(page, 0x200, b);
			h = apic_vec_highest(page, 0x200);
			if (h != (int)(a > b ? a : b))
				CHECK(0, "vectors %u,%u: expected %u, saw %d", a, b, a > b ? a : b,
				      h);
			apic_vec_clear(page, 0x200, a);
			apic_vec_clear(page, 0x200, b);
		}
	}
	CHECK(page_is_zero(page), "pairs left bits behind");
	for (int w = 0; w < 8; w++)
		page[(0x200 + 0x10 * w) / 4] = 0xffffffff;
	CHECK_EQ_U64(apic_vec_highest(page, 0x200), 255);
	CHECK_EQ_U64(apic_vec_highest(page, 0x100), -1);
}

static void test_prio_class_and_msr_mapping(void)
{
	for (unsigned int v = 0; v < 256; v++)
		CHECK_EQ_U64(apic_prio_class(v), v / 16);
	CHECK_EQ_U64(apic_msr_to_offset(0x802), 0x020);
	CHECK_EQ_U64(apic_msr_to_offset(0x808), 0x080);
	CHECK_EQ_U64(apic_msr_to_offset(0x820), 0x200);
	CHECK_EQ_U64(apic_msr_to_offset(0x830), 0x300);
	CHECK_EQ_U64(apic_msr_to_offset(0x83f), 0x3f0);
	CHECK_EQ_U64(apic_msr_to_offset(0x8ff), 0xff0);
	for (uint32_t off = 0; off < 0x1000; off += 0x10) {
		CHECK_EQ_U64(apic_offset_to_msr(off), 0x800 + off / 16);
		CHECK_EQ_U64(apic_msr_to_offset(apic_offset_to_msr(off)), off);
	}
	CHECK_EQ_U64(apic_offset_to_msr(0x204), 0x820); /* ALLOWED_IRR shares IRR's MSR slot */
	CHECK(!apic_msr_is_x2apic(0x7ff), "0x7ff is not an x2APIC MSR");
	CHECK(apic_msr_is_x2apic(0x800), "0x800 is in the x2APIC range");
	CHECK(apic_msr_is_x2apic(0x8ff), "0x8ff is in the x2APIC range");
	CHECK(!apic_msr_is_x2apic(0x900), "0x900 is not an x2APIC MSR");
	CHECK(!apic_msr_is_x2apic(0xc0010138), "SAVIC_CONTROL is not an x2APIC MSR");
}

/* ------------------------------------------------------------------ PPR */

static void test_ppr(void)
{
	static const struct {
		uint32_t tpr;
		int isrv;
		uint32_t ppr;
	} cases[] = {
		{ 0x00, -1, 0x00 },   { 0x20, -1, 0x20 },   { 0x25, 0x31, 0x30 },
		{ 0x35, 0x31, 0x35 }, { 0x30, 0x3f, 0x30 }, { 0x00, 0xff, 0xf0 },
		{ 0xff, 0xff, 0xff }, { 0x4f, 0x20, 0x4f }, { 0x0f, 0x10, 0x10 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK(apic_ppr(cases[i].tpr, cases[i].isrv) == cases[i].ppr,
		      "TPR 0x%x ISRV %d: expected PPR 0x%x, saw 0x%x", cases[i].tpr, cases[i].isrv,
		      cases[i].ppr, apic_ppr(cases[i].tpr, cases[i].isrv));
	for (uint32_t tpr = 0; tpr < 256; tpr++) {
		for (int isrv = -1; isrv < 256; isrv++) {
			uint32_t ppr = apic_ppr(tpr, isrv);
			uint32_t ic = isrv < 0 ? 0 : (uint32_t)isrv >> 4;
			uint32_t want = (tpr >> 4) >= ic ? tpr : ic << 4;

			if (ppr != want)
				CHECK(0, "TPR 0x%x ISRV %d: expected 0x%x, saw 0x%x", tpr, isrv,
				      want, ppr);
		}
	}
	CHECK_EQ_U64(apic_ppr(0xffffff12, -1), 0x12); /* TPR bits 31:8 ignored */
}

static void test_deliverable(void)
{
	for (int v = -1; v < 256; v++) {
		for (uint32_t ppr = 0; ppr < 256; ppr++) {
			int want = (v >= 0 && (uint32_t)v / 16 > ppr / 16) ? v : -1;
			int saw;

			memset(page, 0, sizeof(page));
			if (v >= 0)
				apic_vec_set(page, 0x200, (unsigned int)v);
			if (v > 16)
				apic_vec_set(page, 0x200, (unsigned int)v - 16); /* a lower one */
			saw = apic_deliverable(page, 0x200, ppr);
			if (saw != want)
				CHECK(0, "IRR %d PPR 0x%x: expected %d, saw %d", v, ppr, want, saw);
		}
	}
}

/* ------------------------------------------------------------------ MSRs */

static bool readable(uint32_t msr)
{
	switch (msr) {
	case MSR_ID:
	case MSR_LVR:
	case MSR_TPR:
	case MSR_PPR:
	case MSR_LDR:
	case MSR_SPIV:
	case MSR_ESR:
	case MSR_ICR:
	case MSR_LVTT:
	case MSR_LVTTHMR:
	case MSR_LVTPC:
	case MSR_LVT0:
	case MSR_LVT1:
	case MSR_LVTERR:
	case MSR_TMICT:
	case MSR_TMCCT:
	case MSR_TDCR:
		return true;
	default:
		return msr >= MSR_ISR0 && msr <= MSR_IRR0 + 7;
	}
}

static bool writable(uint32_t msr)
{
	switch (msr) {
	case MSR_TPR:
	case MSR_EOI:
	case MSR_SPIV:
	case MSR_ESR:
	case MSR_ICR:
	case MSR_LVTT:
	case MSR_LVTTHMR:
	case MSR_LVTPC:
	case MSR_LVT0:
	case MSR_LVT1:
	case MSR_LVTERR:
	case MSR_TMICT:
	case MSR_TDCR:
	case MSR_SELF_IPI:
		return true;
	default:
		return false;
	}
}

static void test_msr_reset_values(void)
{
	struct vlapic v;

	memset(page, 0x5a, sizeof(page));
	vlapic_init(&v, page, 3, 4);
	CHECK_EQ_U64(rd(&v, MSR_ID, 0), 3);
	CHECK_EQ_U64(rd(&v, MSR_LVR, 0), 0x50014);
	CHECK(!(rd(&v, MSR_LVR, 0) & (1U << 24)), "EOI-broadcast suppression advertised");
	CHECK_EQ_U64(rd(&v, MSR_LDR, 0), 1U << 3);
	CHECK_EQ_U64(rd(&v, MSR_SPIV, 0), 0xff);
	CHECK_EQ_U64(rd(&v, MSR_TPR, 0), 0);
	CHECK_EQ_U64(rd(&v, MSR_PPR, 0), 0);
	CHECK_EQ_U64(rd(&v, MSR_ESR, 0), 0);
	CHECK_EQ_U64(rd(&v, MSR_ICR, 0), 0);
	for (uint32_t m = MSR_LVTT; m <= MSR_LVTERR; m++)
		CHECK(rd(&v, m, 0) == MASKED, "LVT 0x%x: expected 0x10000, saw 0x%llx", m,
		      (unsigned long long)rd(&v, m, 0));
	CHECK_EQ_U64(rd(&v, MSR_TMICT, 0), 0);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 12345), 0);
	CHECK_EQ_U64(rd(&v, MSR_TDCR, 0), 0);
	for (uint32_t m = MSR_ISR0; m <= MSR_IRR0 + 7; m++)
		CHECK(rd(&v, m, 0) == 0, "0x%x not 0 after reset", m);
	CHECK_EQ_U64(vlapic_timer_deadline(&v), VLAPIC_TIMER_OFF);
	CHECK(!vlapic_take_nmi(&v), "NMI pending after reset");
	CHECK_EQ_U64(vlapic_pending_vector(&v), -1);
}

static void test_msr_read_every_index(void)
{
	struct vlapic v;
	static const uint32_t outside[] = { 0, 0x1b, 0x7ff, 0x900, 0xc0010138, 0xffffffff };

	vlapic_init(&v, page, 0, 1);
	for (uint32_t m = 0x800; m <= 0x8ff; m++) {
		uint64_t val = 0;
		int rc = vlapic_rdmsr(&v, m, 0, &val);

		CHECK(rc == (readable(m) ? 0 : VLAPIC_GP), "RDMSR 0x%x: expected rc %d, saw %d", m,
		      readable(m) ? 0 : VLAPIC_GP, rc);
	}
	for (size_t i = 0; i < ARRAY_SIZE(outside); i++) {
		uint64_t val;

		CHECK_EQ_U64(vlapic_rdmsr(&v, outside[i], 0, &val), VLAPIC_GP);
		CHECK_EQ_U64(wr(&v, outside[i], 0, 0), VLAPIC_GP);
	}
}

static void test_msr_write_every_index(void)
{
	struct vlapic v;

	for (uint32_t m = 0x800; m <= 0x8ff; m++) {
		int rc;

		setup(&v, 0, 1);
		rc = wr(&v, m, 0, 0);
		CHECK(rc == (writable(m) ? 0 : VLAPIC_GP), "WRMSR 0x%x = 0: expected rc %d, saw %d",
		      m, writable(m) ? 0 : VLAPIC_GP, rc);
		/* the high half is reserved everywhere but ICR */
		rc = wr(&v, m, 1ULL << 32, 0);
		CHECK(rc == (m == MSR_ICR ? 0 : VLAPIC_GP),
		      "WRMSR 0x%x with bit 32: expected rc %d, saw %d", m,
		      m == MSR_ICR ? 0 : VLAPIC_GP, rc);
	}
}

static void test_msr_write_values(void)
{
	static const struct {
		uint32_t msr;
		uint32_t val;
		int rc;
		uint32_t readback;
	} cases[] = {
		{ MSR_TPR, 0xff, 0, 0xff },
		{ MSR_TPR, 0x100, VLAPIC_GP, 0 },
		{ MSR_TPR, 0x80000000, VLAPIC_GP, 0 },
		{ MSR_SPIV, 0x3ff, 0, 0x3ff },
		{ MSR_SPIV, 0x1000, VLAPIC_GP, 0x1ff }, /* EOI-broadcast suppression */
		{ MSR_SPIV, 0x400, VLAPIC_GP, 0x1ff },
		{ MSR_LVTT, 0x300ff, 0, 0x300ff },
		{ MSR_LVTT, 0x60020, VLAPIC_GP, MASKED }, /* mode 3 */
		{ MSR_LVTT, 0x40020, 0, 0x40020 }, /* TSC-deadline: kept, runs as one-shot */
		{ MSR_LVTT, 0x1020, 0, 0x20 }, /* delivery status is read-only */
		{ MSR_LVTT, 0x100, VLAPIC_GP, MASKED },
		{ MSR_LVTT, 0x80000, VLAPIC_GP, MASKED },
		{ MSR_LVTTHMR, 0x107ff, 0, 0x107ff },
		{ MSR_LVTTHMR, 0x2000, VLAPIC_GP, MASKED },
		{ MSR_LVTPC, 0x400, 0, 0x400 },
		{ MSR_LVTPC, 0x8000, VLAPIC_GP, MASKED },
		{ MSR_LVT0, 0x1a7ff, 0, 0x1a7ff },
		{ MSR_LVT0, 0x5700, 0, 0x700 }, /* delivery status, remote IRR: read-only */
		{ MSR_LVT1, 0x20000, VLAPIC_GP, MASKED },
		{ MSR_LVTERR, 0xfe, 0, 0xfe },
		{ MSR_LVTERR, 0x700, VLAPIC_GP, MASKED },
		{ MSR_TMICT, 0xffffffff, 0, 0xffffffff },
		{ MSR_TDCR, 0xb, 0, 0xb },
		{ MSR_TDCR, 0x4, VLAPIC_GP, 0 },
		{ MSR_TDCR, 0x10, VLAPIC_GP, 0 },
		{ MSR_EOI, 1, VLAPIC_GP, 0 },
		{ MSR_ESR, 1, VLAPIC_GP, 0 },
		{ MSR_SELF_IPI, 0x100, VLAPIC_GP, 0 },
	};
	struct vlapic v;
	uint64_t val;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int rc;

		setup(&v, 0, 1);
		rc = wr(&v, cases[i].msr, cases[i].val, 0);
		CHECK(rc == cases[i].rc, "WRMSR 0x%x = 0x%x: expected rc %d, saw %d", cases[i].msr,
		      cases[i].val, cases[i].rc, rc);
		if (cases[i].msr == MSR_EOI || cases[i].msr == MSR_SELF_IPI)
			continue;
		val = rd(&v, cases[i].msr, 0);
		CHECK(val == cases[i].readback, "WRMSR 0x%x = 0x%x: expected 0x%x, saw 0x%llx",
		      cases[i].msr, cases[i].val, cases[i].readback, (unsigned long long)val);
	}
	/* read-only registers keep their value after a refused write */
	setup(&v, 2, 4);
	CHECK_EQ_U64(wr(&v, MSR_ID, 7, 0), VLAPIC_GP);
	CHECK_EQ_U64(rd(&v, MSR_ID, 0), 2);
	CHECK_EQ_U64(wr(&v, MSR_LDR, 7, 0), VLAPIC_GP);
	CHECK_EQ_U64(rd(&v, MSR_LDR, 0), 4);
	CHECK_EQ_U64(wr(&v, MSR_IRR0 + 2, 1, 0), VLAPIC_GP);
	CHECK_EQ_U64(rd(&v, MSR_IRR0 + 2, 0), 0);
	CHECK_EQ_U64(vlapic_rdmsr(&v, MSR_EOI, 0, &val), VLAPIC_GP);
	CHECK_EQ_U64(vlapic_rdmsr(&v, MSR_SELF_IPI, 0, &val), VLAPIC_GP);
}

static void test_sw_disable_masks_lvts(void)
{
	struct vlapic v;

	setup(&v, 0, 1);
	for (uint32_t m = MSR_LVTT; m <= MSR_LVTERR; m++)
		CHECK_EQ_U64(wr(&v, m, 0x40, 0), 0);
	CHECK_EQ_U64(wr(&v, MSR_SPIV, 0xff, 0), 0);
	for (uint32_t m = MSR_LVTT; m <= MSR_LVTERR; m++)
		CHECK(rd(&v, m, 0) == (0x40 | MASKED), "LVT 0x%x: expected 0x10040, saw 0x%llx", m,
		      (unsigned long long)rd(&v, m, 0));
	/* while disabled, the mask bit cannot be cleared */
	CHECK_EQ_U64(wr(&v, MSR_LVTT, 0x41, 0), 0);
	CHECK_EQ_U64(rd(&v, MSR_LVTT, 0), 0x41 | MASKED);
	/* fixed interrupts are refused, NMIs are not */
	CHECK(!vlapic_accept(&v, 0x50), "fixed interrupt accepted while disabled");
	CHECK(!irr(page, 0x50), "IRR set while disabled");
	vlapic_accept_nmi(&v);
	CHECK(vlapic_take_nmi(&v), "NMI refused while disabled");
	/* enabling again does not unmask */
	CHECK_EQ_U64(wr(&v, MSR_SPIV, 0x1ff, 0), 0);
	CHECK_EQ_U64(rd(&v, MSR_LVTT, 0), 0x41 | MASKED);
	CHECK(vlapic_accept(&v, 0x50), "fixed interrupt refused while enabled");
}

static void test_ldr(void)
{
	static const struct {
		uint32_t id, ldr;
	} cases[] = {
		{ 0, 0x1 },	 { 1, 0x2 },	  { 15, 0x8000 },	 { 16, 0x10001 },
		{ 35, 0x20008 }, { 63, 0x38000 }, { 0x1234, 0x1230010 }, { 0xffff, 0xfff8000 }
	};
	struct vlapic v;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		vlapic_init(&v, page, cases[i].id, 64);
		CHECK(rd(&v, MSR_LDR, 0) == cases[i].ldr, "ID 0x%x: expected LDR 0x%x, saw 0x%llx",
		      cases[i].id, cases[i].ldr, (unsigned long long)rd(&v, MSR_LDR, 0));
		CHECK_EQ_U64(rd(&v, MSR_ID, 0), cases[i].id);
	}
}

/* ------------------------------------------------------------------ delivery */

static void test_eoi_nested(void)
{
	struct vlapic v;

	setup(&v, 0, 1);
	CHECK(vlapic_accept(&v, 0x30), "0x30 refused");
	CHECK_EQ_U64(vlapic_pending_vector(&v), 0x30);
	vlapic_ack(&v, 0x30);
	CHECK(!irr(page, 0x30) && isr(page, 0x30), "ack did not move 0x30 IRR -> ISR");
	CHECK_EQ_U64(rd(&v, MSR_PPR, 0), 0x30);
	CHECK_EQ_U64(rd(&v, MSR_ISR0 + 1, 0), 1U << 16);
	vlapic_accept(&v, 0x50);
	CHECK_EQ_U64(vlapic_pending_vector(&v), 0x50); /* class 5 above 3: nests */
	vlapic_ack(&v, 0x50);
	CHECK_EQ_U64(rd(&v, MSR_PPR, 0), 0x50);
	vlapic_accept(&v, 0x40);
	vlapic_accept(&v, 0x55);
	CHECK_EQ_U64(vlapic_pending_vector(&v), -1); /* 0x55 same class as 0x50 */
	CHECK_EQ_U64(wr(&v, MSR_EOI, 0, 0), 0);
	CHECK_EQ_U64(act.kind, VLAPIC_ACT_EOI);
	CHECK_EQ_U64(act.vector, 0x50);
	CHECK(!isr(page, 0x50) && isr(page, 0x30), "EOI cleared the wrong ISR bit");
	CHECK_EQ_U64(vlapic_pending_vector(&v), 0x55);
	vlapic_ack(&v, 0x55);
	CHECK_EQ_U64(vlapic_pending_vector(&v), -1);
	CHECK_EQ_U64(wr(&v, MSR_EOI, 0, 0), 0);
	CHECK_EQ_U64(act.vector, 0x55);
	CHECK_EQ_U64(vlapic_pending_vector(&v), 0x40);
	vlapic_ack(&v, 0x40);
	CHECK_EQ_U64(wr(&v, MSR_EOI, 0, 0), 0);
	CHECK_EQ_U64(act.vector, 0x40);
	CHECK_EQ_U64(wr(&v, MSR_EOI, 0, 0), 0);
	CHECK_EQ_U64(act.vector, 0x30);
	CHECK_EQ_U64(rd(&v, MSR_PPR, 0), 0);
	CHECK_EQ_U64(wr(&v, MSR_EOI, 0, 0), 0); /* nothing in service */
	CHECK_EQ_U64(act.kind, VLAPIC_ACT_NONE);
	CHECK_EQ_U64(vlapic_pending_vector(&v), -1);
}

static void test_tpr_masking(void)
{
	struct vlapic v;

	setup(&v, 0, 1);
	vlapic_accept(&v, 0x45);
	CHECK_EQ_U64(vlapic_pending_vector(&v), 0x45);
	CHECK_EQ_U64(wr(&v, MSR_TPR, 0x40, 0), 0);
	CHECK_EQ_U64(vlapic_pending_vector(&v), -1); /* same class: blocked */
	CHECK_EQ_U64(rd(&v, MSR_PPR, 0), 0x40);
	CHECK_EQ_U64(wr(&v, MSR_TPR, 0x3f, 0), 0);
	CHECK_EQ_U64(vlapic_pending_vector(&v), 0x45);
	CHECK_EQ_U64(wr(&v, MSR_TPR, 0xff, 0), 0);
	CHECK_EQ_U64(vlapic_pending_vector(&v), -1);
	CHECK_EQ_U64(wr(&v, MSR_TPR, 0, 0), 0);
	CHECK_EQ_U64(vlapic_pending_vector(&v), 0x45);
	/* TPR and ISR together: PPR takes the higher class */
	vlapic_ack(&v, 0x45);
	vlapic_accept(&v, 0x62);
	CHECK_EQ_U64(wr(&v, MSR_TPR, 0x60, 0), 0);
	CHECK_EQ_U64(vlapic_pending_vector(&v), -1);
	CHECK_EQ_U64(wr(&v, MSR_TPR, 0x20, 0), 0);
	CHECK_EQ_U64(rd(&v, MSR_PPR, 0), 0x40);
	CHECK_EQ_U64(vlapic_pending_vector(&v), 0x62);
	/* class 1 (16..31) is deliverable at TPR 0; 0..15 are refused */
	setup(&v, 0, 1);
	CHECK(vlapic_accept(&v, 16), "vector 16 refused");
	CHECK_EQ_U64(vlapic_pending_vector(&v), 16);
	for (unsigned int vec = 0; vec < 16; vec++)
		CHECK(!vlapic_accept(&v, (uint8_t)vec), "illegal vector %u accepted", vec);
	CHECK_EQ_U64(rd(&v, MSR_IRR0, 0), 1U << 16);
	CHECK_EQ_U64(rd(&v, MSR_ESR, 0), 0); /* latched until the next ESR write */
	CHECK_EQ_U64(wr(&v, MSR_ESR, 0, 0), 0);
	CHECK_EQ_U64(rd(&v, MSR_ESR, 0), 0x40); /* receive illegal vector */
	CHECK_EQ_U64(wr(&v, MSR_ESR, 0, 0), 0);
	CHECK_EQ_U64(rd(&v, MSR_ESR, 0), 0);
}

static void test_self_ipi_and_nmi(void)
{
	struct vlapic v;

	setup(&v, 1, 2);
	CHECK_EQ_U64(wr(&v, MSR_SELF_IPI, 0x55, 0), 0);
	CHECK_EQ_U64(act.kind, VLAPIC_ACT_NONE);
	CHECK(irr(page, 0x55), "SELF_IPI did not set IRR 0x55");
	CHECK_EQ_U64(vlapic_pending_vector(&v), 0x55);
	CHECK_EQ_U64(wr(&v, MSR_SELF_IPI, 0x5, 0), 0);
	CHECK(!irr(page, 0x5), "SELF_IPI set illegal vector 5");
	wr(&v, MSR_ESR, 0, 0);
	CHECK_EQ_U64(rd(&v, MSR_ESR, 0), 0x40);
	CHECK(!vlapic_take_nmi(&v), "NMI pending before any");
	vlapic_accept_nmi(&v);
	vlapic_accept_nmi(&v); /* NMIs do not queue */
	CHECK(vlapic_take_nmi(&v), "NMI not pending");
	CHECK(!vlapic_take_nmi(&v), "NMI pending twice");
	/* INIT resets everything but the ID */
	vlapic_accept_nmi(&v);
	vlapic_reset(&v);
	CHECK(!vlapic_take_nmi(&v), "NMI survived INIT");
	CHECK_EQ_U64(rd(&v, MSR_ID, 0), 1);
	CHECK_EQ_U64(rd(&v, MSR_SPIV, 0), 0xff);
	CHECK_EQ_U64(rd(&v, MSR_IRR0 + 2, 0), 0);
}

static void test_error_interrupt(void)
{
	struct vlapic v;

	setup(&v, 0, 1);
	CHECK_EQ_U64(wr(&v, MSR_LVTERR, 0xfe, 0), 0);
	CHECK_EQ_U64(wr(&v, MSR_ICR, SH_SELF | 0x0f, 0), 0); /* illegal vector */
	CHECK_EQ_U64(act.kind, VLAPIC_ACT_NONE);
	CHECK(irr(page, 0xfe), "error interrupt 0xfe not raised");
	CHECK(!irr(page, 0x0f), "illegal vector 0x0f set");
	wr(&v, MSR_ESR, 0, 0);
	CHECK_EQ_U64(rd(&v, MSR_ESR, 0), 0x20); /* send illegal vector */
	/* masked LVTERR: the error is latched, no interrupt */
	setup(&v, 0, 1);
	wr(&v, MSR_ICR, DEST(0) | 0x01, 0);
	CHECK_EQ_U64(rd(&v, MSR_IRR0 + 7, 0), 0);
	wr(&v, MSR_ESR, 0, 0);
	CHECK_EQ_U64(rd(&v, MSR_ESR, 0), 0x20);
}

/* ------------------------------------------------------------------ timer */

static void test_timer_oneshot(void)
{
	struct vlapic v;

	setup(&v, 0, 1);
	CHECK_EQ_U64(wr(&v, MSR_LVTT, 0x20, 0), 0);
	CHECK_EQ_U64(wr(&v, MSR_TDCR, 0xb, 0), 0); /* divide by 1 */
	CHECK_EQ_U64(vlapic_timer_deadline(&v), VLAPIC_TIMER_OFF);
	CHECK_EQ_U64(wr(&v, MSR_TMICT, 1000, 5000), 0);
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 6000);
	CHECK_EQ_U64(rd(&v, MSR_TMICT, 5500), 1000);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 5000), 1000);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 5500), 500);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 5999), 1);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 6000), 0);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 4000), 1000); /* a caller clock behind the start */
	CHECK(!vlapic_timer_expire(&v, 5999), "fired before the deadline");
	CHECK(!irr(page, 0x20), "IRR set before the deadline");
	CHECK(vlapic_timer_expire(&v, 6000), "did not fire at the deadline");
	CHECK(irr(page, 0x20), "IRR 0x20 not set");
	CHECK_EQ_U64(vlapic_timer_deadline(&v), VLAPIC_TIMER_OFF);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 7000), 0);
	CHECK(!vlapic_timer_expire(&v, 100000), "one-shot fired twice");
	/* rewriting TMICT restarts; 0 stops */
	CHECK_EQ_U64(wr(&v, MSR_TMICT, 10, 7000), 0);
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 7010);
	CHECK_EQ_U64(wr(&v, MSR_TMICT, 20, 7005), 0);
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 7025);
	CHECK_EQ_U64(wr(&v, MSR_TMICT, 0, 7006), 0);
	CHECK_EQ_U64(vlapic_timer_deadline(&v), VLAPIC_TIMER_OFF);
	CHECK(!vlapic_timer_expire(&v, 100000), "stopped timer fired");
	/* TSC-deadline mode is not offered and runs as one-shot */
	setup(&v, 0, 1);
	wr(&v, MSR_TDCR, 0xb, 0);
	CHECK_EQ_U64(wr(&v, MSR_LVTT, TSCDL | 0x21, 0), 0);
	wr(&v, MSR_TMICT, 50, 0);
	CHECK(vlapic_timer_expire(&v, 60), "TSC-deadline mode did not fire");
	CHECK_EQ_U64(vlapic_timer_deadline(&v), VLAPIC_TIMER_OFF);
	/* vlapic_timer_tick() reports the vector without touching the IRR */
	setup(&v, 0, 1);
	wr(&v, MSR_TDCR, 0xb, 0);
	wr(&v, MSR_LVTT, 0x22, 0);
	wr(&v, MSR_TMICT, 5, 0);
	CHECK_EQ_U64(vlapic_timer_tick(&v, 4), -1);
	CHECK_EQ_U64(vlapic_timer_tick(&v, 5), 0x22);
	CHECK(!irr(page, 0x22), "tick set the IRR");
	CHECK_EQ_U64(vlapic_timer_tick(&v, 6), -1);
}

static void test_timer_periodic(void)
{
	struct vlapic v;

	setup(&v, 0, 1);
	wr(&v, MSR_TDCR, 0xb, 0);
	CHECK_EQ_U64(wr(&v, MSR_LVTT, PERIODIC | 0x30, 0), 0);
	CHECK_EQ_U64(wr(&v, MSR_TMICT, 100, 1000), 0);
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 1100);
	CHECK(vlapic_timer_expire(&v, 1105), "periodic did not fire");
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 1200); /* not 1205: no drift */
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 1150), 50);
	CHECK(!vlapic_timer_expire(&v, 1199), "fired early");
	CHECK(vlapic_timer_expire(&v, 1200), "second period did not fire");
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 1300);
	/* a late caller: missed periods coalesce into one interrupt, grid kept */
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 1380), 20); /* past the deadline, still counting */
	CHECK(vlapic_timer_expire(&v, 1550), "late expiry did not fire");
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 1600);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 1580), 20);
	for (uint64_t t = 1600, n = 0; n < 1000; n++, t += 100) {
		if (!vlapic_timer_expire(&v, t + n % 7)) {
			CHECK(0, "period %llu did not fire", (unsigned long long)n);
			break;
		}
	}
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 101600);
	/* masked: keeps counting and re-arming, sets nothing */
	memset(&page[0x200 / 4], 0, 0x80);
	CHECK_EQ_U64(wr(&v, MSR_LVTT, MASKED | PERIODIC | 0x30, 101600), 0);
	CHECK(!vlapic_timer_expire(&v, 101600), "masked timer fired");
	CHECK_EQ_U64(rd(&v, MSR_IRR0 + 1, 0), 0);
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 101700);
	/* switching to one-shot: the running count ends and stops */
	CHECK_EQ_U64(wr(&v, MSR_LVTT, 0x30, 101650), 0);
	CHECK(vlapic_timer_expire(&v, 101700), "one-shot after periodic did not fire");
	CHECK_EQ_U64(vlapic_timer_deadline(&v), VLAPIC_TIMER_OFF);
	/* software-disabled APIC: the timer fires nothing */
	setup(&v, 0, 1);
	wr(&v, MSR_TDCR, 0xb, 0);
	wr(&v, MSR_LVTT, PERIODIC | 0x30, 0);
	wr(&v, MSR_TMICT, 10, 0);
	wr(&v, MSR_SPIV, 0xff, 0);
	CHECK(!vlapic_timer_expire(&v, 10), "timer fired while disabled");
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 20);
}

static void test_timer_divide(void)
{
	static const struct {
		uint32_t tdcr, div;
	} cases[] = { { 0x0, 2 },  { 0x1, 4 },	{ 0x2, 8 },   { 0x3, 16 },
		      { 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 } };
	struct vlapic v;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t d = cases[i].div;

		setup(&v, 0, 1);
		wr(&v, MSR_LVTT, 0x30, 0);
		CHECK_EQ_U64(wr(&v, MSR_TDCR, cases[i].tdcr, 0), 0);
		CHECK_EQ_U64(wr(&v, MSR_TMICT, 10, 1000), 0);
		CHECK(vlapic_timer_deadline(&v) == 1000 + 10 * d,
		      "TDCR 0x%x: expected deadline %llu, saw %llu", cases[i].tdcr,
		      (unsigned long long)(1000 + 10 * d),
		      (unsigned long long)vlapic_timer_deadline(&v));
		CHECK_EQ_U64(rd(&v, MSR_TMCCT, 1000 + d - 1), 10);
		CHECK_EQ_U64(rd(&v, MSR_TMCCT, 1000 + d), 9);
		CHECK_EQ_U64(rd(&v, MSR_TMCCT, 1000 + 9 * d), 1);
		CHECK(!vlapic_timer_expire(&v, 1000 + 10 * d - 1), "TDCR 0x%x fired early",
		      cases[i].tdcr);
		CHECK(vlapic_timer_expire(&v, 1000 + 10 * d), "TDCR 0x%x did not fire",
		      cases[i].tdcr);
	}
	/* changing the divider mid-count: the count goes on at the new rate */
	setup(&v, 0, 1);
	wr(&v, MSR_LVTT, 0x30, 0);
	wr(&v, MSR_TDCR, 0x0, 0); /* /2 */
	wr(&v, MSR_TMICT, 100, 0);
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 200);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 100), 50);
	CHECK_EQ_U64(wr(&v, MSR_TDCR, 0xb, 100), 0); /* /1 */
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 150);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 100), 50);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 149), 1);
	/* the maximum: TMICT ~0 at /128 does not overflow */
	setup(&v, 0, 1);
	wr(&v, MSR_TDCR, 0xa, 0);
	wr(&v, MSR_TMICT, 0xffffffff, 0);
	CHECK_EQ_U64(vlapic_timer_deadline(&v), 0xffffffffULL * 128);
	CHECK_EQ_U64(rd(&v, MSR_TMCCT, 0), 0xffffffff);
	/* a deadline past the end of time saturates instead of wrapping */
	wr(&v, MSR_TMICT, 2, UINT64_MAX - 10);
	CHECK_EQ_U64(vlapic_timer_deadline(&v), UINT64_MAX - 1);
}

/* ------------------------------------------------------------------ ICR */

static void check_ipi(struct vlapic *v, uint64_t icr, uint32_t mode, uint32_t vec, uint64_t targets)
{
	int rc = wr(v, MSR_ICR, icr, 0);

	CHECK(rc == 0, "ICR 0x%llx: rc %d", (unsigned long long)icr, rc);
	if (!targets) {
		CHECK(act.kind == VLAPIC_ACT_NONE, "ICR 0x%llx: expected no action, saw kind %d",
		      (unsigned long long)icr, act.kind);
		return;
	}
	CHECK(act.kind == VLAPIC_ACT_IPI && act.mode == mode && act.vector == vec &&
		      act.targets == targets,
	      "ICR 0x%llx: expected IPI mode %u vector 0x%x targets 0x%llx, saw kind %d mode %u "
	      "vector 0x%x targets 0x%llx",
	      (unsigned long long)icr, mode, vec, (unsigned long long)targets, act.kind, act.mode,
	      act.vector, (unsigned long long)act.targets);
	CHECK(act.shorthand == ((icr >> 18) & 3), "ICR 0x%llx: shorthand %u",
	      (unsigned long long)icr, act.shorthand);
}

static void test_icr_destinations(void)
{
	struct vlapic v;
	uint64_t val;

	setup(&v, 1, 4);
	check_ipi(&v, DEST(2) | 0x40, 0, 0x40, 0x4);
	CHECK_EQ_U64(rd(&v, MSR_ICR, 0), DEST(2) | 0x40);
	CHECK(!irr(page, 0x40), "ICR touched the sender's IRR");
	check_ipi(&v, DEST(0) | 0x41, 0, 0x41, 0x1);
	check_ipi(&v, DEST(1) | 0x42, 0, 0x42, 0x2); /* own ID */
	check_ipi(&v, DEST(3) | 0x43, 0, 0x43, 0x8);
	check_ipi(&v, DEST(4) | 0x44, 0, 0, 0); /* outside the VM */
	check_ipi(&v, DEST(0x100) | 0x44, 0, 0, 0);
	check_ipi(&v, DEST(0xfffffffe) | 0x44, 0, 0, 0);
	check_ipi(&v, DEST(0xffffffff) | 0x45, 0, 0x45, 0xf); /* x2APIC broadcast */
	check_ipi(&v, SH_SELF | 0x46, 0, 0x46, 0x2);
	check_ipi(&v, DEST(3) | SH_SELF | 0x46, 0, 0x46, 0x2); /* shorthand wins */
	check_ipi(&v, SH_ALL | 0x47, 0, 0x47, 0xf);
	check_ipi(&v, SH_OTHERS | 0x48, 0, 0x48, 0xd);
	/* logical: cluster 31:16, member bitmap 15:0 */
	check_ipi(&v, DEST(0x5) | ICR_LOGICAL | 0x49, 0, 0x49, 0x5);
	check_ipi(&v, DEST(0xfff0) | ICR_LOGICAL | 0x49, 0, 0, 0); /* no members 4..15 */
	check_ipi(&v, DEST(0x10001) | ICR_LOGICAL | 0x49, 0, 0, 0); /* cluster 1 */
	check_ipi(&v, DEST(0xffffffff) | ICR_LOGICAL | 0x49, 0, 0x49, 0xf);
	/* lowest priority goes to one target, as fixed */
	check_ipi(&v, SH_ALL | ICR_LOWEST | 0x4a, 0, 0x4a, 0x1);
	check_ipi(&v, DEST(0xc) | ICR_LOGICAL | ICR_LOWEST | 0x4a, 0, 0x4a, 0x4);
	/* 20 vCPUs: the second cluster */
	setup(&v, 17, 20);
	check_ipi(&v, DEST(0x1000f) | ICR_LOGICAL | 0x50, 0, 0x50, 0xfULL << 16);
	check_ipi(&v, DEST(0x18001) | ICR_LOGICAL | 0x50, 0, 0x50, 1ULL << 16);
	check_ipi(&v, SH_OTHERS | 0x51, 0, 0x51, 0xfffffULL & ~(1ULL << 17));
	/* 64 vCPUs: every bit of the mask */
	setup(&v, 63, 64);
	check_ipi(&v, SH_ALL | 0x52, 0, 0x52, ~0ULL);
	check_ipi(&v, SH_OTHERS | 0x52, 0, 0x52, ~0ULL >> 1);
	check_ipi(&v, SH_SELF | 0x52, 0, 0x52, 1ULL << 63);
	check_ipi(&v, DEST(63) | 0x53, 0, 0x53, 1ULL << 63);
	check_ipi(&v, DEST(64) | 0x53, 0, 0, 0);
	/* nr_vcpus above 64 is clamped */
	setup(&v, 0, 1000);
	check_ipi(&v, SH_ALL | 0x54, 0, 0x54, ~0ULL);
	/* a single-vCPU VM: others = nobody */
	setup(&v, 0, 1);
	check_ipi(&v, SH_OTHERS | 0x55, 0, 0, 0);
	CHECK_EQ_U64(vlapic_rdmsr(&v, MSR_ICR, 0, &val), 0);
	CHECK_EQ_U64(val, SH_OTHERS | 0x55);
}

static void test_icr_modes(void)
{
	static const uint32_t rsvd_bits[] = { 1U << 13, 1U << 16, 1U << 17,
					      1U << 20, 1U << 24, 1U << 31 };
	struct vlapic v;

	setup(&v, 0, 4);
	check_ipi(&v, DEST(3) | ICR_NMI, 4, 0, 0x8);
	check_ipi(&v, SH_OTHERS | ICR_NMI | 0x12, 4, 0x12, 0xe);
	check_ipi(&v, DEST(2) | ICR_INIT | ICR_ASSERT | ICR_LEVEL, 5, 0, 0x4);
	check_ipi(&v, DEST(2) | ICR_INIT | ICR_ASSERT, 5, 0, 0x4);
	check_ipi(&v, DEST(2) | ICR_INIT | ICR_LEVEL, 0, 0, 0); /* level de-assert: ignored */
	check_ipi(&v, DEST(2) | ICR_SIPI | 0x9a, 6, 0x9a, 0x4);
	check_ipi(&v, SH_OTHERS | ICR_SIPI | 0x08, 6, 0x08, 0xe); /* any vector for SIPI */
	check_ipi(&v, DEST(2) | (2U << 8), 0, 0, 0); /* SMI: nothing */
	CHECK_EQ_U64(wr(&v, MSR_ICR, DEST(2) | (3U << 8) | 0x40, 0), VLAPIC_GP);
	CHECK_EQ_U64(wr(&v, MSR_ICR, DEST(2) | (7U << 8) | 0x40, 0), VLAPIC_GP);
	for (size_t i = 0; i < ARRAY_SIZE(rsvd_bits); i++) {
		CHECK(wr(&v, MSR_ICR, DEST(2) | rsvd_bits[i] | 0x40, 0) == VLAPIC_GP,
		      "ICR reserved bit 0x%x accepted", rsvd_bits[i]);
		CHECK_EQ_U64(act.kind, VLAPIC_ACT_NONE);
	}
	/* delivery status (12) is read-only: ignored, reads back clear */
	check_ipi(&v, DEST(1) | (1U << 12) | 0x40, 0, 0x40, 0x2);
	CHECK_EQ_U64(rd(&v, MSR_ICR, 0), DEST(1) | 0x40);
	/* fixed/lowest with an illegal vector: nothing sent, send-illegal latched */
	check_ipi(&v, DEST(1) | 0x0f, 0, 0, 0);
	check_ipi(&v, SH_ALL | ICR_LOWEST | 0x00, 0, 0, 0);
	wr(&v, MSR_ESR, 0, 0);
	CHECK_EQ_U64(rd(&v, MSR_ESR, 0), 0x20);
}

/* ------------------------------------------------------------------ randomized */

static uint64_t rng = 0x243f6a8885a308d3ULL;

static uint32_t rnd(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng >> 33);
}

struct ref_apic {
	bool irr[256], isr[256];
	uint32_t tpr;
};

static int ref_highest(const bool *bits)
{
	for (int i = 255; i >= 0; i--) {
		if (bits[i])
			return i;
	}
	return -1;
}

static int ref_pending(const struct ref_apic *r)
{
	int isrv = ref_highest(r->isr), irrv = ref_highest(r->irr);
	int tpr_class = (int)(r->tpr / 16), isr_class = isrv < 0 ? 0 : isrv / 16;
	int ppr_class = tpr_class > isr_class ? tpr_class : isr_class;

	return (irrv >= 0 && irrv / 16 > ppr_class) ? irrv : -1;
}

static void test_random_model(void)
{
	struct vlapic v, other;
	struct ref_apic r;
	int bad = 0;

	memset(&r, 0, sizeof(r));
	setup(&v, 0, 2);
	vlapic_init(&other, page2, 1, 2);
	wr(&other, MSR_SPIV, 0x1ff, 0);
	for (int step = 0; step < 50000 && bad < 5; step++) {
		uint32_t op = rnd() % 6, vec = 16 + rnd() % 240;
		int want = ref_pending(&r), saw = vlapic_pending_vector(&v);

		if (want != saw) {
			CHECK(0, "step %d: expected pending %d, saw %d", step, want, saw);
			bad++;
		}
		switch (op) {
		case 0: /* a device or another vCPU */
			vlapic_accept(&v, (uint8_t)vec);
			r.irr[vec] = true;
			break;
		case 1: /* an IPI from the other vCPU, decoded there */
			wr(&other, MSR_ICR, DEST(0) | vec, 0);
			if (act.kind == VLAPIC_ACT_IPI && act.targets == 1)
				vlapic_accept(&v, act.vector);
			r.irr[vec] = true;
			break;
		case 2:
			wr(&v, MSR_TPR, rnd() % 256, 0);
			r.tpr = (uint32_t)rd(&v, MSR_TPR, 0);
			break;
		case 3: /* inject */
		case 4:
			if (saw >= 0) {
				vlapic_ack(&v, (uint8_t)saw);
				r.irr[saw] = false;
				r.isr[saw] = true;
			}
			break;
		default: {
			int h = ref_highest(r.isr);
			int got;

			wr(&v, MSR_EOI, 0, 0);
			got = act.kind == VLAPIC_ACT_EOI ? act.vector : -1;
			if (h >= 0)
				r.isr[h] = false;
			if (got != h) {
				CHECK(0, "step %d: EOI expected vector %d, saw %d", step, h, got);
				bad++;
			}
			break;
		}
		}
		for (unsigned int i = 0; i < 256; i++) {
			if (irr(page, i) != r.irr[i] || isr(page, i) != r.isr[i]) {
				CHECK(0, "step %d: vector %u IRR/ISR %d/%d, reference %d/%d", step,
				      i, irr(page, i), isr(page, i), r.irr[i], r.isr[i]);
				bad++;
				break;
			}
		}
	}
}

int main(void)
{
	RUN(test_vec_set_clear_every_vector);
	RUN(test_vec_word_boundaries);
	RUN(test_vec_highest_pairs);
	RUN(test_prio_class_and_msr_mapping);
	RUN(test_ppr);
	RUN(test_deliverable);
	RUN(test_msr_reset_values);
	RUN(test_msr_read_every_index);
	RUN(test_msr_write_every_index);
	RUN(test_msr_write_values);
	RUN(test_sw_disable_masks_lvts);
	RUN(test_ldr);
	RUN(test_eoi_nested);
	RUN(test_tpr_masking);
	RUN(test_self_ipi_and_nmi);
	RUN(test_error_interrupt);
	RUN(test_timer_oneshot);
	RUN(test_timer_periodic);
	RUN(test_timer_divide);
	RUN(test_icr_destinations);
	RUN(test_icr_modes);
	RUN(test_random_model);
	CHECK_EXIT();
}
