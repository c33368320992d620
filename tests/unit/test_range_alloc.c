// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Range allocator (src/mm/range_alloc.c): add/reserve/alloc/free semantics,
 * table-full behaviour, and a randomized run against a page bitmap model.
 */
#include <keel/mm.h>
#include "check.h"

#define PG KiB(4)

static bool same_state(const struct range_alloc *a, const struct range_alloc *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned i = 0; i < a->n; i++)
		if (a->ext[i].base != b->ext[i].base || a->ext[i].size != b->ext[i].size)
			return false;
	return true;
}

/* Extents sorted, non-empty, never overlapping or adjacent; n within the table. */
static void check_invariants(const struct range_alloc *ra)
{
	CHECK(ra->n <= RA_MAX_EXTENTS, "n = %u", ra->n);
	for (unsigned i = 0; i < ra->n && i < RA_MAX_EXTENTS; i++) {
		CHECK(ra->ext[i].size != 0, "extent %u is empty", i);
		if (i > 0)
			CHECK(ra->ext[i - 1].base + ra->ext[i - 1].size < ra->ext[i].base,
			      "extent %u [0x%llx+0x%llx] touches extent %u [0x%llx]", i - 1,
			      (unsigned long long)ra->ext[i - 1].base,
			      (unsigned long long)ra->ext[i - 1].size, i,
			      (unsigned long long)ra->ext[i].base);
	}
}

#define CHECK_EXT(ra, i, b, s)                                                               \
	do {                                                                                 \
		CHECK((ra)->n > (i), "expected extent %u, only %u extent(s)", (unsigned)(i), \
		      (ra)->n);                                                              \
		if ((ra)->n > (i)) {                                                         \
			CHECK_EQ_U64((ra)->ext[i].base, b);                                  \
			CHECK_EQ_U64((ra)->ext[i].size, s);                                  \
		}                                                                            \
	} while (0)

static void test_alloc_alignment(void)
{
	struct range_alloc ra;
	uint64_t out = 0;

	ra_init(&ra);
	CHECK(ra_add(&ra, 0x40001000, MiB(64)), "add refused");
	CHECK(ra_alloc(&ra, MiB(4), MiB(2), &out), "2 MiB-aligned alloc refused");
	CHECK_EQ_U64(out, 0x40200000);
	CHECK(IS_ALIGNED(out, MiB(2)), "0x%llx not 2 MiB aligned", (unsigned long long)out);
	/* the unaligned head stays free, the rest follows the allocation */
	CHECK_EQ_U64(ra.n, 2);
	CHECK_EXT(&ra, 0, 0x40001000, 0x40200000 - 0x40001000);
	CHECK_EXT(&ra, 1, 0x40600000, 0x40001000 + MiB(64) - 0x40600000);
	CHECK_EQ_U64(ra_free_bytes(&ra), MiB(60));

	/* the next 4 KiB allocation takes the lowest free page */
	CHECK(ra_alloc(&ra, PG, PG, &out), "4 KiB alloc refused");
	CHECK_EQ_U64(out, 0x40001000);
	/* a 2 MiB-aligned one skips the remaining head (too small to hold an aligned run) */
	CHECK(ra_alloc(&ra, MiB(2), MiB(2), &out), "second 2 MiB alloc refused");
	CHECK_EQ_U64(out, 0x40600000);

	/* bad alignments */
	CHECK(!ra_alloc(&ra, PG, 0, &out), "align 0 accepted");
	CHECK(!ra_alloc(&ra, PG, 3 * PG, &out), "non power-of-two align accepted");
	check_invariants(&ra);
}

