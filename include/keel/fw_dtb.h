/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What keel reads from the firmware's device tree at boot. */
#ifndef KEEL_FW_DTB_H
#define KEEL_FW_DTB_H

#include <keel/types.h>
#include <keel/vcpu.h>

#define FW_MAX_RAM 8
#define FW_MAX_RESERVED 16

struct fw_range {
	uint64_t base, size;
};

struct fw_info {
	unsigned nr_ram;
	struct fw_range ram[FW_MAX_RAM];
	unsigned nr_reserved; /* /memreserve/ and /reserved-memory */
	struct fw_range reserved[FW_MAX_RESERVED];
	struct fw_range initrd; /* size 0 when absent */
	unsigned nr_cpus;
	uint64_t cpu_hwid[KEEL_MAX_PCPUS];
};

/* Returns 0, or a libfdt error (negative) when the DTB is unusable. */
int fw_dtb_read(const void *fdt, struct fw_info *info);

/*
 * Called by the arch entry code before its MMU is on: reads the firmware DTB
 * once (result and error kept for keel_main) and returns what was read.
 */
struct fw_info *keel_early(const void *fdt);

#endif
