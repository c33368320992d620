// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for keel's hypercall dispatcher (src/hypercall.c) with
 * VM_CREATE (src/vm_create.c) and the real VM lifecycle (src/vm.c) over a
 * fake arch (fake_env.c).
 *
 * Each input boots three VMs: "mgr" and "mgr2", keel,managers with 8 and 4 MiB
 * memory-pools, and "plain". Input: a 2-byte length L, L bytes put in mgr's memory at
 * BLOB_GPA (the DTB VM_CREATE is meant to parse), then 18-byte calls: caller,
 * call number, and three (mode, value) arguments aimed at the blob, at VM
 * ids, at vCPU numbers, or raw.
 *
 * Promises: every status is one of the KEEL_* codes; a VM that is not a
 * manager never acts on another VM; VM_CREATE only succeeds on a blob inside
 * the caller's memory, charges exactly the new VM's memory to the pool and
 * never goes over it; VM_INFO's values describe the VM asked for; after all
 * VMs are terminated and destroyed every byte of host memory, every VM ID
 * and every vCPU slot is given back.
 */
#include "fake_env.h"
#include <keel/arch.h>
#include <keel/guest_fdt.h>
#include <keel/hcall.h>
#include <keel/hypercall.h>
#include <libfdt.h>

#define MGR_IPA 0x40000000ULL
#define MGR_SIZE MiB(2)
#define BLOB_GPA (MGR_IPA + MiB(1))
#define BLOB_MAX 8192

static struct vm_config cfgs[3];

/* The real guest DTB writer, as every arch's arch_guest_boot_info uses it. */
int arch_guest_boot_info(void *buf, size_t size, struct vm *vm, const struct guest_fdt_info *info)
{
	int err;

	PROMISE(fake_mm_owns(buf, size));
	err = guest_fdt_build(buf, size, vm, info);
	PROMISE(err || fdt_check_header(buf) == 0);
	return err;
}

int arch_guest_fdt_nodes(void *fdt, struct vm *vm)
{
	(void)fdt;
	(void)vm;
	return 0;
}

const char *arch_guest_stdout_path(struct vm *vm)
{
	(void)vm;
	return "/uart";
}

static uint64_t memory_of(const struct vm *vm)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < vm->nr_mem; i++)
		n += vm->mem[i].size;
	return n;
}

static bool inside_memory(const struct vm *vm, uint64_t gpa, uint64_t size)
{
	for (unsigned i = 0; i < vm->cfg->nr_mem; i++) {
		const struct mem_region *r = &vm->cfg->mem[i];

		if (gpa >= r->base && size <= r->size && gpa - r->base <= r->size - size)
			return true;
	}
	return false;
}

static uint64_t arg(struct fin *in, size_t blob_len)
{
	uint8_t mode = fin_u8(in);
	uint32_t v = fin_u32(in);

	switch (mode % 8) {
	case 0:
		return v % 16; /* VM ids, vCPU numbers, small sizes */
	case 1:
		return BLOB_GPA + (uint64_t)(int64_t)(int16_t)v; /* around the blob */
	case 2:
		return blob_len + (uint64_t)(int64_t)(int8_t)v; /* around its size */
	case 3:
		return MGR_IPA + MGR_SIZE - (v % 256); /* the end of mgr's memory */
	case 4:
		return KEEL_VM_SELF | ((uint64_t)v << 32);
	case 5:
		return ~0ULL - v;
	case 6:
		return MGR_IPA + (v & ~7u) % MGR_SIZE; /* a VM_INFO buffer */
	default:
		return (uint64_t)v << (mode >> 3);
	}
}

static void check_pool(struct vm *mgr)
{
	uint64_t used = 0;

	if (vm_by_index(mgr->id) != mgr)
		return;
	for (unsigned i = 0; i < vm_count(); i++) {
		struct vm *vm = vm_by_index(i);

		if (vm && vm->creator == mgr && !vm->destroyed)
			used += memory_of(vm);
	}
	/* every VM, manager or not: a slot reused by a new VM starts from 0 */
	PROMISE(used == mgr->pool_used && used <= mgr->cfg->memory_pool);
}

