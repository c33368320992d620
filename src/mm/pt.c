// SPDX-License-Identifier: GPL-2.0-or-later
#include <keel/pt.h>
#include <keel/types.h>

#define ENTRIES 512

static unsigned level_shift(int level)
{
	return 12 + 9 * (unsigned)(3 - level); /* level: start_level (0..2) to 3 */
}

static uint64_t *desc_table(const struct pt *pt, uint64_t d)
{
	return (uint64_t *)(uintptr_t)pt->fmt->addr(d);
}

static unsigned index_of(const struct pt *pt, uint64_t va, int level)
{
	uint64_t idx = va >> level_shift(level);

	return level == pt->start_level ? (unsigned)(idx % pt->root_entries) :
					  (unsigned)(idx % ENTRIES);
}

/* Write n leaves from e on: the run of whole blocks map_level found (boot maps ~1000 at once). */
static enum pt_err map_run(const struct pt *pt, uint64_t *e, uint64_t n, int level, uint64_t pa,
			   uint64_t attrs)
{
	uint64_t block = 1UL << level_shift(level);

	for (uint64_t i = 0; i < n; i++, pa += block) {
		if (pt->fmt->valid(e[i], level))
			return PT_ERR_MAPPED;
		e[i] = pt->fmt->leaf(pa, attrs, level);
	}
	return PT_OK;
}

static enum pt_err map_level(struct pt *pt, uint64_t *table, int level, uint64_t va, uint64_t pa,
			     uint64_t size, uint64_t attrs)
{
	uint64_t block = 1UL << level_shift(level);
	unsigned entries = level == pt->start_level ? pt->root_entries : ENTRIES;

	while (size) {
		unsigned idx = index_of(pt, va, level);
		uint64_t *e = &table[idx];
		uint64_t span = block - (va & (block - 1));

		if (span > size)
			span = size;
		/* L1 (1 GiB) and L2 (2 MiB) blocks, L3 pages: every whole block left in this table */
		if (level >= (pt->pages_only ? 3 : 1) && span == block &&
		    IS_ALIGNED(va | pa, block)) {
			uint64_t n = MIN(size >> level_shift(level), (uint64_t)(entries - idx));
			enum pt_err err = map_run(pt, e, n, level, pa, attrs);

			if (err)
				return err;
			span = n * block;
		} else {
			if (level == 3)
				return PT_ERR_ALIGN;
			if (!pt->fmt->valid(*e, level)) {
				uint64_t *next = pt->alloc_page(pt->ctx);

				if (!next)
					return PT_ERR_NOMEM;
				pt->tables++;
				*e = pt->fmt->table((uint64_t)(uintptr_t)next);
			} else if (!pt->fmt->is_table(*e, level)) {
				return PT_ERR_MAPPED;
			}
			enum pt_err err =
				map_level(pt, desc_table(pt, *e), level + 1, va, pa, span, attrs);

			if (err)
				return err;
		}
		va += span;
		pa += span;
		size -= span;
	}
	return PT_OK;
}

/* First address above what the tables translate (the root index wraps beyond it). */
static uint64_t va_limit(const struct pt *pt)
{
	return (uint64_t)pt->root_entries << level_shift(pt->start_level);
}

enum pt_err pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
	uint64_t limit = va_limit(pt);

	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE))
		return PT_ERR_ALIGN;
	if (va >= limit || size > limit - va || size == 0)
		return PT_ERR_RANGE;
	return map_level(pt, pt->root, pt->start_level, va, pa, size, attrs);
}

bool pt_lookup(const struct pt *pt, uint64_t va, uint64_t *pa, uint64_t *desc)
{
	const uint64_t *table = pt->root;

	if (va >= va_limit(pt))
		return false;
	for (int level = pt->start_level; level <= 3; level++) {
		uint64_t d = table[index_of(pt, va, level)];

		if (!pt->fmt->valid(d, level))
			return false;
		if (pt->fmt->is_table(d, level)) {
			table = desc_table(pt, d);
			continue;
		}
		if (level == 0)
			return false;
		uint64_t block = 1UL << level_shift(level);

		*pa = (pt->fmt->addr(d) & ~(block - 1)) | (va & (block - 1));
		*desc = d;
		return true;
	}
	return false;
}

bool pt_unmap_page(struct pt *pt, uint64_t va)
{
	uint64_t *table = pt->root;

	if (va >= va_limit(pt))
		return false;
	for (int level = pt->start_level; level <= 3; level++) {
		uint64_t *e = &table[index_of(pt, va, level)];

		if (!pt->fmt->valid(*e, level))
			return false;
		if (level == 3) {
			*e = 0;
			return true;
		}
		if (!pt->fmt->is_table(*e, level))
			return false; /* a block: not split here */
		table = desc_table(pt, *e);
	}
	return false;
}

static void for_each(const struct pt *pt, uint64_t *table, int level, unsigned entries,
		     void (*fn)(void *table, void *ctx), void *ctx)
{
	for (unsigned i = 0; i < entries; i++) {
		if (pt->fmt->is_table(table[i], level)) {
			uint64_t *next = desc_table(pt, table[i]);

			for_each(pt, next, level + 1, ENTRIES, fn, ctx);
			fn(next, ctx);
		}
	}
}

void pt_for_each_table(const struct pt *pt, void (*fn)(void *table, void *ctx), void *ctx)
{
	for_each(pt, pt->root, pt->start_level, pt->root_entries, fn, ctx);
}
