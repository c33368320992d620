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

unsigned fw_dtb_ram(const void *fdt, struct fw_range *ram, unsigned max)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	unsigned n = 0;
	int node;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (type && !strcmp(type, "memory"))
			n = read_reg(fdt, node, ac, sc, ram, n, max);
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

static void read_reserved(const void *fdt, struct fw_info *info)
{
	int n = fdt_num_mem_rsv(fdt), node, rsv;

	for (int i = 0; i < n && info->nr_reserved < FW_MAX_RESERVED; i++) {
		uint64_t a, s;

		if (!fdt_get_mem_rsv(fdt, i, &a, &s) && s) {
			info->reserved[info->nr_reserved].base = a;
			info->reserved[info->nr_reserved++].size = s;
		}
	}
	rsv = fdt_path_offset(fdt, "/reserved-memory");
	if (rsv < 0)
		return;
	int ac = fdt_address_cells(fdt, rsv), sc = fdt_size_cells(fdt, rsv);

	fdt_for_each_subnode(node, fdt, rsv)
		info->nr_reserved = read_reg(fdt, node, ac, sc, info->reserved, info->nr_reserved,
					     FW_MAX_RESERVED);
}

static void read_cpus(const void *fdt, struct fw_info *info)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;

	if (cpus < 0)
		return;
	int ac = fdt_address_cells(fdt, cpus);

	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		int len;
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

		if (!type || strcmp(type, "cpu") || !reg || ac < 1 || ac > 2 || len < ac * 4)
			continue;
		if (info->nr_cpus < KEEL_MAX_PCPUS)
			info->cpu_hwid[info->nr_cpus++] = read_cells(reg, ac);
	}
}

int fw_dtb_read(const void *fdt, struct fw_info *info)
{
	int err = fdt_check_header(fdt), chosen;

	memset(info, 0, sizeof(*info));
	if (err)
		return err;
	info->nr_ram = fw_dtb_ram(fdt, info->ram, FW_MAX_RAM);
	read_reserved(fdt, info);
	read_cpus(fdt, info);
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen >= 0) {
		uint64_t s = chosen_u64(fdt, chosen, "linux,initrd-start");
		uint64_t e = chosen_u64(fdt, chosen, "linux,initrd-end");

		if (e > s) {
			info->initrd.base = s;
			info->initrd.size = e - s;
		}
	}
	return 0;
}
