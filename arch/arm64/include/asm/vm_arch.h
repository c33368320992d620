/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64 per-VM state: stage-2 tables, VMID, virtual GIC distributor. */
#ifndef ASM_VM_ARCH_H
#define ASM_VM_ARCH_H

#include <asm/pt.h>
#include <asm/vgic.h>

struct vm_arch {
	struct pt s2;
	uint64_t vttbr;
	unsigned vmid;
	volatile unsigned nr_loaded; /* vCPUs currently loaded on a pCPU */
	struct vgic_dist gicd;
};

#endif
