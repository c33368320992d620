// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Secure AVIC model (arch/x86_64/savic.c): registration (alignment, guest
 * memory), the control MSR, ALLOWED_IRR and ALLOWEDNMI gating with the
 * dropped counter, self IPIs, the EOI short path, pick/ack against ISR and
 * TPR, hostile backing pages (all ones, random bytes), the way back to the
 * vlapic, the keel-side flows (timer, ICR), and a randomized run against a
 * reference model.
 */
#include <stdint.h>
#include <asm/apic_regs.h>
#include <asm/savic.h>
#include <asm/vlapic.h>
#include <keel/types.h>
#include "check.h"

/* Written out from facts.md section 4.4, not taken from asm/savic.h. */
#define CTL_EN 0x1ULL
#define CTL_NMI 0x2ULL
#define OFF_IRR 0x200
#define OFF_ALLOWED 0x204
#define OFF_ISR 0x100
#define OFF_TPR 0x80
#define OFF_PPR 0xa0
#define OFF_NMI_REQ 0x278

/* Guest memory: 4 pages at GPA 0x100000 with a guard page on each side. */
#define GUEST_BASE 0x100000ULL
#define GUEST_PAGES 4
#define WORDS_PER_PAGE 1024
static uint32_t backing[(GUEST_PAGES + 2) * WORDS_PER_PAGE] __attribute__((aligned(4096)));
#define GUEST_MEM (backing + WORDS_PER_PAGE)
#define PAGE_GPA(n) (GUEST_BASE + (uint64_t)(n)*4096)
#define PAGE_PTR(n) (GUEST_MEM + (n)*WORDS_PER_PAGE)

static uint32_t vlapic_page[1024] __attribute__((aligned(4096)));
static int map_calls;

static uint32_t *map_guest(void *ctx, uint64_t gpa, uint64_t size)
{
	uint64_t len = (uint64_t)GUEST_PAGES * 4096;

	map_calls++;
	CHECK(ctx == (void *)backing, "map got ctx %p", ctx);
	if (gpa < GUEST_BASE || gpa - GUEST_BASE > len || size > len - (gpa - GUEST_BASE))
		return NULL;
	return GUEST_MEM + (gpa - GUEST_BASE) / 4;
}

/* A map callback that returns a pointer that is not even word aligned */
static uint32_t *map_misaligned(void *ctx, uint64_t gpa, uint64_t size)
{
	(void)ctx;
	(void)gpa;
	(void)size;
	return (uint32_t *)((char *)backing + 4096 + 2);
}

static uint32_t get(const uint32_t *p, uint32_t off)
{
	return p[off / 4];
}

static void put(uint32_t *p, uint32_t off, uint32_t val)
{
	p[off / 4] = val;
}

static bool bit(const uint32_t *p, uint32_t base, unsigned int vec)
{
	return (get(p, base + 0x10 * (vec / 32)) >> (vec % 32)) & 1;
}

static void set_bit_in(uint32_t *p, uint32_t base, unsigned int vec, bool on)
{
	uint32_t off = base + 0x10 * (vec / 32);

	if (on)
		put(p, off, get(p, off) | 1U << (vec % 32));
	else
		put(p, off, get(p, off) & ~(1U << (vec % 32)));
}

static bool guards_clean(void)
{
	for (int i = 0; i < WORDS_PER_PAGE; i++) {
		if (backing[i] || backing[(GUEST_PAGES + 1) * WORDS_PER_PAGE + i])
			return false;
	}
	return true;
}

/* Page n registered and enabled (optionally with ALLOWEDNMI) */
static void enable(struct savic *s, int n, bool nmi)
{
	savic_init(s);
	CHECK_EQ_U64(savic_register(s, PAGE_GPA(n), map_guest, backing), 0);
	CHECK_EQ_U64(savic_ctl_write(s, PAGE_GPA(n) | CTL_EN | (nmi ? CTL_NMI : 0)), 0);
	CHECK(savic_active(s), "page %d not active", n);
}

static const char *res_name(enum savic_result r)
{
	switch (r) {
	case SAVIC_DELIVERED:
		return "DELIVERED";
	case SAVIC_DROPPED:
		return "DROPPED";
	case SAVIC_INACTIVE:
		return "INACTIVE";
	default:
		return "?";
	}
}

#define CHECK_RES(saw, expected) \
	CHECK((saw) == (expected), "expected %s, saw %s", res_name(expected), res_name(saw))

/* ------------------------------------------------------------------ registration */

