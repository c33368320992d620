// SPDX-License-Identifier: GPL-2.0-or-later
/* x86 entries: PML4 (level 0), PDPT (1 GiB pages), PD (2 MiB pages, PS), PT (4 KiB). */
#include <asm/pt.h>

static uint64_t table(uint64_t pa)
{
	return pa | X86_P | X86_RW | X86_US; /* permissions are decided at the leaves */
}

static uint64_t leaf(uint64_t pa, uint64_t attrs, int level)
{
	return pa | attrs | X86_P | (level < 3 ? X86_PS : 0);
}

static bool valid(uint64_t d, int level)
{
	(void)level;
	return d & X86_P;
}

static bool is_table(uint64_t d, int level)
{
	return level < 3 && (d & X86_P) && !(d & X86_PS);
}

static uint64_t addr(uint64_t d)
{
	return d & X86_ADDR_MASK;
}

const struct pt_format x86_pt_format = { table, leaf, valid, is_table, addr };
