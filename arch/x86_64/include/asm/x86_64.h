/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Functions shared between x86_64 files only. */
#ifndef ASM_X86_64_H
#define ASM_X86_64_H

#include <stdint.h>
#include <stdbool.h>

struct vcpu_arch;
struct vcpu;

/* Port-I/O devices of a VM sit in the emulated-device space at this offset (no RAM can be there). */
#define PIO_SPACE 0x1000000000000UL

void svm_run(struct vcpu_arch *a);
void svm_cpu_init(unsigned cpu);
void __attribute__((noreturn)) svm_loop(void);
void uart_poll_input(void);
void __attribute__((noreturn)) x86_panic(const uint64_t *frame); /* panic.c */
void apic_cpu_init(void);
void apic_write(unsigned reg, uint32_t v);
#define APIC_MMIO 0xfee00000UL
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_TMICT 0x380
#define APIC_TDCR 0x3e0
#define APIC_TMCCT 0x390
void tick_arm(void);
extern bool have_tsc_deadline;
/* keel's timer: the time-slice tick and the nearest guest APIC timer, as TSC deadlines */
void timer_program(uint64_t guest_deadline);
void irq_vcpu_init(struct vcpu *vcpu);
void irq_before_run(struct vcpu *vcpu);
bool irq_msr(struct vcpu *vcpu, uint32_t msr, bool write, uint64_t *val, bool *gp);
int irq_savic_call(struct vcpu *vcpu, uint64_t op, uint64_t gpa);
extern bool have_svm;

#endif
