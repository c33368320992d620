// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shared translation-table builder (src/mm/pt.c) with the arm64 format, as used for a VM's
 * stage 2: start level 1, two concatenated root tables (40-bit IPA).
 */
#include <stdlib.h>
#include <asm/pt.h>
#include <keel/types.h>
#include "check.h"

#define S2_ATTRS (S2_MEMATTR_NORMAL_WB | S2_AP_RW | PTE_SH_INNER | PTE_AF)
#define S2_DEV_ATTRS (S2_MEMATTR_DEVICE | S2_AP_RW | PTE_AF | S2_XN)
#define IPA_LIMIT GiB(1024)
#define MAX_PAGES 4096

/* Page source: counts pages and can run dry after `limit` of them. */
struct pages {
	unsigned handed, limit;
};

static void *alloc_page(void *ctx)
{
	struct pages *p = ctx;
	void *page;

	if (p->handed >= p->limit)
		return NULL;
	page = aligned_alloc(4096, 4096);
	if (!page)
		return NULL;
	memset(page, 0, 4096);
	p->handed++;
	return page;
}

static void s2_init(struct pt *pt, struct pages *pages, unsigned limit)
{
	pages->handed = 0;
	pages->limit = limit;
	memset(pt, 0, sizeof(*pt));
	pt->root = aligned_alloc(8192, 8192);
	memset(pt->root, 0, 8192);
	pt->fmt = &arm64_pt_format;
	pt->start_level = 1;
	pt->root_entries = 1024;
	pt->alloc_page = alloc_page;
	pt->ctx = pages;
}

struct visit {
	unsigned count;
};

static void free_table(void *table, void *ctx)
{
	struct visit *v = ctx;

	v->count++;
	free(table); /* leaves first, so the walk never reads a freed table */
}

/* Release everything through pt_for_each_table; it must visit exactly the tables handed out. */
static void s2_destroy(struct pt *pt, struct pages *pages)
{
	struct visit v = { 0 };

	pt_for_each_table(pt, free_table, &v);
	CHECK_EQ_U64(v.count, pt->tables);
	CHECK_EQ_U64(v.count, pages->handed);
	free(pt->root);
	pt->root = NULL;
}

/*
 * Independent walk (hardware rules): level of the leaf that maps va, or -1.
 * Sets *desc to the leaf descriptor.
 */
static int leaf_level(const struct pt *pt, uint64_t va, uint64_t *desc)
{
	const uint64_t *table = pt->root;

	if (va >= IPA_LIMIT)
		return -1;
	for (int level = 1; level <= 3; level++) {
		unsigned shift = 12 + 9 * (3 - level);
		unsigned idx = (unsigned)((va >> shift) & (level == 1 ? 1023 : 511));
		uint64_t d = table[idx];

		if (!(d & PTE_VALID))
			return -1;
		if (level < 3 && (d & PTE_TABLE)) {
			table = (const uint64_t *)(uintptr_t)(d & PTE_ADDR_MASK);
			continue;
		}
		if (level == 3 && !(d & PTE_TABLE))
			return -1;
		*desc = d;
		return level;
	}
	return -1;
}

