// SPDX-License-Identifier: GPL-2.0-or-later
/* See fake_env.h. Weak definitions: a harness, or real arch code it links, overrides them. */
#include "fake_env.h"
#include <keel/arch.h>
#include <keel/mm.h>
#include <keel/guest_fdt.h>
#include <sanitizer/asan_interface.h>
#include <sys/mman.h>

#define WEAK __attribute__((weak))
#define MAX_ALLOCS 256

uint64_t fake_now = 1000;
uint64_t fake_mm_budget = MiB(256);
unsigned fake_sched_count;
jmp_buf *fake_poweroff;
unsigned long fake_console_bytes;
void (*fake_vm_destroy_hook)(struct vm *vm);

struct pcpu pcpus[KEEL_MAX_PCPUS];
unsigned nr_pcpus = 4;
uint32_t sched_time_slice_us = 1000;
bool sched_fp_eager;

static bool id_held[KEEL_MAX_VMS];
static unsigned s2_maps[KEEL_MAX_VMS];

static struct {
	void *p;
	uint64_t size;
} allocs[MAX_ALLOCS];

static int find(const void *p)
{
	for (int i = 0; i < MAX_ALLOCS; i++)
		if (allocs[i].p && allocs[i].p == p)
			return i;
	return -1;
}

/*
 * Host memory: one arena carved by keel's own range allocator; whatever is
 * not handed out is poisoned, so ASan reports any access outside a live
 * allocation (a guest buffer check that lets a pointer run off its region).
 */
#define ARENA_SIZE MiB(96)
static struct range_alloc ra;
static uint8_t *arena;

static void *track(uint64_t size, uint64_t align)
{
	uint64_t base;
	int i;

	if (!arena) {
		uint8_t *m = mmap(NULL, ARENA_SIZE + MiB(2), PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		PROMISE(m != MAP_FAILED);
		arena = (uint8_t *)ALIGN_UP((uintptr_t)m, MiB(2));
		ra_init(&ra);
		PROMISE(ra_add(&ra, (uintptr_t)arena, ARENA_SIZE));
		ASAN_POISON_MEMORY_REGION(arena, ARENA_SIZE);
	}
	for (i = 0; i < MAX_ALLOCS && allocs[i].p; i++)
		;
	PROMISE(i < MAX_ALLOCS); /* keel leaks host memory */
	if (size > fake_mm_budget || !ra_alloc(&ra, size, align < 16 ? 16 : align, &base))
		return NULL;
	fake_mm_budget -= size;
	allocs[i].p = (void *)(uintptr_t)base;
	allocs[i].size = size;
	ASAN_UNPOISON_MEMORY_REGION(allocs[i].p, size);
	return allocs[i].p;
}

bool mm_alloc(uint64_t size, uint64_t align, paddr_t *out)
{
	void *p;

	PROMISE(size && !(size & (PAGE_SIZE - 1)) && align && !(align & (align - 1)));
	p = track(size, align);
	if (!p)
		return false;
	*out = pa_init((uintptr_t)p);
	return true;
}

static void untrack(int i)
{
	PROMISE(ra_free(&ra, (uintptr_t)allocs[i].p, allocs[i].size));
	ASAN_POISON_MEMORY_REGION(allocs[i].p, allocs[i].size);
	fake_mm_budget += allocs[i].size;
	allocs[i].p = NULL;
}

void mm_free(paddr_t base, uint64_t size)
{
	int i = find(pa_ptr(base));

	PROMISE(i >= 0 && allocs[i].size == size); /* a free of what was allocated, whole */
	untrack(i);
}

void *mm_alloc_page(void)
{
	void *p = track(PAGE_SIZE, PAGE_SIZE);

	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

uint64_t mm_free_bytes(void)
{
	return fake_mm_budget;
}

unsigned fake_mm_live(void)
{
	unsigned n = 0;

	for (int i = 0; i < MAX_ALLOCS; i++)
		n += allocs[i].p != NULL;
	return n;
}

bool fake_mm_owns(const void *p, uint64_t n)
{
	const uint8_t *q = p;

	for (int i = 0; i < MAX_ALLOCS; i++) {
		const uint8_t *b = allocs[i].p;

		if (b && q >= b && q <= b + allocs[i].size &&
		    n <= allocs[i].size - (uint64_t)(q - b))
			return true;
	}
	return false;
}

void fake_mm_free_all(void)
{
	for (int i = 0; i < MAX_ALLOCS; i++)
		if (allocs[i].p)
			untrack(i);
}

static const uint8_t fake_kernel[64] = { 0x13 }; /* a nop-ish word: never executed */

void fake_vm_config(struct vm_config *cfg, const char *name, unsigned vcpus, uint64_t ipa,
		    uint64_t size, uint64_t pool)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->name, sizeof(cfg->name), "%s", name);
	cfg->vcpus = vcpus;
	cfg->nr_mem = 1;
	cfg->mem[0] = (struct mem_region){ ipa, size };
	cfg->kernel = fake_kernel;
	cfg->kernel_size = sizeof(fake_kernel);
	cfg->load_addr = ipa;
	cfg->load_size = sizeof(fake_kernel);
	cfg->entry = ipa;
	cfg->manager = pool != 0;
	cfg->memory_pool = pool;
}

