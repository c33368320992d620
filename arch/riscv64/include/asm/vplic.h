/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Emulated PLIC for a VM: sources 1..31, one S-mode context per vCPU, delivered as VSEIP. */
#ifndef ASM_VPLIC_H
#define ASM_VPLIC_H

#include <stdint.h>
#include <stdbool.h>

#define VPLIC_BASE 0x0c000000UL
#define VPLIC_SIZE 0x4000000UL
#define VPLIC_NR_SOURCES 32
#define VPLIC_MAX_CTX 8

struct vplic {
	uint32_t prio[VPLIC_NR_SOURCES];
	volatile uint32_t pending;
	uint32_t claimed; /* claimed, not yet completed */
	uint32_t enable[VPLIC_MAX_CTX];
	uint32_t threshold[VPLIC_MAX_CTX];
	bool (*level[VPLIC_NR_SOURCES])(void *dev); /* device line, re-sampled on complete */
	void *dev[VPLIC_NR_SOURCES];
};

#endif
