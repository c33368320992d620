// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest device tree (src/guest_fdt.c), built with fake arch hooks and read
 * back with libfdt.
 */
#include <stdlib.h>
#include <keel/guest_fdt.h>
#include <keel/arch.h>
#include <keel/printf.h>
#include <keel/vm.h>
#include <libfdt.h>
#include "check.h"

#define STDOUT_PATH "/uart@9000000"

/* ---- fake arch hooks */

int arch_guest_fdt_nodes(void *fdt, struct vm *vm)
{
	char name[16];
	int err;

	err = fdt_begin_node(fdt, "cpus");
	err = err ?: fdt_property_u32(fdt, "#address-cells", 1);
	err = err ?: fdt_property_u32(fdt, "#size-cells", 0);
	for (unsigned i = 0; !err && i < vm->nr_vcpus; i++) {
		ksnprintf(name, sizeof(name), "cpu@%u", i);
		err = fdt_begin_node(fdt, name);
		err = err ?: fdt_property_string(fdt, "device_type", "cpu");
		err = err ?: fdt_property_u32(fdt, "reg", i);
		err = err ?: fdt_end_node(fdt);
	}
	return err ?: fdt_end_node(fdt);
}

const char *arch_guest_stdout_path(struct vm *vm)
{
	(void)vm;
	return STDOUT_PATH;
}

/* ---- helpers */

static struct vm_config cfg;
static struct vm vm;

static void setup(const char *name, const char *bootargs, enum console_mode console,
		  unsigned nr_vcpus)
{
	memset(&cfg, 0, sizeof(cfg));
	memset(&vm, 0, sizeof(vm));
	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	snprintf(vm.name, sizeof(vm.name), "%s", name);
	cfg.bootargs = bootargs;
	cfg.console = console;
	cfg.vcpus = nr_vcpus;
	vm.cfg = &cfg;
	vm.nr_vcpus = nr_vcpus;
}

static void add_mem(uint64_t ipa, uint64_t size)
{
	cfg.mem[cfg.nr_mem].base = ipa;
	cfg.mem[cfg.nr_mem].size = size;
	cfg.nr_mem++;
	vm.mem[vm.nr_mem].ipa = ipa;
	vm.mem[vm.nr_mem].pa = pa_init(0x880000000ULL + vm.nr_mem * GiB(1));
	vm.mem[vm.nr_mem].size = size;
	vm.nr_mem++;
}

/* Builds into a fresh heap buffer of exactly `size` bytes, so ASan sees any overflow. */
static void *build(size_t size, const struct guest_fdt_info *info, int *err)
{
	void *buf = malloc(size ? size : 1);

	*err = guest_fdt_build(buf, size, &vm, info);
	return buf;
}

static const char *prop_str(const void *fdt, const char *path, const char *prop, int *len)
{
	int node = fdt_path_offset(fdt, path);

	*len = -1;
	if (node < 0)
		return NULL;
	return fdt_getprop(fdt, node, prop, len);
}

#define CHECK_PROP_STR(fdt, path, prop, want)                                                   \
	do {                                                                                    \
		int len_;                                                                       \
		const char *v_ = prop_str(fdt, path, prop, &len_);                              \
		CHECK(v_ &&len_ == (int)strlen(want) + 1 && !memcmp(v_, want, len_),            \
		      "%s %s: expected \"%s\", saw %s%.*s%s (len %d)", path, prop, want,        \
		      v_ ? "\"" : "", v_ ? len_ : 6, v_ ? v_ : "absent", v_ ? "\"" : "", len_); \
	} while (0)

#define CHECK_NO_PROP(fdt, path, prop)                                                          \
	do {                                                                                    \
		int len_;                                                                       \
		CHECK(!prop_str(fdt, path, prop, &len_), "%s %s: present (len %d)", path, prop, \
		      len_);                                                                    \
	} while (0)

static uint32_t prop_u32(const void *fdt, const char *path, const char *prop)
{
	int len;
	const fdt32_t *v = (const fdt32_t *)prop_str(fdt, path, prop, &len);

	CHECK(v && len == 4, "%s %s: expected one cell, saw len %d", path, prop, len);
	return v && len == 4 ? fdt32_to_cpu(*v) : 0xdeadbeef;
}

