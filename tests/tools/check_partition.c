// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check-partition: run keel's partition parser on the host.
 *
 *   check-partition [--arch arm64|riscv64|x86_64] [--nr-pcpus N] file.dtb
 *
 * Prints every parser message as "partition: <level>: <msg>", then one line
 * per valid VM and per refused VM node. Exit status: 0 every VM node is
 * valid, 1 some VM node was refused, 2 the file as a whole was refused (or
 * the command line or the file could not be used).
 */
#include <keel/partition.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_REFUSED_VM 1
#define EXIT_REFUSED_FILE 2
#define MAX_FILE (256u << 20)

struct arch_limits {
	const char *name;
	struct part_limits lim;
};

/* QEMU virt, arm64, gic-version=3 (docs/facts.md 7.1) */
static const struct mem_region arm64_dev[] = {
	{ 0x08000000, 0x10000 }, /* GICD */
	{ 0x080a0000, 0xf60000 }, /* GICR */
	{ 0x09000000, 0x1000 }, /* PL011 */
};
static const char *const arm64_dev_names[] = { "gicd", "gicr", "pl011" };

/* QEMU virt, riscv64: keel emulates the PLIC and the NS16550 at QEMU's addresses */
static const struct mem_region riscv64_dev[] = {
	{ 0x0c000000, 0x4000000 }, /* PLIC */
	{ 0x10000000, 0x1000 }, /* NS16550 */
};
static const char *const riscv64_dev_names[] = { "plic", "ns16550" };

static const struct arch_limits arches[] = {
	{ "arm64",
	  { .nr_pcpus = 4,
	    .max_vcpus = 8,
	    .ipa_limit = 1ULL << 40,
	    .nr_dev = 3,
	    .dev = arm64_dev,
	    .dev_names = arm64_dev_names,
	    .sve_max_vl = 256, /* QEMU -cpu max: SVE and SME up to 2048 bits */
	    .sme_max_vl = 256 } },
	{ "riscv64",
	  { .nr_pcpus = 4,
	    .max_vcpus = 8,
	    .ipa_limit = 1ULL << 41, /* Sv39x4 */
	    .nr_dev = 2,
	    .dev = riscv64_dev,
	    .dev_names = riscv64_dev_names } },
	/*
	 * QEMU PC: guests start in 32-bit mode (everything below 4 GiB); COM1 is a port, so no
	 * emulated MMIO device; the test machine's CPU count (-smp 4 in tests/scenarios/x86_64.env)
	 */
	{ "x86_64",
	  { .nr_pcpus = 4,
	    .max_vcpus = 8,
	    .ipa_limit = 1ULL << 32,
	    .nr_dev = 0,
	    .dev = NULL,
	    .dev_names = NULL } },
};

static const char *const level_names[] = { "error", "warn", "info", "debug" };

static void print_msg(void *ctx, enum log_level level, const char *msg)
{
	(void)ctx;
	printf("partition: %s: %s\n", (unsigned int)level < 4 ? level_names[level] : "?", msg);
}

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "check-partition: %s\n", why);
	fprintf(stderr,
		"usage: check-partition [--arch arm64|riscv64|x86_64] [--nr-pcpus N] file.dtb\n");
	return EXIT_REFUSED_FILE;
}

