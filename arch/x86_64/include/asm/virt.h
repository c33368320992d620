/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hardware-virtualization backends on x86: AMD SVM (implemented), Intel VMX
 * and Intel TDX (stubs with the same hook slots). The choice is a pure
 * function of CPUID so the host tests can check it.
 */
#ifndef ASM_VIRT_H
#define ASM_VIRT_H

#include <stdint.h>
#include <stdbool.h>

struct vm;
struct vcpu;

enum virt_kind { VIRT_SVM, VIRT_VMX, VIRT_NONE };

/* From CPUID 0x80000001 ECX (bit 2 SVM) and CPUID 1 ECX (bit 5 VMX): SVM wins when both exist. */
enum virt_kind virt_pick(uint32_t ext_ecx, uint32_t std_ecx);
/* One line for the log saying what keel does with this CPU. */
const char *virt_verdict(enum virt_kind kind);

/* The hook slots every backend fills; the VMX and TDX ones answer "not implemented". */
struct virt_backend {
	const char *name;
	bool implemented;
	int (*cpu_init)(unsigned cpu);
	int (*vm_init)(struct vm *vm);
	int (*vcpu_init)(struct vcpu *vcpu);
	/* teardown: stop using the VM's hardware ID, then reclaim memory in bulk */
	void (*vm_release_id)(struct vm *vm);
	void (*vm_destroy)(struct vm *vm);
};

extern const struct virt_backend vmx_backend, tdx_backend;

/* The hooks of a stub backend (virt_detect.c): every setup answers -1, teardown does nothing. */
int virt_stub_cpu_init(unsigned cpu);
int virt_stub_vm_init(struct vm *vm);
int virt_stub_vcpu_init(struct vcpu *vcpu);
void virt_stub_vm_teardown(struct vm *vm);
#define VIRT_STUB_HOOKS                                                                     \
	.implemented = false, .cpu_init = virt_stub_cpu_init, .vm_init = virt_stub_vm_init, \
	.vcpu_init = virt_stub_vcpu_init, .vm_release_id = virt_stub_vm_teardown,           \
	.vm_destroy = virt_stub_vm_teardown

#endif
