// SPDX-License-Identifier: GPL-2.0-or-later
/* riscv64 part of the test-guest library: NS16550, SBI ecalls, traps, PLIC. */
#include "guest.h"
#include <libfdt.h>
#include <keel/hypercall.h>

struct exc_record exc_seen;
volatile uint64_t guest_hart_opaque[GUEST_MAX_HARTS];
static uint64_t uart = UART_BASE;
static uint64_t timebase = 10000000; /* QEMU virt; the DTB's value replaces it */

void gputc(char c)
{
	while (!(mmio_read8(uart + UART_LSR) & UART_LSR_THRE))
		;
	mmio_write8(uart + UART_THR, (uint8_t)c);
}

struct sbiret sbi_call6(unsigned long eid, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2, unsigned long arg3,
			unsigned long arg4, unsigned long arg5)
{
	register unsigned long a0 asm("a0") = arg0, a1 asm("a1") = arg1, a2 asm("a2") = arg2;
	register unsigned long a3 asm("a3") = arg3, a4 asm("a4") = arg4, a5 asm("a5") = arg5;
	register unsigned long a6 asm("a6") = fid, a7 asm("a7") = eid;

	asm volatile("ecall"
		     : "+r"(a0), "+r"(a1)
		     : "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6), "r"(a7)
		     : "memory");
	return (struct sbiret){ (long)a0, a1 };
}

void system_off(void)
{
	struct sbiret r = sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN, 0, 0);

	FAIL("system_off", "SBI SRST shutdown returned %ld", r.error);
	for (;;)
		asm volatile("wfi");
}

void arch_cpu_off(unsigned id)
{
	struct sbiret r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);

	FAIL("hart_stop", "SBI HSM hart_stop returned %ld on hart %u", r.error, id);
	for (;;)
		asm volatile("wfi");
}

void arch_guest_init(void)
{
	uint64_t base, size;
	int node = fdt_path_offset(guest_dtb, "/cpus"), len;
	const fdt32_t *tb =
		node >= 0 ? fdt_getprop(guest_dtb, node, "timebase-frequency", &len) : NULL;

	if (dt_reg("/uart@10000000", &base, &size))
		uart = base;
	if (tb && len == 4 && fdt32_to_cpu(*tb))
		timebase = fdt32_to_cpu(*tb);
}

