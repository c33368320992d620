// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPIs between the two vCPUs of a VM through keel's emulated x2APIC ICR. vCPU 0 starts vCPU 1
 * with INIT and start-up IPIs (AP stub at 0x8000), then fixed IPIs go both ways by destination
 * ID, with the all-excluding-self and all-including-self shorthands and to the broadcast ID; a
 * self IPI through the SELF_IPI MSR, and an NMI each way. Every one must arrive exactly once, on
 * the vCPU it was meant for only. Finally INIT stops vCPU 1 (an IPI sent then is never taken)
 * and a start-up IPI starts it again with a reset x2APIC.
 */
#include "guest.h"

#define V_TO1 0x50
#define V_TO0 0x51
#define V_OTHERS_FROM0 0x52
#define V_OTHERS_FROM1 0x53
#define V_SELF0 0x54
#define V_SELF1 0x55
#define V_ALL 0x56
#define V_STOPPED 0x57
#define V_RESTARTED 0x58
#define V_BROADCAST 0x59
#define SETTLE_MS 20 /* after the first arrival: time for a duplicate to show up */

static volatile unsigned got[2][256]; /* [vCPU][vector], NMIs at vector 2 */
static volatile unsigned ap_boots;
static volatile uint64_t ap_base, ap_id, ap_svr;

static void on_irq(unsigned vec)
{
	got[cpu_index() & 1][vec & 0xff]++;
}

void guest_secondary(unsigned id)
{
	(void)id;
	ap_svr = rdmsr(X2APIC_SVR); /* before enabling: the power-on (or INIT) state */
	ap_base = rdmsr(MSR_APIC_BASE);
	ap_id = rdmsr(X2APIC_ID);
	x2apic_enable();
	__atomic_add_fetch(&ap_boots, 1, __ATOMIC_SEQ_CST);
	smp_serve();
}

/* What vCPU 1 sends (through smp_call) */
static void ap_to0(void)
{
	x2apic_icr(ICR_DEST(0) | ICR_FIXED | V_TO0);
}

static void ap_others(void)
{
	x2apic_icr(ICR_OTHERS | ICR_FIXED | V_OTHERS_FROM1);
}

static void ap_self(void)
{
	wrmsr(X2APIC_SELF_IPI, V_SELF1);
}

static void ap_nmi(void)
{
	x2apic_icr(ICR_DEST(0) | ICR_NMI);
}

/* vec arrives once on vCPU to and never on vCPU other. */
static void expect_once(const char *name, unsigned vec, unsigned to)
{
	unsigned other = !to;

	wait_count(&got[to][vec], 1, 1000);
	delay_ms(SETTLE_MS);
	check(got[to][vec] == 1 && got[other][vec] == 0, name,
	      "vector %u: expected 1 on vCPU %u and 0 on vCPU %u, saw %u and %u", vec, to, other,
	      got[to][vec], got[other][vec]);
}

static void expect_both(const char *name, unsigned vec)
{
	wait_count(&got[0][vec], 1, 1000);
	wait_count(&got[1][vec], 1, 1000);
	delay_ms(SETTLE_MS);
	check(got[0][vec] == 1 && got[1][vec] == 1, name,
	      "vector %u: expected 1 on each vCPU, saw %u on vCPU 0 and %u on vCPU 1", vec,
	      got[0][vec], got[1][vec]);
}

static bool start_ap(unsigned boots)
{
	smp_start_ap(1);
	return wait_count(&ap_boots, boots, 2000);
}

static void check_start(void)
{
	uint64_t want = APIC_BASE_EN | APIC_BASE_EXTD;
	uint64_t base = rdmsr(MSR_APIC_BASE);

	check((base & (want | APIC_BASE_BSP)) == (want | APIC_BASE_BSP) && rdmsr(X2APIC_ID) == 0,
	      "bsp_x2apic", "vCPU 0: IA32_APIC_BASE 0x%lx (expected EN|EXTD|BSP), x2APIC ID %lu",
	      (unsigned long)base, (unsigned long)rdmsr(X2APIC_ID));
	x2apic_enable();
	if (!check(start_ap(1), "ap_started",
		   "vCPU 1 did not start within 2 s of INIT + start-up IPI (boots: %u)",
		   ap_boots)) {
		return;
	}
	check(ap_entry_eax[1] == MB_BOOTLOADER_MAGIC && ap_entry_ebx[1] == 0, "ap_entry_regs",
	      "vCPU 1 entry: expected EAX 0x%x EBX 0, saw EAX 0x%x EBX 0x%x", MB_BOOTLOADER_MAGIC,
	      (unsigned)ap_entry_eax[1], (unsigned)ap_entry_ebx[1]);
	check(ap_id == 1 && (ap_base & (want | APIC_BASE_BSP)) == want && ap_svr == APIC_SPURIOUS,
	      "ap_x2apic",
	      "vCPU 1: expected x2APIC ID 1, IA32_APIC_BASE EN|EXTD without BSP, SVR 0x%x; saw ID %lu, base 0x%lx, SVR 0x%lx",
	      APIC_SPURIOUS, (unsigned long)ap_id, (unsigned long)ap_base, (unsigned long)ap_svr);
}

