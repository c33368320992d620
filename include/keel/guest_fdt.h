/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The device tree a guest boots with (design.md section 3). */
#ifndef KEEL_GUEST_FDT_H
#define KEEL_GUEST_FDT_H

#include <keel/types.h>
#include <libfdt.h>
#include <string.h>

#define GUEST_FDT_MAX KiB(64)

struct vm;

struct guest_fdt_info {
	uint64_t initrd_ipa, initrd_size; /* size 0: no initrd */
};

/*
 * Write vm's DTB into buf (size bytes): root, /chosen (bootargs, stdout-path,
 * initrd), /memory, then the arch's nodes. Returns 0 or a libfdt error.
 */
int guest_fdt_build(void *buf, size_t size, struct vm *vm, const struct guest_fdt_info *info);

/* Helpers for arch_guest_fdt_nodes(). */
#define FDT_TRY(x)                   \
	do {                         \
		int err_ = (x);      \
		if (err_)            \
			return err_; \
	} while (0)

int fdt_prop_cells(void *fdt, const char *name, const uint64_t *vals, int n, int cells);

/*
 * libfdt's fdt_property_string() macro hands strlen()'s size_t to fdt_property()'s int length,
 * which -Wconversion flags at every call site: the same call, the narrowing spelled out once
 * (a property string fits in the DTB, far below INT_MAX).
 */
#undef fdt_property_string
static inline int fdt_property_string(void *fdt, const char *name, const char *str)
{
	return fdt_property(fdt, name, str, (int)(strlen(str) + 1));
}

#endif
