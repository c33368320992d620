// SPDX-License-Identifier: GPL-2.0-or-later
/* VM lifecycle: create from a parsed config, start, stop, reset. */
#include <keel/vm.h>
#include <keel/arch.h>
#include <keel/mm.h>
#include <keel/guest_fdt.h>
#include <string.h>

static struct vm vms[KEEL_MAX_VMS];
static bool slot_used[KEEL_MAX_VMS];
static unsigned nr_vms; /* slots ever used: vm_by_index() covers 0..nr_vms-1 */
static spinlock_t slots_lock = SPINLOCK_INIT;
static unsigned next_pcpu; /* default placement: each vCPU on the next pCPU */
uint64_t vm_scrub_ticks; /* counter ticks spent zeroing guest memory */
bool keel_booted; /* boot-time VMs are placed and the pCPUs started */

struct vm *vm_by_index(unsigned i)
{
	return i < nr_vms && slot_used[i] ? &vms[i] : NULL;
}

unsigned vm_count(void)
{
	return nr_vms;
}

void *vm_ipa_ptr(struct vm *vm, uint64_t ipa, uint64_t len)
{
	for (unsigned i = 0; i < vm->nr_mem; i++) {
		struct vm_mem *m = &vm->mem[i];

		if (ipa >= m->ipa && len <= m->size && ipa - m->ipa <= m->size - len)
			return pa_ptr(pa_add(m->pa, ipa - m->ipa));
	}
	return NULL;
}

static void free_memory(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_mem; i++)
		mm_free(vm->mem[i].pa, vm->mem[i].size);
	vm->nr_mem = 0;
}

static int alloc_memory(struct vm *vm)
{
	const struct vm_config *c = vm->cfg;

	for (unsigned i = 0; i < c->nr_mem; i++) {
		uint64_t size = c->mem[i].size;
		/* 2 MiB alignment lets stage 2 use block mappings */
		uint64_t align = (IS_ALIGNED(c->mem[i].base | size, MiB(2))) ? MiB(2) : PAGE_SIZE;
		struct vm_mem *m = &vm->mem[i];

		if (!mm_alloc(size, align, &m->pa)) {
			log_err("%s/memory: no %lu KiB run of host memory left (%lu KiB free)",
				vm->name, (unsigned long)(size >> 10),
				(unsigned long)(mm_free_bytes() >> 10));
			free_memory(vm);
			return -1;
		}
		m->ipa = c->mem[i].base;
		m->size = size;
		vm->nr_mem++;
		if (arch_stage2_map(vm, m->ipa, m->pa, size)) {
			log_err("%s/memory: stage-2 mapping of 0x%lx failed", vm->name,
				(unsigned long)m->ipa);
			free_memory(vm);
			return -1;
		}
	}
	return 0;
}

/*
 * (Re)load the pristine image: zero all guest memory, copy kernel and initrd
 * from the partition blob, write the guest DTB at the top of the first region.
 */
static int load_images(struct vm *vm)
{
	const struct vm_config *c = vm->cfg;
	struct guest_fdt_info info = { 0 };
	void *dst;

	uint64_t t0 = arch_counter();

	for (unsigned i = 0; i < vm->nr_mem; i++)
		arch_zero(pa_ptr(vm->mem[i].pa), vm->mem[i].size);
	vm_scrub_ticks += arch_counter() - t0;
	dst = vm_ipa_ptr(vm, c->load_addr, c->kernel_size);
	if (!dst)
		return -1; /* the parser checked this */
	memcpy(dst, c->kernel, c->kernel_size);
	vm->dtb_ipa = vm->mem[0].ipa + vm->mem[0].size - GUEST_FDT_MAX;
	if (c->initrd && c->initrd_size) {
		info.initrd_ipa = ALIGN_DOWN(vm->dtb_ipa - c->initrd_size, PAGE_SIZE);
		info.initrd_size = c->initrd_size;
		dst = vm_ipa_ptr(vm, info.initrd_ipa, c->initrd_size);
		if (!dst ||
		    ranges_overlap(info.initrd_ipa, c->initrd_size, c->load_addr, c->load_size)) {
			log_err("%s/initrd: no room between the kernel and the DTB in memory region 0",
				vm->name);
			return -1;
		}
		memcpy(dst, c->initrd, c->initrd_size);
	}
	if (ranges_overlap(vm->dtb_ipa, GUEST_FDT_MAX, c->load_addr, c->load_size)) {
		log_err("%s/memory: region 0 leaves no 64 KiB for the DTB above the kernel",
			vm->name);
		return -1;
	}
	int err = arch_guest_boot_info(vm_ipa_ptr(vm, vm->dtb_ipa, GUEST_FDT_MAX), GUEST_FDT_MAX,
				       vm, &info);

	if (err) {
		log_err("%s: guest boot information: error %d", vm->name, err);
		return -1;
	}
	return 0;
}

