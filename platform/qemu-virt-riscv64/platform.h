/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU virt (riscv64) facts keel does not yet read from the firmware DTB
 * (facts.md 7.2). Constants only.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#define PLAT_UART_BASE 0x10000000UL /* NS16550A, PLIC source 10 */
#define PLAT_UART_IRQ 10
#define PLAT_PLIC_BASE 0x0c000000UL
#define PLAT_PLIC_SIZE 0x4000000UL /* what keel maps for itself: up to the UART */
#define PLAT_PLIC_S_CONTEXT(hart) (2 * (hart) + 1) /* M and S context per hart */
#define PLAT_TIMEBASE_HZ 10000000UL
#define PLAT_NAME "riscv64 HS-mode, QEMU virt"

#endif