struct vm *fake_start_vm(const struct vm_config *cfg)
{
	struct vm *vm;

	PROMISE(vm_create(cfg, &vm) == 0);
	vm_start(vm);
	return vm;
}

struct vm *fake_boot_vm(struct vm_config *cfg, const char *name, unsigned vcpus, uint64_t ipa,
			uint64_t size, uint64_t pool)
{
	fake_vm_config(cfg, name, vcpus, ipa, size, pool);
	return fake_start_vm(cfg);
}

void fake_destroy_all(void)
{
	for (unsigned i = 0; i < vm_count(); i++) {
		struct vm *vm = vm_by_index(i);

		if (!vm)
			continue;
		vm_terminate(vm); /* -1 when a guest already did */
		PROMISE(vm_destroy(vm) == 0);
		PROMISE(!vm_by_index(i));
	}
	for (unsigned i = 0; i < KEEL_MAX_VMS; i++)
		PROMISE(!id_held[i] && !s2_maps[i]);
	PROMISE(fake_sched_count == 0);
}

/* ---- VM hardware context: an ID and stage-2 mappings, tracked per slot */
WEAK int arch_vm_init(struct vm *vm)
{
	PROMISE(vm->id < KEEL_MAX_VMS && !id_held[vm->id] && !s2_maps[vm->id]);
	id_held[vm->id] = true;
	return 0;
}

WEAK int arch_stage2_map(struct vm *vm, uint64_t ipa, paddr_t pa, uint64_t size)
{
	PROMISE(id_held[vm->id] && fake_mm_owns(pa_ptr(pa), size) && !(ipa & (PAGE_SIZE - 1)));
	s2_maps[vm->id]++;
	return 0;
}

WEAK void arch_vm_release_id(struct vm *vm)
{
	PROMISE(id_held[vm->id]); /* released once */
	id_held[vm->id] = false;
}

WEAK void arch_vm_tlb_flush(struct vm *vm)
{
	PROMISE(id_held[vm->id]);
}

WEAK void arch_vm_destroy(struct vm *vm)
{
	/* tables go only once no walker can use them: after the ID is released */
	PROMISE(!id_held[vm->id]);
	s2_maps[vm->id] = 0;
	if (fake_vm_destroy_hook)
		fake_vm_destroy_hook(vm);
}

WEAK void arch_stage2_unmap_page(struct vm *vm, uint64_t ipa)
{
	(void)vm;
	(void)ipa;
}

WEAK int arch_guest_boot_info(void *buf, size_t size, struct vm *vm,
			      const struct guest_fdt_info *info)
{
	PROMISE(fake_mm_owns(buf, size));
	(void)vm;
	(void)info;
	return 0;
}

WEAK void arch_vm_devices(struct vm *vm)
{
	(void)vm;
}

