/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The layout of keel's own EL2 stage-1 identity map, kept apart from the
 * code that switches the MMU on so the host tests can check W^X.
 */
#ifndef ASM_EL2_MAP_H
#define ASM_EL2_MAP_H

#include <asm/pt.h>
#include <keel/fw_dtb.h>

#define MAIR_DEVICE 0 /* Device-nGnRnE */
#define MAIR_NORMAL 1 /* Normal, write-back, read/write-allocate */

struct el2_layout {
	uint64_t text, text_end; /* executable, read-only */
	uint64_t ro_end; /* [text_end, ro_end): read-only data */
	uint64_t dev_limit; /* [0, dev_limit): board devices */
	/* guard pages left unmapped: nr_guards pages at guard, guard + guard_stride, ... */
	uint64_t guard, guard_stride;
	unsigned nr_guards;
};

/*
 * Map devices, every RAM range of fw and keel's image with page-level W^X
 * (keel's image lies in one 2 MiB block starting at text), except the guard
 * pages below the pCPU stacks (inside the image), which stay unmapped. A RAM range that
 * cannot be mapped (above the 39-bit VA range, out of tables) is dropped
 * from fw (size 0) so no allocator hands it out; returns how many were dropped.
 */
unsigned el2_map_build(struct pt *pt, struct fw_info *fw, const struct el2_layout *l);

#endif
