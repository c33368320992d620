/* SPDX-License-Identifier: GPL-2.0-or-later */
/* x86_64 per-vCPU state: registers outside the VMCB, and the VMCB itself. */
#ifndef ASM_VCPU_ARCH_H
#define ASM_VCPU_ARCH_H

#include <asm/frame.h>
#include <asm/svm.h>

struct vcpu_arch {
	struct frame regs; /* first: entry.S uses it at offset 0 */
	uint64_t vmcb_pa; /* at offset 8 * R_NR */
	struct vmcb *vmcb;
	uint64_t start_rip, start_rbx;
};

#endif
