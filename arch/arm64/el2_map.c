// SPDX-License-Identifier: GPL-2.0-or-later
#include <asm/el2_map.h>
#include <keel/types.h>

#define ATTR_COMMON (PTE_AF | PTE_AP_EL2_RES1)
#define ATTR_DEVICE (ATTR_COMMON | PTE_ATTRIDX(MAIR_DEVICE) | PTE_XN)
#define ATTR_RW (ATTR_COMMON | PTE_ATTRIDX(MAIR_NORMAL) | PTE_SH_INNER | PTE_XN)
#define ATTR_RO (ATTR_RW | PTE_AP_RO)
#define ATTR_RX (ATTR_COMMON | PTE_ATTRIDX(MAIR_NORMAL) | PTE_SH_INNER | PTE_AP_RO)

/* Map RAM [b, e) except keel's 2 MiB window [kb, ke), which gets page-level W^X. */
static enum pt_err map_ram(struct pt *pt, uint64_t b, uint64_t e, uint64_t kb, uint64_t ke)
{
	enum pt_err err = PT_OK;

	if (b < kb && e > b)
		err = pt_map(pt, b, b, MIN(e, kb) - b, ATTR_RW);
	if (!err && e > ke)
		err = pt_map(pt, MAX(b, ke), MAX(b, ke), e - MAX(b, ke), ATTR_RW);
	return err;
}

unsigned el2_map_build(struct pt *pt, struct fw_info *fw, const struct el2_layout *l)
{
	uint64_t kb = ALIGN_DOWN(l->text, MiB(2)), ke = kb + MiB(2);
	unsigned dropped = 0;

	pt_map(pt, 0, 0, l->dev_limit, ATTR_DEVICE);
	for (unsigned i = 0; i < fw->nr_ram; i++) {
		uint64_t b = ALIGN_UP(fw->ram[i].base, PAGE_SIZE);
		uint64_t e = ALIGN_DOWN(fw->ram[i].base + fw->ram[i].size, PAGE_SIZE);

		if (e <= b || map_ram(pt, b, e, kb, ke) != PT_OK) {
			fw->ram[i].size = 0;
			dropped++;
		}
	}
	pt_map(pt, l->text, l->text, l->text_end - l->text, ATTR_RX);
	pt_map(pt, l->text_end, l->text_end, l->ro_end - l->text_end, ATTR_RO);
	pt_map(pt, l->ro_end, l->ro_end, ke - l->ro_end, ATTR_RW);
	if (kb < l->text)
		pt_map(pt, kb, kb, l->text - kb, ATTR_RW);
	for (unsigned i = 0; i < l->nr_guards; i++)
		pt_unmap_page(pt, l->guard + i * l->guard_stride);
	return dropped;
}
