// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Starts with a RISC-V Linux Image header (text_offset 0x200000, image_size
 * covering bss): with no load-address in the partition file keel must load
 * it at memory base + text_offset and enter at the header.
 */
#include "guest.h"
#include <libfdt.h>
#include <string.h>

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

static uint64_t chosen_u64(const char *prop)
{
	int node = fdt_path_offset(guest_dtb, "/chosen"), len;
	const fdt32_t *p = fdt_getprop(guest_dtb, node, prop, &len);

	return p && len == 8 ? ((uint64_t)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1]) : 0;
}

/* The partition's initrd is where /chosen says, byte for byte. */
static void check_initrd(void)
{
	static const char want[] = "keel-initrd-test";
	uint64_t s = chosen_u64("linux,initrd-start"), e = chosen_u64("linux,initrd-end");

	check(s && e - s == sizeof(want) - 1 && !memcmp((void *)s, want, sizeof(want) - 1),
	      "initrd", "linux,initrd-start 0x%lx end 0x%lx", (unsigned long)s, (unsigned long)e);
}

void guest_main(void)
{
	uint64_t here = (uint64_t)_head;

	check(here == 0x80200000, "image_header_load", "header at 0x%lx, expected 0x80200000",
	      (unsigned long)here);
	check(*(volatile uint32_t *)0x80000000 == 0, "image_header_below_zero",
	      "memory below text_offset is not zero");
	check_initrd();
	check((uint64_t)_end <= guest_dtb_addr, "image_header_size",
	      "DTB 0x%lx inside image end 0x%lx", (unsigned long)guest_dtb_addr,
	      (unsigned long)_end);
}
