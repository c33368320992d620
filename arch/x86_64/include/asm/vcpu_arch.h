/* SPDX-License-Identifier: GPL-2.0-or-later */
/* x86_64 per-vCPU state: registers outside the VMCB, and the VMCB itself. */
#ifndef ASM_VCPU_ARCH_H
#define ASM_VCPU_ARCH_H

#include <asm/frame.h>
#include <asm/svm.h>
#include <asm/vlapic.h>
#include <asm/savic.h>
#include <keel/spinlock.h>

struct vcpu_arch {
	struct frame regs; /* first: entry.S uses it at offset 0 */
	uint64_t vmcb_pa; /* at offset 8 * R_NR */
	struct vmcb *vmcb;
	uint64_t host_state_pa; /* at 8 * (R_NR + 2): this pCPU's VMSAVE area (svm.c) */
	uint8_t fpu[512] __attribute__((aligned(16))); /* FXSAVE area, for vCPUs sharing a CPU */
	uint32_t pkru; /* protection-key rights (PKU), switched with the FXSAVE state */
	spinlock_t irq_lock; /* apic and savic: other vCPUs deliver IPIs */
	uint32_t *apic_page;
	struct vlapic apic;
	struct savic savic;
};

#endif
