// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The arch hooks every device-tree platform (arm64, riscv64) fills the same
 * way: the firmware hands over a DTB and guests boot with one. Built by the
 * arch.mk of those arches only.
 */
#include <keel/arch.h>
#include <keel/fw_dtb.h>
#include <keel/guest_fdt.h>
#include <libfdt.h>

int arch_fw_read(const void *fw_arg, struct fw_info *info)
{
	return fw_dtb_read(fw_arg, info);
}

const char *arch_fw_strerror(int err)
{
	return fdt_strerror(err);
}

int arch_guest_boot_info(void *buf, size_t size, struct vm *vm, const struct guest_fdt_info *info)
{
	return guest_fdt_build(buf, size, vm, info);
}
