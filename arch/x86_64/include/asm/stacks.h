/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keel's own stacks on x86_64, all in pcpu_stacks, every one above an unmapped
 * guard page. First one slot per pCPU stack: the guard page, then the stack. The
 * boot CPU runs on slot 0 from head.S on, so slots and pCPUs are swapped for it
 * (stack_slot()). Then, per pCPU, NR_IST slots of small IST stacks (a guard
 * page, then the stack) named in its TSS, on which #DF, #PF and NMI always run:
 * an overflowing stack cannot take an exception frame.
 */
#ifndef ASM_STACKS_H
#define ASM_STACKS_H

#define PCPU_GUARD_SIZE 0x1000
#define PCPU_STACK_SIZE 0x5000 /* the guard page, then 16 KiB of stack */
#define IST_SLOT_SIZE 0x2000 /* the guard page, then 4 KiB of stack */
#define IST_DF 1 /* the TSS's IST numbers */
#define IST_PF 2
#define IST_NMI 3
#define NR_IST 3

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

extern char pcpu_stacks[];
/* the size of pcpu_stacks, and how many guard pages it holds */
#define STACKS_SIZE (KEEL_MAX_PCPUS * (PCPU_STACK_SIZE + NR_IST * IST_SLOT_SIZE))
#define NR_STACK_GUARDS (KEEL_MAX_PCPUS * (1 + NR_IST))
/* the slot of pCPU cpu's stack, and the pCPU of a slot (the same swap) */
unsigned stack_slot(unsigned cpu);
/* this pCPU's GDT and TSS (keel's IST stacks); boot: it is the boot CPU */
void tss_cpu_init(unsigned cpu, int boot);
/* the address of guard page i (0 .. NR_STACK_GUARDS - 1), for keel's tables to leave out */
uint64_t stack_guard_page(unsigned i);
/* the stack ("stack", "#PF stack", ...) whose guard page holds addr, and its pCPU; or NULL */
const char *stack_guard_owner(uint64_t addr, unsigned *cpu);
#endif

#endif
