/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64 translation tables, 4 KiB granule: one builder shared by keel's own
 * EL2 stage-1 tables and every VM's stage-2 tables. Host-testable: table
 * "physical" addresses are the pointers the alloc callback returns.
 */
#ifndef ASM_PT_H
#define ASM_PT_H

#include <stdint.h>
#include <stdbool.h>

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

struct pt {
	uint64_t *root;
	int start_level; /* 0..2 */
	unsigned root_entries; /* 512, or 1024 for two concatenated tables */
	void *(*alloc_page)(void *ctx); /* zeroed, 4 KiB aligned; NULL when out */
	void *ctx;
	unsigned tables; /* table pages allocated, root excluded */
};

enum pt_err { PT_OK = 0, PT_ERR_ALIGN, PT_ERR_NOMEM, PT_ERR_RANGE, PT_ERR_MAPPED };

/* Map [va, va+size) to pa with leaf attributes attrs, using the largest blocks alignment allows. */
enum pt_err pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs);

/* Translate va: returns true and the output address and leaf descriptor if mapped. */
bool pt_lookup(const struct pt *pt, uint64_t va, uint64_t *pa, uint64_t *desc);

/* Visit every table page below the root (for bulk release); leaves first. */
void pt_for_each_table(const struct pt *pt, void (*fn)(void *table, void *ctx), void *ctx);

#endif
