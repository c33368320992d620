// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The multiboot v1 information block (asm/multiboot.h): memory map, the
 * firmware structures keel must not hand out, and the first module (the
 * partition file). Reads only inside the window it is given; fuzzed by
 * tests/fuzz/fuzz_multiboot.c.
 */
#include <keel/console.h>
#include <keel/fw_dtb.h>
#include <asm/multiboot.h>
#include <string.h>

#define MB_RAM 1

/* A pointer to [pa, pa + len) when the window holds all of it, else NULL. */
static const void *mb_at(const struct mb_window *w, uint64_t pa, uint64_t len)
{
	if (pa < w->base || len > w->size || pa - w->base > w->size - len)
		return NULL;
	return (const void *)(w->host + (uintptr_t)(pa - w->base));
}

static void reserve(struct fw_info *info, uint64_t base, uint64_t size)
{
	if (info->nr_reserved < FW_MAX_RESERVED && size) {
		info->reserved[info->nr_reserved].base = ALIGN_DOWN(base, PAGE_SIZE);
		info->reserved[info->nr_reserved++].size =
			ALIGN_UP(size + (base & (PAGE_SIZE - 1)), PAGE_SIZE);
	}
}

static void read_map(const uint8_t *map, uint32_t length, struct fw_info *info)
{
	for (uint64_t off = 0; off + sizeof(struct mb_mmap) <= length;) {
		struct mb_mmap e;

		memcpy(&e, map + off, sizeof(e));
		off += (uint64_t)e.size + 4;
		if (e.type != MB_RAM || !e.len)
			continue;
		if (e.base + e.len < e.base) {
			log_warn("multiboot: RAM entry 0x%lx+0x%lx wraps, not used",
				 (unsigned long)e.base, (unsigned long)e.len);
		} else if (info->nr_ram < FW_MAX_RAM) {
			info->ram[info->nr_ram].base = e.base;
			info->ram[info->nr_ram++].size = e.len;
		} else {
			log_warn("multiboot: more than %u RAM entries, 0x%lx+0x%lx not used",
				 FW_MAX_RAM, (unsigned long)e.base, (unsigned long)e.len);
		}
	}
}

static bool in_ram(const struct fw_info *info, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < info->nr_ram; i++)
		if (base >= info->ram[i].base && size <= info->ram[i].size &&
		    base - info->ram[i].base <= info->ram[i].size - size)
			return true;
	return false;
}

/* The first module is the partition file: inside the window and inside RAM, or none. */
static void read_module(const struct mb_window *w, const struct mbi *mbi, struct fw_info *info)
{
	const struct mb_mod *list =
		mb_at(w, mbi->mods_addr, (uint64_t)mbi->mods_count * sizeof(struct mb_mod));
	struct mb_mod m;

	if (!list) {
		log_warn("multiboot: %u module(s) listed at 0x%x, outside readable memory: "
			 "not used",
			 mbi->mods_count, mbi->mods_addr);
		return;
	}
	reserve(info, mbi->mods_addr, (uint64_t)mbi->mods_count * sizeof(struct mb_mod));
	memcpy(&m, list, sizeof(m));
	if (m.end <= m.start || !mb_at(w, m.start, m.end - m.start) ||
	    !in_ram(info, m.start, m.end - m.start)) {
		log_warn(
			"multiboot: module 0x%x-0x%x is empty or not inside readable RAM: not used",
			m.start, m.end);
		return;
	}
	info->initrd.base = m.start;
	info->initrd.size = m.end - m.start;
}

int mb_parse(const struct mb_window *w, uint64_t mbi_pa, struct fw_info *info)
{
	const struct mbi *p = mb_at(w, mbi_pa, sizeof(struct mbi));
	const uint8_t *map;
	struct mbi mbi;

	memset(info, 0, sizeof(*info));
	if (!mbi_pa)
		return MB_ERR_NO_MBI;
	if (!p)
		return MB_ERR_MBI_OUTSIDE;
	memcpy(&mbi, p, sizeof(mbi));
	if (!(mbi.flags & MBI_MMAP))
		return MB_ERR_NO_MAP;
	map = mb_at(w, mbi.mmap_addr, mbi.mmap_length);
	if (!map)
		return MB_ERR_MAP_OUTSIDE;
	read_map(map, mbi.mmap_length, info);
	reserve(info, 0, 0x100000); /* real-mode IVT, BIOS data, EBDA, option ROMs */
	reserve(info, mbi_pa, sizeof(mbi));
	reserve(info, mbi.mmap_addr, mbi.mmap_length);
	if ((mbi.flags & MBI_MODS) && mbi.mods_count)
		read_module(w, &mbi, info);
	return 0;
}

const char *mb_strerror(int err)
{
	return err == MB_ERR_NO_MBI	 ? "no multiboot information" :
	       err == MB_ERR_NO_MAP	 ? "multiboot information without a memory map" :
	       err == MB_ERR_MBI_OUTSIDE ? "multiboot information outside readable memory" :
	       err == MB_ERR_MAP_OUTSIDE ? "multiboot memory map outside readable memory" :
					   "unknown error";
}
