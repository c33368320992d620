// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PSCI 1.1 and SMCCC 1.1 for guests, plus keel's own hypercalls. OFF and
 * RESET act on the calling VM only.
 */
#include <keel/arch.h>
#include <keel/vm.h>
#include <keel/hypercall.h>
#include <keel/hcall.h>
#include <asm/arm64.h>
#include <asm/smccc.h>

static struct vcpu *target_vcpu(struct vm *vm, uint64_t mpidr)
{
	uint64_t aff0 = mpidr & 0xff;

	if ((mpidr & 0xff00ffff00UL) || aff0 >= vm->nr_vcpus)
		return NULL;
	return &vm->vcpus[aff0];
}

static int64_t cpu_on(struct vcpu *vcpu, uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	struct vm *vm = vcpu->vm;
	struct vcpu *t = target_vcpu(vm, mpidr);
	int64_t ret = PSCI_SUCCESS;
	enum vcpu_state state;

	if (!t)
		return PSCI_INVALID_PARAMETERS;
	if (!vm_ipa_ptr(vm, entry, 4))
		return PSCI_INVALID_ADDRESS;
	spin_lock(&vm->lock);
	/* acquire: OFF is published by the put that saved its context (vcpu.h) */
	state = vcpu_state(t);
	if (state == VCPU_ON || state == VCPU_WFI || state == VCPU_OFF_PENDING) {
		ret = PSCI_ALREADY_ON;
	} else if (state == VCPU_STOPPED) {
		ret = PSCI_DENIED;
	} else {
		arch_vcpu_reset(t, entry, ctx);
		vcpu_set_state(t, VCPU_ON);
		vcpu_wake(t);
	}
	spin_unlock(&vm->lock);
	return ret;
}

static int64_t affinity_info(struct vcpu *vcpu, uint64_t mpidr, uint64_t level)
{
	struct vcpu *t = target_vcpu(vcpu->vm, mpidr);

	if (!t || level != 0)
		return PSCI_INVALID_PARAMETERS;
	/* OFF only once its context is saved: a CPU_ON after this sees it OFF too */
	return (vcpu_state(t) == VCPU_OFF || vcpu_state(t) == VCPU_STOPPED) ? AFF_OFF : AFF_ON;
}

static bool psci_supported(uint32_t fn)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_CPU_ON_32:
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION:
		return true;
	}
	return false;
}

void psci_call(struct vcpu *vcpu, struct frame *f)
{
	uint32_t fn = (uint32_t)f->x[0];
	int64_t ret;

	if (fn >= KEEL_HC_ARM64_BASE && fn < KEEL_HC_ARM64_BASE + 0x100) {
		struct hc_result r;

		keel_hypercall(vcpu, fn - KEEL_HC_ARM64_BASE, &f->x[1], &r);
		f->x[0] = (uint64_t)r.status;
		for (int i = 0; i < 4; i++)
			f->x[1 + i] = r.v[i];
		return;
	}
	switch (fn) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case SMCCC_VERSION:
		ret = SMCCC_VERSION_1_1;
		break;
	case SMCCC_ARCH_FEATURES:
		ret = (uint32_t)f->x[1] == SMCCC_ARCH_FEATURES ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
		break;
	case PSCI_FEATURES:
		ret = psci_supported((uint32_t)f->x[1]) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
		break;
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND_32:
		ret = PSCI_SUCCESS; /* standby: returning at once is allowed */
		break;
	case PSCI_CPU_OFF:
		spin_lock(&vcpu->vm->lock);
		if (vcpu_state(vcpu) != VCPU_STOPPED)
			vcpu_set_state(vcpu, VCPU_OFF_PENDING);
		spin_unlock(&vcpu->vm->lock);
		ret = PSCI_SUCCESS; /* never seen by the guest */
		break;
	case PSCI_CPU_ON:
		ret = cpu_on(vcpu, f->x[1], f->x[2], f->x[3]);
		break;
	case PSCI_CPU_ON_32:
		ret = cpu_on(vcpu, (uint32_t)f->x[1], (uint32_t)f->x[2], (uint32_t)f->x[3]);
		break;
	case PSCI_AFFINITY_INFO:
		ret = affinity_info(vcpu, f->x[1], f->x[2]);
		break;
	case PSCI_AFFINITY_INFO_32: /* SMC32/HVC32: arguments in W1, W2 */
		ret = affinity_info(vcpu, (uint32_t)f->x[1], (uint32_t)f->x[2]);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = 2; /* no trusted OS to migrate */
		break;
	case PSCI_SYSTEM_OFF:
		log_info("%s: PSCI SYSTEM_OFF", vcpu->vm->name);
		vm_request_stop(vcpu->vm, false);
		ret = PSCI_SUCCESS;
		break;
	case PSCI_SYSTEM_RESET:
		log_info("%s: PSCI SYSTEM_RESET", vcpu->vm->name);
		vm_request_stop(vcpu->vm, true);
		ret = PSCI_SUCCESS;
		break;
	default:
		ret = PSCI_NOT_SUPPORTED;
		break;
	}
	f->x[0] = (uint64_t)ret;
}
