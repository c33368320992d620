/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest register frame. While a vCPU runs, sscratch points at a frame at
 * the top of its pCPU's stack; a trap from the guest stores the registers
 * there. Slot 0 (x0 is always zero) holds the pCPU index, which the trap
 * entry loads into tp: keel's C code finds its pCPU through tp.
 */
#ifndef ASM_FRAME_H
#define ASM_FRAME_H

#define FRAME_SIZE 272 /* 32 register slots, the hypercall-exit counter, padding */
#define PCPU_STACK_SHIFT 15 /* 32 KiB per pCPU, the lowest 4 KiB an unmapped guard page */
#define PCPU_STACK_SIZE (1 << PCPU_STACK_SHIFT)
/* 8 KiB per pCPU for the panic path: the lowest 4 KiB an unmapped guard page, then the stack */
#define PANIC_STACK_SHIFT 13
#define KEEL_MAX_PCPUS_ASM 8 /* KEEL_MAX_PCPUS for head.S and entry.S (cpu.c checks they agree) */
/* pcpu_stacks slot KEEL_MAX_PCPUS is the boot stack, guarded like the others */
#define BOOT_STACK_SLOT KEEL_MAX_PCPUS_ASM

#ifndef __ASSEMBLY__
#include <stdint.h>

struct frame {
	uint64_t x[32]; /* x[0]: pCPU index */
	uint64_t *hcall_exits; /* the running vCPU's counter for sbi_fast (not guest state) */
	uint64_t pad;
};
#endif

#endif
