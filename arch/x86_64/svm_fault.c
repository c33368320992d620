// SPDX-License-Identifier: GPL-2.0-or-later
/* A guest's fault that keel turns into an exception for it: logged (the first few) and counted. */
#include <asm/svm_exits.h>

#define FAULT_LOG_MAX 8
#define FAULT_STOP_AT 1000

void svm_guest_fault(struct vcpu *vcpu, const char *what, uint64_t info1, uint64_t gpa)
{
	struct vm *vm = vcpu->vm;
	uint64_t n = ++vm->faults;

	if (n <= FAULT_LOG_MAX)
		log_warn("%s: %s at pc 0x%lx (vCPU %u): exit info 0x%lx IPA 0x%lx%s", vm->name,
			 what, (unsigned long)vcpu->arch.vmcb->rip, vcpu->id, (unsigned long)info1,
			 (unsigned long)gpa,
			 n == FAULT_LOG_MAX ? " (further faults not logged)" : "");
	if (n >= FAULT_STOP_AT) {
		log_err("%s: stopped after %u unhandled faults", vm->name, FAULT_STOP_AT);
		vm_request_stop(vm, false);
	}
}
