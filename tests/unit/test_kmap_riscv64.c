// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keel's own riscv64 HS-mode identity map (Sv39, built by arch/riscv64/mmu.c with kmap_build):
 * W^X in its image, guard pages below the stacks, all RAM read/write and never executable, the
 * PLIC and UART only, every leaf global with A and D set and without U.
 */
#include "check.h"
#include <asm/pt.h>
#include <keel/kmap.h>
#include <keel/types.h>
#include <stdlib.h>

#include "table_pages.h"

#define TEXT 0x80200000UL
#define TEXT_END 0x80210000UL
#define RO_END 0x80214000UL
#define STACKS 0x80240000UL /* 8 pCPU stacks and the boot stack, 32 KiB each */
#define STACK_SIZE 0x8000UL
#define NR_STACKS 9
#define PANIC_STACKS 0x80290000UL /* 9 panic stack slots, 8 KiB each: guard page, stack */
#define PANIC_SLOT 0x2000UL
#define PLIC 0x0c000000UL
#define UART 0x10000000UL

/* the layout arch/riscv64/mmu.c builds, with linker symbols replaced by fixed addresses */
static const struct kmap_layout layout = {
	.text = TEXT,
	.text_end = TEXT_END,
	.ro_end = RO_END,
	.dev = { { PLIC, 0x4000000 }, { UART, 0x1000 } },
	.nr_dev = 2,
	.guards = { { STACKS, STACK_SIZE, NR_STACKS }, { PANIC_STACKS, PANIC_SLOT, NR_STACKS } },
	.attr = &riscv_kmap_attrs,
};

static struct pt new_pt(void)
{
	struct pt pt = { .fmt = &riscv_pt_format,
			 .start_level = 1,
			 .root_entries = SV39_IDENTITY_ROOT_ENTRIES,
			 .alloc_page = alloc_page };

	pt.root = alloc_page(NULL);
	return pt;
}

static bool lookup(const struct pt *pt, uint64_t a, uint64_t *d)
{
	uint64_t pa;

	return pt_lookup(pt, a, &pa, d) && pa == a;
}

/* every leaf of the tree: never W and X together, never U, always G, A and D; R with W */
static unsigned check_leaves(const uint64_t *table, int level, unsigned entries)
{
	unsigned leaves = 0;

	for (unsigned i = 0; i < entries; i++) {
		uint64_t d = table[i];

		if (!(d & PTE_V))
			continue;
		if (riscv_pt_format.is_table(d, level)) {
			CHECK(level < 3, "table entry at level 3: 0x%llx", (unsigned long long)d);
			leaves += check_leaves((const uint64_t *)(uintptr_t)riscv_pt_format.addr(d),
					       level + 1, 512);
			continue;
		}
		leaves++;
		CHECK(!((d & PTE_W) && (d & PTE_X)), "leaf 0x%llx is writable and executable",
		      (unsigned long long)d);
		CHECK(!(d & PTE_U), "leaf 0x%llx is a user page", (unsigned long long)d);
		CHECK((d & (PTE_G | PTE_A | PTE_D)) == (PTE_G | PTE_A | PTE_D),
		      "leaf 0x%llx lacks G, A or D", (unsigned long long)d);
		CHECK(d & PTE_R, "leaf 0x%llx not readable (W without R is reserved)",
		      (unsigned long long)d);
	}
	return leaves;
}

