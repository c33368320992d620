// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keel's own EL2 stage-1 tables: identity map, caches on, W^X.
 * Built once by the boot CPU with the MMU off (hence -mstrict-align), from
 * the firmware DTB's /memory; every pCPU then loads the same tables.
 */
#include <asm/pt.h>
#include <asm/sysreg.h>
#include <keel/fw_dtb.h>
#include <keel/keel.h>

#define BOOT_TABLES 8 /* root, device/RAM L2s, keel's L3 */
#define MAIR_DEVICE 0 /* Device-nGnRnE */
#define MAIR_NORMAL 1 /* Normal, write-back, read/write-allocate */

static uint64_t tables[BOOT_TABLES][512] __attribute__((aligned(4096)));
static unsigned used;
static struct pt el2_pt;

extern char __text_start[], __text_end[], __rodata_end[];

static void *boot_table(void *ctx)
{
	(void)ctx;
	return used < BOOT_TABLES ? tables[used++] : NULL;
}

#define ATTR_COMMON (PTE_AF | PTE_AP_EL2_RES1)
#define ATTR_DEVICE (ATTR_COMMON | PTE_ATTRIDX(MAIR_DEVICE) | PTE_XN)
#define ATTR_RW (ATTR_COMMON | PTE_ATTRIDX(MAIR_NORMAL) | PTE_SH_INNER | PTE_XN)
#define ATTR_RO (ATTR_RW | PTE_AP_RO)
#define ATTR_RX (ATTR_COMMON | PTE_ATTRIDX(MAIR_NORMAL) | PTE_SH_INNER | PTE_AP_RO)

/* Map RAM [b, e) except keel's 2 MiB window [kb, ke), which gets page-level W^X. */
static void map_ram(uint64_t b, uint64_t e, uint64_t kb, uint64_t ke)
{
	if (b < kb && e > b)
		pt_map(&el2_pt, b, b, MIN(e, kb) - b, ATTR_RW);
	if (e > ke)
		pt_map(&el2_pt, MAX(b, ke), MAX(b, ke), e - MAX(b, ke), ATTR_RW);
}

void mmu_build_tables(const struct fw_info *fw)
{
	const struct fw_range *ram = fw->ram;
	unsigned n = fw->nr_ram;
	uint64_t text = (uintptr_t)__text_start, text_end = (uintptr_t)__text_end;
	uint64_t ro_end = (uintptr_t)__rodata_end;
	uint64_t kb = ALIGN_DOWN(text, MiB(2)), ke = kb + MiB(2);

	el2_pt.root = tables[used++];
	el2_pt.start_level = 1; /* 39-bit VA: T0SZ = 25 */
	el2_pt.root_entries = 512;
	el2_pt.alloc_page = boot_table;
	/* board devices live below the first GiB on QEMU virt (platform.h) */
	pt_map(&el2_pt, 0, 0, GiB(1), ATTR_DEVICE);
	for (unsigned i = 0; i < n; i++)
		map_ram(ALIGN_UP(ram[i].base, PAGE_SIZE),
			ALIGN_DOWN(ram[i].base + ram[i].size, PAGE_SIZE), kb, ke);
	pt_map(&el2_pt, text, text, text_end - text, ATTR_RX);
	pt_map(&el2_pt, text_end, text_end, ro_end - text_end, ATTR_RO);
	pt_map(&el2_pt, ro_end, ro_end, ke - ro_end, ATTR_RW);
	if (kb < text)
		pt_map(&el2_pt, kb, kb, text - kb, ATTR_RW);
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
