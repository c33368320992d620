// SPDX-License-Identifier: GPL-2.0-or-later
/* keel's one host-RAM allocator instance. */
#include <keel/mm.h>
#include <keel/spinlock.h>
#include <keel/arch.h>

static struct range_alloc ram;
static spinlock_t ram_lock = SPINLOCK_INIT;

void mm_init(void)
{
	ra_init(&ram);
}

bool mm_add_ram(paddr_t base, uint64_t size)
{
	uint64_t b = ALIGN_UP(base.pa, PAGE_SIZE), e = ALIGN_DOWN(base.pa + size, PAGE_SIZE);

	return e > b && ra_add(&ram, b, e - b);
}

void mm_reserve(paddr_t base, uint64_t size)
{
	ra_reserve(&ram, base.pa, size);
}

bool mm_alloc(uint64_t size, uint64_t align, paddr_t *out)
{
	bool ok;

	spin_lock(&ram_lock);
	ok = ra_alloc(&ram, ALIGN_UP(size, PAGE_SIZE), align, &out->pa);
	spin_unlock(&ram_lock);
	return ok;
}

void mm_free(paddr_t base, uint64_t size)
{
	spin_lock(&ram_lock);
	ra_free(&ram, base.pa, ALIGN_UP(size, PAGE_SIZE));
	spin_unlock(&ram_lock);
}

uint64_t mm_free_bytes(void)
{
	return ra_free_bytes(&ram);
}

void *mm_alloc_page(void)
{
	paddr_t p;

	if (!mm_alloc(PAGE_SIZE, PAGE_SIZE, &p))
		return NULL;
	arch_zero(pa_ptr(p), PAGE_SIZE);
	return pa_ptr(p);
}
