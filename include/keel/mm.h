/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Physical memory: a range allocator over host RAM. It keeps free extents
 * (not per-page metadata), so a VM's memory is handed out and taken back as
 * a few large runs. The range code is pure and host-tested; mm_* wraps one
 * global instance with a lock.
 */
#ifndef KEEL_MM_H
#define KEEL_MM_H

#include <keel/types.h>

#define RA_MAX_EXTENTS 64

struct range_alloc {
	unsigned n;
	struct {
		uint64_t base, size;
	} ext[RA_MAX_EXTENTS]; /* sorted by base, never adjacent */
};

void ra_init(struct range_alloc *ra);
/* Give [base, base+size) to the allocator; false if the table is full or it overlaps free space. */
bool ra_add(struct range_alloc *ra, uint64_t base, uint64_t size);
/* Take [base, base+size) out of the free space wherever it is free. */
bool ra_reserve(struct range_alloc *ra, uint64_t base, uint64_t size);
/* Lowest free run of size bytes aligned to align (a power of two). */
bool ra_alloc(struct range_alloc *ra, uint64_t size, uint64_t align, uint64_t *out);
bool ra_free(struct range_alloc *ra, uint64_t base, uint64_t size);
uint64_t ra_free_bytes(const struct range_alloc *ra);

/* keel's host RAM (all page-granular). */
void mm_init(void);
bool mm_add_ram(paddr_t base, uint64_t size);
void mm_reserve(paddr_t base, uint64_t size);
/* Returns false when no run of that size is free. Memory is not zeroed. */
bool mm_alloc(uint64_t size, uint64_t align, paddr_t *out);
void mm_free(paddr_t base, uint64_t size);
uint64_t mm_free_bytes(void);
/* One zeroed 4 KiB page (page tables), or NULL. */
void *mm_alloc_page(void);

/* keel maps host RAM 1:1, so a host-physical address is also keel's pointer to it. */
static inline void *pa_ptr(paddr_t p)
{
	return (void *)(uintptr_t)p.pa;
}

#endif