static void test_register_unregister(void)
{
	struct savic s;

	memset(backing, 0, sizeof(backing));
	savic_init(&s);
	CHECK(!savic_active(&s), "active after init");
	CHECK_EQ_U64(s.gpa, SAVIC_NO_GPA);
	CHECK_EQ_U64(savic_ctl_read(&s), 0);
	CHECK_EQ_U64(s.dropped, 0);
	map_calls = 0;
	CHECK_EQ_U64(savic_register(&s, PAGE_GPA(1), map_guest, backing), 0);
	CHECK_EQ_U64(map_calls, 1);
	CHECK(s.page == PAGE_PTR(1), "page pointer %p, expected %p", (void *)s.page,
	      (void *)PAGE_PTR(1));
	CHECK_EQ_U64(s.gpa, PAGE_GPA(1));
	CHECK(!savic_active(&s), "active without EN");
	/* registering again while EN is clear replaces the page */
	CHECK_EQ_U64(savic_register(&s, PAGE_GPA(3), map_guest, backing), 0);
	CHECK_EQ_U64(s.gpa, PAGE_GPA(3));
	CHECK_EQ_U64(savic_unregister(&s), 0);
	CHECK(s.page == NULL, "page kept after unregister");
	CHECK_EQ_U64(s.gpa, SAVIC_NO_GPA);
	CHECK_EQ_U64(savic_unregister(&s), SAVIC_ERR); /* nothing registered */
	CHECK(guards_clean(), "guard pages touched");
}

static void test_register_refused(void)
{
	static const uint64_t bad[] = {
		PAGE_GPA(0) + 8,
		PAGE_GPA(1) + 0x800,
		PAGE_GPA(1) + 1,
		PAGE_GPA(1) | 0xfff,
		0, /* outside guest memory */
		GUEST_BASE - 4096, /* the page just below */
		PAGE_GPA(GUEST_PAGES), /* the page just past the end */
		0x200000,
		0xfffffffffffff000ULL, /* would wrap around in a careless range check */
		0x8000000000100000ULL,
	};
	struct savic s;

	savic_init(&s);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int rc = savic_register(&s, bad[i], map_guest, backing);

		CHECK(rc == SAVIC_ERR, "GPA 0x%llx: expected SAVIC_ERR, saw %d",
		      (unsigned long long)bad[i], rc);
		CHECK(s.page == NULL && s.gpa == SAVIC_NO_GPA, "GPA 0x%llx: state changed",
		      (unsigned long long)bad[i]);
	}
	CHECK_EQ_U64(savic_register(&s, PAGE_GPA(GUEST_PAGES - 1), map_guest, backing), 0);
	/* a refused registration leaves the previous one in place */
	CHECK_EQ_U64(savic_register(&s, PAGE_GPA(0) + 4, map_guest, backing), SAVIC_ERR);
	CHECK_EQ_U64(s.gpa, PAGE_GPA(GUEST_PAGES - 1));
	CHECK(s.page == PAGE_PTR(GUEST_PAGES - 1), "page pointer changed");
	/* keel's own mapping must at least be word aligned */
	savic_init(&s);
	CHECK_EQ_U64(savic_register(&s, PAGE_GPA(0), map_misaligned, NULL), SAVIC_ERR);
	CHECK(s.page == NULL, "misaligned host pointer kept");
}