static const struct mem_region dev_ranges[] = { { 0x08000000, 0x10000 },
						{ 0x080a0000, 0x100000 },
						{ 0x09000000, 0x1000 } };
static const char *const dev_names[] = { "gicd", "gicr", "pl011" };

WEAK void arch_part_limits(struct part_limits *lim, unsigned nr_cpus)
{
	lim->nr_pcpus = nr_cpus;
	lim->max_vcpus = KEEL_MAX_VCPUS;
	lim->ipa_limit = 1ULL << 40;
	lim->nr_dev = ARRAY_SIZE(dev_ranges);
	lim->dev = dev_ranges;
	lim->dev_names = dev_names;
}

/* ---- scheduler and pCPUs */
WEAK struct pcpu *this_pcpu(void)
{
	return &pcpus[0];
}

WEAK bool sched_add(struct vcpu *vcpu)
{
	PROMISE(vcpu->pcpu < nr_pcpus);
	fake_sched_count++;
	return true;
}

WEAK void sched_remove(struct vcpu *vcpu)
{
	(void)vcpu;
	PROMISE(fake_sched_count > 0);
	fake_sched_count--;
}

WEAK void vcpu_wake(struct vcpu *vcpu)
{
	PROMISE(vcpu->vm && vcpu->id < vcpu->vm->nr_vcpus && vcpu->pcpu < nr_pcpus);
}

WEAK void vcpu_kick(struct vcpu *vcpu)
{
	PROMISE(vcpu->vm && vcpu->id < vcpu->vm->nr_vcpus && vcpu->pcpu < nr_pcpus);
}

WEAK void sched_next(void)
{
}

WEAK void sched_yield(void)
{
}

WEAK bool sched_shared(const struct pcpu *p)
{
	(void)p;
	return false;
}

WEAK void pcpu_request(unsigned pcpu, uint32_t req)
{
	(void)req;
	PROMISE(pcpu < nr_pcpus);
}

/* ---- arch hooks (arch.h) */
WEAK unsigned arch_cpu_id(void)
{
	return 0;
}

/* keel's console: dropped, or on stderr with FUZZ_VERBOSE=1 (replaying one input) */
WEAK void arch_console_putc(char c)
{
	static int verbose = -1;

	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (verbose && c != '\r')
		fputc(c, stderr);
	fake_console_bytes++;
}

WEAK void __attribute__((noreturn)) arch_poweroff(void)
{
	PROMISE(fake_poweroff);
	longjmp(*fake_poweroff, 1);
}

WEAK uint64_t arch_counter(void)
{
	return fake_now;
}

WEAK uint64_t arch_counter_hz(void)
{
	return 1000000000;
}

WEAK void arch_zero(void *p, size_t n)
{
	PROMISE(fake_mm_owns(p, n) && !((uintptr_t)p & (PAGE_SIZE - 1)) && !(n & (PAGE_SIZE - 1)));
}

WEAK void arch_send_kick(unsigned cpu)
{
	PROMISE(cpu < nr_pcpus);
}

WEAK void arch_vcpu_init(struct vcpu *vcpu)
{
	(void)vcpu;
}

WEAK void arch_vcpu_reset(struct vcpu *vcpu, uint64_t entry, uint64_t arg)
{
	(void)vcpu;
	(void)entry;
	(void)arg;
}

WEAK void arch_vcpu_load(struct vcpu *vcpu)
{
	(void)vcpu;
}

WEAK void arch_vcpu_put(struct vcpu *vcpu)
{
	(void)vcpu;
}

WEAK void arch_inject_irq(struct vcpu *vcpu, unsigned irq)
{
	(void)vcpu;
	(void)irq;
}

WEAK void arch_vm_irq_line(struct vm *vm, unsigned irq, bool level)
{
	(void)vm;
	(void)irq;
	(void)level;
}

WEAK void arch_vm_irq_source(struct vm *vm, unsigned irq, bool (*level)(void *dev), void *dev)
{
	(void)vm;
	(void)irq;
	(void)level;
	(void)dev;
}
