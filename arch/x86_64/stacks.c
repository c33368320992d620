// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keel's stacks on x86_64: the pCPU stacks with their guard pages (cpu.c leaves
 * each guard unmapped), and per pCPU a GDT slot with a TSS whose IST entries
 * give #DF, #PF and NMI stacks of their own.
 */
#include <keel/types.h>
#include <keel/vcpu.h>
#include <asm/stacks.h>

struct tss {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t rsvd1;
	uint64_t ist[7];
	uint64_t rsvd2;
	uint16_t rsvd3, iopb;
} __attribute__((packed));

#define GDT_TSS 3 /* the first TSS descriptor (selector 0x18); two entries per pCPU */

char pcpu_stacks[KEEL_MAX_PCPUS * PCPU_STACK_SIZE]
	__attribute__((aligned(PAGE_SIZE), section(".noinit")));
static char ist_stacks[KEEL_MAX_PCPUS][NR_IST][IST_STACK_SIZE]
	__attribute__((aligned(16), section(".noinit")));
static struct tss tss[KEEL_MAX_PCPUS] __attribute__((aligned(16)));
/* written by LTR (busy bit): in .data, not rodata. Code 0x08 and data 0x10 as head.S's. */
static uint64_t gdt[GDT_TSS + 2 * KEEL_MAX_PCPUS]
	__attribute__((aligned(16))) = { 0, 0x00209a0000000000UL, 0x0000920000000000UL };
static unsigned boot_cpu;

unsigned stack_slot(unsigned cpu)
{
	return cpu == boot_cpu ? 0 : cpu == 0 ? boot_cpu : cpu;
}

int stack_guard_slot(uint64_t addr)
{
	uint64_t off = addr - (uintptr_t)pcpu_stacks;

	if (off >= KEEL_MAX_PCPUS * PCPU_STACK_SIZE || off % PCPU_STACK_SIZE >= PCPU_GUARD_SIZE)
		return -1;
	return (int)(off / PCPU_STACK_SIZE);
}

void tss_cpu_init(unsigned cpu, int boot)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (uintptr_t)gdt };
	uint64_t base = (uintptr_t)&tss[cpu], limit = sizeof(struct tss) - 1;
	uint16_t sel = (uint16_t)(8 * (GDT_TSS + 2 * cpu));

	if (boot)
		boot_cpu = cpu;
	for (unsigned i = 0; i < NR_IST; i++)
		tss[cpu].ist[i] = (uintptr_t)ist_stacks[cpu][i] + IST_STACK_SIZE;
	tss[cpu].iopb = sizeof(struct tss); /* no I/O bitmap */
	/* a 64-bit available TSS (type 9), present */
	gdt[GDT_TSS + 2 * cpu] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89UL << 40 |
				 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[GDT_TSS + 2 * cpu + 1] = base >> 32;
	asm volatile("lgdt %0; ltr %1" ::"m"(gdtr), "r"(sel) : "memory");
}