static void test_lowest_fit(void)
{
	struct range_alloc ra;
	uint64_t out = 0;

	ra_init(&ra);
	CHECK(ra_add(&ra, MiB(16), MiB(16)), "add high refused");
	CHECK(ra_add(&ra, MiB(1), KiB(512)), "add low refused");
	CHECK_EQ_U64(ra.n, 2);
	CHECK_EXT(&ra, 0, MiB(1), KiB(512));

	/* too big for the low extent: comes from the high one */
	CHECK(ra_alloc(&ra, MiB(1), PG, &out), "1 MiB alloc refused");
	CHECK_EQ_U64(out, MiB(16));
	/* fits low: lowest address wins */
	CHECK(ra_alloc(&ra, KiB(256), PG, &out), "256 KiB alloc refused");
	CHECK_EQ_U64(out, MiB(1));
	CHECK(ra_alloc(&ra, KiB(256), PG, &out), "second 256 KiB alloc refused");
	CHECK_EQ_U64(out, MiB(1) + KiB(256));
	/* the low extent is used up and gone */
	CHECK_EQ_U64(ra.n, 1);
	CHECK(ra_alloc(&ra, PG, PG, &out), "4 KiB alloc refused");
	CHECK_EQ_U64(out, MiB(17));
	check_invariants(&ra);
}

static void test_reserve_split(void)
{
	struct range_alloc ra, saved;

	ra_init(&ra);
	CHECK(ra_add(&ra, 0, MiB(64)), "add refused");
	CHECK(ra_reserve(&ra, MiB(16), MiB(4)), "reserve refused");
	CHECK_EQ_U64(ra.n, 2);
	CHECK_EXT(&ra, 0, 0, MiB(16));
	CHECK_EXT(&ra, 1, MiB(20), MiB(44));
	CHECK_EQ_U64(ra_free_bytes(&ra), MiB(60));

	/* reserving already-reserved space, or space outside RAM, changes nothing */
	saved = ra;
	CHECK(ra_reserve(&ra, MiB(17), MiB(2)), "reserve of reserved space refused");
	CHECK(ra_reserve(&ra, GiB(4), MiB(2)), "reserve outside RAM refused");
	CHECK(ra_reserve(&ra, MiB(8), 0), "zero-size reserve refused");
	CHECK(same_state(&ra, &saved), "state changed by a no-op reserve");
	/* a range that wraps around the address space is refused */
	CHECK(!ra_reserve(&ra, UINT64_MAX - PG + 1, 2 * PG), "wrapping reserve accepted");
	CHECK(same_state(&ra, &saved), "state changed by a refused reserve");

	/* reserve exactly the head and the tail */
	CHECK(ra_reserve(&ra, 0, PG), "reserve head refused");
	CHECK(ra_reserve(&ra, MiB(64) - PG, PG), "reserve tail refused");
	CHECK_EXT(&ra, 0, PG, MiB(16) - PG);
	CHECK_EXT(&ra, 1, MiB(20), MiB(44) - PG);
	/* and a whole extent */
	CHECK(ra_reserve(&ra, PG, MiB(16) - PG), "reserve whole extent refused");
	CHECK_EQ_U64(ra.n, 1);
	CHECK_EXT(&ra, 0, MiB(20), MiB(44) - PG);
	check_invariants(&ra);
}

static void test_reserve_spanning(void)
{
	struct range_alloc ra;

	ra_init(&ra);
	CHECK(ra_add(&ra, MiB(0), MiB(4)), "add 0 refused");
	CHECK(ra_add(&ra, MiB(8), MiB(4)), "add 1 refused");
	CHECK(ra_add(&ra, MiB(16), MiB(4)), "add 2 refused");
	CHECK(ra_add(&ra, MiB(24), MiB(4)), "add 3 refused");
	CHECK(ra_add(&ra, MiB(32), MiB(4)), "add 4 refused");
	CHECK_EQ_U64(ra.n, 5);

	/* tail of extent 0, all of 1 and 2, head of 3; extent 4 untouched */
	CHECK(ra_reserve(&ra, MiB(2), MiB(24)), "spanning reserve refused");
	CHECK_EQ_U64(ra.n, 3);
	CHECK_EXT(&ra, 0, 0, MiB(2));
	CHECK_EXT(&ra, 1, MiB(26), MiB(2));
	CHECK_EXT(&ra, 2, MiB(32), MiB(4));
	CHECK_EQ_U64(ra_free_bytes(&ra), MiB(8));

	/* one range covering everything empties the allocator */
	CHECK(ra_reserve(&ra, 0, GiB(1)), "reserve all refused");
	CHECK_EQ_U64(ra.n, 0);
	CHECK_EQ_U64(ra_free_bytes(&ra), 0);
	check_invariants(&ra);
}

