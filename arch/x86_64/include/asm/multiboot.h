/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Multiboot v1 information block: what keel is given by the firmware and gives its guests. */
#ifndef ASM_MULTIBOOT_H
#define ASM_MULTIBOOT_H

#include <stdint.h>

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

#endif