static int place_vcpus(struct vm *vm)
{
	const struct vm_config *c = vm->cfg;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->vm = vm;
		v->id = i;
		v->pcpu = c->has_affinity ? c->affinity[i] : next_pcpu++ % nr_pcpus;
		/* after boot only running pCPUs take new vCPUs (the others were never started) */
		for (unsigned n = 0;
		     keel_booted && !c->has_affinity && !pcpus[v->pcpu].online && n < nr_pcpus; n++)
			v->pcpu = next_pcpu++ % nr_pcpus;
		if (keel_booted && !pcpus[v->pcpu].online) {
			log_err("%s/cpu-affinity: CPU %u is not running (it had no vCPU at boot)",
				vm->name, v->pcpu);
			while (i--)
				sched_remove(&vm->vcpus[i]);
			return -1;
		}
		v->state = VCPU_OFF;
		arch_vcpu_init(v);
		if (!sched_add(v)) {
			log_err("%s: CPU %u already runs %u vCPUs", vm->name, v->pcpu,
				KEEL_RUNQ_MAX);
			while (i--)
				sched_remove(&vm->vcpus[i]);
			return -1;
		}
	}
	return 0;
}

int vm_create(const struct vm_config *cfg, struct vm **out)
{
	struct vm *vm = NULL;
	unsigned slot;

	spin_lock(&slots_lock);
	for (slot = 0; slot < KEEL_MAX_VMS && !vm; slot++)
		if (!slot_used[slot] && !vms[slot].reserved) {
			vm = &vms[slot];
			vm->reserved = true; /* ours while it is being built */
		}
	spin_unlock(&slots_lock);
	if (!vm) {
		log_err("%s: keel already runs %u VMs", cfg->name, KEEL_MAX_VMS);
		return VM_CREATE_NO_SLOT;
	}
	slot = (unsigned)(vm - vms);
	memset(vm, 0, sizeof(*vm));
	vm->reserved = true;
	vm->id = slot;
	vm->cfg = cfg;
	memcpy(vm->name, cfg->name, sizeof(vm->name));
	vm->nr_vcpus = cfg->vcpus;
	vm->boot_count = 1;
	vm->state = VM_CREATED;
	if (arch_vm_init(vm)) {
		log_err("%s: no hardware VM context (no virtualization support, or no VM ID or stage-2 root left)",
			vm->name);
		vm->reserved = false;
		return -1;
	}
	if (alloc_memory(vm) || load_images(vm) || (arch_vm_devices(vm), place_vcpus(vm))) {
		free_memory(vm);
		arch_vm_release_id(vm);
		arch_vm_destroy(vm);
		vm->reserved = false;
		return -1;
	}
	if (cfg->console == CONSOLE_PASSTHROUGH)
		log_warn("%s/console: passthrough is not supported yet, using emulated", vm->name);
	spin_lock(&slots_lock);
	slot_used[slot] = true;
	vm->reserved = false;
	if (nr_vms <= slot)
		nr_vms = slot + 1;
	spin_unlock(&slots_lock);
	*out = vm;
	return 0;
}

/*
 * Under vm->lock: a stop request waits for the VM to be whole again (running,
 * its boot vCPU on). Loads are let in last, once the boot vCPU's context and
 * state are written: a pCPU that picked a vCPU before the stop could load it
 * half reset otherwise.
 */
