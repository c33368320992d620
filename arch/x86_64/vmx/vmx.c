// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Intel VMX backend: a stub. It has the SVM backend's hook slots so a real
 * one can drop in (VMXON region, one VMCS per vCPU, EPT per VM with a VPID;
 * facts.md 5.1). QEMU's TCG has no VMX, so nothing here could be tested.
 */
#include <asm/virt.h>

static int not_implemented(void)
{
	return -1;
}

static int cpu_init(unsigned cpu)
{
	(void)cpu;
	return not_implemented();
}

static int vm_init(struct vm *vm)
{
	(void)vm;
	return not_implemented();
}

static int vcpu_init(struct vcpu *vcpu)
{
	(void)vcpu;
	return not_implemented();
}

static void vm_release_id(struct vm *vm)
{
	(void)vm;
}

static void vm_destroy(struct vm *vm)
{
	(void)vm;
}

const struct virt_backend vmx_backend = {
	.name = "Intel VMX",
	.implemented = false,
	.cpu_init = cpu_init,
	.vm_init = vm_init,
	.vcpu_init = vcpu_init,
	.vm_release_id = vm_release_id,
	.vm_destroy = vm_destroy,
};
