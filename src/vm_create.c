// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VM_CREATE: a manager hands keel a partition DTB holding one keel,vm node
 * (images embedded) in its own memory. keel copies it first (the guest can
 * change its memory at any time), parses the copy with the boot-time parser,
 * charges the new VM's memory to the manager's memory-pool and builds the VM
 * through the boot-time path. The copy lives as long as the VM: its images
 * are the pristine ones a reset reloads.
 */
#include <keel/arch.h>
#include <keel/hypercall.h>
#include <keel/mm.h>
#include <keel/partition.h>
#include <keel/vm.h>
#include <keel/printf.h>
#include <string.h>

#define CREATE_BLOB_MAX MiB(64)

static spinlock_t create_lock = SPINLOCK_INIT;
static struct partition scratch; /* under create_lock */
static struct vm_config cfgs[KEEL_MAX_VMS];
static bool cfg_used[KEEL_MAX_VMS];

static void report(void *ctx, enum log_level level, const char *msg)
{
	log_msg(level, "VM_CREATE from %s: %s", ((struct vm *)ctx)->name, msg);
}

static uint64_t config_memory(const struct vm_config *c)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < c->nr_mem; i++)
		n += c->mem[i].size;
	return n;
}

static bool name_taken(const char *name)
{
	for (unsigned i = 0; i < vm_count(); i++) {
		struct vm *vm = vm_by_index(i);

		if (vm && !strcmp(vm->name, name))
			return true;
	}
	return false;
}

/* A second VM from the same DTB is named <name>.2, a third <name>.3, ... (console prefixes). */
static void unique_name(char *name)
{
	char base[KEEL_NAME_MAX - 4];

	if (!name_taken(name))
		return;
	ksnprintf(base, sizeof(base), "%s", name);
	for (unsigned k = 2; k < 100; k++) {
		ksnprintf(name, KEEL_NAME_MAX, "%s.%u", base, k);
		if (!name_taken(name))
			return;
	}
}

/* Destroy of a created VM: its memory goes back to the manager's pool, its DTB copy to keel. */
static void give_back(struct vm *vm, uint64_t bytes)
{
	spin_lock(&create_lock);
	if (vm->creator) /* NULL once its manager was destroyed (vm_create_orphan) */
		vm->creator->pool_used -= bytes;
	cfg_used[vm->cfg - cfgs] = false;
	spin_unlock(&create_lock);
	mm_free(pa_init((uintptr_t)vm->owner_blob), vm->owner_blob_size);
}

/*
 * manager is being destroyed: the VMs it created live on, charged to nobody.
 * Without this their destroy would take their memory off the pool of
 * whichever VM reuses the manager's slot (found by fuzz_hypercall).
 */
void vm_create_orphan(struct vm *manager)
{
	spin_lock(&create_lock);
	for (unsigned i = 0; i < vm_count(); i++) {
		struct vm *vm = vm_by_index(i);

		if (vm && vm->creator == manager)
			vm->creator = NULL;
	}
	spin_unlock(&create_lock);
}

static int64_t refuse(struct vm *m, paddr_t copy, uint64_t size, int64_t status, const char *why)
{
	if (copy.pa)
		mm_free(copy, size);
	log_err("VM_CREATE from %s: %s", m->name, why);
	return status;
}

int64_t vm_create_from_guest(struct vm *m, uint64_t gpa, uint64_t size, uint64_t *id)
{
	const void *src = size && size <= CREATE_BLOB_MAX ? vm_ipa_ptr(m, gpa, size) : NULL;
	uint64_t need, alloc = ALIGN_UP(size, PAGE_SIZE);
	struct part_limits lim = { 0 }; /* fields an arch does not set: none (e.g. no SVE) */
	struct vm_config *cfg = NULL;
	paddr_t copy = pa_init(0);
	struct vm *vm;

	if (!src)
		return refuse(m, copy, 0, KEEL_EINVAL,
			      "the DTB is not inside the caller's memory (or too large)");
	if (!mm_alloc(alloc, PAGE_SIZE, &copy))
		return refuse(m, pa_init(0), 0, KEEL_ENOMEM,
			      "no host memory for a copy of the DTB");
	memcpy(pa_ptr(copy), src, size); /* parse what keel owns, not what the guest may change */
	arch_part_limits(&lim, nr_pcpus);
	spin_lock(&create_lock);
	if (partition_parse(pa_ptr(copy), size, &lim, &scratch, report, m) || scratch.nr_vms != 1 ||
	    scratch.nr_refused) {
		spin_unlock(&create_lock);
		return refuse(m, copy, alloc, KEEL_EINVAL,
			      "the DTB must hold exactly one valid keel,vm node");
	}
	need = config_memory(&scratch.vms[0]);
	if (m->pool_used + need > m->cfg->memory_pool) {
		spin_unlock(&create_lock);
		return refuse(m, copy, alloc, KEEL_ENOMEM, "not enough left in memory-pool");
	}
	unique_name(scratch.vms[0].name);
	for (unsigned i = 0; i < KEEL_MAX_VMS && !cfg; i++)
		if (!cfg_used[i]) {
			cfg_used[i] = true;
			cfg = &cfgs[i];
		}
	if (!cfg) {
		spin_unlock(&create_lock);
		return refuse(m, copy, alloc, KEEL_ENOSPC, "too many VMs");
	}
	*cfg = scratch.vms[0];
	m->pool_used += need;
	spin_unlock(&create_lock);
	int err = vm_create(cfg, &vm);

	if (err) {
		spin_lock(&create_lock);
		m->pool_used -= need;
		cfg_used[cfg - cfgs] = false;
		spin_unlock(&create_lock);
		return refuse(m, copy, alloc, err == VM_CREATE_NO_SLOT ? KEEL_ENOSPC : KEEL_ENOMEM,
			      "the VM could not be built (see above)");
	}
	vm->owner_blob = pa_ptr(copy);
	vm->owner_blob_size = alloc;
	vm->creator = m;
	vm->on_destroy = give_back;
	log_info("%s: created by %s as VM %u", vm->name, m->name, vm->id);
	*id = vm->id;
	return KEEL_OK;
}
