// SPDX-License-Identifier: GPL-2.0-or-later
/* keel's own EL2 identity map: W^X in its image, devices and RAM never executable. */
#include "check.h"
#include <asm/pt.h>
#include <keel/kmap.h>
#include <keel/types.h>
#include <stdlib.h>

#include "table_pages.h"

static const struct kmap_layout layout = {
	.text = 0x40200000,
	.text_end = 0x4020f000,
	.ro_end = 0x40212000,
	.dev = { { 0, 0x40000000 } },
	.nr_dev = 1,
	.attr = &arm64_kmap_attrs,
};

static struct pt new_pt(void)
{
	struct pt pt = { .fmt = &arm64_pt_format,
			 .start_level = 1,
			 .root_entries = 512,
			 .alloc_page = alloc_page };

	pt.root = alloc_page(NULL);
	return pt;
}

static bool writable(uint64_t d)
{
	return !(d & PTE_AP_RO);
}

static bool executable(uint64_t d)
{
	return !(d & PTE_XN);
}

static void test_wx_in_image(void)
{
	struct fw_info fw = { .nr_ram = 1, .ram = { { 0x40000000, GiB(1) } } };
	struct pt pt = new_pt();
	uint64_t pa, d;

	CHECK_EQ_U64(kmap_build(&pt, &fw, &layout), 0);
	for (uint64_t a = 0x40200000; a < 0x40400000; a += PAGE_SIZE) {
		bool ok = pt_lookup(&pt, a, &pa, &d);

		CHECK(ok && pa == a, "page 0x%llx not identity mapped", (unsigned long long)a);
		if (!ok)
			continue;
		CHECK(!(writable(d) && executable(d)), "page 0x%llx is writable and executable",
		      (unsigned long long)a);
		if (a < layout.text_end)
			CHECK(executable(d) && !writable(d), "text page 0x%llx: desc 0x%llx",
			      (unsigned long long)a, (unsigned long long)d);
		else if (a < layout.ro_end)
			CHECK(!executable(d) && !writable(d), "rodata page 0x%llx: desc 0x%llx",
			      (unsigned long long)a, (unsigned long long)d);
		else
			CHECK(!executable(d) && writable(d), "data page 0x%llx: desc 0x%llx",
			      (unsigned long long)a, (unsigned long long)d);
	}
	free_all();
}

static void test_ram_and_devices(void)
{
	struct fw_info fw = { .nr_ram = 1, .ram = { { 0x40000000, GiB(1) } } };
	struct pt pt = new_pt();
	uint64_t pa, d;
	static const uint64_t ram[] = { 0x40000000, 0x401ff000, 0x40400000, 0x60000000,
					0x7ffff000 };

	kmap_build(&pt, &fw, &layout);
	for (unsigned i = 0; i < ARRAY_SIZE(ram); i++) {
		CHECK(pt_lookup(&pt, ram[i], &pa, &d) && pa == ram[i], "RAM 0x%llx not mapped",
		      (unsigned long long)ram[i]);
		CHECK(writable(d) && !executable(d) &&
			      (d & PTE_ATTRIDX(7)) == PTE_ATTRIDX(MAIR_NORMAL),
		      "RAM 0x%llx: desc 0x%llx", (unsigned long long)ram[i], (unsigned long long)d);
	}
	CHECK(pt_lookup(&pt, 0x09000000, &pa, &d) && !executable(d) &&
		      (d & PTE_ATTRIDX(7)) == PTE_ATTRIDX(MAIR_DEVICE),
	      "UART page: desc 0x%llx", (unsigned long long)d);
	CHECK(!pt_lookup(&pt, 0x80000000, &pa, &d), "past the end of RAM is mapped");
	free_all();
}

/* RAM the map cannot cover (above the 39-bit VA range) is dropped, not left half-usable. */
static void test_unmappable_ram_dropped(void)
{
	struct fw_info fw = { .nr_ram = 2,
			      .ram = { { 0x40000000, GiB(1) }, { 0x9000000000UL, GiB(1) } } };
	struct pt pt = new_pt();

	CHECK_EQ_U64(kmap_build(&pt, &fw, &layout), 1);
	CHECK_EQ_U64(fw.ram[0].size, GiB(1));
	CHECK_EQ_U64(fw.ram[1].size, 0);
	free_all();
}

/*
 * the guard page below each pCPU stack and below each panic stack (8 KiB slots: guard, stack) is
 * not mapped; the stack above it is, RW and XN, and so is the page below it
 */
static void test_stack_guards(void)
{
	struct fw_info fw = { .nr_ram = 1, .ram = { { 0x40000000, GiB(1) } } };
	struct kmap_layout l = layout;
	struct pt pt = new_pt();
	uint64_t pa, d;

	l.guards[0] = (struct kmap_guards){ 0x40240000, 0x8000, 4 };
	l.guards[1] = (struct kmap_guards){ 0x40280000, 0x2000, 4 };
	CHECK_EQ_U64(kmap_build(&pt, &fw, &l), 0);
	for (unsigned s = 0; s < 2; s++)
		for (unsigned i = 0; i < 4; i++) {
			uint64_t g = l.guards[s].base + i * l.guards[s].stride;

			CHECK(!pt_lookup(&pt, g, &pa, &d), "guard page 0x%llx is mapped",
			      (unsigned long long)g);
			CHECK(pt_lookup(&pt, g + 0x1000, &pa, &d) && writable(d) && !executable(d),
			      "stack page 0x%llx above the guard: desc 0x%llx",
			      (unsigned long long)(g + 0x1000), (unsigned long long)d);
			CHECK(pt_lookup(&pt, g - 0x1000, &pa, &d) && writable(d) && !executable(d),
			      "page 0x%llx below the guard: desc 0x%llx",
			      (unsigned long long)(g - 0x1000), (unsigned long long)d);
		}
	/* the page after the last panic stack is not a guard */
	CHECK(pt_lookup(&pt, 0x40288000, &pa, &d), "page 0x40288000 unmapped");
	free_all();
}

int main(void)
{
	RUN(test_wx_in_image);
	RUN(test_ram_and_devices);
	RUN(test_unmappable_ram_dropped);
	RUN(test_stack_guards);
	CHECK_EXIT();
}