static void test_free_merge(void)
{
	struct range_alloc ra;
	uint64_t a = 1, b = 1, c = 1;

	ra_init(&ra);
	CHECK(ra_add(&ra, GiB(1), MiB(12)), "add refused");
	CHECK(ra_alloc(&ra, MiB(4), MiB(2), &a), "alloc a refused");
	CHECK(ra_alloc(&ra, MiB(4), MiB(2), &b), "alloc b refused");
	CHECK(ra_alloc(&ra, MiB(4), MiB(2), &c), "alloc c refused");
	CHECK_EQ_U64(a, GiB(1));
	CHECK_EQ_U64(b, GiB(1) + MiB(4));
	CHECK_EQ_U64(c, GiB(1) + MiB(8));
	CHECK_EQ_U64(ra.n, 0);
	CHECK_EQ_U64(ra_free_bytes(&ra), 0);

	CHECK(ra_free(&ra, a, MiB(4)), "free a refused");
	CHECK(ra_free(&ra, c, MiB(4)), "free c refused");
	CHECK_EQ_U64(ra.n, 2);
	CHECK_EQ_U64(ra_free_bytes(&ra), MiB(8));
	/* b joins both neighbours: back to one extent */
	CHECK(ra_free(&ra, b, MiB(4)), "free b refused");
	CHECK_EQ_U64(ra.n, 1);
	CHECK_EXT(&ra, 0, GiB(1), MiB(12));

	/* merge with the previous extent only, then the next only */
	CHECK(ra_alloc(&ra, MiB(12), PG, &a), "alloc all refused");
	CHECK(ra_free(&ra, GiB(1), MiB(2)), "free head refused");
	CHECK(ra_free(&ra, GiB(1) + MiB(2), MiB(2)), "free joining prev refused");
	CHECK_EQ_U64(ra.n, 1);
	CHECK_EXT(&ra, 0, GiB(1), MiB(4));
	CHECK(ra_free(&ra, GiB(1) + MiB(10), MiB(2)), "free tail refused");
	CHECK(ra_free(&ra, GiB(1) + MiB(8), MiB(2)), "free joining next refused");
	CHECK_EQ_U64(ra.n, 2);
	CHECK_EXT(&ra, 1, GiB(1) + MiB(8), MiB(4));
	check_invariants(&ra);
}

static void test_double_free(void)
{
	struct range_alloc ra, saved;
	uint64_t a = 0;

	ra_init(&ra);
	CHECK(ra_add(&ra, MiB(16), MiB(16)), "add refused");
	CHECK(ra_alloc(&ra, MiB(4), MiB(4), &a), "alloc refused");
	CHECK_EQ_U64(a, MiB(16));
	CHECK(ra_reserve(&ra, MiB(24), MiB(2)), "reserve refused");
	/* free: [20, 24) [26, 32) */
	saved = ra;

	CHECK(!ra_add(&ra, MiB(20), MiB(4)), "exact double free accepted");
	CHECK(!ra_free(&ra, MiB(21), PG), "free inside a free extent accepted");
	CHECK(!ra_free(&ra, MiB(18), MiB(4)), "free overlapping the next extent's head accepted");
	CHECK(!ra_free(&ra, MiB(23), MiB(2)),
	      "free overlapping the previous extent's tail accepted");
	CHECK(!ra_free(&ra, MiB(20) - PG, PG + 1),
	      "free overlapping the next extent by a byte accepted");
	CHECK(!ra_free(&ra, MiB(24) - 1, PG),
	      "free overlapping the previous extent by a byte accepted");
	CHECK(!ra_free(&ra, MiB(16), MiB(16)), "free covering whole extents accepted");
	CHECK(!ra_free(&ra, MiB(31), MiB(4)), "free overlapping the last extent accepted");
	CHECK(!ra_free(&ra, MiB(8), MiB(32)), "free around everything accepted");
	CHECK(same_state(&ra, &saved), "state changed by refused frees");

	/* zero size and wrap-around */
	CHECK(!ra_free(&ra, MiB(16), 0), "zero-size free accepted");
	CHECK(!ra_add(&ra, GiB(4), 0), "zero-size add accepted");
	CHECK(!ra_add(&ra, UINT64_MAX - PG + 1, 2 * PG), "wrapping add accepted");
	CHECK(same_state(&ra, &saved), "state changed by refused frees");

	/* the real free still works and restores one extent minus the reservation */
	CHECK(ra_free(&ra, a, MiB(4)), "free refused");
	CHECK_EQ_U64(ra.n, 2);
	CHECK_EXT(&ra, 0, MiB(16), MiB(8));
	check_invariants(&ra);
}

