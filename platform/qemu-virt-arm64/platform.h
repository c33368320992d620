/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU virt (arm64) facts keel does not yet read from the firmware DTB
 * (facts.md 7.1). Constants only.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#define PLAT_UART_BASE 0x09000000UL /* PL011, SPI 1 */
#define PLAT_UART_INTID 33
#define PLAT_GICD_BASE 0x08000000UL
#define PLAT_GICR_BASE 0x080a0000UL
#define PLAT_GICR_STRIDE 0x20000UL
#define PLAT_NAME "arm64 EL2, QEMU virt"

#endif
