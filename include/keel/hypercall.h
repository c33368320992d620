/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keel's guest-visible hypercall ABI (design.md section 4). Also compiled
 * into test guests, so it holds only constants.
 *
 * arm64:   hvc #0, x0 = KEEL_HC_ARM64_BASE + n, args x1..x5, x0 = status, x1..x4 = values
 * riscv64: ecall, a7 = KEEL_HC_RISCV_EXT, a6 = n, args a0..a4, a0 = SBI error, a1..a4 = values
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

/* VM_INFO(id): id KEEL_VM_SELF is the caller; values: state, vCPUs, memory bytes, VM id */
#define KEEL_VM_SELF 0xffffffffUL /* only the low 32 bits count */
#define KEEL_VM_RUNNING 0
#define KEEL_VM_STOPPING 1
#define KEEL_VM_STOPPED 2
#define KEEL_VM_TERMINATED 3 /* stopped for good, hardware ID released */
#define KEEL_VM_DESTROYED 4
#define KEEL_VM_CREATED 5 /* created by VM_CREATE, not started yet */

/* VERSION returns (major << 16) | minor in the first value register */
#define KEEL_ABI_VERSION ((0U << 16) | 1U)

#endif
