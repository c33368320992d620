// SPDX-License-Identifier: GPL-2.0-or-later
/* arm64 part of the test-guest library: PL011, PSCI over hvc, GICv3, vectors. */
#include "guest.h"
#include <libfdt.h>
#include <keel/hypercall.h>

struct exc_record exc_seen;
static uint64_t uart = 0x09000000;

void gputc(char c)
{
	while (mmio_read32(uart + 0x18) & (1u << 5))
		;
	mmio_write32(uart, (uint8_t)c);
}

struct hvc_ret hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 asm("x0") = fn, x1 asm("x1") = a1, x2 asm("x2") = a2,
			     x3 asm("x3") = a3;

	asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
	return (struct hvc_ret){ x0, x1, x2, x3 };
}

void system_off(void)
{
	hvc(0x84000008, 0, 0, 0);
	FAIL("system_off", "PSCI SYSTEM_OFF returned");
	for (;;)
		asm volatile("wfi");
}

void arch_cpu_off(unsigned id)
{
	hvc(0x84000002, 0, 0, 0); /* CPU_OFF */
	FAIL("cpu_off", "PSCI CPU_OFF returned on vCPU %u", id);
	for (;;)
		asm volatile("wfi");
}

void arch_guest_init(void)
{
	uint64_t base, size;

	if (dt_reg("/pl011@9000000", &base, &size))
		uart = base;
}

uint64_t counter(void)
{
	asm volatile("isb");
	return SYSREG_READ(cntvct_el0);
}

uint64_t counter_freq(void)
{
	return SYSREG_READ(cntfrq_el0);
}

unsigned cpu_index(void)
{
	return (unsigned)(SYSREG_READ(mpidr_el1) & 0xff);
}

void gic_cpu_enable(void)
{
	SYSREG_WRITE(S3_0_C12_C12_5, 7); /* ICC_SRE_EL1 */
	asm volatile("isb");
	SYSREG_WRITE(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
	SYSREG_WRITE(S3_0_C12_C12_7, 1); /* ICC_IGRPEN1_EL1 */
	asm volatile("isb");
}

void gic_enable_ppi(unsigned cpu, unsigned intid)
{
	gic_enable_ppi_prio(cpu, intid, 0x80);
}

void gic_enable_ppi_prio(unsigned cpu, unsigned intid, uint8_t prio)
{
	uint64_t gicd, gicr, size;

	/* the GIC node's reg: distributor, then the redistributor region */
	int node = fdt_node_offset_by_compatible(guest_dtb, -1, "arm,gic-v3"), len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(guest_dtb, node, "reg", &len) : NULL;

	if (!reg || len < 32) {
		FAIL("gic", "no arm,gic-v3 node with two reg entries");
		return;
	}
	gicd = ((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1]);
	gicr = ((uint64_t)fdt32_to_cpu(reg[4]) << 32) | fdt32_to_cpu(reg[5]);
	(void)size;
	(void)gicd;
	gicr += cpu * 0x20000UL;
	mmio_write32(gicr + 0x14, 0); /* GICR_WAKER: awake */
	mmio_write32(gicr + 0x10000 + 0x80, 0xffffffff); /* group 1 */
	*(volatile uint8_t *)(gicr + 0x10000 + 0x400 + intid) = prio;
	mmio_write32(gicr + 0x10000 + 0x100, 1u << intid); /* ISENABLER0 */
}

void irq_enable(void)
{
	asm volatile("msr daifclr, #2" ::: "memory");
}

void irq_disable(void)
{
	asm volatile("msr daifset, #2" ::: "memory");
}

static void irq(void)
{
	uint64_t iar = SYSREG_READ(S3_0_C12_C12_0) & 0xffffff; /* ICC_IAR1_EL1 */

	if (iar >= 1020)
		return;
	if (irq_hook)
		irq_hook((unsigned)iar);
	SYSREG_WRITE(S3_0_C12_C12_1, iar); /* ICC_EOIR1_EL1 */
}

/* Called by the vectors in start.S: kind = vector index, regs = x0..x18, x30. */
void guest_exception(int kind, uint64_t *regs)
{
	(void)regs;
	if ((kind & 3) == 1) {
		irq();
		return;
	}
	if ((kind & 3) == 0) {
		uint64_t esr = SYSREG_READ(esr_el1), elr = SYSREG_READ(elr_el1);

		exc_seen.esr = esr;
		exc_seen.far = SYSREG_READ(far_el1);
		exc_seen.elr = elr;
		exc_seen.count++;
		if (expect_abort) {
			/* a failed instruction fetch returns to the caller, a data access skips */
			SYSREG_WRITE(elr_el1, (esr >> 26) == 0x21 ? regs[19] : elr + 4);
			return;
		}
		FAIL("exception", "unexpected synchronous exception ESR 0x%lx ELR 0x%lx FAR 0x%lx",
		     (unsigned long)esr, (unsigned long)elr, (unsigned long)exc_seen.far);
	} else {
		FAIL("exception", "unexpected exception kind %d", kind);
	}
	system_off();
}

struct keel_ret keel_call3(unsigned n, unsigned long arg, unsigned long arg2, unsigned long arg3)
{
	struct hvc_ret r = hvc(KEEL_HC_ARM64_BASE + n, arg, arg2, arg3);

	return (struct keel_ret){ (long)r.x0, { r.x1, r.x2, r.x3 } };
}

void guest_timer_enable(void)
{
	gic_cpu_enable();
	gic_enable_ppi(cpu_index(), 27);
}

void guest_timer_at(uint64_t t)
{
	SYSREG_WRITE(cntv_cval_el0, t);
	SYSREG_WRITE(cntv_ctl_el0, 1);
}

void guest_timer_oneshot(uint64_t ticks)
{
	guest_timer_enable();
	guest_timer_at(counter() + ticks);
}

bool guest_timer_ack(unsigned intid)
{
	if (intid != 27)
		return false;
	SYSREG_WRITE(cntv_ctl_el0, 0);
	return true;
}

#define SGI_IPI 1

/* above the timer's priority, as on riscv64 (SSI over STI) and x86_64 (higher vector) */
void guest_ipi_enable(void)
{
	gic_cpu_enable();
	gic_enable_ppi_prio(cpu_index(), SGI_IPI, 0x40);
}

void guest_ipi_send(unsigned id)
{
	SYSREG_WRITE(S3_0_C12_C11_5, ((uint64_t)SGI_IPI << 24) | (1u << id)); /* ICC_SGI1R_EL1 */
	asm volatile("isb");
}

bool guest_ipi_ack(unsigned intid)
{
	return intid == SGI_IPI;
}

extern char _secondary[];

void guest_start_vcpu(unsigned id)
{
	struct hvc_ret r = hvc(0xc4000003, id, (uint64_t)_secondary, id); /* CPU_ON */

	if (r.x0)
		FAIL("cpu_on", "PSCI CPU_ON of vCPU %u returned %ld", id, (long)r.x0);
}

bool probe_faults(uint64_t a, int kind)
{
	unsigned before = exc_seen.count;
	uint64_t ec;

	probe_access(a, kind);
	ec = exc_seen.esr >> 26; /* data or instruction abort from EL1, external (FSC 0x10) */
	return exc_seen.count == before + 1 && (exc_seen.esr & 0x3f) == 0x10 &&
	       ec == (kind == 2 ? 0x21u : 0x25u);
}
