// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Starts with a Linux arm64 Image header (text_offset 0x80000, image_size
 * covering bss): with no load-address in the partition file keel must load
 * it at memory base + text_offset and enter at the header.
 */
#include "guest.h"

asm(".section .text.header, \"ax\"\n"
    ".globl _head\n"
    "_head: b _start\n"
    ".long 0\n"
    ".quad 0x80000\n" /* text_offset */
    ".quad _end - _head\n" /* image_size */
    ".quad 0x2\n" /* flags: little endian, 4 KiB pages */
    ".quad 0, 0, 0\n"
    ".ascii \"ARM\\x64\"\n"
    ".long 0\n"
    ".text\n");

extern char _head[], _end[];

void guest_main(void)
{
	dt_check_image_header((uint64_t)_head, (uint64_t)_end, 0x40000000, 0x80000);
}
