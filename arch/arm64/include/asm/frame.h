/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest register frame. While a vCPU runs, its general registers live in
 * a frame at the top of its pCPU's EL2 stack: the exception vectors store
 * them there and ERET reloads them from there. FRAME_* offsets are used by
 * exception.S; frame.c checks them against the struct at compile time.
 */
#ifndef ASM_FRAME_H
#define ASM_FRAME_H

#define FRAME_SIZE 256 /* 31 registers + padding, 16-byte aligned */
#define FRAME_X30 240
#define PCPU_STACK_SHIFT 15 /* 32 KiB per pCPU, the lowest 4 KiB an unmapped guard page */
/* 8 KiB per pCPU for the panic path: the lowest 4 KiB an unmapped guard page, then the stack */
#define PANIC_STACK_SHIFT 13
#define KEEL_MAX_PCPUS_ASM 8 /* KEEL_MAX_PCPUS for the vectors (cpu.c checks they agree) */
#define PCPU_STACK_SIZE (1 << PCPU_STACK_SHIFT)

#ifndef __ASSEMBLY__
#include <stdint.h>

struct frame {
	uint64_t x[31];
	uint64_t *hcall_exits; /* the running vCPU's counter for hvc_fast (not guest state) */
};
#endif

#endif
