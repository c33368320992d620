// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Intel VMX backend: a stub. It has the SVM backend's hook slots so a real
 * one can drop in (VMXON region, one VMCS per vCPU, EPT per VM with a VPID;
 * facts.md 5.1). QEMU's TCG has no VMX, so nothing here could be tested.
 */
#include <asm/virt.h>

const struct virt_backend vmx_backend = {
	.name = "Intel VMX",
	VIRT_STUB_HOOKS,
};