/* va must translate to pa through a leaf at `level` carrying attrs. */
static void check_map(const struct pt *pt, uint64_t va, uint64_t pa, int level, uint64_t attrs)
{
	uint64_t got_pa = 0, desc = 0, wdesc = 0;
	int got_level = leaf_level(pt, va, &wdesc);

	CHECK(pt_lookup(pt, va, &got_pa, &desc), "va 0x%llx not mapped", (unsigned long long)va);
	CHECK(got_pa == pa, "va 0x%llx: expected pa 0x%llx, saw 0x%llx", (unsigned long long)va,
	      (unsigned long long)pa, (unsigned long long)got_pa);
	CHECK(got_level == level, "va 0x%llx: expected a level %d leaf, saw level %d",
	      (unsigned long long)va, level, got_level);
	CHECK(desc == wdesc, "va 0x%llx: lookup descriptor 0x%llx, walk found 0x%llx",
	      (unsigned long long)va, (unsigned long long)desc, (unsigned long long)wdesc);
	/* block: 0b01, page: 0b11; the rest is the output address and the attributes */
	uint64_t type = level == 3 ? (PTE_VALID | PTE_TABLE) : PTE_VALID;
	uint64_t block = 1ULL << (12 + 9 * (3 - level));

	CHECK((desc & (PTE_VALID | PTE_TABLE)) == type, "va 0x%llx: descriptor type %llu",
	      (unsigned long long)va, (unsigned long long)(desc & 3));
	CHECK((desc & ~PTE_ADDR_MASK & ~3ULL) == attrs,
	      "va 0x%llx: expected attributes 0x%llx, saw 0x%llx", (unsigned long long)va,
	      (unsigned long long)attrs, (unsigned long long)(desc & ~PTE_ADDR_MASK & ~3ULL));
	CHECK((desc & PTE_ADDR_MASK) == ALIGN_DOWN(pa, block),
	      "va 0x%llx: expected output 0x%llx, saw 0x%llx", (unsigned long long)va,
	      (unsigned long long)ALIGN_DOWN(pa, block),
	      (unsigned long long)(desc & PTE_ADDR_MASK));
}

static void check_unmapped(const struct pt *pt, uint64_t va)
{
	uint64_t pa = 0, desc = 0;

	CHECK(!pt_lookup(pt, va, &pa, &desc), "va 0x%llx unexpectedly maps to 0x%llx",
	      (unsigned long long)va, (unsigned long long)pa);
}

#define CHECK_ERR(expr, want)                                                           \
	do {                                                                            \
		enum pt_err e_ = (expr);                                                \
		CHECK(e_ == (want), "expected error %d, saw %d", (int)(want), (int)e_); \
	} while (0)

static void test_2m_blocks(void)
{
	struct pt pt;
	struct pages pages;
	uint64_t va = 0x40200000, pa = 0x880200000;

	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, va, pa, MiB(256), S2_ATTRS), PT_OK);
	/* 128 blocks in one level-2 table */
	CHECK_EQ_U64(pt.tables, 1);
	check_map(&pt, va, pa, 2, S2_ATTRS);
	check_map(&pt, va + 0x12345, pa + 0x12345, 2, S2_ATTRS);
	check_map(&pt, va + MiB(100) + 0xabc, pa + MiB(100) + 0xabc, 2, S2_ATTRS);
	check_map(&pt, va + MiB(256) - 1, pa + MiB(256) - 1, 2, S2_ATTRS);
	check_unmapped(&pt, va - 1);
	check_unmapped(&pt, va + MiB(256));
	check_unmapped(&pt, 0);

	/* a 2 MiB region crossing a 1 GiB boundary needs a second level-2 table */
	CHECK_ERR(pt_map(&pt, GiB(2) - MiB(2), GiB(5), MiB(4), S2_ATTRS), PT_OK);
	CHECK_EQ_U64(pt.tables, 2);
	check_map(&pt, GiB(2) - 1, GiB(5) + MiB(2) - 1, 2, S2_ATTRS);
	check_map(&pt, GiB(2), GiB(5) + MiB(2), 2, S2_ATTRS);
	s2_destroy(&pt, &pages);
}

