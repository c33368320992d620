// SPDX-License-Identifier: GPL-2.0-or-later
/* arm64 descriptors: table/page = 0b11, block = 0b01, output address in bits 47:12. */
#include <asm/pt.h>

static uint64_t table(uint64_t pa)
{
	return pa | PTE_VALID | PTE_TABLE;
}

static uint64_t leaf(uint64_t pa, uint64_t attrs, int level)
{
	return pa | attrs | PTE_VALID | (level == 3 ? PTE_TABLE : 0);
}

/* an L3 descriptor with bit 1 clear is reserved, i.e. invalid */
static bool valid(uint64_t d, int level)
{
	return (d & PTE_VALID) && (level < 3 || (d & PTE_TABLE));
}

static bool is_table(uint64_t d, int level)
{
	return level < 3 && (d & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE);
}

static uint64_t addr(uint64_t d)
{
	return d & PTE_ADDR_MASK;
}

const struct pt_format arm64_pt_format = { table, leaf, valid, is_table, addr };

#define ATTR_COMMON (PTE_AF | PTE_AP_EL2_RES1)
#define ATTR_RW (ATTR_COMMON | PTE_ATTRIDX(MAIR_NORMAL) | PTE_SH_INNER | PTE_XN)

const struct kmap_attrs arm64_kmap_attrs = {
	.rx = ATTR_COMMON | PTE_ATTRIDX(MAIR_NORMAL) | PTE_SH_INNER | PTE_AP_RO,
	.ro = ATTR_RW | PTE_AP_RO,
	.rw = ATTR_RW,
	.dev = ATTR_COMMON | PTE_ATTRIDX(MAIR_DEVICE) | PTE_XN,
};