static void test_control_msr(void)
{
	struct savic s;

	memset(backing, 0, sizeof(backing));
	savic_init(&s);
	/* EN without a registered page */
	CHECK_EQ_U64(savic_ctl_write(&s, PAGE_GPA(0) | CTL_EN), SAVIC_ERR);
	CHECK_EQ_U64(savic_ctl_write(&s, CTL_EN | CTL_NMI), SAVIC_ERR);
	CHECK_EQ_U64(savic_ctl_read(&s), 0);
	CHECK(!savic_active(&s), "active without a page");
	/* EN clear: stored as written */
	CHECK_EQ_U64(savic_ctl_write(&s, PAGE_GPA(2) | CTL_NMI), 0);
	CHECK_EQ_U64(savic_ctl_read(&s), PAGE_GPA(2) | CTL_NMI);
	CHECK(savic_allowed_nmi(&s), "ALLOWEDNMI not seen");
	/* reserved bits 11:2 */
	for (int b = 2; b <= 11; b++) {
		CHECK(savic_ctl_write(&s, 1ULL << b) == SAVIC_ERR, "reserved bit %d accepted", b);
		CHECK_EQ_U64(savic_ctl_read(&s), PAGE_GPA(2) | CTL_NMI);
	}
	CHECK_EQ_U64(savic_register(&s, PAGE_GPA(2), map_guest, backing), 0);
	for (int b = 2; b <= 11; b++)
		CHECK(savic_ctl_write(&s, PAGE_GPA(2) | CTL_EN | 1ULL << b) == SAVIC_ERR,
		      "reserved bit %d accepted with EN", b);
	/* EN with another GPA than the registered one */
	CHECK_EQ_U64(savic_ctl_write(&s, PAGE_GPA(1) | CTL_EN), SAVIC_ERR);
	CHECK_EQ_U64(savic_ctl_write(&s, CTL_EN), SAVIC_ERR);
	CHECK(!savic_active(&s), "active after refused writes");
	/* as Linux writes it */
	CHECK_EQ_U64(savic_ctl_write(&s, PAGE_GPA(2) | CTL_EN | CTL_NMI), 0);
	CHECK(savic_active(&s), "not active after GPA | EN | ALLOWEDNMI");
	CHECK(savic_allowed_nmi(&s), "ALLOWEDNMI lost");
	CHECK_EQ_U64(savic_ctl_read(&s), PAGE_GPA(2) | CTL_EN | CTL_NMI);
	CHECK_EQ_U64(savic_ctl_write(&s, PAGE_GPA(2) | CTL_EN), 0);
	CHECK(!savic_allowed_nmi(&s), "ALLOWEDNMI kept");
	/* while enabled, the page cannot move; the same page can be registered again */
	CHECK_EQ_U64(savic_register(&s, PAGE_GPA(3), map_guest, backing), SAVIC_ERR);
	CHECK_EQ_U64(s.gpa, PAGE_GPA(2));
	CHECK_EQ_U64(savic_register(&s, PAGE_GPA(2), map_guest, backing), 0);
	CHECK(savic_active(&s), "re-registering the same page disabled it");
	/* Linux's teardown: 0, then unregister */
	CHECK_EQ_U64(savic_ctl_write(&s, 0), 0);
	CHECK(!savic_active(&s), "active after writing 0");
	CHECK_EQ_U64(savic_unregister(&s), 0);
	/* unregistering while enabled disables */
	enable(&s, 1, true);
	CHECK_EQ_U64(savic_unregister(&s), 0);
	CHECK(!savic_active(&s), "active after unregister");
	CHECK_EQ_U64(savic_ctl_read(&s) & CTL_EN, 0);
	CHECK_EQ_U64(savic_ctl_write(&s, PAGE_GPA(1) | CTL_EN), SAVIC_ERR);
	CHECK(guards_clean(), "guard pages touched");
}

/* ------------------------------------------------------------------ delivery */

static void test_deliver_allowed_and_dropped(void)
{
	struct savic s;
	uint32_t *p = PAGE_PTR(0);
	uint64_t drops = 0;

	memset(backing, 0, sizeof(backing));
	enable(&s, 0, false);
	put(p, OFF_ALLOWED + 0x10, 1U << 16); /* vector 0x30 */
	CHECK_RES(savic_deliver(&s, 0x30), SAVIC_DELIVERED);
	CHECK_EQ_U64(get(p, OFF_IRR + 0x10), 1U << 16);
	CHECK_EQ_U64(get(p, OFF_ALLOWED + 0x10), 1U << 16); /* untouched */
	CHECK_RES(savic_deliver(&s, 0x31), SAVIC_DROPPED);
	CHECK_EQ_U64(s.dropped, 1);
	CHECK_EQ_U64(get(p, OFF_IRR + 0x10), 1U << 16);
	CHECK_RES(savic_deliver(&s, 0x30), SAVIC_DELIVERED); /* already pending: stays one bit */
	CHECK_EQ_U64(s.dropped, 1);

	/* every vector, with a pattern of allowed bits across all eight words */
	memset(p, 0, 4096);
	s.dropped = 0;
	for (unsigned int v = 0; v < 256; v++)
		set_bit_in(p, OFF_ALLOWED, v, (v * 7 + v / 32) % 3 == 0);
	for (unsigned int v = 0; v < 256; v++) {
		bool allowed = (v * 7 + v / 32) % 3 == 0;
		bool ok = allowed && v >= 16;
		enum savic_result r = savic_deliver(&s, (uint8_t)v);

		CHECK(r == (ok ? SAVIC_DELIVERED : SAVIC_DROPPED), "vector %u: expected %s, saw %s",
		      v, ok ? "DELIVERED" : "DROPPED", res_name(r));
		CHECK(bit(p, OFF_IRR, v) == ok, "vector %u: IRR %d", v, bit(p, OFF_IRR, v));
		CHECK(bit(p, OFF_ALLOWED, v) == allowed, "vector %u: ALLOWED_IRR changed", v);
		drops += !ok;
	}
	CHECK_EQ_U64(s.dropped, drops);
	/* nothing but IRR words changed */
	for (uint32_t off = 0; off < 4096; off += 4) {
		if ((off & ~0x70U) == OFF_IRR || (off & ~0x70U) == OFF_ALLOWED)
			continue;
		CHECK(get(p, off) == 0, "offset 0x%x written", off);
	}
	CHECK(guards_clean(), "guard pages touched");
}