static void test_1g_block(void)
{
	struct pt pt;
	struct pages pages;

	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, GiB(2), GiB(4), GiB(1), S2_ATTRS), PT_OK);
	CHECK_EQ_U64(pt.tables, 0);
	check_map(&pt, GiB(2), GiB(4), 1, S2_ATTRS);
	check_map(&pt, GiB(3) - 1, GiB(5) - 1, 1, S2_ATTRS);
	check_unmapped(&pt, GiB(3));
	check_unmapped(&pt, GiB(2) - 1);

	/* 1 GiB-aligned IPA but PA only 2 MiB-aligned: 512 level-2 blocks instead */
	CHECK_ERR(pt_map(&pt, GiB(8), GiB(16) + MiB(2), GiB(1), S2_ATTRS), PT_OK);
	CHECK_EQ_U64(pt.tables, 1);
	check_map(&pt, GiB(8) + MiB(3), GiB(16) + MiB(5), 2, S2_ATTRS);

	/* 3 GiB: 1 GiB blocks for the aligned middle, 2 MiB blocks at the ragged ends */
	CHECK_ERR(pt_map(&pt, GiB(20) - MiB(2), GiB(40) - MiB(2), GiB(3), S2_ATTRS), PT_OK);
	CHECK_EQ_U64(pt.tables, 3);
	check_map(&pt, GiB(20) - MiB(2), GiB(40) - MiB(2), 2, S2_ATTRS);
	check_map(&pt, GiB(20), GiB(40), 1, S2_ATTRS);
	check_map(&pt, GiB(21) + 5, GiB(41) + 5, 1, S2_ATTRS);
	check_map(&pt, GiB(22), GiB(42), 2, S2_ATTRS);
	check_map(&pt, GiB(23) - MiB(2) - 1, GiB(43) - MiB(2) - 1, 2, S2_ATTRS);
	check_unmapped(&pt, GiB(23) - MiB(2));
	s2_destroy(&pt, &pages);
}

static void test_4k_pages(void)
{
	struct pt pt;
	struct pages pages;

	s2_init(&pt, &pages, MAX_PAGES);
	/* 3 pages inside one 2 MiB: one level-2 and one level-3 table */
	CHECK_ERR(pt_map(&pt, 0x40001000, 0x90005000, KiB(12), S2_ATTRS), PT_OK);
	CHECK_EQ_U64(pt.tables, 2);
	check_map(&pt, 0x40001000, 0x90005000, 3, S2_ATTRS);
	check_map(&pt, 0x40003fff, 0x90007fff, 3, S2_ATTRS);
	check_unmapped(&pt, 0x40000000);
	check_unmapped(&pt, 0x40004000);

	/* ragged both ends: page, 2 MiB block, page */
	CHECK_ERR(pt_map(&pt, 0x401ff000, 0xa01ff000, MiB(2) + KiB(8), S2_ATTRS), PT_OK);
	CHECK_EQ_U64(pt.tables, 3); /* the first L3 table is shared, one more for the tail */
	check_map(&pt, 0x401ff000, 0xa01ff000, 3, S2_ATTRS);
	check_map(&pt, 0x40200000, 0xa0200000, 2, S2_ATTRS);
	check_map(&pt, 0x403fffff, 0xa03fffff, 2, S2_ATTRS);
	check_map(&pt, 0x40400000, 0xa0400000, 3, S2_ATTRS);
	check_unmapped(&pt, 0x40401000);

	/* IPA 2 MiB-aligned but PA only 4 KiB-aligned: pages only */
	CHECK_ERR(pt_map(&pt, GiB(4), GiB(8) + KiB(4), MiB(4), S2_DEV_ATTRS), PT_OK);
	CHECK_EQ_U64(pt.tables, 3 + 1 + 2);
	for (uint64_t off = 0; off < MiB(4); off += MiB(1) - KiB(4))
		check_map(&pt, GiB(4) + off, GiB(8) + KiB(4) + off, 3, S2_DEV_ATTRS);
	s2_destroy(&pt, &pages);
}