/* Whole file in a malloc()ed (so 8-byte aligned, as libfdt wants) buffer. */
static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (!f) {
		fprintf(stderr, "check-partition: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && (unsigned long)n <= MAX_FILE &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n ? (size_t)n : 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	if (!buf)
		fprintf(stderr, "check-partition: %s: cannot read (or larger than %u MiB)\n", path,
			MAX_FILE >> 20);
	fclose(f);
	return buf;
}

static const char *size_str(char *buf, size_t n, uint64_t v)
{
	if (v && v % (1 << 20) == 0)
		snprintf(buf, n, "%llu MiB", (unsigned long long)(v >> 20));
	else if (v && v % (1 << 10) == 0)
		snprintf(buf, n, "%llu KiB", (unsigned long long)(v >> 10));
	else
		snprintf(buf, n, "%llu bytes", (unsigned long long)v);
	return buf;
}

static void print_vm(const struct vm_config *vm)
{
	static const char *const consoles[] = { "emulated", "passthrough", "none" };
	char s[32];

	printf("vm %s: %u vcpu%s", vm->name, vm->vcpus, vm->vcpus == 1 ? "" : "s");
	for (uint32_t i = 0; i < vm->nr_mem; i++)
		printf("%s%s at 0x%llx", i ? " + " : ", ", size_str(s, sizeof(s), vm->mem[i].size),
		       (unsigned long long)vm->mem[i].base);
	printf(", kernel %zu bytes at 0x%llx", vm->kernel_size, (unsigned long long)vm->load_addr);
	printf(", entry 0x%llx", (unsigned long long)vm->entry);
	if (vm->load_size > vm->kernel_size)
		printf(", image reserves %s", size_str(s, sizeof(s), vm->load_size));
	if (vm->has_affinity)
		for (uint32_t i = 0; i < vm->vcpus; i++)
			printf("%s%u", i ? "," : ", on CPUs ", vm->affinity[i]);
	if (vm->initrd)
		printf(", initrd %zu bytes", vm->initrd_size);
	if (vm->console != CONSOLE_EMULATED && (unsigned int)vm->console < 3)
		printf(", console %s", consoles[vm->console]);
	if (vm->manager)
		printf(", manager (pool %s)", size_str(s, sizeof(s), vm->memory_pool));
	if (vm->sve_max_vl || vm->sme_max_vl)
		printf(", sve-max-vl %u, sme-max-vl %u", vm->sve_max_vl, vm->sme_max_vl);
	if (vm->bootargs)
		printf(", bootargs \"%s\"", vm->bootargs);
	printf("\n");
}

static int report(const struct partition *part, enum part_err err)
{
	if (err != PART_OK) {
		printf("check-partition: file refused: %s\n", part_strerror(err));
		return EXIT_REFUSED_FILE;
	}
	printf("keel: log-level %s, time-slice-us %u\n", level_names[part->keel.log_level],
	       part->keel.time_slice_us);
	for (uint32_t i = 0; i < part->nr_vms; i++)
		print_vm(&part->vms[i]);
	for (uint32_t i = 0; i < part->nr_refused && i < KEEL_MAX_REFUSED; i++)
		printf("vm %s: refused: %s\n", part->refused[i].name,
		       part_strerror(part->refused[i].err));
	printf("check-partition: %u VM%s valid, %u refused, %u warning%s\n", part->nr_vms,
	       part->nr_vms == 1 ? "" : "s", part->nr_refused, part->nr_warnings,
	       part->nr_warnings == 1 ? "" : "s");
	return part->nr_refused ? EXIT_REFUSED_VM : 0;
}

int main(int argc, char **argv)
{
	static struct partition part;
	const char *arch = "arm64", *path = NULL;
	struct part_limits lim;
	const struct arch_limits *a = NULL;
	long nr_pcpus = -1;
	size_t size = 0;
	void *blob;
	int rc;

	for (int i = 1; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "--arch") && i + 1 < argc) {
			arch = argv[++i];
		} else if (!strcmp(argv[i], "--nr-pcpus") && i + 1 < argc) {
			nr_pcpus = strtol(argv[++i], &end, 0);
			if (*end || nr_pcpus < 1 || nr_pcpus > 4096)
				return usage("--nr-pcpus wants a number from 1 to 4096");
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(NULL);
			return 0;
		} else if (argv[i][0] == '-' || path) {
			return usage("bad arguments");
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return usage("no file given");
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcmp(arches[i].name, arch))
			a = &arches[i];
	if (!a) {
		fprintf(stderr,
			"check-partition: no machine limits for arch %s (known: arm64, riscv64, x86_64)\n",
			arch);
		return EXIT_REFUSED_FILE;
	}
	lim = a->lim;
	if (nr_pcpus > 0)
		lim.nr_pcpus = (uint32_t)nr_pcpus;

	blob = read_file(path, &size);
	if (!blob)
		return EXIT_REFUSED_FILE;
	rc = report(&part, partition_parse(blob, size, &lim, &part, print_msg, NULL));
	free(blob);
	return rc;
}
