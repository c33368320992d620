/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V Sv39 page-table entries for the shared table builder: the G-stage tables of the VMs
 * (Sv39x4) and keel's own HS-mode map (satp Sv39) use the same format.
 */
#ifndef ASM_PT_H
#define ASM_PT_H

#include <keel/kmap.h>
#include <keel/pt.h>

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4) /* G-stage leaves are user pages; keel's own never */
#define PTE_G (1UL << 5)
/*
 * Accessed and dirty, set in every leaf: a hart without Svadu (henvcfg shows none under QEMU 7.2)
 * may raise a page fault on a leaf without A (or D, for a store) instead of setting them. QEMU
 * 7.2's walker sets them itself (README, platform notes); with both set it never writes keel's
 * tables.
 */
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)

#define SATP_MODE_SV39 (8UL << 60)
/* Sv39 identity map: a virtual address must equal its bit 38 sign-extended, so 256 GiB. */
#define SV39_IDENTITY_ROOT_ENTRIES 256

extern const struct pt_format riscv_pt_format;
extern const struct kmap_attrs riscv_kmap_attrs; /* keel's HS-mode map (keel/kmap.h) */

#endif