static void test_nmi_gate(void)
{
	struct savic s;
	uint32_t *p = PAGE_PTR(1);

	memset(backing, 0, sizeof(backing));
	enable(&s, 1, false);
	CHECK_RES(savic_deliver_nmi(&s), SAVIC_DROPPED);
	CHECK_EQ_U64(get(p, OFF_NMI_REQ), 0);
	CHECK_EQ_U64(s.dropped, 1);
	CHECK(!savic_nmi_pick(&s), "NMI picked without a request");
	/* the guest's own NMI IPIs (it writes NMI_REQ, or ICR self) are not gated */
	CHECK_RES(savic_self_nmi(&s), SAVIC_DELIVERED);
	CHECK_EQ_U64(get(p, OFF_NMI_REQ), 1);
	CHECK(savic_nmi_pick(&s), "self NMI not picked");
	put(p, OFF_NMI_REQ, 1); /* written by another vCPU of the guest */
	CHECK(savic_nmi_pick(&s), "guest-written NMI_REQ not picked");
	CHECK_EQ_U64(get(p, OFF_NMI_REQ), 0);
	CHECK_EQ_U64(s.dropped, 1);
	/* with ALLOWEDNMI */
	CHECK_EQ_U64(savic_ctl_write(&s, PAGE_GPA(1) | CTL_EN | CTL_NMI), 0);
	CHECK_RES(savic_deliver_nmi(&s), SAVIC_DELIVERED);
	CHECK_RES(savic_deliver_nmi(&s), SAVIC_DELIVERED); /* NMIs do not queue */
	CHECK_EQ_U64(get(p, OFF_NMI_REQ), 1);
	CHECK(savic_nmi_pick(&s), "allowed NMI not picked");
	CHECK_EQ_U64(get(p, OFF_NMI_REQ), 0);
	CHECK(!savic_nmi_pick(&s), "NMI picked twice");
	CHECK_EQ_U64(s.dropped, 1);
	/* an interrupt and an NMI are independent */
	put(p, OFF_ALLOWED + 0x70, 0x80000000U);
	CHECK_RES(savic_deliver(&s, 0xff), SAVIC_DELIVERED);
	CHECK(!savic_nmi_pick(&s), "an interrupt became an NMI");
	CHECK_EQ_U64(savic_pick(&s, 0), 0xff);
}

static void test_self_ipi(void)
{
	struct savic s;
	uint32_t *p = PAGE_PTR(2);

	memset(backing, 0, sizeof(backing));
	enable(&s, 2, false);
	/* ALLOWED_IRR is all clear: self IPIs still land */
	for (unsigned int v = 16; v < 256; v++) {
		CHECK_RES(savic_self_ipi(&s, (uint8_t)v), SAVIC_DELIVERED);
		CHECK(bit(p, OFF_IRR, v), "self IPI %u not in IRR", v);
	}
	CHECK_EQ_U64(s.dropped, 0);
	for (unsigned int v = 0; v < 16; v++)
		CHECK_RES(savic_self_ipi(&s, (uint8_t)v), SAVIC_DROPPED);
	CHECK_EQ_U64(get(p, OFF_IRR), 0xffff0000U);
	CHECK_EQ_U64(s.dropped, 16);
}