static void start_locked(struct vm *vm)
{
	vm->state = VM_RUNNING;
	arch_vcpu_reset(&vm->vcpus[0], vm->cfg->entry, vm->dtb_ipa);
	vcpu_set_state(&vm->vcpus[0], VCPU_ON);
	__atomic_and_fetch(&vm->arch.nr_loaded, ~VM_LOADED_STOPPING, __ATOMIC_SEQ_CST);
}

void vm_start(struct vm *vm)
{
	spin_lock(&vm->lock);
	start_locked(vm);
	spin_unlock(&vm->lock);
	vcpu_wake(&vm->vcpus[0]);
}

/* The reset's restart, unless a terminate came while the images were reloading. */
static bool restart_unless_terminated(struct vm *vm)
{
	spin_lock(&vm->lock);
	if (vm->terminated) {
		spin_unlock(&vm->lock);
		return false;
	}
	start_locked(vm);
	spin_unlock(&vm->lock);
	vcpu_wake(&vm->vcpus[0]);
	return true;
}

static void set_stopped(struct vm *vm)
{
	spin_lock(&vm->lock);
	vm->state = VM_STOPPED;
	spin_unlock(&vm->lock);
}

void vm_request_stop(struct vm *vm, bool reset)
{
	bool idle;

	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING) {
		spin_unlock(&vm->lock);
		return;
	}
	vm->reset_requested = reset;
	vm->state = VM_STOPPING;
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		vcpu_set_state(&vm->vcpus[i], VCPU_STOPPED);
		vcpu_wake(&vm->vcpus[i]);
	}
	/* from here no pCPU loads a vCPU of it; none loaded: nobody else will finish the stop */
	idle = __atomic_fetch_or(&vm->arch.nr_loaded, VM_LOADED_STOPPING, __ATOMIC_SEQ_CST) == 0;
	spin_unlock(&vm->lock);
	if (idle)
		vm_stopped(vm);
}

static bool all_stopped(void)
{
	for (unsigned i = 0; i < nr_vms; i++)
		if (slot_used[i] && (vms[i].state == VM_RUNNING || vms[i].state == VM_STOPPING))
			return false;
	return true;
}

/*
 * Once per stop, by whoever left nr_loaded at VM_LOADED_STOPPING: a stale
 * caller could otherwise finish a later stop, or reset a VM already running
 * again (tests/unit/race_sched.c found a request and the last put both doing it).
 */
void vm_stopped(struct vm *vm)
{
	bool terminated, reset;

	vm_console_flush(vm);
	spin_lock(&vm->lock); /* written by requests under it */
	reset = vm->reset_requested && !vm->terminated;
	spin_unlock(&vm->lock);
	if (reset) {
		log_info("%s: reset, reloading its pristine image", vm->name);
		arch_vm_tlb_flush(vm);
		vm->boot_count++;
		if (load_images(vm) == 0) {
			for (unsigned i = 0; i < vm->nr_vcpus; i++)
				vcpu_set_state(&vm->vcpus[i], VCPU_OFF);
			if (restart_unless_terminated(vm))
				return;
		} else {
			log_err("%s: reset failed, VM stays off", vm->name);
		}
	}
	/*
	 * A terminate that found the VM stopping (even in the reset above) left
	 * this stop to finish it; one that comes after STOPPED finishes itself.
	 */
	spin_lock(&vm->lock);
	terminated = vm->terminated;
	if (!terminated)
		vm->state = VM_STOPPED;
	spin_unlock(&vm->lock);
	if (terminated) {
		/* one invalidation for the VM's ID: no hardware walker uses its tables again */
		if (!KEEL_PAGEWISE_TEARDOWN)
			arch_vm_release_id(vm);
		set_stopped(vm);
		log_info("%s: terminated", vm->name);
		vcpu_stats_report(vm);
		return;
	}
	log_info("%s: stopped", vm->name);
	vcpu_stats_report(vm);
	console_vm_stopped(vm);
	if (all_stopped()) {
		log_info("all VMs have stopped, powering off");
		arch_poweroff();
	}
}

