// SPDX-License-Identifier: GPL-2.0-or-later
/* What a guest sees on x86_64: COM1, and a multiboot information block instead of a DTB. */
#include <keel/arch.h>
#include <asm/multiboot.h>
#include <keel/guest_fdt.h>
#include <keel/vm.h>
#include <asm/x86_64.h>
#include <string.h>

void ns16550_register(struct vm *vm, uint64_t base, unsigned irq);

#define COM1 0x3f8
#define COM1_IRQ 4

void arch_part_limits(struct part_limits *lim, unsigned nr_cpus)
{
	lim->nr_pcpus = nr_cpus;
	lim->max_vcpus = KEEL_MAX_VCPUS;
	lim->ipa_limit = 1UL << 32; /* guests start in 32-bit mode: everything below 4 GiB */
	lim->nr_dev = 0; /* COM1 is a port, not memory */
	lim->dev = NULL;
	lim->dev_names = NULL;
}

void arch_vm_devices(struct vm *vm)
{
	if (vm->cfg->console != CONSOLE_NONE)
		ns16550_register(vm, PIO_SPACE + COM1, COM1_IRQ);
}

const char *arch_guest_stdout_path(struct vm *vm)
{
	(void)vm;
	return NULL;
}

int arch_guest_fdt_nodes(void *fdt, struct vm *vm)
{
	(void)fdt;
	(void)vm;
	return 0;
}

#define OFF_CMDLINE 0x100
#define OFF_MODS 0x800
#define OFF_MMAP 0x1000

/* Multiboot v1 information for the guest, written at the top of its first memory region. */
int arch_guest_boot_info(void *buf, size_t size, struct vm *vm, const struct guest_fdt_info *info)
{
	struct mbi *mbi = buf;
	uint32_t gpa = (uint32_t)vm->dtb_ipa;
	struct mb_mmap *mm = (void *)((char *)buf + OFF_MMAP);
	const char *args = vm->cfg->bootargs;

	if (size < OFF_MMAP + KEEL_MAX_MEM_REGIONS * sizeof(*mm) ||
	    vm->dtb_ipa + size > (1UL << 32))
		return -1;
	memset(buf, 0, OFF_MMAP);
	mbi->flags = MBI_MEM | MBI_MMAP;
	mbi->mem_lower = vm->mem[0].ipa == 0 ? 640 : 0;
	mbi->mem_upper = (uint32_t)((vm->mem[0].ipa + vm->mem[0].size - MiB(1)) >> 10);
	if (args && strlen(args) < OFF_MODS - OFF_CMDLINE) {
		memcpy((char *)buf + OFF_CMDLINE, args, strlen(args) + 1);
		mbi->flags |= MBI_CMDLINE;
		mbi->cmdline = gpa + OFF_CMDLINE;
	}
	if (info->initrd_size) {
		struct mb_mod *mod = (void *)((char *)buf + OFF_MODS);

		mod->start = (uint32_t)info->initrd_ipa;
		mod->end = (uint32_t)(info->initrd_ipa + info->initrd_size);
		mbi->flags |= MBI_MODS;
		mbi->mods_count = 1;
		mbi->mods_addr = gpa + OFF_MODS;
	}
	for (unsigned i = 0; i < vm->nr_mem; i++) {
		mm[i].size = sizeof(*mm) - 4;
		mm[i].base = vm->mem[i].ipa;
		mm[i].len = vm->mem[i].size;
		mm[i].type = 1;
	}
	mbi->mmap_addr = gpa + OFF_MMAP;
	mbi->mmap_length = vm->nr_mem * sizeof(*mm);
	return 0;
}
