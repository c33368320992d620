/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QEMU PC facts keel does not read from the firmware yet. Constants only. */
#ifndef PLATFORM_H
#define PLATFORM_H

#define PLAT_COM1 0x3f8
#define PLAT_FW_CFG_PORT 0x510 /* selector; data at +1 */
#define PLAT_ACPI_PM1A_CNT 0x604 /* PIIX4 power management: S5 = 0x2000 */
#define PLAT_NAME "x86_64 SVM, QEMU PC"

#endif