static uint64_t prop_u64(const void *fdt, const char *path, const char *prop)
{
	int len;
	const void *v = prop_str(fdt, path, prop, &len);
	fdt64_t raw;

	CHECK(v && len == 8, "%s %s: expected two cells, saw len %d", path, prop, len);
	if (!v || len != 8)
		return 0xdeadbeefULL;
	memcpy(&raw, v, sizeof(raw)); /* properties are only 4-byte aligned */
	return fdt64_to_cpu(raw);
}

static void check_header(const void *fdt)
{
	CHECK(fdt_check_header(fdt) == 0, "bad header: %s", fdt_strerror(fdt_check_header(fdt)));
	CHECK(fdt_totalsize(fdt) <= GUEST_FDT_MAX, "total size %u", fdt_totalsize(fdt));
}

static void check_memory(const void *fdt)
{
	int count = 0, node;

	for (unsigned i = 0; i < vm.nr_mem; i++) {
		char path[48];
		int len;
		const fdt32_t *reg;

		snprintf(path, sizeof(path), "/memory@%llx", (unsigned long long)vm.mem[i].ipa);
		node = fdt_path_offset(fdt, path);
		CHECK(node >= 0, "%s missing: %s", path, fdt_strerror(node));
		if (node < 0)
			continue;
		CHECK_PROP_STR(fdt, path, "device_type", "memory");
		reg = fdt_getprop(fdt, node, "reg", &len);
		CHECK(reg && len == 16, "%s reg: expected 16 bytes, saw %d", path, len);
		if (!reg || len != 16)
			continue;
		uint64_t base = (uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1]);
		uint64_t size = (uint64_t)fdt32_to_cpu(reg[2]) << 32 | fdt32_to_cpu(reg[3]);

		CHECK_EQ_U64(base, vm.mem[i].ipa);
		CHECK_EQ_U64(size, vm.mem[i].size);
	}
	/* and no other memory nodes */
	fdt_for_each_subnode(node, fdt, 0)
	{
		const char *name = fdt_get_name(fdt, node, NULL);

		if (name && !strncmp(name, "memory", 6))
			count++;
	}
	CHECK_EQ_U64(count, vm.nr_mem);
}

static void check_cpus(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/cpus"), sub, count = 0;

	CHECK(node >= 0, "/cpus missing: %s", fdt_strerror(node));
	if (node < 0)
		return;
	fdt_for_each_subnode(sub, fdt, node)
	{
		count++;
	}
	CHECK_EQ_U64(count, vm.nr_vcpus);
}

/* ---- tests */

static void test_basic(void)
{
	struct guest_fdt_info info = { 0 };
	int err;
	void *fdt;

	setup("linux", "console=ttyAMA0 earlycon root=/dev/vda", CONSOLE_EMULATED, 2);
	add_mem(0x40000000, MiB(256));
	add_mem(GiB(8) + MiB(2), GiB(1));
	fdt = build(GUEST_FDT_MAX, &info, &err);
	CHECK(err == 0, "guest_fdt_build: %s", fdt_strerror(err));
	if (!err) {
		check_header(fdt);
		CHECK_PROP_STR(fdt, "/", "model", "linux");
		CHECK_PROP_STR(fdt, "/", "compatible", "keel,guest");
		CHECK_EQ_U64(prop_u32(fdt, "/", "#address-cells"), 2);
		CHECK_EQ_U64(prop_u32(fdt, "/", "#size-cells"), 2);
		CHECK_PROP_STR(fdt, "/chosen", "bootargs",
			       "console=ttyAMA0 earlycon root=/dev/vda");
		CHECK_PROP_STR(fdt, "/chosen", "stdout-path", STDOUT_PATH);
		CHECK_NO_PROP(fdt, "/chosen", "linux,initrd-start");
		CHECK_NO_PROP(fdt, "/chosen", "linux,initrd-end");
		CHECK(fdt_path_offset(fdt, "/memory@40000000") >= 0, "/memory@40000000 missing");
		CHECK(fdt_path_offset(fdt, "/memory@200200000") >= 0, "/memory@200200000 missing");
		check_memory(fdt);
		check_cpus(fdt);
		CHECK(fdt_path_offset(fdt, "/cpus/cpu@1") >= 0, "/cpus/cpu@1 missing");
	}
	free(fdt);
}