static void check_fixed(void)
{
	x2apic_icr(ICR_DEST(1) | ICR_FIXED | V_TO1);
	expect_once("ipi_to_1", V_TO1, 1);
	smp_call(ap_to0);
	expect_once("ipi_to_0", V_TO0, 0);
	x2apic_icr(ICR_OTHERS | ICR_FIXED | V_OTHERS_FROM0);
	expect_once("ipi_others_from_0", V_OTHERS_FROM0, 1);
	smp_call(ap_others);
	expect_once("ipi_others_from_1", V_OTHERS_FROM1, 0);
	x2apic_icr(ICR_ALL | ICR_FIXED | V_ALL);
	expect_both("ipi_all_incl_self", V_ALL);
	x2apic_icr(ICR_DEST(0xffffffffu) | ICR_FIXED | V_BROADCAST);
	expect_both("ipi_broadcast_id", V_BROADCAST);
	wrmsr(X2APIC_SELF_IPI, V_SELF0);
	expect_once("self_ipi_0", V_SELF0, 0);
	smp_call(ap_self);
	expect_once("self_ipi_1", V_SELF1, 1);
}

static void check_nmi(void)
{
	x2apic_icr(ICR_DEST(1) | ICR_NMI);
	expect_once("nmi_to_1", EXC_NMI, 1);
	got[1][EXC_NMI] = 0;
	smp_call(ap_nmi);
	expect_once("nmi_to_0", EXC_NMI, 0);
}

static void check_esr(void)
{
	uint64_t esr;

	wrmsr(X2APIC_ESR, 0);
	x2apic_icr(ICR_DEST(1) | ICR_FIXED | 5); /* vectors 0..15 are illegal */
	wrmsr(X2APIC_ESR, 0);
	esr = rdmsr(X2APIC_ESR);
	delay_ms(SETTLE_MS);
	check(esr == 0x20 && got[1][5] == 0, "esr_send_illegal",
	      "fixed IPI with vector 5: expected ESR 0x20 and nothing delivered, saw ESR 0x%lx, %u delivered",
	      (unsigned long)esr, got[1][5]);
}

static void check_restart(void)
{
	x2apic_icr(ICR_DEST(1) | ICR_INIT | ICR_ASSERT);
	delay_ms(10);
	x2apic_icr(ICR_DEST(1) | ICR_FIXED | V_STOPPED);
	delay_ms(50);
	check(got[1][V_STOPPED] == 0, "init_stops_ap",
	      "expected no interrupt on vCPU 1 after INIT, saw %u", got[1][V_STOPPED]);
	if (!check(start_ap(2), "ap_restarted", "vCPU 1 did not start again (boots: %u)", ap_boots))
		return;
	check(ap_svr == APIC_SPURIOUS && ap_id == 1, "ap_restart_reset",
	      "vCPU 1 restarted: expected SVR 0x%x (x2APIC reset), ID 1; saw SVR 0x%lx, ID %lu",
	      APIC_SPURIOUS, (unsigned long)ap_svr, (unsigned long)ap_id);
	x2apic_icr(ICR_DEST(1) | ICR_FIXED | V_RESTARTED);
	expect_once("ipi_after_restart", V_RESTARTED, 1);
	check(got[1][V_STOPPED] == 0, "init_drops_pending",
	      "the IPI sent while vCPU 1 was stopped arrived %u time(s) after its restart",
	      got[1][V_STOPPED]);
}

void guest_main(void)
{
	irq_hook = on_irq;
	irq_enable();
	check_start();
	if (ap_boots != 1)
		return;
	check_fixed();
	check_nmi();
	check_esr();
	check_restart();
	irq_disable();
}
