/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KEEL_KEEL_H
#define KEEL_KEEL_H

#include <stdint.h>

#define KEEL_VERSION_MAJOR 0
#define KEEL_VERSION_MINOR 1
#define KEEL_VERSION_STR "0.1"

/* Linker symbols bounding keel's own image (bss included). */
extern char __image_start[], _image_end[];

void keel_main(void *fdt, uint64_t start_counter);
void secondary_main(unsigned cpu);

#endif