/* Fill the table with RA_MAX_EXTENTS separate 1 MiB extents, 1 MiB apart. */
static void fill_table(struct range_alloc *ra)
{
	ra_init(ra);
	for (unsigned i = 0; i < RA_MAX_EXTENTS; i++)
		CHECK(ra_add(ra, GiB(1) + i * MiB(2), MiB(1)), "add %u refused", i);
	CHECK_EQ_U64(ra->n, RA_MAX_EXTENTS);
}

static void test_table_full(void)
{
	struct range_alloc ra, saved;
	uint64_t out = 0;

	fill_table(&ra);
	saved = ra;

	/* a new separate extent does not fit */
	CHECK(!ra_add(&ra, GiB(8), MiB(1)), "add into a full table accepted");
	CHECK(!ra_add(&ra, GiB(1) + MiB(1) + PG, PG), "add in a gap of a full table accepted");
	CHECK(same_state(&ra, &saved), "state changed by refused add");

	/* splitting an extent would need a new slot */
	CHECK(!ra_reserve(&ra, GiB(1) + KiB(512), PG),
	      "splitting reserve in a full table accepted");
	CHECK(same_state(&ra, &saved), "state changed by refused reserve");

	/* an alloc at an extent's start only trims it */
	CHECK(ra_alloc(&ra, PG, KiB(512), &out), "trimming alloc in a full table refused");
	CHECK_EQ_U64(out, GiB(1));
	CHECK_EQ_U64(ra.n, RA_MAX_EXTENTS);
	CHECK_EXT(&ra, 0, GiB(1) + PG, MiB(1) - PG);
	check_invariants(&ra);

	/*
	 * Now the lowest 512 KiB-aligned page, 1G+512K, lies inside extent 0:
	 * taking it needs a split, which a full table cannot hold. Lowest fit
	 * refuses cleanly rather than corrupting the table.
	 */
	saved = ra;
	CHECK(!ra_alloc(&ra, PG, KiB(512), &out), "splitting alloc in a full table accepted");
	CHECK(same_state(&ra, &saved), "state changed by refused alloc");
	/* freeing the page back merges, so it needs no slot */
	CHECK(ra_free(&ra, GiB(1), PG), "merging free in a full table refused");
	CHECK_EXT(&ra, 0, GiB(1), MiB(1));
	/* a free that neither merges nor fits is refused */
	saved = ra;
	CHECK(!ra_free(&ra, GiB(1) + MiB(1) + PG, PG), "free into a full table accepted");
	CHECK(same_state(&ra, &saved), "state changed by refused free");

	/* trimming and merging need no slot */
	CHECK(ra_add(&ra, GiB(1) + MiB(1), PG), "add joining an extent refused");
	CHECK(ra_reserve(&ra, GiB(1) + MiB(1), PG), "reserve of an extent's tail refused");
	CHECK(same_state(&ra, &saved), "add + reserve of the same page did not round-trip");
	CHECK(ra_add(&ra, GiB(1) + MiB(1), MiB(1)), "add bridging two extents refused");
	CHECK_EQ_U64(ra.n, RA_MAX_EXTENTS - 1);
	CHECK_EXT(&ra, 0, GiB(1), MiB(3));
	CHECK_EQ_U64(ra_free_bytes(&ra), (uint64_t)RA_MAX_EXTENTS * MiB(1) + MiB(1));
	/* with a slot free again, the split works */
	CHECK(ra_reserve(&ra, GiB(1) + KiB(512), PG), "splitting reserve refused");
	CHECK_EQ_U64(ra.n, RA_MAX_EXTENTS);
	check_invariants(&ra);
}

