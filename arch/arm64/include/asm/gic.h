/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Physical GICv3 as keel uses it at EL2. */
#ifndef ASM_GIC_H
#define ASM_GIC_H

#include <stdint.h>
#include <stdbool.h>

struct vcpu;
struct vm;

void gic_cpu_init(unsigned cpu);
void gic_send_sgi(unsigned cpu, unsigned intid);
/* Take and handle every pending physical interrupt (used while idle). */
void gic_poll(void);
/* One physical interrupt from the ack register, dispatched and completed. */
bool gic_handle_one(void);
void gic_deactivate(unsigned intid);

/* Virtual side (vgic.c) */
void vgic_vcpu_init(struct vcpu *vcpu);
void vgic_inject(struct vcpu *vcpu, unsigned intid);
void vgic_set_spi_level(struct vm *vm, unsigned intid, bool level);
/* Move software-pending interrupts of the loaded vCPU into list registers. */
void vgic_flush(struct vcpu *vcpu);
void vgic_save(struct vcpu *vcpu);
void vgic_restore(struct vcpu *vcpu);
void vgic_register_devices(struct vm *vm);
/* Trapped ICC_SGI1R_EL1 write. */
void vgic_sgi1r(struct vcpu *vcpu, uint64_t val);

#endif