static void check_call(struct vm *caller, unsigned n, const uint64_t a[5],
		       const struct hc_result *r, unsigned vms_before)
{
	struct vm *target = NULL;

	PROMISE(r->status <= KEEL_OK && r->status >= KEEL_ESTATE);
	if (n > KEEL_HC_VM_INFO) {
		PROMISE(r->status == KEEL_ENOTSUP && !r->v[0] && !r->v[1] && !r->v[2] && !r->v[3]);
		return;
	}
	if (!caller->cfg->manager && n != KEEL_HC_VERSION && n != KEEL_HC_VM_INFO)
		PROMISE(r->status == KEEL_EPERM);
	if (n == KEEL_HC_VM_CREATE && r->status == KEEL_OK) {
		target = vm_by_index((unsigned)r->v[0]);
		PROMISE(target && target->id == r->v[0] && target->creator == caller);
		PROMISE(target->state == VM_CREATED && !target->terminated);
		/* never a DTB outside the caller's memory */
		PROMISE(a[1] && inside_memory(caller, a[0], a[1]));
		PROMISE(vm_count() >= vms_before);
		for (unsigned i = 0; i < vm_count(); i++) {
			struct vm *o = vm_by_index(i);

			PROMISE(!o || o == target || strcmp(o->name, target->name));
		}
	}
	if (n == KEEL_HC_VM_INFO && r->status == KEEL_OK) {
		target = (uint32_t)a[0] == KEEL_VM_SELF ? caller : vm_by_index((unsigned)a[0]);
		PROMISE(target && r->v[0] <= KEEL_VM_CREATED && r->v[1] == target->nr_vcpus &&
			r->v[3] == target->id);
		PROMISE(target == caller || caller->cfg->manager);
		PROMISE(!a[2] || (inside_memory(caller, a[2], sizeof(struct keel_vcpu_info)) &&
				  a[1] < target->nr_vcpus));
	}
	if ((n == KEEL_HC_VM_START || n == KEEL_HC_VM_TERMINATE || n == KEEL_HC_VM_DESTROY) &&
	    r->status == KEEL_OK)
		PROMISE(caller->cfg->manager && a[0] != caller->id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static jmp_buf off;
	struct fin in = { data, size };
	size_t blob_len = fin_u16(&in) % (BLOB_MAX + 1);
	struct vm *vms[3];
	unsigned calls = 0;

	if (blob_len > in.n)
		blob_len = in.n;
	fake_poweroff = &off;
	vms[0] = fake_boot_vm(&cfgs[0], "mgr", 2, MGR_IPA, MGR_SIZE, MiB(8));
	vms[1] = fake_boot_vm(&cfgs[1], "plain", 1, 0x80000000ULL, MiB(1), 0);
	vms[2] = fake_boot_vm(&cfgs[2], "mgr2", 1, MGR_IPA, MGR_SIZE, MiB(4));
	/* the same blob in both managers' memory */
	memcpy(vm_ipa_ptr(vms[0], BLOB_GPA, BLOB_MAX), in.p, blob_len);
	memcpy(vm_ipa_ptr(vms[2], BLOB_GPA, BLOB_MAX), in.p, blob_len);
	in.p += blob_len;
	in.n -= blob_len;
	if (!setjmp(off)) {
		while (in.n && calls++ < 64) {
			struct vm *caller = vms[fin_u8(&in) % 3];
			uint8_t sel = fin_u8(&in);
			unsigned n = sel < 0xf0 ? sel % 6 : sel == 0xff ? 0x100 : sel;
			uint64_t a[5] = { 0 };
			struct hc_result r;
			unsigned before = vm_count();
			uint8_t *blob;

			for (int i = 0; i < 3; i++)
				a[i] = arg(&in, blob_len);
			a[3] = fin_u8(&in);
			a[4] = ~a[3];
			/* the guest may change the blob between calls */
			blob = blob_len && !caller->destroyed ?
				       vm_ipa_ptr(caller, BLOB_GPA, blob_len) :
				       NULL;
			if (a[3] == 0x5a && blob)
				blob[a[4] % blob_len] ^= 0xff;
			if (caller->destroyed || !vm_by_index(caller->id) ||
			    vm_by_index(caller->id) != caller)
				continue; /* a destroyed VM makes no calls */
			keel_hypercall(&caller->vcpus[a[3] % caller->nr_vcpus], n, a, &r);
			check_call(caller, n, a, &r, before);
			for (unsigned i = 0; i < vm_count(); i++)
				if (vm_by_index(i))
					check_pool(vm_by_index(i));
		}
	} else {
		PROMISE(0); /* nothing in here powers the machine off: mgr and plain never stop */
	}
	fake_destroy_all();
	PROMISE(fake_mm_live() == 0);
	fake_poweroff = NULL;
	return 0;
}