static void test_exhaustion(void)
{
	struct range_alloc ra;
	uint64_t out = 0, total = 0;
	unsigned count = 0;

	ra_init(&ra);
	CHECK(ra_add(&ra, MiB(64), MiB(10)), "add refused");
	CHECK(!ra_alloc(&ra, 0, PG, &out), "zero-size alloc accepted");
	while (ra_alloc(&ra, MiB(2), MiB(2), &out) && count < 100) {
		CHECK(IS_ALIGNED(out, MiB(2)), "0x%llx not aligned", (unsigned long long)out);
		total += MiB(2);
		count++;
	}
	CHECK_EQ_U64(count, 5);
	CHECK_EQ_U64(ra_free_bytes(&ra), 0);
	CHECK_EQ_U64(ra.n, 0);
	CHECK(!ra_alloc(&ra, PG, PG, &out), "alloc from empty allocator accepted");

	/* too big for what is left */
	CHECK(ra_free(&ra, MiB(66), MiB(2)), "free refused");
	CHECK(ra_free(&ra, MiB(70), MiB(2)), "free refused");
	CHECK_EQ_U64(ra_free_bytes(&ra), MiB(4));
	CHECK(!ra_alloc(&ra, MiB(4), PG, &out), "alloc bigger than any extent accepted");
	CHECK(!ra_alloc(&ra, MiB(2), MiB(4), &out), "alloc with impossible alignment accepted");
	CHECK(!ra_alloc(&ra, UINT64_MAX - PG + 1, PG, &out), "huge alloc accepted");
	CHECK_EQ_U64(ra_free_bytes(&ra), MiB(4));
	CHECK_EQ_U64(total, MiB(10));
	check_invariants(&ra);
}

/* ---- randomized run against a page bitmap */

#define R_BASE 0x80000000ULL
#define R_PAGES 8192 /* 32 MiB */
#define R_OPS 20000

enum { P_ABSENT, P_FREE, P_ALLOC, P_RESV };

static unsigned char model[R_PAGES];
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned rnd(unsigned n)
{
	return (unsigned)(xorshift() % n);
}

static uint64_t pg_addr(unsigned p)
{
	return R_BASE + (uint64_t)p * PG;
}

static uint64_t model_free_bytes(void)
{
	uint64_t n = 0;

	for (unsigned p = 0; p < R_PAGES; p++)
		n += model[p] == P_FREE;
	return n * PG;
}

/* The allocator's extents must be exactly the maximal runs of free pages. */
static bool model_matches(const struct range_alloc *ra)
{
	unsigned i = 0, p = 0;

	while (p < R_PAGES) {
		if (model[p] != P_FREE) {
			p++;
			continue;
		}
		unsigned e = p;

		while (e < R_PAGES && model[e] == P_FREE)
			e++;
		if (i >= ra->n || ra->ext[i].base != pg_addr(p) ||
		    ra->ext[i].size != (uint64_t)(e - p) * PG)
			return false;
		i++;
		p = e;
	}
	return i == ra->n;
}

