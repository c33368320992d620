/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the riscv64 harnesses (fuzz_sbi, fuzz_riscv_mmio) put under
 * arch/riscv64/{sbi,trap,vplic}.c: CSRs as an array (the csr.h host seam),
 * the host SBI, the guest's instruction memory read by hlvx, and a record of
 * the exceptions keel injects.
 */
#ifndef RISCV_ENV_H
#define RISCV_ENV_H

#include "fake_env.h"
#include <asm/csr.h>
#include <asm/fwft.h>
#include <asm/riscv.h>

#define RV_RAM 0x80000000ULL
#define RV_UART 0x10000000ULL
#define RV_UART_IRQ 10

extern uint64_t rv_csr[4096];
extern struct fwft_caps fwft_caps;
extern unsigned rv_injected; /* inject_exception() calls since the last reset */
extern uint64_t rv_inject_cause;
/* hlvx_hu() reads these four bytes at rv_insn_pc; fetch fails when rv_fetch_fail */
extern uint8_t rv_insn[4];
extern uint64_t rv_insn_pc;
extern bool rv_fetch_fail;

void guest_trap(struct frame *f);

#endif
