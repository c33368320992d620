// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 part of the test-guest library: COM1, TSC, exceptions and interrupts, probes, MSRs,
 * x2APIC and Secure AVIC helpers, other vCPUs, power off.
 */
#include "guest.h"
#include <string.h>
#include <keel/hypercall.h>

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

/* x86 has no call to stop a vCPU: it parks (each HLT exits to keel and comes back). */
void arch_cpu_off(unsigned id)
{
	(void)id;
	for (;;)
		asm volatile("cli; hlt");
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

bool vmmcall_safe(uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t *ret_eax)
{
	unsigned before = exc_seen.count;
	bool was = expect_abort;

	expect_abort = true;
	asm volatile("movl $1f, exc_recover\n\t"
		     "vmmcall\n"
		     "1:\tmovl $0, exc_recover"
		     : "+a"(eax), "+b"(ebx), "+c"(ecx)
		     :
		     : "edx", "memory");
	expect_abort = was;
	*ret_eax = eax;
	return exc_seen.count == before;
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

/* runs one instruction that may fault; the vector it raised, or -1 */
#define FAULTING(insn, ...)                                           \
	({                                                            \
		unsigned b_ = exc_seen.count;                         \
		bool w_ = expect_abort;                               \
		expect_abort = true;                                  \
		asm volatile("movl $1f, exc_recover\n\t" insn "\n"    \
			     "1:\tmovl $0, exc_recover" __VA_ARGS__); \
		expect_abort = w_;                                    \
		exc_seen.count == b_ ? -1 : (int)exc_seen.vector;     \
	})

int cr4_set_safe(uint32_t bits)
{
	uint32_t cr4;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= bits;
	return FAULTING("mov %0, %%cr4", : : "r"(cr4) : "memory");
}

int xgetbv_safe(uint32_t xcr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;
	int r = FAULTING("xgetbv", : "+a"(lo), "+d"(hi) : "c"(xcr) : "memory");

	*val = ((uint64_t)hi << 32) | lo;
	return r;
}

int xsetbv_safe(uint32_t xcr, uint64_t val)
{
	return FAULTING("xsetbv",
			:
			: "a"((uint32_t)val), "d"((uint32_t)(val >> 32)), "c"(xcr)
			: "memory");
}

int rdtscp_safe(uint32_t *aux)
{
	uint32_t c = 0xdeadbeef;
	int r = FAULTING("rdtscp", : "+c"(c) : : "eax", "edx", "memory");

	*aux = c;
	return r;
}

int wrpkru_safe(uint32_t v)
{
	return FAULTING("wrpkru", : : "a"(v), "c"(0), "d"(0) : "memory");
}

int rdpkru_safe(uint32_t *v)
{
	uint32_t a = 0xdeadbeef;
	int r = FAULTING("rdpkru", : "+a"(a) : "c"(0) : "edx", "memory");

	*v = a;
	return r;
}

int xmm1_write(const uint32_t v[4])
{
	return FAULTING("movdqu (%0), %%xmm1", : : "r"(v) : "memory");
}

int xmm1_read(uint32_t v[4])
{
	return FAULTING("movdqu %%xmm1, (%0)", : : "r"(v) : "memory");
}

int ymm0_hi_write(const uint32_t v[4])
{
	return FAULTING("vinsertf128 $1, (%0), %%ymm0, %%ymm0", : : "r"(v) : "memory");
}

int ymm0_hi_read(uint32_t v[4])
{
	return FAULTING("vextractf128 $1, %%ymm0, (%0)", : : "r"(v) : "memory");
}

void x2apic_enable(void)
{
	wrmsr(X2APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS);
}

void apic_page_set(uint32_t *page, uint32_t off, unsigned vec)
{
	__atomic_fetch_or(&page[(off + 0x10 * (vec >> 5)) / 4], 1u << (vec & 31), __ATOMIC_SEQ_CST);
}

bool apic_page_test(const uint32_t *page, uint32_t off, unsigned vec)
{
	return (__atomic_load_n(&page[(off + 0x10 * (vec >> 5)) / 4], __ATOMIC_SEQ_CST) >>
		(vec & 31)) &
	       1;
}

void delay_ms(unsigned ms)
{
	uint64_t end = counter() + GUEST_TSC_HZ / 1000 * ms;

	while (counter() < end)
		asm volatile("pause");
}

/* No HLT here: the interrupt must come while the guest runs, not because it exits on its own. */
bool wait_count(volatile unsigned *v, unsigned n, unsigned ms)
{
	uint64_t end = counter() + GUEST_TSC_HZ / 1000 * ms;

	irq_enable();
	while (*v < n && counter() < end)
		asm volatile("pause");
	return *v >= n;
}

extern char ap_stub[], ap_stub_end[];
static void (*volatile smp_fn)(void);
static volatile unsigned smp_seq, smp_done;

void smp_start_ap(unsigned id)
{
	memcpy((void *)(uintptr_t)AP_STUB_ADDR, ap_stub,
	       (uintptr_t)ap_stub_end - (uintptr_t)ap_stub);
	x2apic_icr(ICR_DEST(id) | ICR_INIT | ICR_ASSERT);
	delay_ms(10);
	for (int i = 0; i < 2; i++) {
		x2apic_icr(ICR_DEST(id) | ICR_SIPI | (AP_STUB_ADDR >> 12));
		delay_ms(1);
	}
}

void smp_serve(void)
{
	irq_enable();
	for (;;) {
		unsigned seq = smp_seq;

		if (seq != smp_done) {
			smp_fn();
			__atomic_store_n(&smp_done, seq, __ATOMIC_SEQ_CST);
		}
		cpu_halt();
	}
}

bool smp_call(void (*fn)(void))
{
	unsigned seq = smp_seq + 1;
	uint64_t end = counter() + GUEST_TSC_HZ * 2;

	smp_fn = fn;
	__atomic_store_n(&smp_seq, seq, __ATOMIC_SEQ_CST);
	while (smp_done != seq && counter() < end)
		asm volatile("pause");
	return smp_done == seq;
}

/* Called by start.S's stubs for every vector: exceptions, the NMI, interrupts. */
void guest_trap(struct exc_frame *f)
{
	if (f->vector >= 32) {
		if (irq_hook)
			irq_hook(f->vector);
		wrmsr(X2APIC_EOI, 0);
		return;
	}
	if (f->vector == EXC_NMI && irq_hook) {
		irq_hook(EXC_NMI);
		return;
	}
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

/* vmmcall: EAX = n, EBX = argument; EAX = status, EBX, ECX, EDX = values */
struct keel_ret keel_call3(unsigned n, unsigned long arg, unsigned long arg2, unsigned long arg3)
{
	uint32_t a = n, b = (uint32_t)arg, c = (uint32_t)arg2, d = (uint32_t)arg3;

	asm volatile("vmmcall" : "+a"(a), "+b"(b), "+c"(c), "+d"(d)::"esi", "edi", "memory");
	return (struct keel_ret){ (int32_t)a, { b, c, d } };
}

unsigned guest_boot_count(void)
{
	return 0; /* multiboot has no such field */
}

#define ONESHOT_VEC 0x41

void guest_timer_enable(void)
{
	x2apic_enable();
	wrmsr(X2APIC_TDCR, APIC_TDCR_DIV1);
	wrmsr(X2APIC_LVTT, ONESHOT_VEC);
}

/* keel's x2APIC timer counts TSC ticks with divide-by-1; keel offers no TSC-deadline mode */
static void timer_count(uint64_t ticks)
{
	wrmsr(X2APIC_TMICT, ticks > 0xffffffffu ? 0xffffffffu : ticks ? (uint32_t)ticks : 1);
}

void guest_timer_at(uint64_t t)
{
	uint64_t now = counter();

	timer_count(t > now ? t - now : 1);
}

void guest_timer_oneshot(uint64_t ticks)
{
	guest_timer_enable();
	timer_count(ticks);
}

bool guest_timer_ack(unsigned vec)
{
	return vec == ONESHOT_VEC; /* one-shot: nothing to disarm, the lib sends the EOI */
}

#define IPI_VEC 0x42

void guest_ipi_enable(void)
{
	x2apic_enable();
}

void guest_ipi_send(unsigned id)
{
	x2apic_icr(ICR_DEST(id) | ICR_FIXED | IPI_VEC);
}

bool guest_ipi_ack(unsigned vec)
{
	return vec == IPI_VEC;
}

void guest_start_vcpu(unsigned id)
{
	smp_start_ap(id);
}
