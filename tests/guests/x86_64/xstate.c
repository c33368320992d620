// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Register state across VMs on one pCPU (bootargs "writer=1" or "writer=0"). keel switches only
 * the x87/SSE state (FXSAVE), keeps XCR0 at x87|SSE and hides XSAVE, OSXSAVE and AVX from CPUID,
 * but the CPU lets a guest set CR4.OSXSAVE in its own CR4 whatever CPUID says. So:
 * - the writer puts a pattern in XMM1, then tries XSETBV of XCR0 = x87|SSE|YMM: #UD (keel
 *   intercepts it) or, where the intercept is ignored (QEMU 7.2 TCG), a change that must not
 *   outlive its time slice: after the reader has run, XCR0 is x87|SSE again and AVX #UDs.
 *   Should the XSETBV go through, it puts a pattern into YMM0's upper half;
 * - the reader (same pCPU) reads XMM1 first thing (a vCPU starts with clean x87/SSE state, not
 *   the last vCPU's), then, once the writer has run, XCR0 must be x87|SSE and AVX must #UD; its
 *   own XSETBV must #UD too, or leave YMM0's upper half clear of the writer's pattern.
 * Both set CR4.PKE (PKU) where the CPU has it: the writer's PKRU stays its own, the reader's 0.
 * CPUID must show none of XSAVE, OSXSAVE, AVX, leaf 0xd, AVX2, RDTSCP, RDPID.
 */
#include "guest.h"

static const uint32_t pattern[4] = { 0x6b65656c, 0x796d6d30, 0x75707065, 0x72686c66 };
#define XCR0_KEEL (XCR0_X87 | XCR0_SSE)

static const char *exc_name(int v)
{
	return v < 0 ? "ok" : v == EXC_UD ? "#UD" : v == EXC_GP ? "#GP" : "other";
}

static bool is_pattern(const uint32_t v[4])
{
	return v[0] == pattern[0] && v[1] == pattern[1] && v[2] == pattern[2] && v[3] == pattern[3];
}

static void cpuid_hidden(void)
{
	struct cpuid_regs l1 = cpuid(1, 0), l7 = cpuid(7, 0), ld = cpuid(0xd, 0),
			  le = cpuid(0x80000001, 0);
	bool ok = !(l1.ecx & (7u << 26)) && !(l7.ebx & (1u << 5)) && !(l7.ecx & (1u << 22)) &&
		  !ld.eax && !ld.ebx && !ld.ecx && !ld.edx && !(le.edx & (1u << 27));

	gprintf("xstate: cpuid 1.ecx 0x%x 7.ebx 0x%x 7.ecx 0x%x 0xd.eax 0x%x 80000001.edx 0x%x\n",
		(unsigned)l1.ecx, (unsigned)l7.ebx, (unsigned)l7.ecx, (unsigned)ld.eax,
		(unsigned)le.edx);
	check(ok, "xstate_cpuid", "XSAVE, AVX, leaf 0xd, RDTSCP or RDPID shown");
}

static void writer(void)
{
	uint32_t got[4];
	uint64_t x0 = 0, x1 = 0, x2 = 0;
	int g0 = xgetbv_safe(0, &x0), s = xsetbv_safe(0, XCR0_KEEL | XCR0_YMM), w, r;

	xgetbv_safe(0, &x1);
	w = ymm0_hi_write(pattern);
	gprintf("xstate: writer XCR0 0x%lx (%s), XSETBV 7: %s, XCR0 now 0x%lx, YMM write: %s\n",
		(unsigned long)x0, exc_name(g0), exc_name(s), (unsigned long)x1, exc_name(w));
	delay_ms(1500); /* the reader runs in our slices' gaps */
	xgetbv_safe(0, &x2);
	r = ymm0_hi_read(got);
	gprintf("xstate: writer XCR0 after the reader 0x%lx, YMM read: %s\n", (unsigned long)x2,
		exc_name(r));
	check(x0 == XCR0_KEEL && x2 == XCR0_KEEL && (s == EXC_UD || r == EXC_UD), "xstate_xsetbv",
	      "XSETBV: %s, XCR0 0x%lx -> 0x%lx, 0x%lx after another vCPU ran, AVX then %s",
	      exc_name(s), (unsigned long)x0, (unsigned long)x1, (unsigned long)x2, exc_name(r));
}

static void reader(const uint32_t first_xmm1[4])
{
	uint32_t got[4] = { 0 };
	uint64_t x1 = 0, x2 = 0;
	int r, s, r2;

	delay_ms(500); /* the writer has had its slices */
	xgetbv_safe(0, &x1);
	r = ymm0_hi_read(got);
	gprintf("xstate: reader XCR0 after the writer 0x%lx, YMM read: %s\n", (unsigned long)x1,
		exc_name(r));
	check(x1 == XCR0_KEEL && r == EXC_UD, "xstate_xcr0",
	      "XCR0 0x%lx after another VM ran, AVX %s", (unsigned long)x1, exc_name(r));
	s = xsetbv_safe(0, XCR0_KEEL | XCR0_YMM);
	r2 = ymm0_hi_read(got);
	xgetbv_safe(0, &x2);
	gprintf("xstate: reader XSETBV 7: %s, XCR0 0x%lx, YMM read: %s 0x%x 0x%x 0x%x 0x%x\n",
		exc_name(s), (unsigned long)x2, exc_name(r2), (unsigned)got[0], (unsigned)got[1],
		(unsigned)got[2], (unsigned)got[3]);
	check(s == EXC_UD || (r2 < 0 && !got[0] && !got[1] && !got[2] && !got[3]), "xstate_ymm",
	      "XSETBV %s, AVX %s%s", exc_name(s), exc_name(r2),
	      r2 < 0 && is_pattern(got) ? ": YMM0's upper half holds the other VM's pattern" : "");
	check(!is_pattern(first_xmm1), "xstate_xmm",
	      "XMM1 at the start held the other VM's pattern");
}

void guest_main(void)
{
	uint32_t xmm1[4] = { 0 };
	uint64_t w = 0;
	bool is_writer = bootarg_u64("writer", &w) && w;
	int o = cr4_set_safe(CR4_OSFXSR | CR4_OSXSAVE), p = cr4_set_safe(CR4_PKE), k;
	uint32_t pkru = 0;

	if (is_writer) {
		xmm1_write(pattern);
		k = wrpkru_safe(pattern[0] & ~3u);
	} else {
		xmm1_read(xmm1);
	}
	delay_ms(100); /* the other VM has had slices */
	k = rdpkru_safe(&pkru);
	gprintf("xstate: CR4.PKE %s, PKRU %s 0x%x\n", exc_name(p), exc_name(k), (unsigned)pkru);
	if (p < 0) /* PKU: each VM keeps its own PKRU */
		check(k < 0 && pkru == (is_writer ? pattern[0] & ~3u : 0), "xstate_pkru",
		      "PKRU 0x%x", (unsigned)pkru);
	else
		PASS("xstate_pkru"); /* no PKU, no PKRU */
	gprintf("xstate: %s, CR4.OSXSAVE: %s, XMM1 0x%x\n", is_writer ? "writer" : "reader",
		exc_name(o), (unsigned)xmm1[0]);
	cpuid_hidden();
	if (is_writer)
		writer();
	else
		reader(xmm1);
	PASS("xstate_done");
}
