/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keel's guest-visible hypercall ABI (design.md section 4). Also compiled
 * into test guests (32- and 64-bit), so it holds only constants and one
 * fixed-layout structure.
 *
 * arm64:   hvc #0, x0 = KEEL_HC_ARM64_BASE + n, args x1..x5, x0 = status, x1..x4 = values
 * riscv64: ecall, a7 = KEEL_HC_RISCV_EXT, a6 = n, args a0..a4, a0 = SBI error, a1..a4 = values
 *          (EINVAL: INVALID_PARAM, EPERM: DENIED, ENOMEM: NO_SHMEM, ENOSPC: FAILED,
 *          ESTATE: INVALID_STATE, ENOTSUP: NOT_SUPPORTED)
 * x86_64:  vmmcall, rax = n, args rbx, rcx, rdx, rsi, rdi, rax = status, rbx, rcx, rdx, rsi = values
 */
#ifndef KEEL_HYPERCALL_H
#define KEEL_HYPERCALL_H

#define KEEL_HC_ARM64_BASE 0xc6000000U /* SMCCC fast call, SMC64, vendor hypervisor service */
#define KEEL_HC_RISCV_EXT 0x084b454cU
#define KEEL_HC_VERSION 0
#define KEEL_HC_VM_CREATE 1
#define KEEL_HC_VM_START 2
#define KEEL_HC_VM_TERMINATE 3
#define KEEL_HC_VM_DESTROY 4
#define KEEL_HC_VM_INFO 5

/* status values */
#define KEEL_OK 0
#define KEEL_ENOTSUP (-1)
#define KEEL_EINVAL (-2)
#define KEEL_EPERM (-3)
#define KEEL_ENOMEM (-4) /* the memory-pool (or host memory) cannot hold it */
#define KEEL_ENOSPC (-5) /* no free VM slot */
#define KEEL_ESTATE (-6) /* the VM's state does not allow it (e.g. destroy before terminate) */

/*
 * VM_INFO(id, vcpu, buf): id KEEL_VM_SELF is the caller; values: state, vCPUs,
 * memory bytes, VM id. When buf is not 0, keel also writes the accounting of
 * vCPU number vcpu as a struct keel_vcpu_info at guest-physical address buf
 * (8-byte aligned, inside the caller's memory), else KEEL_EINVAL.
 */
#define KEEL_VM_SELF 0xffffffffUL /* only the low 32 bits count */
#define KEEL_VM_RUNNING 0
#define KEEL_VM_STOPPING 1
#define KEEL_VM_STOPPED 2
#define KEEL_VM_TERMINATED 3 /* stopped for good, hardware ID released */
#define KEEL_VM_DESTROYED 4
#define KEEL_VM_CREATED 5 /* created by VM_CREATE, not started yet */

/* exit classes counted per vCPU */
#define KEEL_EXIT_HCALL 0 /* hypercalls, PSCI/SBI calls, vmmcall */
#define KEEL_EXIT_IO 1 /* emulated device access: MMIO, port I/O */
#define KEEL_EXIT_SYSREG 2 /* trapped system registers, CPUID, MSRs */
#define KEEL_EXIT_IRQ 3 /* keel's own interrupts (timer tick, IPIs, console) */
#define KEEL_EXIT_WFI 4 /* WFI / HLT */
#define KEEL_EXIT_OTHER 5 /* faults, trapped instructions, anything else */
#define KEEL_EXIT_CLASSES 6

/* Written by VM_INFO with a buffer; times in nanoseconds since the VM was created. */
struct keel_vcpu_info {
	unsigned long long run_ns; /* running guest code */
	unsigned long long keel_ns; /* in keel handling its exits and switching it */
	unsigned long long exits[KEEL_EXIT_CLASSES];
	unsigned long long dispatches; /* times it waited for its shared pCPU */
	unsigned long long wait_ns; /* total of those waits (runnable to running) */
	unsigned long long wait_max_ns;
};

/* VERSION returns (major << 16) | minor in the first value register */
#define KEEL_ABI_VERSION ((0U << 16) | 2U) /* 0.2: VM_INFO writes vCPU accounting */

#endif
