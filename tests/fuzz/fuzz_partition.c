// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for partition_parse() with the arm64 QEMU virt limits.
 *
 * libFuzzer (clang -fsanitize=fuzzer,address,undefined): make fuzz-partition.
 *
 * Without libFuzzer, -DFUZZ_SMOKE adds a main() (make fuzz-smoke):
 *   fuzz_partition_smoke [N]               N deterministic mutations (default
 *                                          20000) of valid seed blobs built here
 *   fuzz_partition_smoke FILE...           replay inputs (e.g. libFuzzer crashes)
 *   fuzz_partition_smoke --write-seeds DIR write the seed blobs as a corpus
 *
 * Besides the sanitizers, every accepted VM is checked against what the
 * parser promises (memory inside limits, images inside the blob, load range
 * inside one region, ...); a broken promise abort()s.
 */
#include <keel/partition.h>
#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DTB_RESERVE (64u << 10)

static const struct mem_region arm64_dev[] = {
	{ 0x08000000, 0x10000 },
	{ 0x080a0000, 0xf60000 },
	{ 0x09000000, 0x1000 },
};
static const char *const arm64_dev_names[] = { "gicd", "gicr", "pl011" };
static const struct part_limits arm64_limits = {
	.nr_pcpus = 4,
	.max_vcpus = 8,
	.ipa_limit = 1ULL << 40,
	.nr_dev = 3,
	.dev = arm64_dev,
	.dev_names = arm64_dev_names,
	.sve_max_vl = 256,
	.sme_max_vl = 256,
};

static enum part_err last_err;

#define PROMISE(cond)                                                                            \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "fuzz_partition: broken promise: %s (line %d)\n", #cond, \
				__LINE__);                                                       \
			abort();                                                                 \
		}                                                                                \
	} while (0)

/* No-op reporter; strlen() lets ASan see an unterminated message. */
static void drop_msg(void *ctx, enum log_level level, const char *msg)
{
	(void)ctx;
	PROMISE(level <= LOG_DEBUG && strlen(msg) < 256);
}

static int inside(const void *p, size_t n, const uint8_t *blob, size_t size)
{
	const uint8_t *q = p;

	return q >= blob && q <= blob + size && n <= (size_t)(blob + size - q);
}

static int region_of(const struct vm_config *vm, uint64_t addr)
{
	for (uint32_t i = 0; i < vm->nr_mem; i++)
		if (addr >= vm->mem[i].base && addr - vm->mem[i].base < vm->mem[i].size)
			return (int)i;
	return -1;
}

static void check_memory(const struct vm_config *vm)
{
	const struct part_limits *l = &arm64_limits;

	PROMISE(vm->nr_mem >= 1 && vm->nr_mem <= KEEL_MAX_MEM_REGIONS);
	for (uint32_t i = 0; i < vm->nr_mem; i++) {
		const struct mem_region *r = &vm->mem[i];

		PROMISE(r->size && !(r->base & 0xfff) && !(r->size & 0xfff));
		PROMISE(r->base < l->ipa_limit && r->size <= l->ipa_limit - r->base);
		for (uint32_t j = 0; j < i; j++)
			PROMISE(!ranges_overlap(r->base, r->size, vm->mem[j].base,
						vm->mem[j].size));
		for (uint32_t d = 0; d < l->nr_dev; d++)
			PROMISE(!ranges_overlap(r->base, r->size, l->dev[d].base, l->dev[d].size));
	}
}

static void check_vm(const struct vm_config *vm, const uint8_t *blob, size_t size)
{
	uint64_t total = 0;
	int r;

	PROMISE(memchr(vm->name, 0, sizeof(vm->name)) && vm->name[0]);
	PROMISE(vm->vcpus >= 1 && vm->vcpus <= arm64_limits.max_vcpus);
	for (uint32_t i = 0; vm->has_affinity && i < vm->vcpus; i++)
		PROMISE(vm->affinity[i] < arm64_limits.nr_pcpus);
	check_memory(vm);
	PROMISE(vm->kernel_size && inside(vm->kernel, vm->kernel_size, blob, size));
	PROMISE(vm->load_size >= vm->kernel_size);
	r = region_of(vm, vm->load_addr);
	PROMISE(r >= 0);
	PROMISE(vm->load_size <= vm->mem[r].size - (vm->load_addr - vm->mem[r].base));
	PROMISE(region_of(vm, vm->entry) >= 0);
	PROMISE(!vm->initrd ||
		(vm->initrd_size && inside(vm->initrd, vm->initrd_size, blob, size)));
	PROMISE(vm->initrd || !vm->initrd_size);
	for (uint32_t i = 0; i < vm->nr_mem; i++)
		total += vm->mem[i].size;
	PROMISE(vm->load_size + vm->initrd_size + DTB_RESERVE <= total);
	PROMISE(!vm->bootargs || inside(vm->bootargs, strlen(vm->bootargs) + 1, blob, size));
	PROMISE(vm->console <= CONSOLE_NONE);
	PROMISE(vm->manager || !vm->memory_pool);
	PROMISE(vm->sve_max_vl % 16 == 0 && vm->sve_max_vl <= arm64_limits.sve_max_vl);
	PROMISE(vm->sme_max_vl % 16 == 0 && vm->sme_max_vl <= arm64_limits.sme_max_vl);
}

