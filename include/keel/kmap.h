/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The layout of keel's own identity map (arm64 EL2 stage 1, riscv64 HS-mode satp): which ranges
 * get which permissions, which pages stay unmapped. Arch-neutral and host-tested; the arch gives
 * its descriptor format (struct pt) and the leaf attributes of each permission.
 */
#ifndef KEEL_KMAP_H
#define KEEL_KMAP_H

#include <keel/fw_dtb.h>
#include <keel/pt.h>

#define KMAP_MAX_DEV 4
#define KMAP_MAX_GUARDS 2 /* series of guard pages: below the pCPU stacks, below the panic stacks */

/* nr guard pages left unmapped at base, base + stride, ...; nr 0: none */
struct kmap_guards {
	uint64_t base, stride;
	unsigned nr;
};

/* Leaf attributes, in the arch's descriptor format, for each kind of mapping. */
struct kmap_attrs {
	uint64_t rx; /* keel's text */
	uint64_t ro; /* keel's rodata, a firmware blob outside RAM */
	uint64_t rw; /* keel's data, bss, stacks; RAM */
	uint64_t dev; /* device registers keel drives itself */
};

struct kmap_layout {
	uint64_t text, text_end; /* executable, read-only */
	uint64_t
		ro_end; /* [text_end, ro_end): read-only data; above it, up to the 2 MiB window end: RW */
	struct fw_range dev[KMAP_MAX_DEV]; /* device windows */
	unsigned nr_dev;
	struct kmap_guards guards[KMAP_MAX_GUARDS]; /* unmapped pages below stacks */
	const struct kmap_attrs *attr;
};

/*
 * Map the device windows, every RAM range of fw, the partition file (fw->initrd) read-only when
 * no RAM range holds it, and keel's image with page-level W^X (keel's image lies in one 2 MiB
 * block starting at text), except the guard pages below the stacks (inside the image), which stay
 * unmapped. RAM is mapped with the largest blocks alignment allows. A RAM range that cannot be
 * mapped (beyond the VA range, out of tables) is dropped from fw (size 0) so no allocator hands
 * it out; returns how many were dropped.
 */
unsigned kmap_build(struct pt *pt, struct fw_info *fw, const struct kmap_layout *l);

#endif
