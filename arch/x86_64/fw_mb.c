// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the firmware hands over on x86: the multiboot v1 information block
 * (memory map, modules: the first one is the partition file) and QEMU's
 * fw_cfg CPU count.
 */
#include <keel/arch.h>
#include <asm/multiboot.h>
#include <keel/fw_dtb.h>
#include <asm/x86.h>
#include <platform.h>
#include <string.h>

#define FW_CFG_NB_CPUS 0x05

#define ERR_NO_MBI (-1)
#define ERR_NO_MAP (-2)

static void reserve(struct fw_info *info, uint64_t base, uint64_t size)
{
	if (info->nr_reserved < FW_MAX_RESERVED && size) {
		info->reserved[info->nr_reserved].base = ALIGN_DOWN(base, PAGE_SIZE);
		info->reserved[info->nr_reserved++].size =
			ALIGN_UP(size + (base & (PAGE_SIZE - 1)), PAGE_SIZE);
	}
}

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
	const struct mbi *mbi = fw_arg;

	memset(info, 0, sizeof(*info));
	if (!mbi)
		return ERR_NO_MBI;
	if (!(mbi->flags & MBI_MMAP))
		return ERR_NO_MAP;
	for (uint64_t off = 0; off + sizeof(struct mb_mmap) <= mbi->mmap_length;) {
		const struct mb_mmap *e = (const void *)(uintptr_t)(mbi->mmap_addr + off);

		if (e->type == 1 && info->nr_ram < FW_MAX_RAM) {
			info->ram[info->nr_ram].base = e->base;
			info->ram[info->nr_ram++].size = e->len;
		}
		off += e->size + 4;
	}
	reserve(info, 0, 0x100000); /* real-mode IVT, BIOS data, EBDA, option ROMs */
	reserve(info, (uintptr_t)mbi, sizeof(*mbi));
	reserve(info, mbi->mmap_addr, mbi->mmap_length);
	if ((mbi->flags & MBI_MODS) && mbi->mods_count) {
		const struct mb_mod *m = (const void *)(uintptr_t)mbi->mods_addr;

		reserve(info, mbi->mods_addr, mbi->mods_count * sizeof(*m));
		info->initrd.base = m->start;
		info->initrd.size = m->end - m->start;
	}
	/* QEMU numbers APIC IDs 0..n-1 for a flat topology */
	info->nr_cpus = MIN(fw_cfg_cpus(), (unsigned)KEEL_MAX_PCPUS);
	for (unsigned i = 0; i < info->nr_cpus; i++)
		info->cpu_hwid[i] = i;
	return 0;
}

const char *arch_fw_strerror(int err)
{
	return err == ERR_NO_MBI ? "no multiboot information" :
	       err == ERR_NO_MAP ? "multiboot information without a memory map" :
				   "unknown error";
}
