// SPDX-License-Identifier: GPL-2.0-or-later
/* Sv39 entries: PPN in bits 53:10; a valid entry with none of R, W, X points to a table. */
#include <asm/pt.h>

static uint64_t table(uint64_t pa)
{
	return (pa >> 12) << 10 | PTE_V;
}

static uint64_t leaf(uint64_t pa, uint64_t attrs, int level)
{
	(void)level;
	return (pa >> 12) << 10 | attrs | PTE_V;
}

static bool valid(uint64_t d, int level)
{
	(void)level;
	return d & PTE_V;
}

static bool is_table(uint64_t d, int level)
{
	return level < 3 && (d & PTE_V) && !(d & (PTE_R | PTE_W | PTE_X));
}

static uint64_t addr(uint64_t d)
{
	return ((d >> 10) & ((1UL << 44) - 1)) << 12;
}

const struct pt_format riscv_pt_format = { table, leaf, valid, is_table, addr };

/* keel's own leaves: global (one address space), never U, A and D always set */
#define ATTR_COMMON (PTE_G | PTE_A | PTE_D)

const struct kmap_attrs riscv_kmap_attrs = {
	.rx = ATTR_COMMON | PTE_R | PTE_X,
	.ro = ATTR_COMMON | PTE_R,
	.rw = ATTR_COMMON | PTE_R | PTE_W,
	.dev = ATTR_COMMON | PTE_R | PTE_W,
};