static void check_result(enum part_err err, const struct partition *p, const uint8_t *blob,
			 size_t size)
{
	PROMISE((unsigned int)err < PART_ERR__COUNT);
	PROMISE(p->nr_vms <= KEEL_MAX_VMS);
	PROMISE(err == PART_OK ? p->nr_vms >= 1 : p->nr_vms == 0);
	PROMISE(p->keel.log_level <= LOG_DEBUG);
	PROMISE(p->keel.time_slice_us >= 100 && p->keel.time_slice_us <= 1000000);
	for (uint32_t i = 0; i < p->nr_refused && i < KEEL_MAX_REFUSED; i++)
		PROMISE(p->refused[i].err > PART_OK && p->refused[i].err < PART_ERR__COUNT &&
			memchr(p->refused[i].name, 0, KEEL_NAME_MAX));
	for (uint32_t i = 0; i < p->nr_vms; i++) {
		check_vm(&p->vms[i], blob, size);
		for (uint32_t j = 0; j < i; j++)
			PROMISE(strcmp(p->vms[i].name, p->vms[j].name) != 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct partition part;
	/* exact-size malloc copy: aligned for libfdt, and ASan sees any over-read */
	uint8_t *blob = malloc(size ? size : 1);

	if (!blob)
		return 0;
	memcpy(blob, data, size);
	last_err = partition_parse(blob, size, &arm64_limits, &part, drop_msg, NULL);
	check_result(last_err, &part, blob, size);
	free(blob);
	return 0;
}

#ifdef FUZZ_SMOKE

#define SEED_MAX 4096
#define NR_SEEDS 3

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void seed_vm(void *b, const char *name, uint32_t ac, int variant)
{
	static const uint8_t initrd[] = { 0x1f, 0x8b, 8, 0, 1, 2, 3, 4 };
	uint8_t img[64] = { 0 };
	fdt32_t mem[8];
	int n = 0;

	/* Linux arm64 Image header: text_offset 0x200000, image_size 4 MiB */
	img[10] = 0x20;
	img[18] = 0x40;
	memcpy(img + 56, "ARM\x64", 4);
	if (ac == 2)
		mem[n++] = 0;
	mem[n++] = cpu_to_fdt32(0x40000000);
	if (ac == 2)
		mem[n++] = 0;
	mem[n++] = cpu_to_fdt32(0x10000000);
	if (ac == 2)
		mem[n++] = 0;
	mem[n++] = cpu_to_fdt32(0x80000000);
	if (ac == 2)
		mem[n++] = 0;
	mem[n++] = cpu_to_fdt32(0x1000000);

	fdt_begin_node(b, name);
	fdt_property_string(b, "compatible", "keel,vm");
	fdt_property_u32(b, "vcpus", 2);
	fdt_property(b, "cpu-affinity", (fdt32_t[]){ cpu_to_fdt32(0), cpu_to_fdt32(3) }, 8);
	fdt_property(b, "memory", mem, n * 4);
	fdt_property(b, "kernel", img, variant ? 4 : sizeof(img));
	if (variant) {
		fdt_property(b, "load-address", mem, ac * 4);
		fdt_property(b, "entry", mem, ac * 4);
		fdt_property(b, "keel,manager", "", 0);
		fdt_property(b, "memory-pool", mem + ac, ac * 4);
		fdt_property_u32(b, "sve-max-vl", 64);
		fdt_property_u32(b, "sme-max-vl", 32);
	} else {
		fdt_property(b, "initrd", initrd, sizeof(initrd));
		fdt_property_string(b, "bootargs", "console=ttyAMA0");
		fdt_property_string(b, "console", "passthrough");
	}
	fdt_end_node(b);
}

/* Valid partition files: 2/2 cells, 1/1 cells, and a third with more nodes. */
static size_t build_seed(uint8_t *buf, int which)
{
	uint32_t ac = which == 1 ? 1 : 2;

	fdt_create(buf, SEED_MAX);
	fdt_finish_reservemap(buf);
	fdt_begin_node(buf, "");
	fdt_property_string(buf, "compatible", "keel,partition-v1");
	fdt_property_u32(buf, "#address-cells", ac);
	fdt_property_u32(buf, "#size-cells", ac);
	fdt_begin_node(buf, "keel");
	fdt_property_string(buf, "log-level", "debug");
	fdt_property_u32(buf, "time-slice-us", 2000);
	fdt_end_node(buf);
	seed_vm(buf, "linux", ac, 0);
	seed_vm(buf, "manager", ac, 1);
	if (which == 2) {
		seed_vm(buf, "third", ac, 0);
		fdt_begin_node(buf, "chosen");
		fdt_end_node(buf);
	}
	fdt_end_node(buf);
	if (fdt_finish(buf) < 0) {
		fprintf(stderr, "fuzz_partition_smoke: seed %d does not fit\n", which);
		exit(2);
	}
	return fdt_totalsize(buf);
}

static uint32_t interesting(size_t size)
{
	static const uint32_t v[] = { 0,	  1,	      2,	  3,	      4,
				      8,	  9,	      0x7f,	  0x80,	      0xff,
				      0x1000,	  0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff,
				      0x40000000, 0x08000000, 0xd00dfeed };

	switch (rnd() % 4) {
	case 0:
		return (uint32_t)size - (uint32_t)(rnd() % 16);
	case 1:
		return (uint32_t)(rnd() % 256);
	default:
		return v[rnd() % (sizeof(v) / sizeof(v[0]))];
	}
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* One random edit of buf[0..*size), which has room for cap bytes. */
static void mutate(uint8_t *buf, size_t *size, size_t cap)
{
	size_t n = *size, at = n ? rnd() % n : 0;

	switch (rnd() % 8) {
	case 0:
	case 1:
		if (n)
			buf[at] ^= (uint8_t)(1u << (rnd() % 8));
		break;
	case 2:
		if (n)
			buf[at] = (uint8_t)rnd();
		break;
	case 3:
	case 4:
		if (n >= 4)
			put_be32(buf + (at & ~(size_t)3) - ((at & ~(size_t)3) + 4 > n ? 4 : 0),
				 interesting(n));
		break;
	case 5: /* truncation mostly ends at "not a DTB": keep it rare */
		if (rnd() % 8 == 0)
			*size = n ? rnd() % n : 0;
		else if (n >= 4)
			buf[at] = (uint8_t)interesting(n);
		break;
	case 6:
		while (*size < cap && rnd() % 8)
			buf[(*size)++] = (uint8_t)rnd();
		break;
	default:
		if (n >= 8) { /* copy a chunk over another place */
			size_t len = 4 * (1 + rnd() % 8), from = rnd() % n, to = rnd() % n;

			if (from + len <= n && to + len <= n)
				memmove(buf + to, buf + from, len);
		}
		break;
	}
}

static int write_seeds(const char *dir)
{
	static uint8_t seed[SEED_MAX];
	char path[4096];

	for (int s = 0; s < NR_SEEDS; s++) {
		size_t n = build_seed(seed, s);
		FILE *f;

		snprintf(path, sizeof(path), "%s/seed%d.dtb", dir, s);
		f = fopen(path, "wb");
		if (!f || fwrite(seed, 1, n, f) != n) {
			perror(path);
			return 2;
		}
		fclose(f);
	}
	printf("wrote %d seeds to %s\n", NR_SEEDS, dir);
	return 0;
}

static int replay(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		static uint8_t buf[1 << 24];
		size_t n;

		if (!f) {
			perror(argv[i]);
			return 2;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		printf("replayed %s (%zu bytes): %s\n", argv[i], n, part_strerror(last_err));
	}
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t seeds[NR_SEEDS][SEED_MAX], work[SEED_MAX + 256];
	size_t seed_size[NR_SEEDS];
	unsigned long results[PART_ERR__COUNT] = { 0 }, n = 20000;
	char *end;

	if (argc == 3 && !strcmp(argv[1], "--write-seeds"))
		return write_seeds(argv[2]);
	if (argc == 2) {
		n = strtoul(argv[1], &end, 0);
		if (*end)
			return replay(argc, argv);
	} else if (argc > 2) {
		return replay(argc, argv);
	}

	for (int s = 0; s < NR_SEEDS; s++) {
		seed_size[s] = build_seed(seeds[s], s);
		LLVMFuzzerTestOneInput(seeds[s], seed_size[s]);
		if (last_err != PART_OK) {
			fprintf(stderr, "FAIL fuzz_partition_smoke: seed %d refused: %s\n", s,
				part_strerror(last_err));
			return 1;
		}
	}
	for (unsigned long i = 0; i < n; i++) {
		int s = (int)(rnd() % NR_SEEDS), edits = 1 + (int)(rnd() % 6);
		size_t size = seed_size[s];

		memcpy(work, seeds[s], size);
		while (edits--)
			mutate(work, &size, sizeof(work));
		LLVMFuzzerTestOneInput(work, size);
		results[last_err]++;
	}
	fprintf(stderr, "fuzz_partition_smoke: results:");
	for (int e = 0; e < PART_ERR__COUNT; e++)
		if (results[e])
			fprintf(stderr, " %s=%lu", part_strerror((enum part_err)e), results[e]);
	fprintf(stderr, "\n");
	printf("PASS fuzz_partition_smoke (%lu inputs)\n", n);
	return 0;
}
#endif
