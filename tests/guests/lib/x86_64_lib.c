// SPDX-License-Identifier: GPL-2.0-or-later
/* x86_64 part of the test-guest library: COM1, TSC, exceptions, probes, MSRs, power off. */
#include "guest.h"

struct exc_record exc_seen;
volatile uint32_t exc_recover;

/* What start.S's exception stubs push: pusha, vector, error code, then the CPU's frame. */
struct exc_frame {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t vector, error;
	uint32_t eip, cs, eflags;
};

void gputc(char c)
{
	while (!(inb(COM1 + UART_LSR) & UART_LSR_THRE))
		;
	outb(COM1 + UART_THR, (uint8_t)c);
}

void system_off(void)
{
	outw(PORT_ACPI_PM1A_CNT, ACPI_PM1_S5);
	FAIL("system_off", "ACPI power off (port 0x%x) returned", PORT_ACPI_PM1A_CNT);
	for (;;)
		asm volatile("cli; hlt");
}

void arch_cpu_off(unsigned id)
{
	FAIL("cpu_off", "vCPU %u: x86 guests have one vCPU", id);
	system_off();
}

void arch_guest_init(void)
{
}

uint64_t counter(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

uint64_t counter_freq(void)
{
	return GUEST_TSC_HZ;
}

unsigned cpu_index(void)
{
	return cpuid(1, 0).ebx >> 24; /* initial APIC ID = vCPU index */
}

void irq_enable(void)
{
	asm volatile("sti" ::: "memory");
}

void irq_disable(void)
{
	asm volatile("cli" ::: "memory");
}

const char *u64_str(uint64_t v, char buf[21])
{
	char *p = buf + 20;

	*p = 0;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

/*
 * The probes: exc_recover points just behind the instruction that may fault, so guest_trap()
 * resumes there (a failed fetch through a jump resumes there too).
 */
bool probe_read(uint32_t addr)
{
	unsigned before = exc_seen.count;

	asm volatile("movl $1f, exc_recover\n\t"
		     "movl (%0), %%eax\n"
		     "1:\tmovl $0, exc_recover"
		     :
		     : "r"(addr)
		     : "eax", "memory");
	return exc_seen.count != before;
}

bool probe_write(uint32_t addr, uint32_t val)
{
	unsigned before = exc_seen.count;

	asm volatile("movl $1f, exc_recover\n\t"
		     "movl %1, (%0)\n"
		     "1:\tmovl $0, exc_recover"
		     :
		     : "r"(addr), "r"(val)
		     : "memory");
	return exc_seen.count != before;
}

bool probe_fetch(uint32_t addr)
{
	unsigned before = exc_seen.count;

	asm volatile("movl $1f, exc_recover\n\t"
		     "jmp *%0\n"
		     "1:\tmovl $0, exc_recover"
		     :
		     : "r"(addr)
		     : "memory");
	return exc_seen.count != before;
}

bool rdmsr_safe(uint32_t msr, uint64_t *val)
{
	unsigned before = exc_seen.count;
	uint32_t lo = 0, hi = 0;
	bool was = expect_abort;

	expect_abort = true;
	asm volatile("movl $1f, exc_recover\n\t"
		     "rdmsr\n"
		     "1:\tmovl $0, exc_recover"
		     : "+a"(lo), "+d"(hi)
		     : "c"(msr)
		     : "memory");
	expect_abort = was;
	*val = ((uint64_t)hi << 32) | lo;
	return exc_seen.count == before;
}

bool wrmsr_safe(uint32_t msr, uint64_t val)
{
	unsigned before = exc_seen.count;
	bool was = expect_abort;

	expect_abort = true;
	asm volatile("movl $1f, exc_recover\n\t"
		     "wrmsr\n"
		     "1:\tmovl $0, exc_recover"
		     :
		     : "a"((uint32_t)val), "d"((uint32_t)(val >> 32)), "c"(msr)
		     : "memory");
	expect_abort = was;
	return exc_seen.count == before;
}

/* Called by start.S's exception stubs. */
void guest_trap(struct exc_frame *f)
{
	exc_seen.vector = f->vector;
	exc_seen.error = f->error;
	exc_seen.eip = f->eip;
	exc_seen.count++;
	if (expect_abort && exc_recover) {
		f->eip = exc_recover;
		return;
	}
	FAIL("exception", "unexpected exception %u (error 0x%x) at eip 0x%x", (unsigned)f->vector,
	     (unsigned)f->error, (unsigned)f->eip);
	system_off();
}
