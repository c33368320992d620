// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keel's own HS-mode page tables (satp Sv39): an identity map with W^X for keel's image, all of
 * RAM read/write (keel reads and writes guest memory by physical address), the PLIC and UART
 * keel drives, and an unmapped guard page below every stack. Built once by the boot hart from
 * the firmware DTB's /memory (kmap.c decides the layout); every hart then loads the same tables.
 * The firmware DTB itself is read before (keel_early) and not after. Guest accesses through
 * hlv/hsv/hlvx translate with vsatp and hgatp, not with these.
 */
#include <keel/arch.h>
#include <keel/keel.h>
#include <keel/kmap.h>
#include <asm/csr.h>
#include <asm/frame.h>
#include <asm/pt.h>
#include <platform.h>

#define BOOT_TABLES 8 /* root, device L2 and UART L3, RAM L2 and keel's L3, spares */

/* not in bss: zeroing 32 KiB there cost 16K instructions at boot; a table is zeroed when taken */
static uint64_t tables[BOOT_TABLES][512] __attribute__((aligned(4096), section(".noinit")));
static unsigned used;
static struct pt hs_pt;
static uint64_t hs_satp;

extern char __text_start[], __text_end[], __rodata_end[], pcpu_stacks[], panic_stacks[];

static void *boot_table(void *ctx)
{
	(void)ctx;
	if (used == BOOT_TABLES)
		return NULL;
	arch_zero(tables[used], sizeof(tables[used]));
	return tables[used++];
}

void mmu_build_tables(struct fw_info *fw)
{
	struct kmap_layout l = {
		.text = (uintptr_t)__text_start,
		.text_end = (uintptr_t)__text_end,
		.ro_end = (uintptr_t)__rodata_end,
		.dev = { { PLAT_PLIC_BASE, PLAT_PLIC_SIZE }, { PLAT_UART_BASE, PAGE_SIZE } },
		.nr_dev = 2,
		/* the lowest page of each stack (pCPUs, boot) and panic stack: hyp_trap sees overflows */
		.guards = { { (uintptr_t)pcpu_stacks, PCPU_STACK_SIZE, KEEL_MAX_PCPUS + 1 },
			    { (uintptr_t)panic_stacks, 1 << PANIC_STACK_SHIFT,
			      KEEL_MAX_PCPUS + 1 } },
		.attr = &riscv_kmap_attrs,
	};

	hs_pt.fmt = &riscv_pt_format;
	hs_pt.root = boot_table(NULL);
	hs_pt.start_level = 1; /* Sv39: three levels, 1 GiB blocks at the root */
	hs_pt.root_entries = SV39_IDENTITY_ROOT_ENTRIES;
	hs_pt.alloc_page = boot_table;
	kmap_build(&hs_pt, fw, &l); /* dropped ranges have size 0: keel_main skips them */
	hs_satp = SATP_MODE_SV39 | ((uintptr_t)hs_pt.root >> 12);
}

void mmu_enable_this_cpu(void)
{
	asm volatile("sfence.vma" ::: "memory"); /* the table stores before any walk */
	csr_write(CSR_SATP, hs_satp);
	asm volatile("sfence.vma" ::: "memory");
}