static void test_eoi_short_path(void)
{
	struct savic s;
	uint32_t *p = PAGE_PTR(0);

	memset(backing, 0, sizeof(backing));
	enable(&s, 0, false);
	set_bit_in(p, OFF_ISR, 0x40, true);
	set_bit_in(p, OFF_ISR, 0x80, true);
	set_bit_in(p, OFF_ISR, 0x9f, true); /* same word as 0x80 */
	put(p, OFF_TPR, 0x20);
	CHECK_EQ_U64(savic_eoi(&s), 0x9f);
	CHECK_EQ_U64(get(p, OFF_PPR), 0x80);
	CHECK(bit(p, OFF_ISR, 0x80) && bit(p, OFF_ISR, 0x40), "EOI cleared more than one bit");
	CHECK_EQ_U64(savic_eoi(&s), 0x80);
	CHECK_EQ_U64(get(p, OFF_PPR), 0x40);
	CHECK_EQ_U64(savic_eoi(&s), 0x40);
	CHECK_EQ_U64(get(p, OFF_PPR), 0x20);
	CHECK_EQ_U64(savic_eoi(&s), -1);
	for (int w = 0; w < 8; w++)
		CHECK(get(p, OFF_ISR + 0x10 * w) == 0, "ISR word %d not clear", w);
	/* TMR is not looked at: a level bit set by the guest changes nothing */
	set_bit_in(p, OFF_ISR, 0x41, true);
	set_bit_in(p, 0x180, 0x41, true);
	CHECK_EQ_U64(savic_eoi(&s), 0x41);
	CHECK(bit(p, 0x180, 0x41), "TMR touched");
}

static void test_pick_isr_tpr(void)
{
	struct savic s;
	uint32_t *p = PAGE_PTR(3);

	memset(backing, 0, sizeof(backing));
	enable(&s, 3, false);
	CHECK_EQ_U64(savic_pick(&s, 0), -1);
	set_bit_in(p, OFF_IRR, 0x45, true);
	CHECK_EQ_U64(savic_pick(&s, 0), 0x45);
	CHECK_EQ_U64(savic_pick(&s, 0x40), -1); /* same class as TPR */
	CHECK_EQ_U64(savic_pick(&s, 0x3f), 0x45);
	CHECK_EQ_U64(savic_pick(&s, 0xff), -1);
	set_bit_in(p, OFF_ISR, 0x50, true);
	CHECK_EQ_U64(savic_pick(&s, 0), -1); /* below the in-service class */
	set_bit_in(p, OFF_ISR, 0x50, false);
	set_bit_in(p, OFF_ISR, 0x30, true);
	CHECK_EQ_U64(savic_pick(&s, 0), 0x45);
	CHECK_EQ_U64(savic_pick(&s, 0x50), -1); /* TPR above ISR */
	set_bit_in(p, OFF_ISR, 0x4f, true);
	CHECK_EQ_U64(savic_pick(&s, 0), -1); /* ISR 0x4f: class 4 */
	set_bit_in(p, OFF_ISR, 0x4f, false);
	/* pick does not consume; ack moves IRR -> ISR and refreshes PPR */
	put(p, OFF_TPR, 0xffffff22); /* bits 31:8 are garbage */
	CHECK_EQ_U64(savic_tpr(&s), 0x22);
	CHECK_EQ_U64(savic_pick(&s, savic_tpr(&s)), 0x45);
	CHECK_EQ_U64(get(p, OFF_PPR), 0x30);
	CHECK(bit(p, OFF_IRR, 0x45), "pick consumed the IRR bit");
	savic_ack(&s, 0x45);
	CHECK(!bit(p, OFF_IRR, 0x45) && bit(p, OFF_ISR, 0x45), "ack did not move 0x45");
	CHECK_EQ_U64(get(p, OFF_PPR), 0x40);
	CHECK_EQ_U64(savic_pick(&s, savic_tpr(&s)), -1);
	/* vectors 0..15 written by the guest are never picked */
	memset(p, 0, 4096);
	put(p, OFF_IRR, 0xffff);
	CHECK_EQ_U64(savic_pick(&s, 0), -1);
	put(p, OFF_IRR, 0x1ffff);
	CHECK_EQ_U64(savic_pick(&s, 0), 16);
}

/* ------------------------------------------------------------------ hostile pages */

static void test_hostile_all_ones(void)
{
	struct savic s;
	uint32_t *p = PAGE_PTR(1);

	memset(backing, 0, sizeof(backing));
	enable(&s, 1, true);
	memset(p, 0xff, 4096);
	CHECK_EQ_U64(savic_tpr(&s), 0xff);
	CHECK_EQ_U64(savic_pick(&s, savic_tpr(&s)), -1);
	CHECK_EQ_U64(savic_pick(&s, 0), -1); /* ISR 255 blocks everything */
	CHECK_EQ_U64(get(p, OFF_PPR), 0xff);
	CHECK_EQ_U64(savic_eoi(&s), 255);
	CHECK_EQ_U64(savic_pick(&s, 0), -1); /* ISR 254 */
	CHECK(savic_nmi_pick(&s), "NMI_REQ bit 0 not seen");
	CHECK_EQ_U64(get(p, OFF_NMI_REQ), 0xfffffffe); /* only the request bit consumed */
	CHECK(!savic_nmi_pick(&s), "NMI picked twice");
	CHECK_RES(savic_deliver(&s, 0x30), SAVIC_DELIVERED);
	CHECK_RES(savic_deliver_nmi(&s), SAVIC_DELIVERED);
	/* drain ISR completely: then IRR 255 is deliverable at TPR < 0xf0 */
	for (int i = 0; i < 255; i++)
		savic_eoi(&s);
	CHECK_EQ_U64(savic_eoi(&s), -1);
	CHECK_EQ_U64(savic_pick(&s, 0xef), 255);
	CHECK_EQ_U64(savic_pick(&s, 0xf0), -1);
	CHECK(guards_clean(), "guard pages touched");
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng >> 33);
}

