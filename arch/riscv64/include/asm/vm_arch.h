/* SPDX-License-Identifier: GPL-2.0-or-later */
/* riscv64 per-VM state: G-stage tables, VMID, emulated PLIC. */
#ifndef ASM_VM_ARCH_H
#define ASM_VM_ARCH_H

#include <keel/pt.h>
#include <asm/vplic.h>

struct vm_arch {
	struct pt g;
	uint64_t hgatp;
	unsigned vmid;
	volatile unsigned nr_loaded; /* vCPUs currently loaded on a pCPU */
	struct vplic plic;
};

#endif
