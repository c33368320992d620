// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keel's Secure AVIC model (SEV_STATUS bit 18), on two vCPUs. vCPU 0 registers a backing page
 * (vmmcall 0x8000001a; misaligned, outside its memory or a second unregister are refused with
 * #GP(0)), allows only V_TIMER and V_IPI in ALLOWED_IRR and enables it. Then: the timer on an
 * allowed vector arrives through the page (ISR set there, not in the x2APIC), on V_FILTERED never;
 * a self IPI needs no ALLOWED_IRR bit; an IPI that keel delivers from vCPU 1 (plain x2APIC)
 * arrives when allowed and never when filtered; an NMI only with ALLOWEDNMI; the page's TPR holds
 * back a lower class. vCPU 1 enables Secure AVIC too: cross IPIs go through the target's page IRR
 * that the sender writes (the ICR alone only kicks). Unregistered, the plain x2APIC is back and
 * V_FILTERED arrives. Each page holds an enabled SPIV, as Linux's x2apic_savic.c keeps it.
 *
 * Also: with the x2APIC software-disabled through the MSR and SPIV enabled only in the page (as
 * Linux keeps it), the timer works.
 */
#include "guest.h"

#define V_TIMER 0x60
#define V_IPI 0x61
#define V_FILTERED 0x70
#define V_TPR 0x71 /* class 7 */
#define SETTLE_MS 20
#define MEM_END 0x1000000u /* the partition's 16 MiB */

static uint32_t page[2][1024] __attribute__((aligned(4096)));
static volatile unsigned got[2][256]; /* [vCPU][vector], NMIs at vector 2 */
static volatile bool isr_in_page, isr_in_x2apic;
static volatile bool ap_ok;
static volatile unsigned ap_started;

static uint32_t gpa(unsigned cpu)
{
	return (uint32_t)(uintptr_t)page[cpu];
}

static void on_irq(unsigned vec)
{
	unsigned cpu = cpu_index() & 1;

	if (vec == V_TIMER && cpu == 0) {
		isr_in_page = apic_page_test(page[0], SAVIC_ISR, V_TIMER);
		isr_in_x2apic = (rdmsr(X2APIC_ISR0 + V_TIMER / 32) >> (V_TIMER % 32)) & 1;
	}
	got[cpu][vec & 0xff]++;
}

void guest_secondary(unsigned id)
{
	(void)id;
	x2apic_enable();
	ap_started = 1;
	smp_serve();
}

static void ap_send_ipi(void)
{
	x2apic_icr(ICR_DEST(0) | V_IPI);
}

static void ap_send_filtered(void)
{
	x2apic_icr(ICR_DEST(0) | V_FILTERED);
}

static void ap_send_nmi(void)
{
	x2apic_icr(ICR_DEST(0) | ICR_NMI);
}

/* Secure AVIC sender: the vector goes into the target's page first, then the ICR kicks it. */
static void ap_send_savic(void)
{
	apic_page_set(page[0], SAVIC_IRR, V_IPI);
	x2apic_icr(ICR_DEST(0) | V_IPI);
}

static void ap_savic_on(void)
{
	uint32_t r = 1;

	apic_page_set(page[1], SAVIC_ALLOWED_IRR, V_IPI);
	page[1][SAVIC_SPIV / 4] = APIC_SVR_ENABLE | APIC_SPURIOUS;
	ap_ok = vmmcall_safe(SAVIC_CALL, gpa(1), SAVIC_REGISTER, &r) && r == 0 &&
		wrmsr_safe(MSR_SAVIC_CONTROL, gpa(1) | SAVIC_EN | SAVIC_ALLOWEDNMI);
}

static void ap_savic_off(void)
{
	uint32_t r = 1;

	ap_ok = vmmcall_safe(SAVIC_CALL, 0, SAVIC_UNREGISTER, &r) && r == 0;
}

/* vCPU `to` gets vec `want` times (0: waits and sees none) and vCPU !to none. */
static void expect(const char *name, unsigned to, unsigned vec, unsigned want)
{
	if (want)
		wait_count(&got[to][vec], want, 1000);
	delay_ms(want ? SETTLE_MS : 5 * SETTLE_MS);
	check(got[to][vec] == want && got[!to][vec] == 0, name,
	      "vector %u: expected %u on vCPU %u and 0 on vCPU %u, saw %u and %u", vec, want, to,
	      !to, got[to][vec], got[!to][vec]);
}

static void timer_oneshot(unsigned vec)
{
	wrmsr(X2APIC_TDCR, APIC_TDCR_DIV1);
	wrmsr(X2APIC_LVTT, vec);
	wrmsr(X2APIC_TMICT, 1000000);
}

/* A vmmcall that keel must refuse with #GP(0) */
static void refused(const char *name, uint32_t addr, uint32_t op)
{
	uint32_t r = 0;
	bool ok = vmmcall_safe(SAVIC_CALL, addr, op, &r);

	check(!ok && exc_seen.vector == EXC_GP && exc_seen.error == 0, name,
	      "vmmcall 0x%x RBX 0x%x RCX %u: expected #GP(0), saw %s (vector %u error 0x%x)",
	      SAVIC_CALL, (unsigned)addr, (unsigned)op, ok ? "no fault" : "a fault",
	      (unsigned)exc_seen.vector, (unsigned)exc_seen.error);
}

static bool check_setup(void)
{
	uint64_t v = 0;
	uint32_t r = 1;
	bool ok = rdmsr_safe(MSR_SEV_STATUS, &v);

	check(ok && (v & SEV_STATUS_SAVIC), "savic_sev_status",
	      "SEV_STATUS: read %s, 0x%lx (expected bit 18)", ok ? "ok" : "faulted",
	      (unsigned long)v);
	ok = wrmsr_safe(MSR_SAVIC_CONTROL, gpa(0) | SAVIC_EN);
	check(!ok && exc_seen.vector == EXC_GP, "savic_enable_unregistered",
	      "control MSR with EN before any page: expected #GP, saw %s",
	      ok ? "no fault" : "a fault");
	refused("savic_unregister_none", 0, SAVIC_UNREGISTER);
	refused("savic_register_misaligned", gpa(0) + 0x800, SAVIC_REGISTER);
	refused("savic_register_outside", MEM_END, SAVIC_REGISTER);
	refused("savic_register_apic_page", 0xfee00000u, SAVIC_REGISTER);
	ok = vmmcall_safe(SAVIC_CALL, gpa(0), SAVIC_REGISTER, &r);
	if (!check(ok && r == 0, "savic_register", "page 0x%x: %s, EAX %u", (unsigned)gpa(0),
		   ok ? "no fault" : "faulted", (unsigned)r))
		return false;
	ok = wrmsr_safe(MSR_SAVIC_CONTROL, gpa(0) | SAVIC_EN | 4);
	check(!ok, "savic_ctl_reserved", "control MSR with reserved bit 2: expected #GP, saw %s",
	      ok ? "no fault" : "a fault");
	apic_page_set(page[0], SAVIC_ALLOWED_IRR, V_TIMER);
	apic_page_set(page[0], SAVIC_ALLOWED_IRR, V_IPI);
	page[0][SAVIC_SPIV / 4] = APIC_SVR_ENABLE | APIC_SPURIOUS;
	ok = wrmsr_safe(MSR_SAVIC_CONTROL, gpa(0) | SAVIC_EN | SAVIC_ALLOWEDNMI) &&
	     rdmsr_safe(MSR_SAVIC_CONTROL, &v);
	return check(ok && v == (gpa(0) | SAVIC_EN | SAVIC_ALLOWEDNMI), "savic_enable",
		     "control MSR: %s, read back 0x%lx (expected 0x%x)",
		     ok ? "no fault" : "faulted", (unsigned long)v,
		     (unsigned)(gpa(0) | SAVIC_EN | SAVIC_ALLOWEDNMI));
}

static void check_filtering(void)
{
	timer_oneshot(V_TIMER);
	expect("savic_timer", 0, V_TIMER, 1);
	check(isr_in_page && !isr_in_x2apic, "savic_timer_via_page",
	      "in the handler: expected ISR bit %u set in the page and not in the x2APIC, saw %u and %u",
	      V_TIMER, isr_in_page, isr_in_x2apic);
	check(!apic_page_test(page[0], SAVIC_ISR, V_TIMER) &&
		      !apic_page_test(page[0], SAVIC_IRR, V_TIMER),
	      "savic_eoi", "after EOI: expected ISR and IRR bit %u clear in the page", V_TIMER);
	timer_oneshot(V_FILTERED);
	expect("savic_timer_filtered", 0, V_FILTERED, 0);
	check(!apic_page_test(page[0], SAVIC_IRR, V_FILTERED), "savic_filtered_not_in_irr",
	      "expected IRR bit %u clear in the page", V_FILTERED);
	wrmsr(X2APIC_SELF_IPI, V_FILTERED);
	expect("savic_self_ipi", 0, V_FILTERED, 1);
	got[0][V_FILTERED] = 0;
	smp_call(ap_send_ipi);
	expect("savic_ipi_allowed", 0, V_IPI, 1);
	got[0][V_IPI] = 0;
	smp_call(ap_send_filtered);
	expect("savic_ipi_filtered", 0, V_FILTERED, 0);
}

static void check_nmi(void)
{
	smp_call(ap_send_nmi);
	expect("savic_nmi_allowed", 0, EXC_NMI, 1);
	got[0][EXC_NMI] = 0;
	wrmsr(MSR_SAVIC_CONTROL, gpa(0) | SAVIC_EN);
	smp_call(ap_send_nmi);
	expect("savic_nmi_blocked", 0, EXC_NMI, 0);
	wrmsr(MSR_SAVIC_CONTROL, gpa(0) | SAVIC_EN | SAVIC_ALLOWEDNMI);
}

/* The page's TPR (class 8) holds back V_TPR (class 7) until it is lowered. */
static void check_tpr(void)
{
	uint64_t end;

	page[0][SAVIC_TPR / 4] = 0x80;
	wrmsr(X2APIC_SELF_IPI, V_TPR);
	end = counter() + GUEST_TSC_HZ / 1000 * 5 * SETTLE_MS;
	while (counter() < end)
		cpu_halt(); /* keel looks at the page before each VMRUN */
	check(got[0][V_TPR] == 0 && apic_page_test(page[0], SAVIC_IRR, V_TPR), "savic_tpr_holds",
	      "TPR 0x80: expected vector %u held in the page's IRR, saw %u delivered", V_TPR,
	      got[0][V_TPR]);
	page[0][SAVIC_TPR / 4] = 0;
	cpu_halt();
	expect("savic_tpr_release", 0, V_TPR, 1);
}

static void check_cross(void)
{
	smp_call(ap_savic_on);
	if (!check(ap_ok, "savic_ap_enable", "vCPU 1 could not register and enable its page"))
		return;
	apic_page_set(page[1], SAVIC_IRR, V_IPI);
	x2apic_icr(ICR_DEST(1) | V_IPI);
	expect("savic_cross_to_1", 1, V_IPI, 1);
	got[1][V_IPI] = 0;
	smp_call(ap_send_savic);
	expect("savic_cross_to_0", 0, V_IPI, 1);
	got[0][V_IPI] = 0;
	smp_call(ap_send_ipi); /* ICR only: keel kicks, the page has nothing */
	expect("savic_icr_only_kicks", 0, V_IPI, 0);
	smp_call(ap_savic_off);
	check(ap_ok, "savic_ap_unregister", "vCPU 1 could not unregister its page");
}

static void check_unregister(void)
{
	uint32_t r = 1;
	uint64_t v = ~0ULL;
	bool ok = vmmcall_safe(SAVIC_CALL, 0, SAVIC_UNREGISTER, &r) &&
		  rdmsr_safe(MSR_SAVIC_CONTROL, &v);

	check(ok && r == 0 && !(v & SAVIC_EN), "savic_unregister",
	      "unregister: %s, EAX %u, control MSR 0x%lx (expected EN clear)",
	      ok ? "no fault" : "faulted", (unsigned)r, (unsigned long)v);
	timer_oneshot(V_FILTERED);
	expect("savic_off_timer", 0, V_FILTERED, 1);
	got[0][V_FILTERED] = 0;
	smp_call(ap_send_filtered);
	expect("savic_off_ipi", 0, V_FILTERED, 1);
	smp_call(ap_send_nmi);
	expect("savic_off_nmi", 0, EXC_NMI, 1);
}

/* SPIV software-disabled through the MSR, enabled in the page: the page is what counts. */
static void check_page_spiv(void)
{
	uint32_t r = 1;
	bool ok;

	wrmsr(X2APIC_SVR, APIC_SPURIOUS);
	ok = vmmcall_safe(SAVIC_CALL, gpa(0), SAVIC_REGISTER, &r) && r == 0 &&
	     wrmsr_safe(MSR_SAVIC_CONTROL, gpa(0) | SAVIC_EN | SAVIC_ALLOWEDNMI);
	got[0][V_TIMER] = 0;
	timer_oneshot(V_TIMER);
	if (ok)
		expect("savic_timer_page_spiv", 0, V_TIMER, 1);
	else
		FAIL("savic_timer_page_spiv", "could not register and enable the page again");
	vmmcall_safe(SAVIC_CALL, 0, SAVIC_UNREGISTER, &r);
	x2apic_enable();
}

void guest_main(void)
{
	irq_hook = on_irq;
	x2apic_enable();
	irq_enable();
	smp_start_ap(1);
	if (!check(wait_count(&ap_started, 1, 2000), "savic_ap_started", "vCPU 1 did not start"))
		return;
	if (!check_setup())
		return;
	check_filtering();
	check_nmi();
	check_tpr();
	check_cross();
	check_unregister();
	check_page_spiv();
	irq_disable();
}
