// SPDX-License-Identifier: GPL-2.0-or-later
/* Guests that boot with a DTB (arm64, riscv64): guest_entry() and device tree queries. */
#include "guest.h"
#include <libfdt.h>
#include <string.h>
#include <keel/printf.h>

const void *guest_dtb;
uint64_t guest_dtb_addr;

bool dt_reg(const char *path, uint64_t *base, uint64_t *size)
{
	int node = fdt_path_offset(guest_dtb, path), len;
	const fdt32_t *reg;

	if (node < 0)
		return false;
	reg = fdt_getprop(guest_dtb, node, "reg", &len);
	if (!reg || len < 16)
		return false;
	*base = ((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1]);
	*size = ((uint64_t)fdt32_to_cpu(reg[2]) << 32) | fdt32_to_cpu(reg[3]);
	return true;
}

const char *dt_string(const char *path, const char *prop)
{
	int node = fdt_path_offset(guest_dtb, path);

	return node < 0 ? NULL : fdt_getprop(guest_dtb, node, prop, NULL);
}

const char *guest_bootargs(void)
{
	return dt_string("/chosen", "bootargs");
}

/* Called by start.S on the boot vCPU with the DTB address. */
void guest_entry(uint64_t dtb)
{
	guest_dtb_addr = dtb;
	guest_dtb = (const void *)dtb;
	if (fdt_check_header(guest_dtb)) {
		gprintf("FAIL boot: " GUEST_DTB_REG " = 0x%lx is not a DTB\n", (unsigned long)dtb);
		system_off();
	}
	arch_guest_init();
	guest_main();
	system_off();
}

unsigned guest_boot_count(void)
{
	int node = fdt_path_offset(guest_dtb, "/chosen");
	const fdt32_t *bc =
		node >= 0 ? fdt_getprop(guest_dtb, node, "keel,boot-count", NULL) : NULL;

	return bc ? fdt32_to_cpu(*bc) : 0;
}

extern char _end[];

/*
 * The /memory node says what the partition gave (bootargs "mem", "size"), the DTB lies inside
 * it, and all of memory above the image is there, writable and came zeroed (PASS/FAIL lines).
 */
void dt_check_memory(void)
{
	uint64_t want_base = 0, want_size = 0, base = 0, size = 0;
	char path[40];

	bootarg_u64("mem", &want_base);
	bootarg_u64("size", &want_size);
	ksnprintf(path, sizeof(path), "/memory@%lx", (unsigned long)want_base);
	check(dt_reg(path, &base, &size) && base == want_base && size == want_size, "dt_memory",
	      "%s reg = 0x%lx+0x%lx, partition said 0x%lx+0x%lx", path, (unsigned long)base,
	      (unsigned long)size, (unsigned long)want_base, (unsigned long)want_size);
	check(guest_dtb_addr >= base && guest_dtb_addr + fdt_totalsize(guest_dtb) <= base + size,
	      "dtb_in_memory", "DTB 0x%lx outside memory", (unsigned long)guest_dtb_addr);

	/* all of memory is there, writable, and came zeroed */
	volatile uint64_t *p;
	bool zero = true, rw = true;
	uint64_t from = ((uint64_t)_end + 0xfff) & ~0xfffUL;

	for (uint64_t a = from; a < guest_dtb_addr; a += 0x10000) {
		p = (volatile uint64_t *)a;
		if (*p != 0)
			zero = false;
		*p = a ^ 0x5a5a5a5a5a5a5a5aUL;
		if (*p != (a ^ 0x5a5a5a5a5a5a5a5aUL))
			rw = false;
	}
	check(zero, "memory_zeroed", "guest memory above the image was not zero");
	check(rw, "memory_rw", "guest memory did not keep what was written");
}

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

/*
 * A guest that starts with a Linux Image header and no load-address in its partition: keel loaded
 * it (header at head, image end at end) at memory base + text_offset, left memory below zeroed,
 * put the partition's initrd where /chosen says and the DTB above the image.
 */
void dt_check_image_header(uint64_t head, uint64_t end, uint64_t mem_base, uint64_t text_offset)
{
	check(head == mem_base + text_offset, "image_header_load",
	      "header at 0x%lx, expected 0x%lx", (unsigned long)head,
	      (unsigned long)(mem_base + text_offset));
	check(*(volatile uint32_t *)mem_base == 0, "image_header_below_zero",
	      "memory below text_offset is not zero");
	check_initrd();
	check(end <= guest_dtb_addr, "image_header_size", "DTB 0x%lx inside image end 0x%lx",
	      (unsigned long)guest_dtb_addr, (unsigned long)end);
}

/* probe_faults' access, the same on both device-tree arches: the arch judges the fault it took */
void probe_access(uint64_t a, int kind)
{
	expect_abort = true;
	if (kind == 0)
		// cppcheck-suppress nullPointer ; probing address 0 is the point
		(void)*(volatile uint64_t *)a;
	else if (kind == 1)
		*(volatile uint64_t *)a = 0x6b65656c6b65656cUL;
	else
		((void (*)(void))a)();
	expect_abort = false;
}