static bool free_run_at(unsigned p, unsigned *rs, unsigned *re)
{
	if (p >= R_PAGES || model[p] != P_FREE)
		return false;
	*rs = p;
	*re = p;
	while (*rs > 0 && model[*rs - 1] == P_FREE)
		(*rs)--;
	while (*re < R_PAGES && model[*re] == P_FREE)
		(*re)++;
	return true;
}

/* Lowest aligned run of n free pages; sets *split when it lies strictly inside its free run. */
static bool model_fit(unsigned n, unsigned align_pages, unsigned *at, bool *split)
{
	unsigned p = 0;

	while (p < R_PAGES) {
		unsigned rs, re;

		if (!free_run_at(p, &rs, &re)) {
			p++;
			continue;
		}
		/* R_BASE is aligned to every alignment used, so page alignment is address alignment */
		unsigned b = (rs + align_pages - 1) / align_pages * align_pages;

		if (b < re && re - b >= n) {
			*at = b;
			*split = b > rs && b + n < re;
			return true;
		}
		p = re;
	}
	return false;
}

/* Would giving back pages [p, p + n) need a new extent slot (no free neighbour)? */
static bool free_needs_slot(unsigned p, unsigned n)
{
	bool prev = p > 0 && model[p - 1] == P_FREE;
	bool next = p + n < R_PAGES && model[p + n] == P_FREE;

	return !prev && !next;
}

static void set_pages(unsigned p, unsigned n, int state)
{
	for (unsigned i = p; i < p + n; i++)
		model[i] = (unsigned char)state;
}

