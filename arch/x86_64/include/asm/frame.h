/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A guest's general registers that the VMCB does not hold (RAX, RSP and RIP live there). */
#ifndef ASM_FRAME_H
#define ASM_FRAME_H

#include <stdint.h>

/* order used by entry.S */
enum {
	R_RBX,
	R_RCX,
	R_RDX,
	R_RSI,
	R_RDI,
	R_RBP,
	R_R8,
	R_R9,
	R_R10,
	R_R11,
	R_R12,
	R_R13,
	R_R14,
	R_R15,
	R_NR
};

struct frame {
	uint64_t r[R_NR];
};

#endif
