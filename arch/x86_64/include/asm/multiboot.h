/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Multiboot v1 information block: what keel is given by the firmware and gives its guests. */
#ifndef ASM_MULTIBOOT_H
#define ASM_MULTIBOOT_H

#include <stdint.h>

#define MB_BOOT_MAGIC 0x2badb002 /* in EAX at keel's entry */
#define MBI_MEM (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS (1u << 3)
#define MBI_MMAP (1u << 6)

struct mbi {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_mod {
	uint32_t start, end, string, rsvd;
} __attribute__((packed));

struct mb_mmap {
	uint32_t size; /* of the rest of the entry */
	uint64_t base, len;
	uint32_t type; /* 1 = RAM */
} __attribute__((packed));

#ifndef __ASSEMBLY__
struct fw_info;

/*
 * The physical memory the parser may read: [base, base + size), found at host
 * address host. keel reads through the boot tables' identity map of the first
 * 4 GiB; a fuzz harness hands a buffer.
 */
struct mb_window {
	uint64_t base, size;
	uintptr_t host;
};

#define MB_ERR_NO_MBI (-1)
#define MB_ERR_NO_MAP (-2)
#define MB_ERR_MBI_OUTSIDE (-3)
#define MB_ERR_MAP_OUTSIDE (-4)

/*
 * Fills info's RAM, reserved ranges and initrd (the first module: the partition
 * file) from the multiboot information at mbi_pa; not the CPUs. Returns 0 or an
 * MB_ERR_*. Whatever lies outside the window is refused: the information block
 * or its memory map (an error), the module list or the module (no initrd, with
 * a warning). A RAM entry that wraps is skipped with a warning; the initrd is
 * handed on only when it lies inside RAM the map describes.
 */
int mb_parse(const struct mb_window *w, uint64_t mbi_pa, struct fw_info *info);
const char *mb_strerror(int err);
#endif

#endif
