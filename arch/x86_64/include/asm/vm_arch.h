/* SPDX-License-Identifier: GPL-2.0-or-later */
/* x86_64 per-VM state: nested page tables, ASID, I/O and MSR permission maps. */
#ifndef ASM_VM_ARCH_H
#define ASM_VM_ARCH_H

#include <keel/pt.h>

struct vm_arch {
	struct pt npt;
	unsigned asid;
	volatile unsigned nr_loaded; /* vCPUs currently loaded on a pCPU */
};

#endif
