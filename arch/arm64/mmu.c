// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keel's own EL2 stage-1 tables: identity map, caches on, W^X.
 * Built once by the boot CPU with the MMU off (hence -mstrict-align), from
 * the firmware DTB's /memory; every pCPU then loads the same tables.
 */
#include <asm/pt.h>
#include <asm/sysreg.h>
#include <keel/keel.h>

#define BOOT_TABLES 8 /* root, device/RAM L2s, keel's L3 */

static uint64_t tables[BOOT_TABLES][512] __attribute__((aligned(4096)));
static unsigned used;
static struct pt el2_pt;

extern char __text_start[], __text_end[], __rodata_end[], pcpu_stacks[], panic_stacks[];

static void *boot_table(void *ctx)
{
	(void)ctx;
	return used < BOOT_TABLES ? tables[used++] : NULL;
}

void mmu_build_tables(struct fw_info *fw)
{
	struct kmap_layout l = {
		.text = (uintptr_t)__text_start,
		.text_end = (uintptr_t)__text_end,
		.ro_end = (uintptr_t)__rodata_end,
		.dev = { { 0, GiB(1) } }, /* board devices live below RAM on QEMU virt */
		.nr_dev = 1,
		/* the lowest page of each pCPU stack and panic stack: overflows fault into hyp_fault */
		.guards = { { (uintptr_t)pcpu_stacks, PCPU_STACK_SIZE, KEEL_MAX_PCPUS },
			    { (uintptr_t)panic_stacks, 1 << PANIC_STACK_SHIFT, KEEL_MAX_PCPUS } },
		.attr = &arm64_kmap_attrs,
	};

	el2_pt.fmt = &arm64_pt_format;
	el2_pt.root = tables[used++];
	el2_pt.start_level = 1; /* 39-bit VA: T0SZ = 25 */
	el2_pt.root_entries = 512;
	el2_pt.alloc_page = boot_table;
	kmap_build(&el2_pt, fw, &l); /* dropped ranges have size 0: keel_main skips them */
}

void mmu_enable_this_cpu(void)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	/* PS: 40 bits (2) unless the CPU has less; -cpu max reports 52 bits (facts.md 8) */
	uint64_t ps = MIN(mmfr0 & 0xf, 2UL);
	uint64_t tcr = (1UL << 31) | (1UL << 23) | (ps << 16) | (0UL << 14) /* TG0 4K */ |
		       (3UL << 12) /* SH inner */ | (1UL << 10) | (1UL << 8) /* WBWA */ | 25;

	write_sysreg(mair_el2, (0xffUL << (8 * MAIR_NORMAL)) | (0x00UL << (8 * MAIR_DEVICE)));
	write_sysreg(tcr_el2, tcr);
	write_sysreg(ttbr0_el2, (uintptr_t)el2_pt.root);
	isb();
	asm volatile("tlbi alle2" ::: "memory");
	dsb(ish);
	isb();
	write_sysreg(sctlr_el2,
		     SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_WXN);
	isb();
}
