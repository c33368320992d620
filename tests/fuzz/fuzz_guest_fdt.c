// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for guest DTB generation: src/guest_fdt.c with the arch's
 * nodes (arch/arm64/board.c here; fuzz_guest_fdt_riscv builds the same file
 * with arch/riscv64/board.c). The input describes a VM as the parser could
 * hand it over (name, vCPUs, up to 4 memory regions, bootargs, console,
 * initrd, boot count) and the size of the buffer the DTB must fit in.
 *
 * Promises: the result is 0 or a libfdt error; nothing is written outside
 * the buffer (an exact-size allocation under ASan); a 0 result is a valid
 * DTB no larger than the buffer whose /chosen, /memory and /cpus say
 * exactly what the VM has (bootargs, boot count, initrd range, one memory
 * node per region with its reg, one cpu node per vCPU, the model name).
 */
#include "fake_env.h"
#include <keel/arch.h>
#include <keel/guest_fdt.h>
#include <libfdt.h>

#ifdef FUZZ_RISCV
bool have_sstc;

void vplic_register(struct vm *vm)
{
	(void)vm;
}
#else
#include <asm/fpstate.h>
struct fp_hw fp_hw;

void vgic_register_devices(struct vm *vm)
{
	(void)vm;
}

void pl011_register(struct vm *vm, uint64_t base, unsigned intid)
{
	(void)vm;
	(void)base;
	(void)intid;
}
#endif

void ns16550_register(struct vm *vm, uint64_t base, unsigned irq);
void ns16550_register(struct vm *vm, uint64_t base, unsigned irq)
{
	(void)vm;
	(void)base;
	(void)irq;
}

static uint64_t cells(const fdt32_t *p, int n)
{
	return n == 2 ? (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]) :
			fdt32_to_cpu(p[0]);
}

static void check(const void *fdt, size_t size, const struct vm *vm,
		  const struct guest_fdt_info *info)
{
	int chosen, len, node, n = 0;
	const void *p;

	PROMISE(fdt_check_header(fdt) == 0 && fdt_totalsize(fdt) <= size);
	p = fdt_getprop(fdt, 0, "model", &len);
	PROMISE(p && !strcmp(p, vm->name));
	chosen = fdt_path_offset(fdt, "/chosen");
	PROMISE(chosen >= 0);
	p = fdt_getprop(fdt, chosen, "bootargs", &len);
	PROMISE(vm->cfg->bootargs ? p && !strcmp(p, vm->cfg->bootargs) : !p);
	p = fdt_getprop(fdt, chosen, "keel,boot-count", &len);
	PROMISE(p && len == 4 && fdt32_to_cpu(*(const fdt32_t *)p) == vm->boot_count);
	p = fdt_getprop(fdt, chosen, "linux,initrd-start", &len);
	PROMISE(info->initrd_size ? p && len == 8 && cells(p, 2) == info->initrd_ipa : !p);
	p = fdt_getprop(fdt, chosen, "linux,initrd-end", &len);
	PROMISE(!info->initrd_size ||
		(p && len == 8 && cells(p, 2) == info->initrd_ipa + info->initrd_size));
	fdt_for_each_subnode(node, fdt, 0)
	{
		const char *name = fdt_get_name(fdt, node, NULL);
		const fdt32_t *reg;

		if (strncmp(name, "memory@", 7))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		PROMISE(n < (int)vm->nr_mem && reg && len == 16);
		PROMISE(cells(reg, 2) == vm->mem[n].ipa && cells(reg + 2, 2) == vm->mem[n].size);
		n++;
	}
	PROMISE(n == (int)vm->nr_mem);
	n = 0;
	node = fdt_path_offset(fdt, "/cpus");
	PROMISE(node >= 0);
	fdt_for_each_subnode(chosen, fdt, node) n++;
	PROMISE(n == (int)vm->nr_vcpus);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm vm;
	static struct vm_config cfg;
	struct guest_fdt_info info = { 0 };
	struct fin in = { data, size };
	char bootargs[300];
	size_t buf_size, n;
	uint8_t flags = fin_u8(&in);
	void *buf;
	int err;

	memset(&vm, 0, sizeof(vm));
	memset(&cfg, 0, sizeof(cfg));
	vm.cfg = &cfg;
	for (n = 0; n < KEEL_NAME_MAX - 1 && in.n && *in.p; n++)
		vm.name[n] = (char)fin_u8(&in);
	fin_u8(&in);
	vm.nr_vcpus = 1 + fin_u8(&in) % KEEL_MAX_VCPUS;
	vm.nr_mem = 1 + fin_u8(&in) % KEEL_MAX_MEM_REGIONS;
	for (unsigned i = 0; i < vm.nr_mem; i++) {
		vm.mem[i].ipa = flags & 1 ? fin_u64(&in) : (uint64_t)fin_u32(&in) << 12;
		vm.mem[i].size = flags & 2 ? fin_u64(&in) : (uint64_t)fin_u16(&in) << 12;
	}
	vm.boot_count = fin_u32(&in);
	cfg.console = (enum console_mode)(fin_u8(&in) % 3);
	if (flags & 4) {
		info.initrd_ipa = fin_u64(&in);
		info.initrd_size = fin_u64(&in);
	}
	buf_size = flags & 8 ? fin_u16(&in) % (GUEST_FDT_MAX + 1) : GUEST_FDT_MAX;
	if (flags & 16) {
		for (n = 0; n < sizeof(bootargs) - 1 && in.n && *in.p; n++)
			bootargs[n] = (char)fin_u8(&in);
		bootargs[n] = 0;
		cfg.bootargs = bootargs;
	}
	buf = malloc(buf_size ? buf_size : 1);
	PROMISE(buf);
	err = guest_fdt_build(buf, buf_size, &vm, &info);
	PROMISE(err <= 0 && err >= -FDT_ERR_MAX);
	if (!err)
		check(buf, buf_size, &vm, &info);
	free(buf);
	return 0;
}
