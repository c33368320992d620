// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the firmware hands over on x86: the multiboot v1 information block
 * (mb_parse.c: memory map, modules, the first one is the partition file) and
 * QEMU's fw_cfg CPU count.
 */
#include <keel/arch.h>
#include <asm/multiboot.h>
#include <keel/fw_dtb.h>
#include <asm/x86.h>
#include <platform.h>

#define FW_CFG_NB_CPUS 0x05

static unsigned fw_cfg_cpus(void)
{
	unsigned n;

	outw(PLAT_FW_CFG_PORT, FW_CFG_NB_CPUS);
	n = inb(PLAT_FW_CFG_PORT + 1);
	n |= (unsigned)inb(PLAT_FW_CFG_PORT + 1) << 8;
	return n ? n : 1;
}

int arch_fw_read(const void *fw_arg, struct fw_info *info)
{
	/* head.S's boot tables map the first 4 GiB, where every multiboot v1 address lies */
	static const struct mb_window boot_window = { 0, 1UL << 32, 0 };
	int err = mb_parse(&boot_window, (uintptr_t)fw_arg, info);

	if (err)
		return err;
	/* QEMU numbers APIC IDs 0..n-1 for a flat topology */
	info->nr_cpus = MIN(fw_cfg_cpus(), (unsigned)KEEL_MAX_PCPUS);
	for (unsigned i = 0; i < info->nr_cpus; i++)
		info->cpu_hwid[i] = i;
	return 0;
}

const char *arch_fw_strerror(int err)
{
	return mb_strerror(err);
}
