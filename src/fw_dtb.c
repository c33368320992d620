// SPDX-License-Identifier: GPL-2.0-or-later
#include <keel/fw_dtb.h>
#include <libfdt.h>
#include <string.h>

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

/* Append the reg ranges of node to out; returns the new count. */
static unsigned read_reg(const void *fdt, int node, int ac, int sc, struct fw_range *out,
			 unsigned n, unsigned max)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return n;
	for (int i = 0; (i + 1) * (ac + sc) * 4 <= len && n < max; i++) {
		out[n].base = read_cells(reg + i * (ac + sc), ac);
		out[n].size = sc ? read_cells(reg + i * (ac + sc) + ac, sc) : 0;
		n++;
	}
	return n;
}

static uint64_t chosen_u64(const void *fdt, int chosen, const char *name)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, chosen, name, &len);

	if (!p)
		return 0;
	return len == 8 ? read_cells(p, 2) : len == 4 ? fdt32_to_cpu(p[0]) : 0;
}

static void read_memrsv(const void *fdt, struct fw_info *info)
{
	int n = fdt_num_mem_rsv(fdt);

	for (int i = 0; i < n && info->nr_reserved < FW_MAX_RESERVED; i++) {
		uint64_t a, s;

		if (!fdt_get_mem_rsv(fdt, i, &a, &s) && s) {
			info->reserved[info->nr_reserved].base = a;
			info->reserved[info->nr_reserved++].size = s;
		}
	}
}

static void read_cpu(const void *fdt, int node, int ac, struct fw_info *info)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!type || strcmp(type, "cpu") || !reg || ac < 1 || ac > 2 || len < ac * 4)
		return;
	if (info->nr_cpus < KEEL_MAX_PCPUS)
		info->cpu_hwid[info->nr_cpus++] = read_cells(reg, ac);
}

static void read_chosen(const void *fdt, int chosen, struct fw_info *info)
{
	uint64_t s = chosen_u64(fdt, chosen, "linux,initrd-start");
	uint64_t e = chosen_u64(fdt, chosen, "linux,initrd-end");

	if (e > s) {
		info->initrd.base = s;
		info->initrd.size = e - s;
	}
}

/*
 * One walk over the whole tree: every separate path lookup would walk it
 * again, and each walk of QEMU's DTB costs about 240k instructions.
 */
int fw_dtb_read(const void *fdt, struct fw_info *info)
{
	int err = fdt_check_header(fdt), node = 0, depth = 0;
	int ac = 2, sc = 1, cpus = -1, rsv = -1, rsv_ac = 2, rsv_sc = 1, cpu_ac = 1;

	memset(info, 0, sizeof(*info));
	if (err)
		return err;
	ac = fdt_address_cells(fdt, 0);
	sc = fdt_size_cells(fdt, 0);
	/* the DTB itself stays: keel keeps reading it */
	info->reserved[info->nr_reserved].base = ALIGN_DOWN((uintptr_t)fdt, PAGE_SIZE);
	info->reserved[info->nr_reserved++].size =
		ALIGN_UP(fdt_totalsize(fdt) + ((uintptr_t)fdt & (PAGE_SIZE - 1)), PAGE_SIZE);
	read_memrsv(fdt, info);
	while ((node = fdt_next_node(fdt, node, &depth)) >= 0 && depth >= 1) {
		const char *name = fdt_get_name(fdt, node, NULL);

		if (depth == 1) {
			const char *type = fdt_getprop(fdt, node, "device_type", NULL);

			cpus = rsv = -1;
			if (type && !strcmp(type, "memory")) {
				info->nr_ram = read_reg(fdt, node, ac, sc, info->ram, info->nr_ram,
							FW_MAX_RAM);
			} else if (name && !strcmp(name, "cpus")) {
				cpus = node;
				cpu_ac = fdt_address_cells(fdt, node);
			} else if (name && !strcmp(name, "reserved-memory")) {
				rsv = node;
				rsv_ac = fdt_address_cells(fdt, node);
				rsv_sc = fdt_size_cells(fdt, node);
			} else if (name && !strcmp(name, "chosen")) {
				read_chosen(fdt, node, info);
			}
		} else if (depth == 2 && cpus >= 0) {
			read_cpu(fdt, node, cpu_ac, info);
		} else if (depth == 2 && rsv >= 0) {
			info->nr_reserved = read_reg(fdt, node, rsv_ac, rsv_sc, info->reserved,
						     info->nr_reserved, FW_MAX_RESERVED);
		}
	}
	return 0;
}
