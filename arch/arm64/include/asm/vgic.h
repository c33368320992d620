/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Virtual GICv3: the distributor and redistributors are emulated (stage 2
 * leaves them unmapped); the CPU interface is the hardware's virtual one,
 * fed through the ICH_LR<n>_EL2 list registers.
 */
#ifndef ASM_VGIC_H
#define ASM_VGIC_H

#include <stdint.h>
#include <stdbool.h>

#define VGIC_NR_SPIS 32 /* INTIDs 32..63 */
#define VGIC_NR_IRQS (32 + VGIC_NR_SPIS)
#define VGIC_MAX_LRS 16

#define GICD_BASE 0x08000000UL
#define GICD_SIZE 0x10000UL
#define GICR_BASE 0x080a0000UL
#define GICR_STRIDE 0x20000UL

#define INTID_VTIMER 27
#define INTID_PTIMER 30
#define INTID_HTIMER 26
#define INTID_KICK 1 /* SGI keel uses between pCPUs */
#define INTID_UART 33

struct vgic_dist {
	uint32_t ctlr;
	uint32_t enabled; /* SPI bits (INTID 32 + n) */
	uint32_t pending; /* level/edge latched for SPIs */
	uint8_t prio[VGIC_NR_SPIS];
	uint64_t route[VGIC_NR_SPIS];
	uint32_t cfg[VGIC_NR_SPIS / 16];
	uint32_t group;
};

struct vgic_cpu {
	uint32_t enabled; /* SGI/PPI bits */
	volatile uint32_t pending; /* SGI/PPI bits waiting for a list register */
	uint32_t group;
	uint32_t waker;
	uint8_t prio[32];
	uint32_t cfg1;
	bool underflow; /* ICH_HCR_EL2.UIE set: flush again when list registers drain */
	/* saved with the vCPU */
	uint64_t lr[VGIC_MAX_LRS];
	uint64_t vmcr;
	uint64_t ap0r0, ap1r0;
};

#endif