static void test_high_ipa(void)
{
	struct pt pt;
	struct pages pages;
	uint64_t va = GiB(513), pa = GiB(7);

	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, va, pa, MiB(2), S2_ATTRS), PT_OK);
	check_map(&pt, va, pa, 2, S2_ATTRS);
	/* the entry lives in the second concatenated table, the first is untouched */
	CHECK(pt.root[513] & PTE_VALID, "root entry 513 not set");
	for (unsigned i = 0; i < 512; i++)
		CHECK(pt.root[i] == 0, "root entry %u set to 0x%llx", i,
		      (unsigned long long)pt.root[i]);
	check_unmapped(&pt, va - GiB(512));

	/* the very last page below the 1 TiB limit, and a 1 GiB block at the top */
	CHECK_ERR(pt_map(&pt, IPA_LIMIT - KiB(4), GiB(9), KiB(4), S2_ATTRS), PT_OK);
	check_map(&pt, IPA_LIMIT - 1, GiB(9) + KiB(4) - 1, 3, S2_ATTRS);
	CHECK_ERR(pt_map(&pt, GiB(1000), GiB(1), GiB(1), S2_ATTRS), PT_OK);
	check_map(&pt, GiB(1000) + 77, GiB(1) + 77, 1, S2_ATTRS);
	CHECK(pt.root[1000] & PTE_VALID, "root entry 1000 not set");
	check_unmapped(&pt, GiB(1000) - GiB(512));
	s2_destroy(&pt, &pages);
}

static void test_range(void)
{
	struct pt pt;
	struct pages pages;

	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, IPA_LIMIT, GiB(1), KiB(4), S2_ATTRS), PT_ERR_RANGE);
	CHECK_ERR(pt_map(&pt, IPA_LIMIT - MiB(2), GiB(1), MiB(4), S2_ATTRS), PT_ERR_RANGE);
	CHECK_ERR(pt_map(&pt, GiB(2048), GiB(1), GiB(1), S2_ATTRS), PT_ERR_RANGE);
	CHECK_ERR(pt_map(&pt, 0, 0, IPA_LIMIT + GiB(1), S2_ATTRS), PT_ERR_RANGE);
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(1), UINT64_MAX - KiB(4) + 1, S2_ATTRS), PT_ERR_RANGE);
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(1), 0, S2_ATTRS), PT_ERR_RANGE);
	CHECK_EQ_U64(pt.tables, 0);
	for (unsigned i = 0; i < 1024; i++)
		CHECK(pt.root[i] == 0, "root entry %u set after refused maps", i);

	/* the whole 1 TiB is mappable, and an IPA above it never aliases into it */
	CHECK_ERR(pt_map(&pt, 0, 0, IPA_LIMIT, S2_ATTRS), PT_OK);
	CHECK_EQ_U64(pt.tables, 0);
	check_map(&pt, 0, 0, 1, S2_ATTRS);
	check_map(&pt, IPA_LIMIT - 1, IPA_LIMIT - 1, 1, S2_ATTRS);
	check_unmapped(&pt, IPA_LIMIT);
	check_unmapped(&pt, IPA_LIMIT + GiB(3));
	check_unmapped(&pt, 1ULL << 48);
	check_unmapped(&pt, UINT64_MAX);
	s2_destroy(&pt, &pages);
}

static void test_align(void)
{
	struct pt pt;
	struct pages pages;

	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, GiB(1) + 0x800, GiB(1), KiB(4), S2_ATTRS), PT_ERR_ALIGN);
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(1) + 8, KiB(4), S2_ATTRS), PT_ERR_ALIGN);
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(1), KiB(6), S2_ATTRS), PT_ERR_ALIGN);
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(1), 1, S2_ATTRS), PT_ERR_ALIGN);
	CHECK_EQ_U64(pt.tables, 0);
	check_unmapped(&pt, GiB(1));
	s2_destroy(&pt, &pages);
}

