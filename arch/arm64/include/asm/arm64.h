/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Functions shared between arm64 files only. */
#ifndef ASM_ARM64_H
#define ASM_ARM64_H

#include <asm/frame.h>
#include <stdint.h>

struct vcpu;
struct fpsimd_state;

void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);
void __attribute__((noreturn)) guest_enter(struct frame *f);
void uart_poll_input(void);
void arch_arm_tick(void);
void stage2_cpu_init(void);
void timer_cpu_init(void);
void irq_hyp_timer(void);
/* PSCI / SMCCC / keel hypercalls; returns false when fn is not a call keel serves. */
void psci_call(struct vcpu *vcpu, struct frame *f);
/* Synchronous external abort into the guest (for an access nothing backs). */
void inject_abort(struct vcpu *vcpu, uint64_t esr, uint64_t far, bool instr);
void inject_undef(struct vcpu *vcpu);
/* Feature ID register (op0 3, op1 0, CRn 0, crm, op2) with what guests may not use hidden. */
uint64_t guest_id_reg(const struct vcpu *vcpu, unsigned crm, unsigned op2);

#endif
