// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-VM stage-2 translation (40-bit IPA, 4 KiB granule) and VMIDs. */
#include <keel/arch.h>
#include <keel/vm.h>
#include <keel/mm.h>
#include <keel/spinlock.h>
#include <asm/sysreg.h>
#include <asm/fpstate.h>
#include <string.h>

#define NR_VMIDS 256
/* T0SZ = 24 (40-bit IPA), SL0 = 1 (start at level 1: two concatenated tables),
 * inner/outer write-back, inner shareable, 4 KiB granule, PS = 40 bits, RES1 bit 31 */
#define VTCR_VALUE \
	(24UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (2UL << 16) | (1UL << 31))
#define S2_ATTR_RAM (S2_MEMATTR_NORMAL_WB | S2_AP_RW | PTE_SH_INNER | PTE_AF)

static uint8_t vmid_used[NR_VMIDS / 8];
static spinlock_t vmid_lock = SPINLOCK_INIT;

static void *s2_alloc(void *ctx)
{
	(void)ctx;
	return mm_alloc_page();
}

void stage2_cpu_init(void)
{
	/* PS: 40 bits unless the CPU has fewer (the IPA size then still fits PARange 2) */
	uint64_t ps = MIN(read_sysreg(id_aa64mmfr0_el1) & 0xf, 2UL);

	write_sysreg(vtcr_el2, (VTCR_VALUE & ~(7UL << 16)) | (ps << 16));
	isb();
}

int arch_vm_init(struct vm *vm)
{
	paddr_t root;
	unsigned id = 0;

	spin_lock(&vmid_lock);
	for (unsigned i = 1; i < NR_VMIDS && !id; i++) /* VMID 0 stays unused */
		if (!(vmid_used[i / 8] & (1u << (i % 8)))) {
			vmid_used[i / 8] |= 1u << (i % 8);
			id = i;
		}
	spin_unlock(&vmid_lock);
	if (!id)
		return -1;
	if (!mm_alloc(2 * PAGE_SIZE, 2 * PAGE_SIZE, &root)) {
		arch_vm_release_id(vm);
		return -1;
	}
	memset(pa_ptr(root), 0, 2 * PAGE_SIZE);
	vm->arch.vmid = id;
	vm->arch.s2.fmt = &arm64_pt_format;
	vm->arch.s2.root = pa_ptr(root);
	vm->arch.s2.start_level = 1;
	vm->arch.s2.root_entries = 1024;
	vm->arch.s2.alloc_page = s2_alloc;
	vm->arch.s2.pages_only = KEEL_PAGEWISE_TEARDOWN;
	vm->arch.vttbr = root.pa | ((uint64_t)id << 48);
	return 0;
}

int arch_stage2_map(struct vm *vm, uint64_t ipa, paddr_t pa, uint64_t size)
{
	return pt_map(&vm->arch.s2, ipa, pa.pa, size, S2_ATTR_RAM) == PT_OK ? 0 : -1;
}

/* Invalidate every TLB entry tagged with the VM's VMID (all pCPUs). */
void arch_vm_tlb_flush(struct vm *vm)
{
	uint64_t old = read_sysreg(vttbr_el2);

	write_sysreg(vttbr_el2, vm->arch.vttbr);
	isb();
	asm volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	write_sysreg(vttbr_el2, old);
	isb();
}

void arch_stage2_unmap_page(struct vm *vm, uint64_t ipa)
{
	uint64_t old = read_sysreg(vttbr_el2);

	if (!pt_unmap_page(&vm->arch.s2, ipa))
		return;
	dsb(ishst);
	write_sysreg(vttbr_el2, vm->arch.vttbr);
	isb();
	asm volatile("tlbi ipas2e1is, %0" ::"r"(ipa >> 12) : "memory");
	dsb(ish);
	asm volatile("tlbi vmalle1is" ::: "memory"); /* combined stage-1+2 entries */
	dsb(ish);
	write_sysreg(vttbr_el2, old);
	isb();
}

void arch_vm_release_id(struct vm *vm)
{
	unsigned id = vm->arch.vmid;

	if (!id)
		return;
	if (vm->arch.s2.root)
		arch_vm_tlb_flush(vm);
	spin_lock(&vmid_lock);
	vmid_used[id / 8] &= (uint8_t) ~(1u << (id % 8));
	spin_unlock(&vmid_lock);
	vm->arch.vmid = 0;
}

static void free_table(void *table, void *ctx)
{
	(void)ctx;
	mm_free(pa_init((uintptr_t)table), PAGE_SIZE);
}

void arch_vm_destroy(struct vm *vm)
{
	fp_vm_destroy(vm);
	if (!vm->arch.s2.root)
		return;
	pt_for_each_table(&vm->arch.s2, free_table, NULL);
	mm_free(pa_init((uintptr_t)vm->arch.s2.root), 2 * PAGE_SIZE);
	vm->arch.s2.root = NULL;
}
