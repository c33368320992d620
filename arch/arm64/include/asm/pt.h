/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64 VMSAv8-64 descriptors (4 KiB granule) for the shared table builder. */
#ifndef ASM_PT_H
#define ASM_PT_H

#include <keel/kmap.h>
#include <keel/pt.h>

#define PTE_VALID (1UL << 0)
#define PTE_TABLE (1UL << 1) /* table (L0-L2) or page (L3) */
#define PTE_ATTRIDX(n) ((uint64_t)(n) << 2)
#define PTE_AP_RO (1UL << 7)
#define PTE_AP_EL2_RES1 (1UL << 6)
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF (1UL << 10)
#define PTE_XN (1UL << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000UL

/* stage 2 */
#define S2_MEMATTR_NORMAL_WB (0xfUL << 2)
#define S2_MEMATTR_DEVICE (0x0UL << 2)
#define S2_AP_RW (3UL << 6)
#define S2_XN (2UL << 53)

/* MAIR_EL2 slots of keel's own map */
#define MAIR_DEVICE 0 /* Device-nGnRnE */
#define MAIR_NORMAL 1 /* Normal, write-back, read/write-allocate */

extern const struct pt_format arm64_pt_format;
extern const struct kmap_attrs arm64_kmap_attrs; /* keel's EL2 map (keel/kmap.h) */

#endif