/* Reference reading of a 256-bit register from the page's bytes (little endian) */
static int byte_highest(const uint8_t *b, uint32_t base)
{
	for (int v = 255; v >= 0; v--) {
		if (b[base + 0x10 * (v / 32) + (v % 32) / 8] & (1U << (v % 8)))
			return v;
	}
	return -1;
}

static void test_hostile_random(void)
{
	struct savic s;
	uint32_t *p = PAGE_PTR(2);
	uint8_t *b = (uint8_t *)p;
	int bad = 0;

	memset(backing, 0, sizeof(backing));
	enable(&s, 2, true);
	for (int iter = 0; iter < 3000 && bad < 5; iter++) {
		uint8_t tpr = (uint8_t)rnd();
		int isrv, irrv, want, saw, cls;
		uint32_t nmi_req;

		for (int i = 0; i < 4096; i++)
			b[i] = (uint8_t)rnd();
		/* make empty and sparse registers likely too */
		if (iter % 3 == 0)
			memset(b + OFF_ISR, 0, 0x80);
		if (iter % 5 == 0)
			memset(b + OFF_IRR, 0, 0x80);
		if (iter % 7 == 0)
			for (int w = 0; w < 7; w++)
				b[OFF_ISR + 0x10 * w + rnd() % 4] = 0;
		isrv = byte_highest(b, OFF_ISR);
		irrv = byte_highest(b, OFF_IRR);
		cls = tpr >> 4;
		if (isrv >= 0 && isrv >> 4 > cls)
			cls = isrv >> 4;
		want = (irrv >= 0 && irrv >> 4 > cls) ? irrv : -1;
		saw = savic_pick(&s, tpr);
		if (saw != want) {
			CHECK(0, "iteration %d: expected pick %d, saw %d", iter, want, saw);
			bad++;
		}
		CHECK_EQ_U64(savic_tpr(&s), b[OFF_TPR]);
		if (saw >= 0) {
			savic_ack(&s, (uint8_t)saw);
			CHECK(byte_highest(b, OFF_ISR) == saw, "iteration %d: ack did not set ISR",
			      iter);
		}
		isrv = byte_highest(b, OFF_ISR);
		saw = savic_eoi(&s);
		if (saw != isrv) {
			CHECK(0, "iteration %d: expected EOI %d, saw %d", iter, isrv, saw);
			bad++;
		}
		nmi_req = get(p, OFF_NMI_REQ);
		CHECK_EQ_U64(savic_nmi_pick(&s), nmi_req & 1);
		CHECK_EQ_U64(get(p, OFF_NMI_REQ), nmi_req & ~1U); /* only bit 0 consumed */
	}
	CHECK(guards_clean(), "guard pages touched");
}

/* ------------------------------------------------------------------ back to the vlapic */

static void test_unregister_returns_to_vlapic(void)
{
	struct savic s;
	struct vlapic v;
	struct vlapic_action act;
	uint32_t *p = PAGE_PTR(0);
	uint64_t drops;

	memset(backing, 0, sizeof(backing));
	vlapic_init(&v, vlapic_page, 0, 1);
	vlapic_wrmsr(&v, 0x80f, 0x1ff, 0, &act);
	enable(&s, 0, true);
	memset(p, 0xff, 4096);
	drops = s.dropped;
	CHECK_EQ_U64(savic_unregister(&s), 0);
	CHECK_RES(savic_deliver(&s, 0x30), SAVIC_INACTIVE);
	CHECK_RES(savic_deliver_nmi(&s), SAVIC_INACTIVE);
	CHECK_RES(savic_self_ipi(&s, 0x30), SAVIC_INACTIVE);
	CHECK_RES(savic_self_nmi(&s), SAVIC_INACTIVE);
	CHECK_EQ_U64(savic_pick(&s, 0), -1);
	CHECK_EQ_U64(savic_eoi(&s), -1);
	CHECK(!savic_nmi_pick(&s), "NMI picked while inactive");
	savic_ack(&s, 0x30);
	CHECK_EQ_U64(s.dropped, drops);
	/* the old page is no longer written */
	for (int i = 0; i < 1024; i++)
		CHECK(p[i] == 0xffffffff, "old page word %d written: 0x%x", i, p[i]);
	/* the caller falls back to the vlapic */
	CHECK(vlapic_accept(&v, 0x30), "vlapic refused 0x30");
	CHECK_EQ_U64(vlapic_pending_vector(&v), 0x30);
	/* registered but EN clear is inactive too */
	CHECK_EQ_U64(savic_register(&s, PAGE_GPA(0), map_guest, backing), 0);
	CHECK_RES(savic_deliver(&s, 0x30), SAVIC_INACTIVE);
	CHECK(guards_clean(), "guard pages touched");
}

