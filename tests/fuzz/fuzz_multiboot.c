// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for x86_64's multiboot v1 parser (arch/x86_64/mb_parse.c): the
 * information block, its memory map and module list, as GRUB or QEMU hand them
 * to keel. The input is a fake stretch of physical memory: u32 window base,
 * u32 address of the information block, then the window's bytes (a heap block
 * of exactly that size, so ASan sees any read past it).
 *
 * Promises, against a model of the multiboot rules written here: the result is
 * 0 or the error the input calls for; the RAM ranges are exactly the map's
 * usable, non-wrapping RAM entries (at most FW_MAX_RAM); the information block,
 * the map and the module list are reserved; the partition blob handed on is the
 * first module exactly, inside the window and inside one RAM range, and a
 * module or module list that is not is refused with a message on the console.
 */
#include "fake_env.h"
#include <keel/fw_dtb.h>
#include <asm/multiboot.h>

struct model_ram {
	unsigned n;
	struct fw_range r[FW_MAX_RAM];
};

/* The model's own bounds check: [pa, pa + len) inside [base, base + size). */
static bool inside(uint64_t base, uint64_t size, uint64_t pa, uint64_t len)
{
	return pa >= base && len <= size && pa - base <= size - len;
}

static bool covered(const struct fw_info *fw, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < fw->nr_reserved; i++)
		if (base >= fw->reserved[i].base &&
		    base + size <= fw->reserved[i].base + fw->reserved[i].size)
			return true;
	return fw->nr_reserved == FW_MAX_RESERVED; /* the table may be full */
}

static void model_map(const uint8_t *map, uint32_t length, struct model_ram *m)
{
	m->n = 0;
	for (uint64_t off = 0; off + sizeof(struct mb_mmap) <= length;) {
		struct mb_mmap e;

		memcpy(&e, map + off, sizeof(e));
		off += (uint64_t)e.size + 4;
		if (e.type == 1 && e.len && e.base + e.len >= e.base && m->n < FW_MAX_RAM)
			m->r[m->n++] = (struct fw_range){ e.base, e.len };
	}
}

static bool model_in_ram(const struct model_ram *m, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < m->n; i++)
		if (inside(m->r[i].base, m->r[i].size, base, size))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fin in = { data, size };
	uint64_t base = fin_u32(&in), mbi_pa = fin_u32(&in), wsize = in.n;
	uint8_t *win = malloc(wsize ? wsize : 1);
	struct mb_window w = { base, wsize, (uintptr_t)win };
	unsigned long console = fake_console_bytes;
	struct fw_info fw;
	struct model_ram ram;
	struct mbi mbi;
	int err, want;

	memcpy(win, in.p, wsize);
	memset(&fw, 0xa5, sizeof(fw)); /* whatever was there before must go */
	err = mb_parse(&w, mbi_pa, &fw);
	PROMISE(fw.nr_cpus == 0 && fw.nr_ram <= FW_MAX_RAM && fw.nr_reserved <= FW_MAX_RESERVED);
	PROMISE(strcmp(mb_strerror(err), "unknown error") || !err);

	want = !mbi_pa					 ? MB_ERR_NO_MBI :
	       !inside(base, wsize, mbi_pa, sizeof(mbi)) ? MB_ERR_MBI_OUTSIDE :
							   0;
	if (!want) {
		memcpy(&mbi, win + (mbi_pa - base), sizeof(mbi));
		want = !(mbi.flags & MBI_MMAP)				    ? MB_ERR_NO_MAP :
		       !inside(base, wsize, mbi.mmap_addr, mbi.mmap_length) ? MB_ERR_MAP_OUTSIDE :
									      0;
	}
	PROMISE(err == want);
	if (err) {
		PROMISE(!fw.nr_ram && !fw.initrd.size);
		goto out;
	}

	/* RAM: the map's usable entries, in order, none wrapping */
	model_map(win + (mbi.mmap_addr - base), mbi.mmap_length, &ram);
	PROMISE(fw.nr_ram == ram.n);
	for (unsigned i = 0; i < ram.n; i++)
		PROMISE(fw.ram[i].base == ram.r[i].base && fw.ram[i].size == ram.r[i].size &&
			fw.ram[i].size && fw.ram[i].base + fw.ram[i].size > fw.ram[i].base);
	/* what the firmware keeps must never be handed out */
	for (unsigned i = 0; i < fw.nr_reserved; i++)
		PROMISE(!(fw.reserved[i].base & (PAGE_SIZE - 1)) &&
			!(fw.reserved[i].size & (PAGE_SIZE - 1)) && fw.reserved[i].size);
	PROMISE(covered(&fw, mbi_pa, sizeof(mbi)));
	PROMISE(!mbi.mmap_length || covered(&fw, mbi.mmap_addr, mbi.mmap_length));

	/* the partition blob: the first module exactly, readable and in RAM, or none with a message */
	if ((mbi.flags & MBI_MODS) && mbi.mods_count) {
		uint64_t list_len = (uint64_t)mbi.mods_count * sizeof(struct mb_mod);
		struct mb_mod m;
		bool ok = inside(base, wsize, mbi.mods_addr, list_len);

		if (ok) {
			PROMISE(covered(&fw, mbi.mods_addr, list_len));
			memcpy(&m, win + (mbi.mods_addr - base), sizeof(m));
			ok = m.end > m.start && inside(base, wsize, m.start, m.end - m.start) &&
			     model_in_ram(&ram, m.start, m.end - m.start);
		}
		if (ok) {
			PROMISE(fw.initrd.base == m.start && fw.initrd.size == m.end - m.start);
			PROMISE(inside(base, wsize, fw.initrd.base, fw.initrd.size));
		} else {
			PROMISE(!fw.initrd.size && fake_console_bytes > console);
		}
	} else {
		PROMISE(!fw.initrd.size);
	}
out:
	free(win);
	return 0;
}
