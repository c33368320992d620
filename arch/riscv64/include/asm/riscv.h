/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Functions shared between riscv64 files only. */
#ifndef ASM_RISCV_H
#define ASM_RISCV_H

#include <asm/frame.h>
#include <asm/sbi.h>
#include <stdint.h>
#include <stdbool.h>

struct vcpu;
struct vm;

/* A call to the SBI below keel (OpenSBI). */
struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0, unsigned long a1,
		       unsigned long a2);
void __attribute__((noreturn)) guest_enter(struct frame *f);
struct frame *cpu_frame(unsigned cpu);
void uart_poll_input(void);
void plic_cpu_init(unsigned cpu, uint64_t hartid);
void plic_poll(void);
void tick_arm(void);
extern bool have_sstc;

/* Guest CSR state for traps keel reflects into VS-mode. */
void inject_exception(struct vcpu *vcpu, uint64_t cause, uint64_t tval);
void vcpu_update_hvip(struct vcpu *vcpu);
void rfence_done(struct vcpu *vcpu);
void irq_poll(void);

/* Emulated PLIC */
void vplic_register(struct vm *vm);
void vplic_set_level(struct vm *vm, unsigned src, bool level);

/* SBI server for guests; returns false when the call needs a reschedule path */
void sbi_handle(struct vcpu *vcpu, struct frame *f);

#endif