static void test_wx_in_image(void)
{
	struct fw_info fw = { .nr_ram = 1, .ram = { { 0x80000000, GiB(1) } } };
	struct pt pt = new_pt();
	uint64_t d;

	CHECK_EQ_U64(kmap_build(&pt, &fw, &layout), 0);
	for (uint64_t a = TEXT; a < TEXT + MiB(2); a += PAGE_SIZE) {
		bool guard = (a >= STACKS && a < STACKS + NR_STACKS * STACK_SIZE &&
			      (a - STACKS) % STACK_SIZE == 0) ||
			     (a >= PANIC_STACKS && a < PANIC_STACKS + NR_STACKS * PANIC_SLOT &&
			      (a - PANIC_STACKS) % PANIC_SLOT == 0);

		if (guard)
			continue; /* test_stack_guards */
		CHECK(lookup(&pt, a, &d), "page 0x%llx not identity mapped", (unsigned long long)a);
		if (a < TEXT_END)
			CHECK((d & PTE_X) && !(d & PTE_W), "text page 0x%llx: pte 0x%llx",
			      (unsigned long long)a, (unsigned long long)d);
		else if (a < RO_END)
			CHECK(!(d & PTE_X) && !(d & PTE_W) && (d & PTE_R),
			      "rodata page 0x%llx: pte 0x%llx", (unsigned long long)a,
			      (unsigned long long)d);
		else
			CHECK(!(d & PTE_X) && (d & PTE_W), "data page 0x%llx: pte 0x%llx",
			      (unsigned long long)a, (unsigned long long)d);
	}
	CHECK(check_leaves(pt.root, 1, SV39_IDENTITY_ROOT_ENTRIES) > 0, "no leaves");
	free_all();
}

/*
 * the guard page below each stack and each panic stack, the boot slot's too, is unmapped; the
 * stack above it is RW and not executable
 */
static void test_stack_guards(void)
{
	struct fw_info fw = { .nr_ram = 1, .ram = { { 0x80000000, GiB(1) } } };
	struct pt pt = new_pt();
	uint64_t d;

	kmap_build(&pt, &fw, &layout);
	for (unsigned i = 0; i < 2 * NR_STACKS; i++) {
		uint64_t g = i < NR_STACKS ? STACKS + i * STACK_SIZE :
					     PANIC_STACKS + (i - NR_STACKS) * PANIC_SLOT;

		CHECK(!lookup(&pt, g, &d), "guard page 0x%llx is mapped", (unsigned long long)g);
		CHECK(lookup(&pt, g + PAGE_SIZE, &d) && (d & PTE_W) && (d & PTE_R) && !(d & PTE_X),
		      "stack page 0x%llx above the guard: pte 0x%llx",
		      (unsigned long long)(g + PAGE_SIZE), (unsigned long long)d);
		CHECK(lookup(&pt, g - PAGE_SIZE, &d), "page 0x%llx below the guard unmapped",
		      (unsigned long long)(g - PAGE_SIZE));
	}
	CHECK(lookup(&pt, PANIC_STACKS + NR_STACKS * PANIC_SLOT, &d),
	      "the page after the last panic stack is unmapped");
	free_all();
}

/* RAM: read/write, not executable, in 2 MiB and 1 GiB blocks outside keel's window */
static void test_ram(void)
{
	struct fw_info fw = { .nr_ram = 1, .ram = { { 0x80000000, GiB(3) } } };
	struct pt pt = new_pt();
	uint64_t d;
	static const uint64_t ram[] = { 0x80000000, 0x801ff000, 0x80400000,  0xa0000000, 0xbffff000,
					0xc0000000, 0xf0001000, 0x100000000, 0x13ffff000 };

	CHECK_EQ_U64(kmap_build(&pt, &fw, &layout), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(ram); i++)
		CHECK(lookup(&pt, ram[i], &d) && (d & PTE_R) && (d & PTE_W) && !(d & PTE_X),
		      "RAM 0x%llx: pte 0x%llx", (unsigned long long)ram[i], (unsigned long long)d);
	CHECK(!lookup(&pt, 0x140000000, &d), "past the end of RAM is mapped");
	CHECK(!lookup(&pt, 0x7ffff000, &d), "below RAM is mapped");
	/* the GiB holding keel: one L2 table and keel's L3; the others are 1 GiB leaves */
	CHECK(!riscv_pt_format.is_table(pt.root[3], 1) && (pt.root[3] & PTE_V),
	      "GiB 3 is not one leaf: 0x%llx", (unsigned long long)pt.root[3]);
	CHECK(!riscv_pt_format.is_table(pt.root[4], 1) && (pt.root[4] & PTE_V),
	      "GiB 4 is not one leaf: 0x%llx", (unsigned long long)pt.root[4]);
	/* devices: L2 + L3 (UART page); RAM: L2 + keel's L3 */
	CHECK_EQ_U64(pt.tables, 4);
	check_leaves(pt.root, 1, SV39_IDENTITY_ROOT_ENTRIES);
	free_all();
}

