// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-VM G-stage translation (Sv39x4: 41-bit guest-physical, 16 KiB root) and VMIDs. */
#include <keel/arch.h>
#include <keel/vm.h>
#include <keel/mm.h>
#include <keel/spinlock.h>
#include <asm/csr.h>
#include <asm/pt.h>
#include <string.h>

#define PTE_RAM (PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define ROOT_SIZE (4 * PAGE_SIZE)
#define MAX_VMIDS 256

static uint8_t vmid_used[MAX_VMIDS / 8];
static unsigned nr_vmids = 1;
static spinlock_t vmid_lock = SPINLOCK_INIT;

static void *g_alloc(void *ctx)
{
	(void)ctx;
	return mm_alloc_page();
}

/* How many VMIDs hgatp holds here (VMIDLEN), probed once. */
void gstage_probe(void)
{
	csr_write(CSR_HGATP, HGATP_VMID_MASK << HGATP_VMID_SHIFT);
	uint64_t bits = (csr_read(CSR_HGATP) >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK;

	csr_write(CSR_HGATP, 0);
	nr_vmids = (unsigned)MIN(bits + 1, (uint64_t)MAX_VMIDS);
}

int arch_vm_init(struct vm *vm)
{
	paddr_t root;
	unsigned id = 0;

	spin_lock(&vmid_lock);
	for (unsigned i = 1; i < nr_vmids && !id; i++)
		if (!(vmid_used[i / 8] & (1u << (i % 8)))) {
			vmid_used[i / 8] |= 1u << (i % 8);
			id = i;
		}
	spin_unlock(&vmid_lock);
	/* without VMIDs (VMIDLEN 0) every VM shares ID 0 and switches flush the G-stage TLB */
	if (!mm_alloc(ROOT_SIZE, ROOT_SIZE, &root)) {
		arch_vm_release_id(vm);
		return -1;
	}
	memset(pa_ptr(root), 0, ROOT_SIZE);
	vm->arch.vmid = id;
	vm->arch.g.fmt = &riscv_pt_format;
	vm->arch.g.root = pa_ptr(root);
	vm->arch.g.start_level = 1;
	vm->arch.g.root_entries = 2048;
	vm->arch.g.alloc_page = g_alloc;
	vm->arch.g.pages_only = KEEL_PAGEWISE_TEARDOWN;
	vm->arch.hgatp = HGATP_MODE_SV39X4 | ((uint64_t)id << HGATP_VMID_SHIFT) | (root.pa >> 12);
	return 0;
}

int arch_stage2_map(struct vm *vm, uint64_t ipa, paddr_t pa, uint64_t size)
{
	return pt_map(&vm->arch.g, ipa, pa.pa, size, PTE_RAM) == PT_OK ? 0 : -1;
}

void arch_vm_tlb_flush(struct vm *vm)
{
	/* hfence.gvma by VMID reaches every hart of this core (no broadcast needed under QEMU) */
	hfence_gvma_vmid(vm->arch.vmid);
}

void arch_stage2_unmap_page(struct vm *vm, uint64_t ipa)
{
	if (pt_unmap_page(&vm->arch.g, ipa))
		hfence_gvma_page(ipa, vm->arch.vmid);
}

void arch_vm_release_id(struct vm *vm)
{
	unsigned id = vm->arch.vmid;

	if (vm->arch.g.root)
		hfence_gvma_vmid(id);
	if (!id)
		return;
	spin_lock(&vmid_lock);
	vmid_used[id / 8] &= (uint8_t) ~(1u << (id % 8));
	spin_unlock(&vmid_lock);
	vm->arch.vmid = 0;
}

static void free_table(void *t, void *ctx)
{
	(void)ctx;
	mm_free(pa_init((uintptr_t)t), PAGE_SIZE);
}

void arch_vm_destroy(struct vm *vm)
{
	if (!vm->arch.g.root)
		return;
	pt_for_each_table(&vm->arch.g, free_table, NULL);
	mm_free(pa_init((uintptr_t)vm->arch.g.root), ROOT_SIZE);
	vm->arch.g.root = NULL;
}
