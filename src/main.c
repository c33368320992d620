// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Boot sequence: console, memory from the firmware DTB, allocator, partition
 * file, VMs, secondary pCPUs, then every pCPU enters its run loop.
 */
#include <keel/keel.h>
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/fw_dtb.h>
#include <keel/mm.h>
#include <keel/partition.h>
#include <keel/vm.h>
#include <keel/hcall.h>

static struct fw_info fw;
static int fw_err;
static struct partition part;
uint64_t boot_counter_start; /* counter at keel's first instruction */

struct fw_info *keel_early(const void *fdt)
{
	fw_err = arch_fw_read(fdt, &fw);
	return &fw;
}

static void part_report(void *ctx, enum log_level level, const char *msg)
{
	(void)ctx;
	log_msg(level, "partition: %s", msg);
}

static void __attribute__((noreturn)) stop(const char *why)
{
	log_err("%s", why);
	log_err("nothing to run, powering off");
	arch_poweroff();
}

static void discover_memory(void)
{
	uint64_t total = 0;

	mm_init();
	for (unsigned i = 0; i < fw.nr_ram; i++) {
		if (!fw.ram[i].size) {
			log_warn("a RAM range of the firmware DTB could not be mapped, not used");
			continue;
		}
		mm_add_ram(pa_init(fw.ram[i].base), fw.ram[i].size);
		total += fw.ram[i].size;
	}
	mm_reserve(pa_init((uintptr_t)__image_start),
		   (uintptr_t)_image_end - (uintptr_t)__image_start);
	if (fw.initrd.size)
		mm_reserve(
			pa_init(ALIGN_DOWN(fw.initrd.base, PAGE_SIZE)),
			ALIGN_UP(fw.initrd.size + (fw.initrd.base & (PAGE_SIZE - 1)), PAGE_SIZE));
	for (unsigned i = 0; i < fw.nr_reserved; i++)
		mm_reserve(pa_init(ALIGN_DOWN(fw.reserved[i].base, PAGE_SIZE)),
			   ALIGN_UP(fw.reserved[i].size, PAGE_SIZE));
	log_info("%u MiB RAM, %lu MiB free after keel (%lu KiB), firmware data and partition file",
		 (unsigned)(total >> 20), (unsigned long)(mm_free_bytes() >> 20),
		 (unsigned long)(((uintptr_t)_image_end - (uintptr_t)__image_start) >> 10));
}

static void read_partition(void)
{
	struct part_limits lim = { 0 }; /* fields an arch does not set: none (e.g. no SVE) */
	enum part_err err;

	if (!fw.initrd.size)
		stop("no partition file: pass the partition DTB as the initrd "
		     "(QEMU -initrd, U-Boot FIT ramdisk, first GRUB multiboot module)");
	arch_part_limits(&lim, nr_pcpus);
	err = partition_parse((const void *)(uintptr_t)fw.initrd.base, fw.initrd.size, &lim, &part,
			      part_report, NULL);
	if (err) {
		log_err("partition: file refused: %s", part_strerror(err));
		stop("the partition file (initrd) is unusable");
	}
	log_set_level(part.keel.log_level);
	sched_time_slice_us = part.keel.time_slice_us;
	sched_fp_eager = part.keel.fp_eager;
	if (part.nr_refused)
		log_warn("partition: %u VM(s) refused, %u valid", part.nr_refused, part.nr_vms);
}

static void create_vms(void)
{
	unsigned created = 0;

	for (unsigned i = 0; i < part.nr_vms; i++) {
		struct vm *vm;
		const struct vm_config *c = &part.vms[i];

		if (vm_create(c, &vm)) {
			log_err("%s: not created", c->name);
			continue;
		}
		log_info("%s: %u vCPU(s), %lu MiB at 0x%lx, entry 0x%lx", c->name, c->vcpus,
			 (unsigned long)(c->mem[0].size >> 20), (unsigned long)c->mem[0].base,
			 (unsigned long)c->entry);
		created++;
	}
	if (!created)
		stop("no VM could be created");
}

/*
 * pCPUs with no vCPU stay with the firmware, unless a manager VM may create
 * VMs at run time: then every pCPU starts and idles until it gets work.
 */
static void start_secondaries(unsigned boot)
{
	bool manager = false;

	for (unsigned i = 0; i < part.nr_vms; i++)
		manager |= part.vms[i].manager;
	for (unsigned cpu = 0; cpu < nr_pcpus; cpu++) {
		if (cpu == boot || (!pcpus[cpu].nr_vcpus && !manager))
			continue;
		if (arch_start_cpu(cpu, pcpus[cpu].hwid))
			log_err("CPU %u (hwid 0x%lx) did not start", cpu,
				(unsigned long)pcpus[cpu].hwid);
	}
}

void keel_main(void *fdt, uint64_t start_counter)
{
	unsigned boot = 0;

	boot_counter_start = start_counter;
	log_info("keel %s (%s) starting at counter %lu", KEEL_VERSION_STR, arch_name(),
		 (unsigned long)boot_counter_start);
	log_info("stack protector: canary drawn at boot from %s", stack_guard_source());
	if (fw_err) {
		log_err("firmware description at %p: %s", fdt, arch_fw_strerror(fw_err));
		stop("cannot run without the firmware's description of the machine");
	}
	if (!fw.nr_ram)
		stop("the firmware describes no RAM");
	nr_pcpus = fw.nr_cpus ? fw.nr_cpus : 1;
	for (unsigned i = 0; i < nr_pcpus; i++) {
		pcpus[i].id = i;
		pcpus[i].hwid = fw.cpu_hwid[i];
		if (fw.cpu_hwid[i] == arch_boot_hwid())
			boot = i; /* pCPU numbers follow the firmware DTB's /cpus order */
	}
	pcpus[boot].online = true;
	discover_memory();
	arch_cpu_init(boot);
	read_partition();
	create_vms();
	log_info("VMs ready after %lu counter ticks, %lu of them zeroing guest memory",
		 (unsigned long)(arch_counter() - boot_counter_start),
		 (unsigned long)vm_scrub_ticks);
	for (unsigned i = 0; i < vm_count(); i++)
		vm_start(vm_by_index(i));
	start_secondaries(boot);
	keel_booted = true;
	sched_run();
}

void secondary_main(unsigned cpu)
{
	arch_cpu_init(cpu);
	pcpus[cpu].online = true;
	sched_run();
}