/* only the PLIC and the UART page keel drives; not the CLINT, boot ROM, virtio or flash */
static void test_devices(void)
{
	struct fw_info fw = { .nr_ram = 1, .ram = { { 0x80000000, GiB(1) } } };
	struct pt pt = new_pt();
	uint64_t d;
	static const uint64_t mapped[] = { PLIC, PLIC + 0x200000, PLIC + 0x3fff000, UART };
	static const uint64_t unmapped[] = { 0,		 0x1000,     0x02000000, 0x0bfff000,
					     0x10001000, 0x20000000, 0x30000000, 0x40000000 };

	kmap_build(&pt, &fw, &layout);
	for (unsigned i = 0; i < ARRAY_SIZE(mapped); i++)
		CHECK(lookup(&pt, mapped[i], &d) && (d & PTE_W) && !(d & PTE_X),
		      "device 0x%llx: pte 0x%llx", (unsigned long long)mapped[i],
		      (unsigned long long)d);
	for (unsigned i = 0; i < ARRAY_SIZE(unmapped); i++)
		CHECK(!lookup(&pt, unmapped[i], &d), "0x%llx is mapped",
		      (unsigned long long)unmapped[i]);
	free_all();
}

/* Sv39 identity: addresses from 256 GiB on are not canonical, so RAM there is dropped */
static void test_unmappable_ram_dropped(void)
{
	struct fw_info fw = { .nr_ram = 2,
			      .ram = { { 0x80000000, GiB(1) }, { 0x4000000000UL, GiB(1) } } };
	struct pt pt = new_pt();

	CHECK_EQ_U64(kmap_build(&pt, &fw, &layout), 1);
	CHECK_EQ_U64(fw.ram[0].size, GiB(1));
	CHECK_EQ_U64(fw.ram[1].size, 0);
	free_all();
}

/* the partition file: read/write as RAM when in RAM, read-only where the firmware left it outside */
static void test_initrd(void)
{
	struct fw_info fw = { .nr_ram = 1,
			      .ram = { { 0x80000000, GiB(1) } },
			      .initrd = { 0x22000100, 0x3000 } };
	struct pt pt = new_pt();
	uint64_t d;

	kmap_build(&pt, &fw, &layout);
	CHECK_EQ_U64(fw.initrd.size, 0x3000);
	for (uint64_t a = 0x22000000; a < 0x22004000; a += PAGE_SIZE)
		CHECK(lookup(&pt, a, &d) && (d & PTE_R) && !(d & (PTE_W | PTE_X)),
		      "partition file page 0x%llx: pte 0x%llx", (unsigned long long)a,
		      (unsigned long long)d);
	CHECK(!lookup(&pt, 0x22004000, &d), "past the partition file is mapped");
	free_all();

	fw.initrd.base = 0x88000000;
	pt = new_pt();
	kmap_build(&pt, &fw, &layout);
	CHECK(lookup(&pt, 0x88000000, &d) && (d & PTE_W), "partition file in RAM: pte 0x%llx",
	      (unsigned long long)d);
	CHECK_EQ_U64(pt.tables, 4);
	free_all();
}

int main(void)
{
	RUN(test_wx_in_image);
	RUN(test_stack_guards);
	RUN(test_ram);
	RUN(test_devices);
	RUN(test_unmappable_ram_dropped);
	RUN(test_initrd);
	CHECK_EXIT();
}
