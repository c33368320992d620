/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keel's own stacks on x86_64. Every pCPU stack is one slot of pcpu_stacks: an
 * unmapped guard page, then the stack. The boot CPU runs on slot 0 from head.S on,
 * so slots and pCPUs are swapped for it (stack_slot()). Each pCPU also has
 * small IST stacks, named in its TSS, on which #DF, #PF and NMI always run: an
 * overflowing stack cannot take an exception frame.
 */
#ifndef ASM_STACKS_H
#define ASM_STACKS_H

#define PCPU_GUARD_SIZE 0x1000
#define PCPU_STACK_SIZE 0x5000 /* the guard page, then 16 KiB of stack */
#define IST_STACK_SIZE 0x1000
#define IST_DF 1 /* the TSS's IST numbers */
#define IST_PF 2
#define IST_NMI 3
#define NR_IST 3

#ifndef __ASSEMBLY__
#include <stdint.h>

extern char pcpu_stacks[];
/* the slot of pCPU cpu's stack, and the pCPU of a slot (the same swap) */
unsigned stack_slot(unsigned cpu);
/* this pCPU's GDT and TSS (keel's IST stacks); boot: it is the boot CPU */
void tss_cpu_init(unsigned cpu, int boot);
/* the slot whose guard page holds addr, or -1 */
int stack_guard_slot(uint64_t addr);
#endif

#endif