static void test_double_map(void)
{
	struct pt pt;
	struct pages pages;

	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(4), MiB(4), S2_ATTRS), PT_OK); /* 2 MiB blocks */
	CHECK_ERR(pt_map(&pt, GiB(3), GiB(6), GiB(1), S2_ATTRS), PT_OK); /* 1 GiB block */
	CHECK_ERR(pt_map(&pt, GiB(5), GiB(8), KiB(8), S2_ATTRS), PT_OK); /* pages */
	unsigned tables = pt.tables;

	/* same range again */
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(4), MiB(4), S2_ATTRS), PT_ERR_MAPPED);
	CHECK_ERR(pt_map(&pt, GiB(3), GiB(6), GiB(1), S2_ATTRS), PT_ERR_MAPPED);
	CHECK_ERR(pt_map(&pt, GiB(5), GiB(8), KiB(8), S2_ATTRS), PT_ERR_MAPPED);
	/* a page inside a 2 MiB block, and inside a 1 GiB block */
	CHECK_ERR(pt_map(&pt, GiB(1) + MiB(3), GiB(9), KiB(4), S2_ATTRS), PT_ERR_MAPPED);
	CHECK_ERR(pt_map(&pt, GiB(3) + MiB(500), GiB(9), MiB(2), S2_ATTRS), PT_ERR_MAPPED);
	/* a 2 MiB block over mapped pages, a 1 GiB block over mapped 2 MiB blocks */
	CHECK_ERR(pt_map(&pt, GiB(5), GiB(10), MiB(2), S2_ATTRS), PT_ERR_MAPPED);
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(10), GiB(1), S2_ATTRS), PT_ERR_MAPPED);
	/* the second page of a mapped pair */
	CHECK_ERR(pt_map(&pt, GiB(5) + KiB(4), GiB(10), KiB(4), S2_ATTRS), PT_ERR_MAPPED);
	CHECK_EQ_U64(pt.tables, tables);

	/* the originals are intact */
	check_map(&pt, GiB(1) + MiB(3), GiB(4) + MiB(3), 2, S2_ATTRS);
	check_map(&pt, GiB(3) + MiB(500), GiB(6) + MiB(500), 1, S2_ATTRS);
	check_map(&pt, GiB(5) + KiB(4), GiB(8) + KiB(4), 3, S2_ATTRS);
	/* neighbours of mapped ranges are still free to map */
	CHECK_ERR(pt_map(&pt, GiB(5) + KiB(8), GiB(10), KiB(4), S2_ATTRS), PT_OK);
	CHECK_ERR(pt_map(&pt, GiB(1) + MiB(4), GiB(11), MiB(2), S2_ATTRS), PT_OK);
	check_map(&pt, GiB(5) + KiB(8), GiB(10), 3, S2_ATTRS);
	check_map(&pt, GiB(1) + MiB(4), GiB(11), 2, S2_ATTRS);
	s2_destroy(&pt, &pages);
}

/*
 * A map needing several tables, with the page source running dry after
 * 0, 1, 2, ... pages: PT_ERR_NOMEM until there are enough, never a crash,
 * and every table handed out is still reachable for release.
 */
/*
 * Runs of whole blocks (map_run): one pt_map that fills the rest of one table, a 1 GiB block and
 * the start of another table, and a run that meets a mapped entry in its middle.
 */
static void test_block_runs(void)
{
	struct pt pt;
	struct pages pages;

	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, GiB(1) + MiB(2), GiB(2) + MiB(4), GiB(2), S2_ATTRS), PT_OK);
	check_unmapped(&pt, GiB(1));
	check_map(&pt, GiB(1) + MiB(2), GiB(2) + MiB(4), 2, S2_ATTRS);
	check_map(&pt, GiB(2) - MiB(2), GiB(3), 2, S2_ATTRS);
	check_map(&pt, GiB(2), GiB(3) + MiB(2), 2, S2_ATTRS); /* pa not 1 GiB aligned */
	check_map(&pt, GiB(3) + MiB(1), GiB(4) + MiB(3), 2, S2_ATTRS);
	check_unmapped(&pt, GiB(3) + MiB(2));
	s2_destroy(&pt, &pages);

	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, GiB(1) + MiB(2), GiB(1) + MiB(2), GiB(2), S2_ATTRS), PT_OK);
	check_map(&pt, GiB(2) + MiB(5), GiB(2) + MiB(5), 1,
		  S2_ATTRS); /* aligned: one 1 GiB block */
	check_map(&pt, GiB(3) + MiB(1), GiB(3) + MiB(1), 2, S2_ATTRS);
	s2_destroy(&pt, &pages);

	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, GiB(1) + MiB(8), GiB(4), MiB(2), S2_ATTRS), PT_OK);
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(5), MiB(16), S2_ATTRS), PT_ERR_MAPPED);
	check_map(&pt, GiB(1) + MiB(8), GiB(4), 2, S2_ATTRS); /* the mapped entry is left alone */
	s2_destroy(&pt, &pages);
}

