/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Translation-table builder shared by every arch (4 KiB granule, 512 entries
 * per level): keel's own stage-1 map and every VM's second-stage tables. An
 * arch supplies its descriptor format. Levels are numbered as on arm64: 3
 * maps 4 KiB pages, 2 maps 2 MiB blocks, 1 maps 1 GiB blocks.
 * Host-testable: table "physical" addresses are the pointers alloc_page returns.
 */
#ifndef KEEL_PT_H
#define KEEL_PT_H

#include <stdint.h>
#include <stdbool.h>

struct pt_format {
	uint64_t (*table)(uint64_t pa); /* next-level table descriptor */
	uint64_t (*leaf)(uint64_t pa, uint64_t attrs, int level); /* block or page */
	bool (*valid)(uint64_t d, int level);
	bool (*is_table)(uint64_t d, int level);
	uint64_t (*addr)(uint64_t d); /* output or table address */
};

struct pt {
	const struct pt_format *fmt;
	uint64_t *root;
	int start_level; /* 0..2 */
	unsigned root_entries; /* 512, or more for concatenated roots (stage 2, Sv39x4) */
	void *(*alloc_page)(void *ctx); /* zeroed, 4 KiB aligned; NULL when out */
	void *ctx;
	unsigned tables; /* table pages allocated, root excluded */
	bool pages_only; /* map 4 KiB pages only, no blocks (the page-by-page teardown bench) */
};

enum pt_err { PT_OK = 0, PT_ERR_ALIGN, PT_ERR_NOMEM, PT_ERR_RANGE, PT_ERR_MAPPED };

/* Map [va, va+size) to pa with leaf attributes attrs, using the largest blocks alignment allows. */
enum pt_err pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs);

/* Translate va: returns true and the output address and leaf descriptor if mapped. */
bool pt_lookup(const struct pt *pt, uint64_t va, uint64_t *pa, uint64_t *desc);

/* Remove the 4 KiB page mapping of va; false when va is not mapped by a page (or by a block). */
bool pt_unmap_page(struct pt *pt, uint64_t va);

/* Visit every table page below the root (for bulk release); leaves first. */
void pt_for_each_table(const struct pt *pt, void (*fn)(void *table, void *ctx), void *ctx);

#endif
