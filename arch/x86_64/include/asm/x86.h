/* SPDX-License-Identifier: GPL-2.0-or-later */
/* x86 instructions keel needs: port I/O, MSRs, CPUID, control registers. */
#ifndef ASM_X86_H
#define ASM_X86_H

#include <stdint.h>

#define MSR_EFER 0xc0000080
#define EFER_LME (1UL << 8)
#define EFER_LMA (1UL << 10)
#define EFER_NXE (1UL << 11)
#define EFER_SVME (1UL << 12)
#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define MSR_TSC_AUX 0xc0000103
#define MSR_GS_BASE 0xc0000101
#define CR4_OSXSAVE (1UL << 18)
#define CR4_PKE (1UL << 22)
#define XCR0_X87 (1UL << 0)
#define XCR0_SSE (1UL << 1)
#define MSR_APIC_BASE 0x1b
#define MSR_X2APIC_EOI 0x80b
#define MSR_X2APIC_SVR 0x80f
#define MSR_X2APIC_ICR 0x830
#define MSR_X2APIC_LVT_TIMER 0x832
#define MSR_X2APIC_TMICT 0x838
#define MSR_X2APIC_TDCR 0x83e

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

#ifdef KEEL_HOST
/* Host builds (fuzz harnesses): the harness's CPU answers CPUID. */
void host_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);
#define cpuid(leaf, sub, r) host_cpuid(leaf, sub, r)
#else
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile("cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(sub));
}
#endif

#ifdef KEEL_HOST
/* Host builds (fuzz harnesses): the harness's clock, so a run is repeatable. */
uint64_t host_rdtsc(void);
#define rdtsc() host_rdtsc()
#else
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
#endif

#define read_cr(n)                                             \
	({                                                     \
		uint64_t v_;                                   \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v_)); \
		v_;                                            \
	})
static inline void xsetbv(uint32_t xcr, uint64_t v)
{
	asm volatile("xsetbv" ::"c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

#define write_cr(n, v) asm volatile("mov %0, %%cr" #n ::"r"((uint64_t)(v)) : "memory")

#endif