/* The keel-side flows from asm/savic.h: timer through the page, ICR shorthands */
static void test_keel_flows(void)
{
	struct savic s[2];
	struct vlapic v;
	struct vlapic_action act;
	uint32_t *p0 = PAGE_PTR(0), *p1 = PAGE_PTR(1);
	int vec;

	memset(backing, 0, sizeof(backing));
	enable(&s[0], 0, true);
	enable(&s[1], 1, true);
	vlapic_init(&v, vlapic_page, 0, 2);
	vlapic_wrmsr(&v, 0x80f, 0x1ff, 0, &act);
	/* timer: the guest programs it through the vlapic, keel delivers to the page */
	vlapic_wrmsr(&v, 0x83e, 0xb, 0, &act);
	vlapic_wrmsr(&v, 0x832, 0xec, 0, &act);
	vlapic_wrmsr(&v, 0x838, 100, 0, &act);
	vec = vlapic_timer_tick(&v, 100);
	CHECK_EQ_U64(vec, 0xec);
	CHECK_RES(savic_deliver(&s[0], (uint8_t)vec), SAVIC_DROPPED); /* not allowed yet */
	CHECK(!bit(p0, OFF_IRR, 0xec), "disallowed timer vector in IRR");
	set_bit_in(p0, OFF_ALLOWED, 0xec, true); /* setup_APIC_timer */
	vlapic_wrmsr(&v, 0x838, 100, 100, &act);
	vec = vlapic_timer_tick(&v, 200);
	CHECK_RES(savic_deliver(&s[0], (uint8_t)vec), SAVIC_DELIVERED);
	CHECK(bit(p0, OFF_IRR, 0xec), "timer vector not in IRR");
	CHECK(!bit(vlapic_page, OFF_IRR, 0xec), "timer vector in the vlapic page");
	CHECK_EQ_U64(savic_pick(&s[0], savic_tpr(&s[0])), 0xec);
	/* ICR self shorthand: the self IPI short path */
	CHECK_EQ_U64(vlapic_wrmsr(&v, 0x830, (1U << 18) | 0x41, 0, &act), 0);
	CHECK(act.kind == VLAPIC_ACT_IPI && act.shorthand == APIC_SH_SELF, "self ICR decode");
	CHECK_RES(savic_self_ipi(&s[0], act.vector), SAVIC_DELIVERED);
	CHECK(bit(p0, OFF_IRR, 0x41), "self ICR vector not in IRR");
	/* a non-self IPI: the guest wrote the target's IRR, keel only kicks */
	set_bit_in(p1, OFF_IRR, 0x42, true);
	CHECK_EQ_U64(vlapic_wrmsr(&v, 0x830, (1ULL << 32) | 0x42, 0, &act), 0);
	CHECK(act.kind == VLAPIC_ACT_IPI && act.shorthand == APIC_SH_NONE && act.targets == 2,
	      "non-self ICR decode: kind %d shorthand %u targets 0x%llx", act.kind, act.shorthand,
	      (unsigned long long)act.targets);
	CHECK_EQ_U64(savic_pick(&s[1], savic_tpr(&s[1])), 0x42);
	CHECK_EQ_U64(s[0].dropped + s[1].dropped, 1);
}

/* ------------------------------------------------------------------ randomized */

struct ref_savic {
	bool irr[256], isr[256], allowed[256], nmi;
	uint8_t tpr;
	uint64_t dropped;
};

static int ref_highest(const bool *bits)
{
	for (int i = 255; i >= 0; i--) {
		if (bits[i])
			return i;
	}
	return -1;
}

static int ref_pick(const struct ref_savic *r)
{
	int isrv = ref_highest(r->isr), irrv = ref_highest(r->irr);
	int cls = r->tpr >> 4;

	if (isrv >= 0 && isrv >> 4 > cls)
		cls = isrv >> 4;
	return (irrv >= 0 && irrv >> 4 > cls) ? irrv : -1;
}

