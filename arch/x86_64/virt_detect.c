// SPDX-License-Identifier: GPL-2.0-or-later
#include <asm/virt.h>

enum virt_kind virt_pick(uint32_t ext_ecx, uint32_t std_ecx)
{
	if (ext_ecx & (1u << 2))
		return VIRT_SVM;
	if (std_ecx & (1u << 5))
		return VIRT_VMX;
	return VIRT_NONE;
}

const char *virt_verdict(enum virt_kind kind)
{
	switch (kind) {
	case VIRT_SVM:
		return "AMD SVM: guests run with nested paging";
	case VIRT_VMX:
		return "this CPU has Intel VMX only: keel's VMX backend is not implemented, no guest "
		       "is started";
	default:
		return "this CPU has neither AMD SVM nor Intel VMX: no guest is started";
	}
}

int virt_stub_cpu_init(unsigned cpu)
{
	(void)cpu;
	return -1;
}

int virt_stub_vm_init(struct vm *vm)
{
	(void)vm;
	return -1;
}

int virt_stub_vcpu_init(struct vcpu *vcpu)
{
	(void)vcpu;
	return -1;
}

void virt_stub_vm_teardown(struct vm *vm)
{
	(void)vm;
}
