// SPDX-License-Identifier: GPL-2.0-or-later
/* keel's own identity map: W^X in its image, guard pages, RAM and devices never executable. */
#include <keel/kmap.h>
#include <keel/types.h>

/* Map RAM [b, e) except keel's 2 MiB window [kb, ke), which gets page-level W^X. */
static enum pt_err map_ram(struct pt *pt, uint64_t b, uint64_t e, uint64_t kb, uint64_t ke,
			   uint64_t rw)
{
	enum pt_err err = PT_OK;

	if (b < kb && e > b)
		err = pt_map(pt, b, b, MIN(e, kb) - b, rw);
	if (!err && e > ke)
		err = pt_map(pt, MAX(b, ke), MAX(b, ke), e - MAX(b, ke), rw);
	return err;
}

static bool in_ram(const struct fw_info *fw, uint64_t b, uint64_t e)
{
	for (unsigned i = 0; i < fw->nr_ram; i++)
		if (b >= fw->ram[i].base && e <= fw->ram[i].base + fw->ram[i].size)
			return true;
	return false;
}

unsigned kmap_build(struct pt *pt, struct fw_info *fw, const struct kmap_layout *l)
{
	uint64_t kb = ALIGN_DOWN(l->text, MiB(2)), ke = kb + MiB(2);
	unsigned dropped = 0;

	for (unsigned i = 0; i < l->nr_dev; i++)
		pt_map(pt, l->dev[i].base, l->dev[i].base, l->dev[i].size, l->attr->dev);
	for (unsigned i = 0; i < fw->nr_ram; i++) {
		uint64_t b = ALIGN_UP(fw->ram[i].base, PAGE_SIZE);
		uint64_t e = ALIGN_DOWN(fw->ram[i].base + fw->ram[i].size, PAGE_SIZE);

		if (e <= b || map_ram(pt, b, e, kb, ke, l->attr->rw) != PT_OK) {
			fw->ram[i].size = 0;
			dropped++;
		}
	}
	if (fw->initrd.size) {
		/* the partition file is read after the map is on: wherever the firmware put it */
		uint64_t b = ALIGN_DOWN(fw->initrd.base, PAGE_SIZE);
		uint64_t e = ALIGN_UP(fw->initrd.base + fw->initrd.size, PAGE_SIZE);

		if (!in_ram(fw, b, e) && pt_map(pt, b, b, e - b, l->attr->ro) != PT_OK)
			fw->initrd.size = 0; /* keel_main then says there is no partition file */
	}
	pt_map(pt, l->text, l->text, l->text_end - l->text, l->attr->rx);
	pt_map(pt, l->text_end, l->text_end, l->ro_end - l->text_end, l->attr->ro);
	pt_map(pt, l->ro_end, l->ro_end, ke - l->ro_end, l->attr->rw);
	if (kb < l->text)
		pt_map(pt, kb, kb, l->text - kb, l->attr->rw);
	for (unsigned s = 0; s < KMAP_MAX_GUARDS; s++)
		for (unsigned i = 0; i < l->guards[s].nr; i++)
			pt_unmap_page(pt, l->guards[s].base + i * l->guards[s].stride);
	return dropped;
}
