// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 guests boot with multiboot v1 information (EBX) instead of a DTB: guest_entry() and the
 * mb_* queries; the bootargs are the multiboot command line.
 */
#include "guest.h"

const struct mb_info *guest_mbi;
uint32_t guest_mbi_addr;

static const struct mb_mmap_entry *mmap_entry(unsigned i)
{
	uint32_t off = 0;

	if (!(guest_mbi->flags & MB_INFO_MEM_MAP))
		return NULL;
	for (unsigned n = 0; off + sizeof(struct mb_mmap_entry) <= guest_mbi->mmap_length; n++) {
		const struct mb_mmap_entry *e =
			(const void *)(uintptr_t)(guest_mbi->mmap_addr + off);

		if (n == i)
			return e;
		off += e->size + 4;
	}
	return NULL;
}

unsigned mb_mmap_count(void)
{
	unsigned n = 0;

	while (mmap_entry(n))
		n++;
	return n;
}

bool mb_mmap(unsigned i, uint64_t *base, uint64_t *size, uint32_t *type)
{
	const struct mb_mmap_entry *e = mmap_entry(i);

	if (!e)
		return false;
	*base = e->addr;
	*size = e->len;
	*type = e->type;
	return true;
}

bool mb_module(unsigned i, uint32_t *start, uint32_t *end)
{
	const struct mb_module *m = (const void *)(uintptr_t)guest_mbi->mods_addr;

	if (!(guest_mbi->flags & MB_INFO_MODS) || i >= guest_mbi->mods_count)
		return false;
	*start = m[i].start;
	*end = m[i].end;
	return true;
}

const char *mb_cmdline(void)
{
	return (guest_mbi->flags & MB_INFO_CMDLINE) ? (const char *)(uintptr_t)guest_mbi->cmdline :
						      NULL;
}

const char *guest_bootargs(void)
{
	return mb_cmdline();
}

/* Called by start.S with EAX and EBX as keel left them. */
void guest_entry(uint32_t magic, uint32_t mbi)
{
	guest_mbi_addr = mbi;
	guest_mbi = (const struct mb_info *)(uintptr_t)mbi;
	if (magic != MB_BOOTLOADER_MAGIC) {
		gprintf("FAIL boot: EAX = 0x%x is not the multiboot magic (EBX = 0x%x)\n",
			(unsigned)magic, (unsigned)mbi);
		system_off();
	}
	arch_guest_init();
	guest_main();
	system_off();
}