static void test_initrd(void)
{
	/* above 4 GiB on purpose: both cells must carry the value */
	struct guest_fdt_info info = { .initrd_ipa = GiB(4) + MiB(16), .initrd_size = 0x123000 };
	int err;
	void *fdt;

	setup("vm-with-initrd", NULL, CONSOLE_PASSTHROUGH, 1);
	add_mem(GiB(4), MiB(512));
	fdt = build(GUEST_FDT_MAX, &info, &err);
	CHECK(err == 0, "guest_fdt_build: %s", fdt_strerror(err));
	if (!err) {
		check_header(fdt);
		CHECK_EQ_U64(prop_u64(fdt, "/chosen", "linux,initrd-start"), GiB(4) + MiB(16));
		CHECK_EQ_U64(prop_u64(fdt, "/chosen", "linux,initrd-end"),
			     GiB(4) + MiB(16) + 0x123000);
		/* no bootargs given: no property */
		CHECK_NO_PROP(fdt, "/chosen", "bootargs");
		CHECK_PROP_STR(fdt, "/chosen", "stdout-path", STDOUT_PATH);
		CHECK_PROP_STR(fdt, "/", "model", "vm-with-initrd");
		check_memory(fdt);
		check_cpus(fdt);
	}
	free(fdt);
}

static void test_no_console(void)
{
	struct guest_fdt_info info = { 0 };
	int err;
	void *fdt;

	setup("quiet", "quiet", CONSOLE_NONE, 4);
	add_mem(0x40000000, MiB(64));
	add_mem(0x80000000, MiB(64));
	add_mem(0xc0000000, MiB(64));
	add_mem(GiB(512), GiB(2));
	fdt = build(GUEST_FDT_MAX, &info, &err);
	CHECK(err == 0, "guest_fdt_build: %s", fdt_strerror(err));
	if (!err) {
		check_header(fdt);
		CHECK(fdt_path_offset(fdt, "/chosen") >= 0, "/chosen missing");
		CHECK_NO_PROP(fdt, "/chosen", "stdout-path");
		CHECK_PROP_STR(fdt, "/chosen", "bootargs", "quiet");
		CHECK(fdt_path_offset(fdt, "/memory@8000000000") >= 0,
		      "/memory@8000000000 missing");
		check_memory(fdt);
		check_cpus(fdt);
	}
	free(fdt);
}

/* Every buffer size from 0 up: a clean libfdt error until it fits, never an overflow. */
static void test_small_buffers(void)
{
	struct guest_fdt_info info = { .initrd_ipa = 0x48000000, .initrd_size = MiB(8) };
	int err, first_ok = -1;
	void *fdt;

	setup("a-rather-long-vm-name-for-this", "console=ttyAMA0 root=/dev/ram0 rw",
	      CONSOLE_EMULATED, 8);
	add_mem(0x40000000, GiB(1));
	add_mem(GiB(2), GiB(1));

	fdt = build(256, &info, &err);
	CHECK(err < 0, "256-byte buffer: expected a libfdt error, saw %d", err);
	CHECK(err == -FDT_ERR_NOSPACE, "256-byte buffer: expected -FDT_ERR_NOSPACE, saw %s",
	      fdt_strerror(err));
	free(fdt);

	for (size_t size = 0; size <= 4096; size++) {
		fdt = build(size, &info, &err);
		if (first_ok < 0 && err == 0) {
			first_ok = (int)size;
			check_header(fdt);
			check_memory(fdt);
			check_cpus(fdt);
			CHECK_EQ_U64(fdt_totalsize(fdt), size);
		}
		if (first_ok < 0)
			CHECK(err < 0, "size %zu: expected a libfdt error, saw %d", size, err);
		else
			CHECK(err == 0, "size %zu: %s after size %d fitted", size,
			      fdt_strerror(err), first_ok);
		free(fdt);
	}
	CHECK(first_ok > 256, "fitted in %d bytes", first_ok);
}

int main(void)
{
	RUN(test_basic);
	RUN(test_initrd);
	RUN(test_no_console);
	RUN(test_small_buffers);
	CHECK_EXIT();
}