uint64_t counter(void)
{
	uint64_t t;

	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

uint64_t counter_freq(void)
{
	return timebase;
}

unsigned cpu_index(void)
{
	uint64_t hartid;

	asm("mv %0, tp" : "=r"(hartid));
	return (unsigned)hartid;
}

void irq_enable(void)
{
	CSR_SET(sstatus, SSTATUS_SIE);
}

void irq_disable(void)
{
	CSR_CLEAR(sstatus, SSTATUS_SIE);
}

void plic_enable(unsigned ctx, unsigned src)
{
	mmio_write32(PLIC_PRIORITY(src), 1);
	mmio_write32(PLIC_ENABLE(ctx) + 4 * (src / 32),
		     (uint32_t)mmio_read32(PLIC_ENABLE(ctx) + 4 * (src / 32)) | (1u << (src % 32)));
	mmio_write32(PLIC_THRESHOLD(ctx), 0);
}

static void irq(uint64_t code)
{
	if (code == IRQ_S_EXT) {
		uint64_t claim = PLIC_CLAIM(cpu_index());
		uint32_t src;

		while ((src = (uint32_t)mmio_read32(claim)) != 0) {
			if (irq_hook)
				irq_hook(IRQ_PLIC(src));
			mmio_write32(claim, src);
		}
		return;
	}
	if (code == IRQ_S_SOFT)
		CSR_CLEAR(sip, SIE_SSIE);
	if (code == IRQ_S_SOFT || code == IRQ_S_TIMER) {
		if (irq_hook)
			irq_hook((unsigned)code);
		else if (code == IRQ_S_TIMER)
			CSR_CLEAR(sie, SIE_STIE); /* nobody wants it: no interrupt storm */
		return;
	}
	FAIL("interrupt", "unexpected interrupt %lu on hart %u", (unsigned long)code, cpu_index());
	if (code < 64)
		CSR_CLEAR(sie, 1UL << code);
}

/* Length of the instruction at pc: 2 for a compressed one. */
static uint64_t insn_len(uint64_t pc)
{
	return (*(volatile uint16_t *)pc & 3) == 3 ? 4 : 2;
}

/* Called by trap_entry in start.S; regs = ra, t0..t6, a0..a7 of the interrupted code. */
void guest_trap(uint64_t *regs)
{
	uint64_t cause = CSR_READ(scause), epc = CSR_READ(sepc);

	if (cause & SCAUSE_IRQ) {
		irq(cause & ~SCAUSE_IRQ);
		return;
	}
	exc_seen.scause = cause;
	exc_seen.stval = CSR_READ(stval);
	exc_seen.sepc = epc;
	exc_seen.count++;
	if (expect_abort) {
		/* a failed instruction fetch returns to the caller (ra), a data access skips */
		bool fetch = cause == 0 || cause == EXC_INSN_ACCESS || cause == 12;

		CSR_WRITE(sepc, fetch ? regs[0] : epc + insn_len(epc));
		return;
	}
	FAIL("exception", "unexpected exception scause %lu sepc 0x%lx stval 0x%lx",
	     (unsigned long)cause, (unsigned long)epc, (unsigned long)exc_seen.stval);
	system_off();
}

/* keel's extension: a0 = SBI error, a1..a3 = values */
struct keel_ret keel_call3(unsigned n, unsigned long arg, unsigned long arg2, unsigned long arg3)
{
	register unsigned long a0 asm("a0") = arg, a1 asm("a1") = arg2, a2 asm("a2") = arg3,
				  a3 asm("a3") = 0, a6 asm("a6") = n,
				  a7 asm("a7") = KEEL_HC_RISCV_EXT;
	long err;

	asm volatile("ecall"
		     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)
		     : "r"(a6), "r"(a7)
		     : "memory");
	err = (long)a0;
	return (struct keel_ret){ err == 0   ? KEEL_OK :
				  err == -3  ? KEEL_EINVAL :
				  err == -4  ? KEEL_EPERM :
				  err == -9  ? KEEL_ENOMEM :
				  err == -1  ? KEEL_ENOSPC :
				  err == -10 ? KEEL_ESTATE :
					       KEEL_ENOTSUP,
				  { a1, a2, a3 } };
}

void guest_timer_enable(void)
{
	CSR_SET(sie, SIE_STIE);
}

void guest_timer_at(uint64_t t)
{
	CSR_WRITE(CSR_STIMECMP, t);
}

void guest_timer_oneshot(uint64_t ticks)
{
	guest_timer_enable();
	guest_timer_at(counter() + ticks);
}

bool guest_timer_ack(unsigned irq)
{
	if (irq != IRQ_S_TIMER)
		return false;
	CSR_WRITE(CSR_STIMECMP, ~0UL);
	return true;
}

void guest_ipi_enable(void)
{
	CSR_SET(sie, SIE_SSIE);
}

void guest_ipi_send(unsigned id)
{
	sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL << id, 0, 0);
}

bool guest_ipi_ack(unsigned irq)
{
	return irq == IRQ_S_SOFT; /* SSIP already cleared by irq() */
}

void guest_start_vcpu(unsigned id)
{
	struct sbiret r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, id, (uint64_t)_secondary, 0);

	if (r.error)
		FAIL("hart_start", "SBI HSM hart_start of hart %u returned %ld", id, r.error);
}

bool probe_faults(uint64_t a, int kind)
{
	static const uint64_t want[] = { EXC_LOAD_ACCESS, EXC_STORE_ACCESS, EXC_INSN_ACCESS };
	unsigned before = exc_seen.count;

	probe_access(a, kind);
	return exc_seen.count == before + 1 && exc_seen.scause == want[kind];
}
