/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keel's hypercalls, arch-neutral: each arch moves its registers in and out
 * (include/keel/hypercall.h has the per-arch register use) and calls
 * keel_hypercall(). Only a keel,manager VM may act on other VMs.
 */
#ifndef KEEL_HCALL_H
#define KEEL_HCALL_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

struct hc_result {
	int64_t status; /* KEEL_OK or a KEEL_E* code */
	uint64_t v[4];
};

void keel_hypercall(struct vcpu *caller, unsigned n, const uint64_t a[5], struct hc_result *r);

/* Stack protector (stack_guard.c): the per-boot canary and where it came from. */
void stack_guard_init(void);
const char *stack_guard_source(void);
#ifdef KEEL_TEST_HOOKS
/*
 * test-only builds: hypercall KEEL_HC_TEST_CRASH(how) breaks keel (1 canary, 2 stack overflow,
 * 3 write to keel's text, 4 overflow of the stack fault handlers run on)
 */
#define KEEL_HC_TEST_CRASH 0x7f
int64_t keel_test_crash(uint64_t how);
/*
 * run fn on the stack keel's page-fault handler runs on (x86_64: the #PF IST stack; arm64,
 * riscv64: the pCPU's panic stack); false: none
 */
bool arch_test_on_fault_stack(void (*fn)(void));
#endif

#endif