static void test_random(void)
{
	struct range_alloc ra, saved;
	unsigned full_refusals = 0, allocs = 0, frees = 0, double_frees = 0, reserves = 0;
	int failures_before = check_failed;

	ra_init(&ra);
	memset(model, P_ABSENT, sizeof(model));
	/* three RAM banks with holes, and a couple of firmware reservations */
	CHECK(ra_add(&ra, pg_addr(0), 3000 * PG), "bank 0 refused");
	CHECK(ra_add(&ra, pg_addr(3100), 3000 * PG), "bank 1 refused");
	CHECK(ra_add(&ra, pg_addr(6200), 1992 * PG), "bank 2 refused");
	set_pages(0, 3000, P_FREE);
	set_pages(3100, 3000, P_FREE);
	set_pages(6200, 1992, P_FREE);
	CHECK(ra_reserve(&ra, pg_addr(2990), 200 * PG), "reserve refused");
	set_pages(2990, 10, P_RESV);
	set_pages(3100, 90, P_RESV);
	CHECK(model_matches(&ra), "initial state differs from the model");

	for (unsigned op = 0; op < R_OPS && check_failed == failures_before; op++) {
		unsigned kind = rnd(100);
		bool ok, expect;

		saved = ra;
		if (kind < 45) {
			/* alloc */
			unsigned n = rnd(8) ? 1 + rnd(64) : 1 + rnd(600);
			unsigned align = 1u << rnd(10); /* 4 KiB .. 2 MiB */
			unsigned at = 0;
			bool split = false, fits = model_fit(n, align, &at, &split);
			uint64_t out = 0;

			ok = ra_alloc(&ra, (uint64_t)n * PG, (uint64_t)align * PG, &out);
			expect = fits && !(split && saved.n == RA_MAX_EXTENTS);
			CHECK(ok == expect, "op %u: alloc %u pages align %u: got %d, expected %d",
			      op, n, align, ok, expect);
			if (ok && expect) {
				CHECK_EQ_U64(out, pg_addr(at));
				for (unsigned i = 0; i < n; i++)
					CHECK(model[at + i] == P_FREE,
					      "op %u: alloc overlaps page %u (state %d)", op,
					      at + i, model[at + i]);
				set_pages(at, n, P_ALLOC);
				allocs++;
			}
			if (fits && !expect)
				full_refusals++;
		} else if (kind < 85) {
			/* free a run of allocated pages (may span several allocations) */
			unsigned p = rnd(R_PAGES), n = 0, want = 1 + rnd(128);

			for (unsigned tries = 0; tries < 32 && model[p] != P_ALLOC; tries++)
				p = rnd(R_PAGES);
			if (model[p] != P_ALLOC)
				continue;
			while (n < want && p + n < R_PAGES && model[p + n] == P_ALLOC)
				n++;
			expect = !(free_needs_slot(p, n) && saved.n == RA_MAX_EXTENTS);
			ok = ra_free(&ra, pg_addr(p), (uint64_t)n * PG);
			CHECK(ok == expect, "op %u: free [%u, +%u): got %d, expected %d", op, p, n,
			      ok, expect);
			if (ok && expect) {
				set_pages(p, n, P_FREE);
				frees++;
			}
			if (!expect)
				full_refusals++;
		} else if (kind < 95) {
			/* double free: any range touching a free page */
			unsigned p = rnd(R_PAGES), n, off;

			for (unsigned tries = 0; tries < 32 && model[p] != P_FREE; tries++)
				p = rnd(R_PAGES);
			if (model[p] != P_FREE)
				continue;
			n = 1 + rnd(64);
			off = rnd(n);
			if (off > p)
				off = p;
			ok = ra_free(&ra, pg_addr(p - off), (uint64_t)n * PG);
			CHECK(!ok, "op %u: double free [%u, +%u) accepted", op, p - off, n);
			double_frees++;
		} else if (kind < 98) {
			/* reserve a small range wherever it is free */
			unsigned p = rnd(R_PAGES), n = 1 + rnd(16), rs, re;

			if (p + n > R_PAGES)
				n = R_PAGES - p;
			/* only a range strictly inside one free run needs a new slot */
			expect = !(free_run_at(p, &rs, &re) && rs < p && p + n < re &&
				   saved.n == RA_MAX_EXTENTS);
			ok = ra_reserve(&ra, pg_addr(p), (uint64_t)n * PG);
			CHECK(ok == expect, "op %u: reserve [%u, +%u): got %d, expected %d", op, p,
			      n, ok, expect);
			if (ok && expect) {
				for (unsigned i = p; i < p + n; i++)
					if (model[i] == P_FREE)
						model[i] = P_RESV;
				reserves++;
			}
			if (!expect)
				full_refusals++;
		} else {
			/* give a reserved run back */
			unsigned p = rnd(R_PAGES), n = 0;

			for (unsigned tries = 0; tries < 32 && model[p] != P_RESV; tries++)
				p = rnd(R_PAGES);
			if (model[p] != P_RESV)
				continue;
			while (p + n < R_PAGES && model[p + n] == P_RESV)
				n++;
			expect = !(free_needs_slot(p, n) && saved.n == RA_MAX_EXTENTS);
			ok = ra_add(&ra, pg_addr(p), (uint64_t)n * PG);
			CHECK(ok == expect, "op %u: re-add [%u, +%u): got %d, expected %d", op, p,
			      n, ok, expect);
			if (ok && expect)
				set_pages(p, n, P_FREE);
		}
		if (!ok)
			CHECK(same_state(&ra, &saved), "op %u: refused operation changed the state",
			      op);
		CHECK_EQ_U64(ra_free_bytes(&ra), model_free_bytes());
		CHECK(model_matches(&ra), "op %u: extents differ from the model", op);
		check_invariants(&ra);
	}
	/* the run must have exercised every path, including the full table */
	CHECK(allocs > 1000, "only %u allocs", allocs);
	CHECK(frees > 1000, "only %u frees", frees);
	CHECK(double_frees > 100, "only %u double frees", double_frees);
	CHECK(reserves > 50, "only %u reserves", reserves);
	CHECK(full_refusals > 0, "the table never filled up");
}

int main(void)
{
	RUN(test_alloc_alignment);
	RUN(test_lowest_fit);
	RUN(test_reserve_split);
	RUN(test_reserve_spanning);
	RUN(test_free_merge);
	RUN(test_double_free);
	RUN(test_table_full);
	RUN(test_exhaustion);
	RUN(test_random);
	CHECK_EXIT();
}