static void test_random_model(void)
{
	struct savic s;
	struct ref_savic r;
	uint32_t *p = PAGE_PTR(3);
	int bad = 0;

	memset(backing, 0, sizeof(backing));
	memset(&r, 0, sizeof(r));
	enable(&s, 3, true);
	for (int step = 0; step < 100000 && bad < 5; step++) {
		unsigned int vec = rnd() % 256;
		int want, saw;

		switch (rnd() % 10) {
		case 0: /* keel delivers */
		case 1:
			saw = savic_deliver(&s, (uint8_t)vec);
			want = r.allowed[vec] && vec >= 16 ? SAVIC_DELIVERED : SAVIC_DROPPED;
			if (want == SAVIC_DELIVERED)
				r.irr[vec] = true;
			else
				r.dropped++;
			if (saw != want) {
				CHECK(0, "step %d: deliver %u expected %d, saw %d", step, vec, want,
				      saw);
				bad++;
			}
			break;
		case 2: /* the guest allows or disallows a vector */
			r.allowed[vec] = !r.allowed[vec];
			set_bit_in(p, OFF_ALLOWED, vec, r.allowed[vec]);
			break;
		case 3: /* self IPI */
			savic_self_ipi(&s, (uint8_t)vec);
			if (vec >= 16)
				r.irr[vec] = true;
			else
				r.dropped++;
			break;
		case 4: /* another vCPU of the guest writes our IRR */
			set_bit_in(p, OFF_IRR, vec, true);
			r.irr[vec] = true;
			break;
		case 5: /* the guest changes TPR */
			r.tpr = (uint8_t)rnd();
			put(p, OFF_TPR, r.tpr | (rnd() & 0xffffff00U));
			break;
		case 6: /* before VMRUN: pick and inject */
		case 7:
			want = ref_pick(&r);
			saw = savic_pick(&s, savic_tpr(&s));
			if (saw != want) {
				CHECK(0, "step %d: pick expected %d, saw %d", step, want, saw);
				bad++;
			}
			if (saw >= 0 && rnd() % 4) { /* sometimes IF=0: not injected */
				savic_ack(&s, (uint8_t)saw);
				r.irr[saw] = false;
				r.isr[saw] = true;
			}
			break;
		case 8:
			want = ref_highest(r.isr);
			if (want >= 0)
				r.isr[want] = false;
			saw = savic_eoi(&s);
			if (saw != want) {
				CHECK(0, "step %d: EOI expected %d, saw %d", step, want, saw);
				bad++;
			}
			break;
		default:
			if (rnd() % 2) {
				savic_deliver_nmi(&s);
				r.nmi = true;
			} else {
				saw = savic_nmi_pick(&s);
				if (saw != r.nmi) {
					CHECK(0, "step %d: NMI pick expected %d, saw %d", step,
					      r.nmi, saw);
					bad++;
				}
				r.nmi = false;
			}
			break;
		}
		for (unsigned int i = 0; i < 256 && bad < 5; i++) {
			if (bit(p, OFF_IRR, i) != r.irr[i] || bit(p, OFF_ISR, i) != r.isr[i] ||
			    bit(p, OFF_ALLOWED, i) != r.allowed[i]) {
				CHECK(0,
				      "step %d: vector %u IRR/ISR/ALLOWED %d/%d/%d, reference %d/%d/%d",
				      step, i, bit(p, OFF_IRR, i), bit(p, OFF_ISR, i),
				      bit(p, OFF_ALLOWED, i), r.irr[i], r.isr[i], r.allowed[i]);
				bad++;
			}
		}
		if (s.dropped != r.dropped) {
			CHECK(0, "step %d: dropped %llu, reference %llu", step,
			      (unsigned long long)s.dropped, (unsigned long long)r.dropped);
			bad++;
		}
	}
	CHECK(guards_clean(), "guard pages touched");
}

int main(void)
{
	RUN(test_register_unregister);
	RUN(test_register_refused);
	RUN(test_control_msr);
	RUN(test_deliver_allowed_and_dropped);
	RUN(test_nmi_gate);
	RUN(test_self_ipi);
	RUN(test_eoi_short_path);
	RUN(test_pick_isr_tpr);
	RUN(test_hostile_all_ones);
	RUN(test_hostile_random);
	RUN(test_unregister_returns_to_vlapic);
	RUN(test_keel_flows);
	RUN(test_random_model);
	CHECK_EXIT();
}
