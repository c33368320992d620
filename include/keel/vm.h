/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VM lifecycle. Boot-time partitions and (later) run-time creation use the
 * same path: a parsed struct vm_config -> vm_create() -> vm_start().
 */
#ifndef KEEL_VM_H
#define KEEL_VM_H

#include <keel/types.h>
#include <keel/partition.h>
#include <keel/console.h>
#include <keel/spinlock.h>
#include <keel/vcpu.h>
#include <asm/vm_arch.h>

struct mmio_dev;

struct vm_mem {
	uint64_t ipa; /* guest-physical base */
	paddr_t pa; /* host-physical base of the contiguous backing run */
	uint64_t size;
};

enum vm_state { VM_RUNNING, VM_STOPPING, VM_STOPPED, VM_CREATED /* not started yet */ };

/*
 * vm->arch.nr_loaded counts the VM's vCPUs loaded on a pCPU; vm_request_stop()
 * adds this bit and vm_start() clears it. While it is set no vCPU of the VM
 * is loaded, and the one atomic step that leaves the word at exactly this bit
 * (the request itself with nothing loaded, or the last put) finishes the stop.
 */
#define VM_LOADED_STOPPING 0x80000000u

struct mmio_dev {
	const char *name;
	uint64_t base, size; /* guest-physical */
	/* return false for an access the device refuses (keel injects an abort) */
	bool (*read)(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off, unsigned size,
		     uint64_t *val);
	bool (*write)(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off, unsigned size,
		      uint64_t val);
	void *priv;
};

#define VM_MAX_DEVS 4

struct vm {
	unsigned id;
	const struct vm_config *cfg;
	char name[KEEL_NAME_MAX];
	volatile enum vm_state state;
	bool reset_requested;
	uint32_t boot_count; /* 1 on the first boot, +1 per reset */
	bool terminated; /* can never run again; its hardware ID is released once stopped */
	bool destroyed; /* tables and memory returned */
	bool reserved; /* slot taken while the VM is being built */
	/* run-time VMs: the memory goes back to the manager's pool */
	void (*on_destroy)(struct vm *vm, uint64_t bytes);
	void *owner_blob; /* the copy of its DTB (images inside), freed on destroy */
	uint64_t owner_blob_size;
	struct vm *creator;
	uint64_t pool_used; /* a manager: bytes of its memory-pool given to VMs it created */
	unsigned nr_mem;
	struct vm_mem mem[KEEL_MAX_MEM_REGIONS];
	uint64_t dtb_ipa;
	unsigned nr_vcpus;
	struct vcpu vcpus[KEEL_MAX_VCPUS];
	unsigned nr_devs;
	struct mmio_dev devs[VM_MAX_DEVS];
	spinlock_t lock;
	struct vm_console con;
	struct vm_arch arch;
	uint64_t faults; /* unhandled guest faults, for the log */
};

/*
 * Bench-only build (make TEARDOWN=pagewise): VMs are mapped with 4 KiB pages
 * and destroyed page by page (unmap, invalidate, scrub each page), then their
 * ID released: the teardown keel's bulk path is measured against.
 */
#ifndef KEEL_PAGEWISE_TEARDOWN
#define KEEL_PAGEWISE_TEARDOWN 0
#endif

/* 0, VM_CREATE_NO_SLOT when keel already runs KEEL_MAX_VMS VMs, or -1 (logged) */
#define VM_CREATE_NO_SLOT (-2)
int vm_create(const struct vm_config *cfg, struct vm **out);
void vm_start(struct vm *vm);
/* A vCPU of vm asked to power it off (reset = reboot it from its pristine image). */
void vm_request_stop(struct vm *vm, bool reset);
/* Guest-create API on existing VMs (0, or -1 when the VM is not in a state that allows it). */
int vm_terminate(struct vm *vm);
int vm_destroy(struct vm *vm);
int vm_restart(struct vm *vm);
/* VM_CREATE: a partition DTB with one VM in the caller's memory; 0 and *id, or a KEEL_E* code. */
int64_t vm_create_from_guest(struct vm *manager, uint64_t gpa, uint64_t size, uint64_t *id);
/* manager is destroyed: VMs it created are no longer charged to it (they keep running). */
void vm_create_orphan(struct vm *manager);
/* Called on the pCPU that ran the VM's last vCPU once all have stopped. */
void vm_stopped(struct vm *vm);

/* Guest-physical -> host pointer for [ipa, ipa+len) inside one region, or NULL. */
void *vm_ipa_ptr(struct vm *vm, uint64_t ipa, uint64_t len);
/* Emulated MMIO access; false when nothing claims the address. */
bool vm_mmio_access(struct vcpu *vcpu, uint64_t ipa, bool write, unsigned size, uint64_t *val);

extern uint64_t vm_scrub_ticks;
extern bool keel_booted;

struct vm *vm_by_index(unsigned i);
unsigned vm_count(void);

#endif
