// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keel's stacks on x86_64: the pCPU stacks and the IST stacks with their guard
 * pages (cpu.c leaves each guard unmapped), and per pCPU a GDT slot with a TSS
 * whose IST entries give #DF, #PF and NMI stacks of their own.
 *
 * IST stacks do not nest: the CPU loads the IST entry's RSP on every delivery.
 * So an overflow of an IST stack (a handler that runs into its guard page) is a
 * #PF like any other, delivered at the top of the #PF stack (over whatever the
 * overflowing handler left there, #PF's own included) and the panic names the
 * stack. No overflow double-faults: delivery never pushes onto a used stack.
 */
#include <keel/arch.h>
#include <keel/hcall.h>
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

#define IST_SLOTS (KEEL_MAX_PCPUS * PCPU_STACK_SIZE) /* the first IST slot in pcpu_stacks */

char pcpu_stacks[STACKS_SIZE] __attribute__((aligned(PAGE_SIZE), section(".noinit")));
static struct tss tss[KEEL_MAX_PCPUS] __attribute__((aligned(16)));
/* written by LTR (busy bit): in .data, not rodata. Code 0x08 and data 0x10 as head.S's. */
static uint64_t gdt[GDT_TSS + 2 * KEEL_MAX_PCPUS]
	__attribute__((aligned(16))) = { 0, 0x00209a0000000000UL, 0x0000920000000000UL };
static unsigned boot_cpu;

unsigned stack_slot(unsigned cpu)
{
	return cpu == boot_cpu ? 0 : cpu == 0 ? boot_cpu : cpu;
}

/* the IST slot of pCPU cpu's IST stack ist (IST_DF ...) */
static uintptr_t ist_slot(unsigned cpu, unsigned ist)
{
	return (uintptr_t)pcpu_stacks + IST_SLOTS + (cpu * NR_IST + ist - 1) * IST_SLOT_SIZE;
}

uint64_t stack_guard_page(unsigned i)
{
	if (i < KEEL_MAX_PCPUS)
		return (uintptr_t)pcpu_stacks + i * PCPU_STACK_SIZE;
	return (uintptr_t)pcpu_stacks + IST_SLOTS + (i - KEEL_MAX_PCPUS) * IST_SLOT_SIZE;
}

const char *stack_guard_owner(uint64_t addr, unsigned *cpu)
{
	static const char *const ist_name[NR_IST] = { "#DF stack", "#PF stack", "NMI stack" };
	uint64_t off = addr - (uintptr_t)pcpu_stacks;

	if (off < IST_SLOTS) {
		if (off % PCPU_STACK_SIZE >= PCPU_GUARD_SIZE)
			return NULL;
		*cpu = stack_slot((unsigned)(off / PCPU_STACK_SIZE));
		return "stack";
	}
	off -= IST_SLOTS;
	if (off >= KEEL_MAX_PCPUS * NR_IST * IST_SLOT_SIZE || off % IST_SLOT_SIZE >= PAGE_SIZE)
		return NULL;
	*cpu = (unsigned)(off / IST_SLOT_SIZE / NR_IST);
	return ist_name[off / IST_SLOT_SIZE % NR_IST];
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
		tss[cpu].ist[i] = ist_slot(cpu, i + 1) + IST_SLOT_SIZE;
	tss[cpu].iopb = sizeof(struct tss); /* no I/O bitmap */
	/* a 64-bit available TSS (type 9), present */
	gdt[GDT_TSS + 2 * cpu] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89UL << 40 |
				 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[GDT_TSS + 2 * cpu + 1] = base >> 32;
	asm volatile("lgdt %0; ltr %1" ::"m"(gdtr), "r"(sel) : "memory");
}

#ifdef KEEL_TEST_HOOKS
/* Test-only (stack_guard.c, way 4): run fn on this pCPU's #PF stack, as a fault handler would. */
bool arch_test_on_fault_stack(void (*fn)(void))
{
	register uint64_t top asm("rdi") = ist_slot(arch_cpu_id(), IST_PF) + IST_SLOT_SIZE;
	register void (*f)(void) asm("rsi") = fn;

	/* callee-saved RBX keeps keel's RSP; every caller-saved register may change */
	asm volatile("mov %%rsp, %%rbx\n\tmov %%rdi, %%rsp\n\tcall *%%rsi\n\tmov %%rbx, %%rsp"
		     : "+r"(top), "+r"(f)
		     :
		     : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "memory", "cc");
	return true;
}
#endif
