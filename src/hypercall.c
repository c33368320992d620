// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The arch-neutral hypercall dispatcher. Every VM has VERSION and VM_INFO on
 * itself; a keel,manager VM may also look at, start again, terminate and
 * destroy the others, and create new ones from its memory-pool (vm_create.c).
 */
#include <keel/hcall.h>
#include <keel/hypercall.h>
#include <keel/vm.h>
#include <string.h>

static uint64_t vm_memory(const struct vm *vm)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < vm->nr_mem; i++)
		n += vm->mem[i].size;
	return n;
}

static uint64_t vm_state(const struct vm *vm)
{
	if (vm->destroyed)
		return KEEL_VM_DESTROYED;
	if (vm->state == VM_RUNNING)
		return KEEL_VM_RUNNING;
	if (vm->state == VM_CREATED)
		return KEEL_VM_CREATED;
	if (vm->state == VM_STOPPING)
		return KEEL_VM_STOPPING;
	return vm->terminated ? KEEL_VM_TERMINATED : KEEL_VM_STOPPED;
}

/* The accounting of vCPU n of vm, written into the caller's memory at gpa. */
static int64_t vcpu_info(struct vcpu *caller, struct vm *vm, uint64_t n, uint64_t gpa)
{
	struct keel_vcpu_info *out;

	if (n >= vm->nr_vcpus || (gpa & 7))
		return KEEL_EINVAL;
	out = vm_ipa_ptr(caller->vm, gpa, sizeof(*out));
	if (!out)
		return KEEL_EINVAL;
	vcpu_stats_export(&vm->vcpus[n], out);
	return KEEL_OK;
}

static void vm_info(struct vcpu *caller, const uint64_t a[5], struct hc_result *r)
{
	uint64_t id = a[0];
	struct vm *vm = (uint32_t)id == KEEL_VM_SELF ? caller->vm : NULL;

	if (!vm) {
		vm = id < vm_count() ? vm_by_index((unsigned)id) : NULL;
		if (!vm) {
			r->status = KEEL_EINVAL;
			return;
		}
		if (vm != caller->vm && !caller->vm->cfg->manager) {
			r->status = KEEL_EPERM; /* only a manager looks at other VMs */
			return;
		}
	}
	if (a[2]) {
		r->status = vm->destroyed ? KEEL_EINVAL : vcpu_info(caller, vm, a[1], a[2]);
		if (r->status)
			return;
	}
	r->status = KEEL_OK;
	r->v[0] = vm_state(vm);
	r->v[1] = vm->nr_vcpus;
	r->v[2] = vm->destroyed ? 0 : vm_memory(vm);
	r->v[3] = vm->id;
}

/* START, TERMINATE, DESTROY of another VM, by a manager. */
static int64_t manage(struct vcpu *caller, unsigned n, uint64_t id)
{
	struct vm *vm = id < vm_count() ? vm_by_index((unsigned)id) : NULL;
	int err;

	if (!caller->vm->cfg->manager)
		return KEEL_EPERM;
	if (!vm || vm == caller->vm)
		return KEEL_EINVAL; /* unknown, or the manager itself */
	err = n == KEEL_HC_VM_START	? vm_restart(vm) :
	      n == KEEL_HC_VM_TERMINATE ? vm_terminate(vm) :
					  vm_destroy(vm);
	return err ? KEEL_ESTATE : KEEL_OK;
}

void keel_hypercall(struct vcpu *caller, unsigned n, const uint64_t a[5], struct hc_result *r)
{
	memset(r, 0, sizeof(*r));
	switch (n) { /* callers pass n as the guest gave it: anything above 255 is unknown */
	case KEEL_HC_VERSION:
		r->status = KEEL_OK;
		r->v[0] = KEEL_ABI_VERSION;
		break;
	case KEEL_HC_VM_INFO:
		vm_info(caller, a, r);
		break;
	case KEEL_HC_VM_CREATE:
		r->status = caller->vm->cfg->manager ?
				    vm_create_from_guest(caller->vm, a[0], a[1], &r->v[0]) :
				    KEEL_EPERM;
		break;
	case KEEL_HC_VM_START:
	case KEEL_HC_VM_TERMINATE:
	case KEEL_HC_VM_DESTROY:
		r->status = manage(caller, n, a[0]);
		break;
#ifdef KEEL_TEST_HOOKS
	case KEEL_HC_TEST_CRASH:
		r->status = keel_test_crash(a[0]);
		break;
#endif
	default:
		r->status = KEEL_ENOTSUP;
		break;
	}
}
