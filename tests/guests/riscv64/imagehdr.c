// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Starts with a RISC-V Linux Image header (text_offset 0x200000, image_size
 * covering bss): with no load-address in the partition file keel must load
 * it at memory base + text_offset and enter at the header.
 */
#include "guest.h"

asm(".section .text.header, \"ax\"\n"
    ".globl _head\n"
    ".option push\n"
    ".option norvc\n"
    "_head: j _start\n" /* code0 */
    ".long 0\n" /* code1 */
    ".option pop\n"
    ".quad 0x200000\n" /* text_offset */
    ".quad _end - _head\n" /* image_size */
    ".quad 0\n" /* flags: little endian */
    ".long 0x2\n" /* version 0.2 */
    ".long 0\n" /* res1 */
    ".quad 0\n" /* res2 */
    ".ascii \"RISCV\\0\\0\\0\"\n" /* magic (deprecated) */
    ".ascii \"RSC\\x05\"\n" /* magic2 */
    ".long 0\n" /* res3: PE/COFF header offset */
    ".text\n");

extern char _head[], _end[];

void guest_main(void)
{
	dt_check_image_header((uint64_t)_head, (uint64_t)_end, 0x80000000, 0x200000);
}