static void test_nomem(void)
{
	struct pt pt;
	struct pages pages;
	unsigned need = 0;

	/* [1G - 4K, 2G + 4K + 2M): L2 + L3 at each end around 1 GiB/2 MiB blocks, ... */
	const uint64_t va = GiB(1) - KiB(4), pa = GiB(9) - KiB(4), size = GiB(1) + MiB(2) + KiB(8);

	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, va, pa, size, S2_ATTRS), PT_OK);
	need = pt.tables;
	CHECK(need == 4, "expected 4 tables, saw %u", need);
	check_map(&pt, va, pa, 3, S2_ATTRS);
	check_map(&pt, GiB(1), GiB(9), 1, S2_ATTRS);
	check_map(&pt, GiB(2), GiB(10), 2, S2_ATTRS);
	check_map(&pt, va + size - 1, pa + size - 1, 3, S2_ATTRS);
	s2_destroy(&pt, &pages);

	for (unsigned limit = 0; limit <= need; limit++) {
		s2_init(&pt, &pages, limit);
		enum pt_err err = pt_map(&pt, va, pa, size, S2_ATTRS);

		CHECK(err == (limit < need ? PT_ERR_NOMEM : PT_OK), "limit %u: error %d", limit,
		      (int)err);
		CHECK(pt.tables == pages.handed, "limit %u: %u tables counted, %u handed out",
		      limit, pt.tables, pages.handed);
		s2_destroy(&pt, &pages);
	}

	/* page-granular 8 MiB with a PA that forbids blocks: 1 L2 + 4 L3 tables */
	for (unsigned limit = 0; limit <= 5; limit++) {
		s2_init(&pt, &pages, limit);
		enum pt_err err = pt_map(&pt, GiB(2), GiB(3) + KiB(4), MiB(8), S2_ATTRS);

		CHECK(err == (limit < 5 ? PT_ERR_NOMEM : PT_OK), "limit %u: error %d", limit,
		      (int)err);
		s2_destroy(&pt, &pages);
	}
}

static void test_attrs(void)
{
	struct pt pt;
	struct pages pages;
	const uint64_t ro = S2_MEMATTR_NORMAL_WB | PTE_SH_INNER | PTE_AF | (1ULL << 6) | S2_XN;

	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(1), GiB(1), S2_ATTRS), PT_OK);
	CHECK_ERR(pt_map(&pt, GiB(2), GiB(4), MiB(2), S2_DEV_ATTRS), PT_OK);
	CHECK_ERR(pt_map(&pt, GiB(2) + MiB(2), GiB(5), KiB(4), ro), PT_OK);
	check_map(&pt, GiB(1) + 1, GiB(1) + 1, 1, S2_ATTRS);
	check_map(&pt, GiB(2) + 2, GiB(4) + 2, 2, S2_DEV_ATTRS);
	check_map(&pt, GiB(2) + MiB(2) + 3, GiB(5) + 3, 3, ro);
	s2_destroy(&pt, &pages);
}

struct walk {
	unsigned count;
	void *seen[64];
};

static void count_table(void *table, void *ctx)
{
	struct walk *w = ctx;

	for (unsigned i = 0; i < w->count && i < 64; i++)
		CHECK(w->seen[i] != table, "table %p visited twice", table);
	if (w->count < 64)
		w->seen[w->count] = table;
	w->count++;
}

