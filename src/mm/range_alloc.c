// SPDX-License-Identifier: GPL-2.0-or-later
#include <keel/mm.h>

void ra_init(struct range_alloc *ra)
{
	ra->n = 0;
}

static void remove_at(struct range_alloc *ra, unsigned i)
{
	for (unsigned j = i; j + 1 < ra->n; j++)
		ra->ext[j] = ra->ext[j + 1];
	ra->n--;
}

static bool insert_at(struct range_alloc *ra, unsigned i, uint64_t base, uint64_t size)
{
	if (ra->n == RA_MAX_EXTENTS)
		return false;
	for (unsigned j = ra->n; j > i; j--)
		ra->ext[j] = ra->ext[j - 1];
	ra->ext[i].base = base;
	ra->ext[i].size = size;
	ra->n++;
	return true;
}

bool ra_free(struct range_alloc *ra, uint64_t base, uint64_t size)
{
	unsigned i = 0;

	if (!size || base + size < base)
		return false;
	while (i < ra->n && ra->ext[i].base < base)
		i++;
	/* refuse double frees: the range must not touch free space */
	if (i > 0 && ra->ext[i - 1].base + ra->ext[i - 1].size > base)
		return false;
	if (i < ra->n && base + size > ra->ext[i].base)
		return false;
	bool join_prev = i > 0 && ra->ext[i - 1].base + ra->ext[i - 1].size == base;
	bool join_next = i < ra->n && base + size == ra->ext[i].base;

	if (join_prev && join_next) {
		ra->ext[i - 1].size += size + ra->ext[i].size;
		remove_at(ra, i);
	} else if (join_prev) {
		ra->ext[i - 1].size += size;
	} else if (join_next) {
		ra->ext[i].base = base;
		ra->ext[i].size += size;
	} else {
		return insert_at(ra, i, base, size);
	}
	return true;
}

bool ra_add(struct range_alloc *ra, uint64_t base, uint64_t size)
{
	return ra_free(ra, base, size);
}

/* Cut [base, base+size), which lies inside extent i, out of it. */
static bool cut(struct range_alloc *ra, unsigned i, uint64_t base, uint64_t size)
{
	uint64_t eb = ra->ext[i].base, ee = eb + ra->ext[i].size, end = base + size;

	if (base == eb && end == ee) {
		remove_at(ra, i);
		return true;
	}
	if (base == eb) {
		ra->ext[i].base = end;
		ra->ext[i].size = ee - end;
		return true;
	}
	if (end == ee) {
		ra->ext[i].size = base - eb;
		return true;
	}
	if (!insert_at(ra, i + 1, end, ee - end))
		return false;
	ra->ext[i].size = base - eb;
	return true;
}

bool ra_reserve(struct range_alloc *ra, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	if (end < base)
		return false;
	for (unsigned i = 0; i < ra->n;) {
		uint64_t eb = ra->ext[i].base, ee = eb + ra->ext[i].size;
		uint64_t cb = MAX(eb, base), ce = MIN(ee, end);
		unsigned before = ra->n;

		if (cb >= ce) {
			i++;
			continue;
		}
		if (!cut(ra, i, cb, ce - cb))
			return false;
		/* stay on i if the extent vanished, else move past what is left of it */
		i += (ra->n < before) ? 0 : 1;
	}
	return true;
}

bool ra_alloc(struct range_alloc *ra, uint64_t size, uint64_t align, uint64_t *out)
{
	if (!size || !align || (align & (align - 1)))
		return false;
	for (unsigned i = 0; i < ra->n; i++) {
		uint64_t eb = ra->ext[i].base, ee = eb + ra->ext[i].size;
		uint64_t b = ALIGN_UP(eb, align);

		if (b < eb || b >= ee || ee - b < size)
			continue;
		if (!cut(ra, i, b, size))
			return false;
		*out = b;
		return true;
	}
	return false;
}

uint64_t ra_free_bytes(const struct range_alloc *ra)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < ra->n; i++)
		n += ra->ext[i].size;
	return n;
}