int vm_terminate(struct vm *vm)
{
	bool now;

	spin_lock(&vm->lock);
	if (vm->state == VM_CREATED) /* never started: nothing runs */
		vm->state = VM_STOPPED;
	if (vm->terminated) {
		spin_unlock(&vm->lock);
		return -1;
	}
	vm->terminated = true;
	vm->reset_requested = false;
	now = vm->state == VM_STOPPED; /* else the last vCPU to stop releases the ID */
	spin_unlock(&vm->lock);
	if (now) {
		arch_vm_release_id(vm);
		log_info("%s: terminated", vm->name);
	} else {
		vm_request_stop(vm, false);
	}
	return 0;
}

/* What keel's bulk teardown is measured against: unmap, invalidate, scrub one page at a time. */
static void teardown_pagewise(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_mem; i++)
		for (uint64_t off = 0; off < vm->mem[i].size; off += PAGE_SIZE) {
			arch_stage2_unmap_page(vm, vm->mem[i].ipa + off);
			arch_zero(pa_ptr(pa_add(vm->mem[i].pa, off)), PAGE_SIZE);
		}
}

/*
 * Whole tables and whole memory runs go back at once, scrubbed in bulk: no
 * per-page unmapping or invalidation (the VM's ID was released at terminate).
 */
int vm_destroy(struct vm *vm)
{
	uint64_t bytes = 0;

	if (!vm->terminated || vm->destroyed || vm->state != VM_STOPPED ||
	    (__atomic_load_n(&vm->arch.nr_loaded, __ATOMIC_SEQ_CST) & ~VM_LOADED_STOPPING))
		return -1;
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		sched_remove(&vm->vcpus[i]);
	if (KEEL_PAGEWISE_TEARDOWN) {
		teardown_pagewise(vm);
		arch_vm_release_id(vm);
	}
	arch_vm_destroy(vm); /* tables freed whole: no walker uses them since terminate */
	uint64_t t0 = arch_counter();

	for (unsigned i = 0; i < vm->nr_mem; i++) {
		if (!KEEL_PAGEWISE_TEARDOWN) /* no secret of the VM stays in free memory */
			arch_zero(pa_ptr(vm->mem[i].pa), vm->mem[i].size);
		bytes += vm->mem[i].size;
	}
	t0 = arch_counter() - t0;
	free_memory(vm);
	vm->destroyed = true;
	/* (make bench reads the scrub time) */
	log_info("%s: destroyed, %lu KiB scrubbed and returned (scrub: %lu counter ticks)",
		 vm->name, (unsigned long)(bytes >> 10), (unsigned long)t0);
	if (vm->on_destroy)
		vm->on_destroy(vm, bytes);
	vm_create_orphan(vm); /* before its slot can hold a new VM */
	spin_lock(&slots_lock);
	slot_used[vm->id] = false; /* the slot may hold a new VM from now on */
	spin_unlock(&slots_lock);
	return 0;
}

/* Start a VM again from its pristine image after it powered itself off. */
int vm_restart(struct vm *vm)
{
	if (vm->state == VM_CREATED) {
		vm_start(vm); /* created at run time: images are in place */
		return 0;
	}
	if (vm->terminated || vm->state != VM_STOPPED)
		return -1;
	arch_vm_tlb_flush(vm);
	vm->boot_count++;
	if (load_images(vm))
		return -1;
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vcpu_set_state(&vm->vcpus[i], VCPU_OFF);
	log_info("%s: started again", vm->name);
	vm_start(vm);
	return 0;
}

/*
 * An access moves size bytes, both ways: a narrow store passes the device only
 * the low bytes of the guest register, and a narrow load never returns more
 * (the device models keep 32-bit registers; fuzz_arm64_mmio found a byte load
 * of GICR_ISENABLER0 returning all 32 bits into the guest's register).
 */
bool vm_mmio_access(struct vcpu *vcpu, uint64_t ipa, bool write, unsigned size, uint64_t *val)
{
	struct vm *vm = vcpu->vm;
	uint64_t mask = size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;

	for (unsigned i = 0; i < vm->nr_devs; i++) {
		struct mmio_dev *d = &vm->devs[i];
		bool ok;

		if (ipa >= d->base && ipa - d->base < d->size) {
			if (write)
				return d->write(vcpu, d, ipa - d->base, size, *val & mask);
			ok = d->read(vcpu, d, ipa - d->base, size, val);
			*val &= mask;
			return ok;
		}
	}
	return false;
}