static void test_for_each(void)
{
	struct pt pt;
	struct pages pages;
	struct walk w = { 0 };

	s2_init(&pt, &pages, MAX_PAGES);
	pt_for_each_table(&pt, count_table, &w);
	CHECK_EQ_U64(w.count, 0);

	/* a mix spread over both root tables */
	CHECK_ERR(pt_map(&pt, GiB(1) + KiB(4), GiB(1), KiB(4), S2_ATTRS), PT_OK);
	CHECK_ERR(pt_map(&pt, GiB(1) + MiB(8), GiB(2), MiB(16), S2_ATTRS), PT_OK);
	CHECK_ERR(pt_map(&pt, GiB(4), GiB(4), GiB(2), S2_ATTRS), PT_OK);
	CHECK_ERR(pt_map(&pt, GiB(600), GiB(3) + KiB(4), MiB(2), S2_ATTRS), PT_OK);
	CHECK_ERR(pt_map(&pt, GiB(1023) + MiB(2), GiB(7), MiB(2), S2_ATTRS), PT_OK);
	pt_for_each_table(&pt, count_table, &w);
	CHECK_EQ_U64(w.count, pt.tables);
	CHECK_EQ_U64(w.count, pages.handed);
	CHECK_EQ_U64(w.count, 2 + 2 + 1);
	s2_destroy(&pt, &pages);
}

/* The page-by-page teardown bench: pages_only maps 4 KiB pages, pt_unmap_page removes them. */
static void test_pages_only_unmap(void)
{
	struct pt pt;
	struct pages pages;

	s2_init(&pt, &pages, MAX_PAGES);
	pt.pages_only = true;
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(4), MiB(4), S2_ATTRS), PT_OK);
	CHECK_EQ_U64(pt.tables, 1 + 2); /* one level-2 table, two level-3 tables */
	check_map(&pt, GiB(1), GiB(4), 3, S2_ATTRS);
	check_map(&pt, GiB(1) + MiB(4) - 1, GiB(4) + MiB(4) - 1, 3, S2_ATTRS);
	CHECK(pt_unmap_page(&pt, GiB(1) + MiB(2)), "a mapped page was not unmapped");
	check_unmapped(&pt, GiB(1) + MiB(2));
	check_map(&pt, GiB(1) + MiB(2) + KiB(4), GiB(4) + MiB(2) + KiB(4), 3, S2_ATTRS);
	check_map(&pt, GiB(1) + MiB(2) - 1, GiB(4) + MiB(2) - 1, 3, S2_ATTRS);
	CHECK(!pt_unmap_page(&pt, GiB(1) + MiB(2)), "a page was unmapped twice");
	CHECK(!pt_unmap_page(&pt, GiB(3)), "an unmapped address was unmapped");
	CHECK(!pt_unmap_page(&pt, IPA_LIMIT), "an address beyond the tables was unmapped");
	s2_destroy(&pt, &pages);

	/* without pages_only a block is left alone: pt_unmap_page never splits */
	s2_init(&pt, &pages, MAX_PAGES);
	CHECK_ERR(pt_map(&pt, GiB(1), GiB(4), MiB(2), S2_ATTRS), PT_OK);
	CHECK(!pt_unmap_page(&pt, GiB(1)), "a page of a 2 MiB block was unmapped");
	check_map(&pt, GiB(1), GiB(4), 2, S2_ATTRS);
	s2_destroy(&pt, &pages);
}

int main(void)
{
	RUN(test_2m_blocks);
	RUN(test_1g_block);
	RUN(test_4k_pages);
	RUN(test_high_ipa);
	RUN(test_range);
	RUN(test_align);
	RUN(test_double_map);
	RUN(test_block_runs);
	RUN(test_nomem);
	RUN(test_attrs);
	RUN(test_for_each);
	RUN(test_pages_only_unmap);
	CHECK_EXIT();
}
