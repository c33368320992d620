// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host unit tests for the partition-file parser (src/partition.c) and the
 * Linux Image header reader (src/image.c). Test blobs are built in C with
 * libfdt's sequential-write API, so the test needs no dtc.
 *
 * Most bad cases build a file with a valid VM "good" followed by a VM "bad"
 * that carries one defect, and check that only "bad" is refused, with the
 * expected error code and a message naming "bad/<property>".
 */
#include <keel/partition.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define BLOB_MAX (1 << 16)
#define LOG_MAX (1 << 16)

/* ------------------------------------------------------------ blob builder */

static struct {
	uint64_t buf[BLOB_MAX / 8]; /* 8-byte aligned, as libfdt requires */
	int err;
	uint32_t ac, sc;
} T;

static void tb(int r)
{
	if (r < 0 && !T.err)
		T.err = r;
}

static void prop_raw(const char *name, const void *data, int len)
{
	tb(fdt_property(T.buf, name, data, len));
}

static void prop_str(const char *name, const char *s)
{
	prop_raw(name, s, (int)strlen(s) + 1);
}

static void prop_u32(const char *name, uint32_t v)
{
	tb(fdt_property_u32(T.buf, name, v));
}

static void prop_empty(const char *name)
{
	prop_raw(name, "", 0); /* not NULL: fdt_property() memcpy()s it */
}

/* n 32-bit cells */
static void prop_cells(const char *name, int n, ...)
{
	fdt32_t cells[32];
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
	va_end(ap);
	prop_raw(name, cells, n * 4);
}

static int put_cells(fdt32_t *c, uint32_t n, uint64_t v)
{
	for (uint32_t i = 0; i < n; i++)
		c[i] = cpu_to_fdt32((uint32_t)(v >> (32 * (n - 1 - i))));
	return (int)n;
}

/* an address of #address-cells cells */
static void prop_addr(const char *name, uint64_t v)
{
	fdt32_t c[2];

	prop_raw(name, c, put_cells(c, T.ac, v) * 4);
}

/* n <base size> pairs in the root's cell sizes */
static void prop_mem(int n, ...)
{
	fdt32_t c[64];
	int k = 0;
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		k += put_cells(c + k, T.ac, va_arg(ap, uint64_t));
		k += put_cells(c + k, T.sc, va_arg(ap, uint64_t));
	}
	va_end(ap);
	prop_raw("memory", c, k * 4);
}

static void node_begin(const char *name)
{
	tb(fdt_begin_node(T.buf, name));
}

static void node_end(void)
{
	tb(fdt_end_node(T.buf));
}

static void file_begin_raw(void)
{
	memset(&T, 0, sizeof(T));
	T.ac = T.sc = 2;
	tb(fdt_create(T.buf, sizeof(T.buf)));
	tb(fdt_finish_reservemap(T.buf));
	node_begin("");
}

static void file_begin_cells(uint32_t ac, uint32_t sc)
{
	file_begin_raw();
	prop_str("compatible", "keel,partition-v1");
	prop_u32("#address-cells", ac);
	prop_u32("#size-cells", sc);
	T.ac = ac;
	T.sc = sc;
}

static void file_begin(void)
{
	file_begin_cells(2, 2);
}

static void file_end(void)
{
	node_end();
	tb(fdt_finish(T.buf));
}

/* kernels */
static uint8_t kbuf[4096];

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void prop_plain_kernel(void)
{
	for (size_t i = 0; i < sizeof(kbuf); i++)
		kbuf[i] = (uint8_t)(i * 7 + 1);
	prop_raw("kernel", kbuf, sizeof(kbuf));
}

static void make_image(const char *magic, uint64_t text_offset, uint64_t image_size)
{
	memset(kbuf, 0x5a, sizeof(kbuf));
	put_le64(kbuf + 8, text_offset);
	put_le64(kbuf + 16, image_size);
	memcpy(kbuf + 56, magic, 4);
}

static void prop_linux_kernel(uint64_t text_offset, uint64_t image_size)
{
	make_image("ARM\x64", text_offset, image_size);
	prop_raw("kernel", kbuf, sizeof(kbuf));
}

/* The standard VM: 2 vCPUs on CPUs 0 and 1, 256 MiB at 0x40000000, 4 KiB plain kernel. */
enum { S_COMPAT = 1, S_VCPUS = 2, S_AFF = 4, S_MEM = 8, S_KERNEL = 16 };

static void std_props(unsigned int skip)
{
	if (!(skip & S_COMPAT))
		prop_str("compatible", "keel,vm");
	if (!(skip & S_VCPUS))
		prop_u32("vcpus", 2);
	if (!(skip & S_AFF))
		prop_cells("cpu-affinity", 2, 0, 1);
	if (!(skip & S_MEM))
		prop_mem(1, (uint64_t)0x40000000, MiB(256));
	if (!(skip & S_KERNEL))
		prop_plain_kernel();
}

static void std_vm(const char *name)
{
	node_begin(name);
	std_props(0);
	node_end();
}

/* File with VM "good", then VM "bad" with the standard properties minus skip;
 * the test adds the bad ones and calls bad_end(). */
static void bad_begin(unsigned int skip)
{
	file_begin();
	std_vm("good");
	node_begin("bad");
	std_props(skip);
}

static void bad_end(void)
{
	node_end();
	file_end();
}

/* ------------------------------------------------------------ parsing and checks */

static const struct mem_region arm64_dev[] = {
	{ 0x08000000, 0x10000 },
	{ 0x080a0000, 0xf60000 },
	{ 0x09000000, 0x1000 },
};
static const char *const arm64_dev_names[] = { "gicd", "gicr", "pl011" };

static struct part_limits L;
static struct partition part;
static enum part_err ret;
static char logbuf[LOG_MAX];
static size_t loglen;
static int nr_msgs;

static void reset_limits(void)
{
	L = (struct part_limits){
		.nr_pcpus = 4,
		.max_vcpus = 8,
		.ipa_limit = 1ULL << 40,
		.nr_dev = 3,
		.dev = arm64_dev,
		.dev_names = arm64_dev_names,
		.sve_max_vl = 256, /* QEMU -cpu max: 2048 bits */
		.sme_max_vl = 256,
	};
}

static void record(void *ctx, enum log_level level, const char *msg)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	int n;

	(void)ctx;
	CHECK(strlen(msg) < 240, "message too long: %s", msg);
	CHECK(msg[0] && msg[strlen(msg) - 1] != '\n', "empty or newline-terminated: \"%s\"", msg);
	n = snprintf(logbuf + loglen, sizeof(logbuf) - loglen, "%s: %s\n",
		     (unsigned int)level < 4 ? names[level] : "?", msg);
	if (n > 0 && (size_t)n < sizeof(logbuf) - loglen)
		loglen += (size_t)n;
	nr_msgs++;
}

static void parse_blob(const void *blob, size_t size)
{
	loglen = 0;
	logbuf[0] = '\0';
	nr_msgs = 0;
	memset(&part, 0xa5, sizeof(part)); /* the parser must clear it */
	ret = partition_parse(blob, size, &L, &part, record, NULL);
}

static void parse(void)
{
	CHECK(T.err == 0, "test blob builder failed: %s", fdt_strerror(T.err));
	parse_blob(T.buf, fdt_totalsize(T.buf));
}

static bool log_has(const char *needle)
{
	return strstr(logbuf, needle) != NULL;
}

/* "good" survived alone, "bad" was refused with want, and the log says needle. */
static void expect_refused(enum part_err want, const char *needle)
{
	parse();
	CHECK(ret == PART_OK, "expected PART_OK, saw %d (%s); log:\n%s", ret, part_strerror(ret),
	      logbuf);
	CHECK_EQ_U64(part.nr_vms, 1);
	CHECK(!strcmp(part.vms[0].name, "good"), "survivor is \"%s\"", part.vms[0].name);
	CHECK_EQ_U64(part.nr_refused, 1);
	CHECK(!strcmp(part.refused[0].name, "bad"), "refused \"%s\"", part.refused[0].name);
	CHECK(part.refused[0].err == want, "expected %s, saw %s", part_strerror(want),
	      part_strerror(part.refused[0].err));
	CHECK_STR_CONTAINS(logbuf, needle);
}

/* The whole file is refused with want; no VM survives. */
static void expect_file_error(enum part_err want, const char *needle)
{
	CHECK(ret == want, "expected %d (%s), saw %d (%s)", want, part_strerror(want), ret,
	      part_strerror(ret));
	CHECK_EQ_U64(part.nr_vms, 0);
	CHECK_STR_CONTAINS(logbuf, needle);
}

static void expect_clean(void)
{
	CHECK(ret == PART_OK, "expected PART_OK, saw %s; log:\n%s", part_strerror(ret), logbuf);
	CHECK(nr_msgs == 0, "expected no messages, saw:\n%s", logbuf);
	CHECK_EQ_U64(part.nr_refused, 0);
	CHECK_EQ_U64(part.nr_warnings, 0);
}

/* ------------------------------------------------------------ good files */

static void test_good_two_vms(void)
{
	static const uint8_t initrd[] = { 0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5 };
	const struct vm_config *a, *m;

	file_begin();
	node_begin("keel");
	prop_str("log-level", "debug");
	prop_u32("time-slice-us", 5000);
	prop_str("fp-switch", "eager");
	node_end();

	node_begin("linux");
	prop_str("compatible", "keel,vm");
	prop_u32("vcpus", 2);
	prop_cells("cpu-affinity", 2, 2, 3);
	prop_mem(2, (uint64_t)0x40000000, MiB(256), (uint64_t)0x100000000, MiB(64));
	prop_linux_kernel(0x200000, MiB(20));
	prop_raw("initrd", initrd, sizeof(initrd));
	prop_str("bootargs", "console=ttyAMA0 earlycon");
	prop_str("console", "passthrough");
	node_end();

	node_begin("manager");
	prop_str("compatible", "keel,vm");
	prop_mem(1, (uint64_t)0x80000000, MiB(32));
	prop_plain_kernel();
	prop_addr("load-address", 0x80100000);
	prop_addr("entry", 0x80100800);
	prop_str("console", "none");
	prop_empty("keel,manager");
	prop_raw("memory-pool", (fdt32_t[]){ cpu_to_fdt32(0), cpu_to_fdt32(0x20000000) }, 8);
	prop_u32("sve-max-vl", 64);
	prop_u32("sme-max-vl", 32);
	node_end();
	file_end();

	parse();
	expect_clean();
	CHECK_EQ_U64(part.keel.log_level, LOG_DEBUG);
	CHECK_EQ_U64(part.keel.time_slice_us, 5000);
	CHECK(part.keel.fp_eager, "fp-switch = \"eager\" not taken");
	CHECK_EQ_U64(part.nr_vms, 2);

	a = &part.vms[0];
	CHECK(!strcmp(a->name, "linux"), "name \"%s\"", a->name);
	CHECK_EQ_U64(a->vcpus, 2);
	CHECK(a->has_affinity, "no affinity");
	CHECK_EQ_U64(a->affinity[0], 2);
	CHECK_EQ_U64(a->affinity[1], 3);
	CHECK_EQ_U64(a->nr_mem, 2);
	CHECK_EQ_U64(a->mem[0].base, 0x40000000);
	CHECK_EQ_U64(a->mem[0].size, MiB(256));
	CHECK_EQ_U64(a->mem[1].base, 0x100000000);
	CHECK_EQ_U64(a->mem[1].size, MiB(64));
	make_image("ARM\x64", 0x200000, MiB(20)); /* kbuf was reused by "manager" */
	CHECK(a->kernel && !memcmp(a->kernel, kbuf, sizeof(kbuf)), "kernel bytes");
	CHECK((const uint8_t *)a->kernel > (const uint8_t *)T.buf &&
		      (const uint8_t *)a->kernel + a->kernel_size <=
			      (const uint8_t *)T.buf + fdt_totalsize(T.buf),
	      "kernel does not point into the blob");
	CHECK_EQ_U64(a->kernel_size, sizeof(kbuf));
	CHECK_EQ_U64(a->load_addr, 0x40200000); /* memory base + text_offset */
	CHECK_EQ_U64(a->load_size, MiB(20)); /* image_size > file size */
	CHECK_EQ_U64(a->entry, 0x40200000);
	CHECK(a->initrd && !memcmp(a->initrd, initrd, sizeof(initrd)), "initrd bytes");
	CHECK_EQ_U64(a->initrd_size, sizeof(initrd));
	CHECK(a->bootargs && !strcmp(a->bootargs, "console=ttyAMA0 earlycon"), "bootargs");
	CHECK_EQ_U64(a->console, CONSOLE_PASSTHROUGH);
	CHECK(!a->manager, "linux is not a manager");
	CHECK_EQ_U64(a->memory_pool, 0);
	CHECK_EQ_U64(a->sve_max_vl, 256); /* not given: the hardware maximum */
	CHECK_EQ_U64(a->sme_max_vl, 256);

	m = &part.vms[1];
	CHECK(!strcmp(m->name, "manager"), "name \"%s\"", m->name);
	CHECK_EQ_U64(m->vcpus, 1);
	CHECK(!m->has_affinity, "affinity not given");
	CHECK_EQ_U64(m->nr_mem, 1);
	CHECK_EQ_U64(m->load_addr, 0x80100000);
	CHECK_EQ_U64(m->load_size, sizeof(kbuf));
	CHECK_EQ_U64(m->entry, 0x80100800);
	CHECK(m->initrd == NULL && m->initrd_size == 0, "no initrd");
	CHECK(m->bootargs == NULL, "no bootargs");
	CHECK_EQ_U64(m->console, CONSOLE_NONE);
	CHECK(m->manager, "manager flag");
	CHECK_EQ_U64(m->memory_pool, 0x20000000);
	CHECK_EQ_U64(m->sve_max_vl, 64);
	CHECK_EQ_U64(m->sme_max_vl, 32);
}

static void test_defaults(void)
{
	const struct vm_config *v;

	file_begin();
	node_begin("min");
	prop_str("compatible", "keel,vm");
	prop_mem(1, (uint64_t)0x40000000, MiB(16));
	prop_plain_kernel();
	node_end();
	file_end();
	parse();
	expect_clean();
	CHECK_EQ_U64(part.keel.log_level, LOG_INFO);
	CHECK_EQ_U64(part.keel.time_slice_us, KEEL_DEFAULT_TIME_SLICE_US);
	v = &part.vms[0];
	CHECK_EQ_U64(v->vcpus, 1);
	CHECK(!v->has_affinity, "affinity");
	CHECK_EQ_U64(v->load_addr, 0x40000000);
	CHECK_EQ_U64(v->load_size, sizeof(kbuf));
	CHECK_EQ_U64(v->entry, 0x40000000);
	CHECK_EQ_U64(v->console, CONSOLE_EMULATED);
	CHECK(!v->bootargs && !v->initrd && !v->manager, "optional fields set");
}

static void test_cells_1_1(void)
{
	const struct vm_config *v;

	file_begin_cells(1, 1);
	node_begin("small");
	prop_str("compatible", "keel,vm");
	prop_mem(2, (uint64_t)0x40000000, MiB(64), (uint64_t)0x48000000, MiB(8));
	prop_linux_kernel(0x80000, 0);
	prop_addr("entry", 0x48000000);
	node_end();
	file_end();
	parse();
	expect_clean();
	v = &part.vms[0];
	CHECK_EQ_U64(v->nr_mem, 2);
	CHECK_EQ_U64(v->mem[1].base, 0x48000000);
	CHECK_EQ_U64(v->mem[1].size, MiB(8));
	/* legacy arm64 header (image_size 0): text_offset 0x80000, file size */
	CHECK_EQ_U64(v->load_addr, 0x40080000);
	CHECK_EQ_U64(v->load_size, sizeof(kbuf));
	CHECK_EQ_U64(v->entry, 0x48000000);
}

/* Separate address spaces: two VMs may use the same guest-physical ranges. */
static void test_same_ranges_two_vms(void)
{
	file_begin();
	std_vm("one");
	std_vm("two");
	file_end();
	parse();
	expect_clean();
	CHECK_EQ_U64(part.nr_vms, 2);
}

static void test_explicit_load_linux(void)
{
	file_begin();
	node_begin("vm");
	prop_str("compatible", "keel,vm");
	prop_mem(1, (uint64_t)0x40000000, MiB(64));
	prop_linux_kernel(0x200000, MiB(8));
	prop_addr("load-address", 0x41000000);
	node_end();
	file_end();
	parse();
	expect_clean();
	CHECK_EQ_U64(part.vms[0].load_addr, 0x41000000);
	CHECK_EQ_U64(part.vms[0].load_size, MiB(8)); /* image_size still reserved */
	CHECK_EQ_U64(part.vms[0].entry, 0x41000000);
}

static void test_riscv_image(void)
{
	file_begin();
	node_begin("rv");
	prop_str("compatible", "keel,vm");
	prop_mem(1, (uint64_t)0x80000000, MiB(64));
	make_image("RSC\x05", 0x200000, MiB(4));
	prop_raw("kernel", kbuf, sizeof(kbuf));
	node_end();
	file_end();
	parse();
	expect_clean();
	CHECK_EQ_U64(part.vms[0].load_addr, 0x80200000);
	CHECK_EQ_U64(part.vms[0].load_size, MiB(4));
}

static void test_report_null(void)
{
	bad_begin(S_MEM);
	bad_end();
	ret = partition_parse(T.buf, fdt_totalsize(T.buf), &L, &part, NULL, NULL);
	CHECK(ret == PART_OK, "ret %d", ret);
	CHECK_EQ_U64(part.nr_vms, 1);
	CHECK_EQ_U64(part.nr_refused, 1);
	CHECK(part.refused[0].err == PART_ERR_MISSING, "err %d", part.refused[0].err);
}

/* ------------------------------------------------------------ whole-file errors */

static void test_not_dtb(void)
{
	static const char text[] = "linux {\n\tcompatible = \"keel,vm\";\n};\n";
	static uint64_t aligned[8];

	memcpy(aligned, text, 32);
	parse_blob(aligned, 32);
	expect_file_error(PART_ERR_NOT_DTB, "error: not a device tree blob (bad magic 0x6c696e75)");
	parse_blob(aligned, 2);
	expect_file_error(PART_ERR_NOT_DTB, "not a device tree blob (2 bytes)");
	parse_blob(NULL, 0);
	expect_file_error(PART_ERR_NOT_DTB, "not a device tree blob (0 bytes)");
}

static void test_truncated(void)
{
	file_begin();
	std_vm("good");
	file_end();
	parse_blob(T.buf, fdt_totalsize(T.buf) - 1);
	expect_file_error(PART_ERR_NOT_DTB, "device tree blob truncated (header says");
	parse_blob(T.buf, 20); /* good magic, header cut */
	expect_file_error(PART_ERR_NOT_DTB, "device tree blob truncated (20 bytes)");
}

static void test_bad_header(void)
{
	struct fdt_header *h = (struct fdt_header *)T.buf;

	file_begin();
	std_vm("good");
	file_end();
	h->off_dt_struct = cpu_to_fdt32(0x7ffffff0);
	parse();
	expect_file_error(PART_ERR_NOT_DTB, "not a valid device tree blob (FDT_ERR_TRUNCATED)");

	file_begin();
	std_vm("good");
	file_end();
	h->version = cpu_to_fdt32(16);
	h->last_comp_version = cpu_to_fdt32(16);
	parse();
	expect_file_error(PART_ERR_NOT_DTB, "version 16 is too old");
}

static void test_misaligned_blob(void)
{
	static uint64_t copy[BLOB_MAX / 8 + 1];
	size_t n;

	file_begin();
	std_vm("good");
	file_end();
	n = fdt_totalsize(T.buf);
	memcpy((uint8_t *)copy + 4, T.buf, n);
	parse_blob((uint8_t *)copy + 4, n);
	expect_file_error(PART_ERR_NOT_DTB, "FDT_ERR_ALIGNMENT");
}

/* Pointer to the 12-byte header (tag, len, nameoff) of property name in node "good". */
static uint8_t *prop_header(const char *name)
{
	int node = fdt_subnode_offset(T.buf, 0, "good"), len;
	const uint8_t *v = fdt_getprop(T.buf, node, name, &len);

	static uint8_t scratch[12];

	CHECK(v != NULL, "no %s", name);
	return v ? (uint8_t *)v - 12 : scratch;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void test_bad_structure(void)
{
	static const struct {
		int field; /* 0 tag, 1 len, 2 nameoff */
		uint32_t value;
		const char *needle;
	} cases[] = {
		{ 1, 0x7ffffff0, "property of 2147483632 bytes runs past the end" },
		{ 1, 0xfffffffc, "runs past the end" },
		{ 2, 0x00100000, "bad property name offset 0x100000" },
		{ 0, 0x12345678, "unexpected tag 0x12345678" },
		{ 0, FDT_END, "unexpected tag 0x9 at depth 2" },
		{ 0, FDT_END_NODE, "malformed device tree blob" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		file_begin();
		std_vm("good");
		file_end();
		put_be32(prop_header("kernel") + 4 * cases[i].field, cases[i].value);
		parse();
		expect_file_error(PART_ERR_NOT_DTB, cases[i].needle);
	}

	/* missing FDT_END: cut the structure block short */
	file_begin();
	std_vm("good");
	file_end();
	((struct fdt_header *)T.buf)->size_dt_struct = cpu_to_fdt32(fdt_size_dt_struct(T.buf) - 4);
	parse();
	expect_file_error(PART_ERR_NOT_DTB, "no FDT_END tag");
}

static void test_compatible(void)
{
	file_begin_raw();
	prop_str("compatible", "acme,board");
	prop_u32("#address-cells", 2);
	prop_u32("#size-cells", 2);
	std_vm("good");
	file_end();
	parse();
	expect_file_error(PART_ERR_COMPATIBLE, "/compatible: does not list \"keel,partition-v1\"");

	file_begin_raw();
	prop_u32("#address-cells", 2);
	prop_u32("#size-cells", 2);
	std_vm("good");
	file_end();
	parse();
	expect_file_error(PART_ERR_COMPATIBLE, "/compatible: missing");

	/* a string list that contains it is fine */
	file_begin_raw();
	prop_raw("compatible", "acme,x\0keel,partition-v1", 25);
	prop_u32("#address-cells", 2);
	prop_u32("#size-cells", 2);
	std_vm("good");
	file_end();
	parse();
	expect_clean();
}

static void test_cells(void)
{
	file_begin_raw();
	prop_str("compatible", "keel,partition-v1");
	prop_u32("#address-cells", 3);
	prop_u32("#size-cells", 2);
	file_end();
	parse();
	expect_file_error(PART_ERR_CELLS, "/#address-cells: must be 1 or 2, got 3");

	file_begin_raw();
	prop_str("compatible", "keel,partition-v1");
	prop_u32("#address-cells", 2);
	file_end();
	parse();
	expect_file_error(PART_ERR_CELLS, "/#size-cells: missing");

	file_begin_raw();
	prop_str("compatible", "keel,partition-v1");
	prop_u32("#address-cells", 2);
	prop_cells("#size-cells", 2, 0, 2);
	file_end();
	parse();
	expect_file_error(PART_ERR_CELLS, "/#size-cells: must be one cell, got 8 bytes");

	file_begin_raw();
	prop_str("compatible", "keel,partition-v1");
	prop_u32("#address-cells", 0);
	prop_u32("#size-cells", 2);
	file_end();
	parse();
	expect_file_error(PART_ERR_CELLS, "/#address-cells: must be 1 or 2, got 0");
}

static void test_no_vms(void)
{
	file_begin();
	node_begin("bad");
	std_props(S_KERNEL);
	node_end();
	file_end();
	parse();
	CHECK(ret == PART_ERR_NO_VMS, "ret %s", part_strerror(ret));
	CHECK_EQ_U64(part.nr_refused, 1);
	CHECK_STR_CONTAINS(logbuf, "error: bad/kernel: missing");
	CHECK_STR_CONTAINS(logbuf, "error: no valid VM in file");

	file_begin();
	file_end();
	parse();
	expect_file_error(PART_ERR_NO_VMS, "no valid VM in file");
}

/* ------------------------------------------------------------ keel node, other nodes */

static void test_keel_node_warnings(void)
{
	file_begin();
	node_begin("keel");
	prop_str("log-level", "loud");
	prop_u32("time-slice-us", 50);
	prop_u32("colour", 3);
	prop_str("fp-switch", "sometimes");
	node_end();
	std_vm("good");
	file_end();
	parse();
	CHECK(ret == PART_OK, "ret %s", part_strerror(ret));
	CHECK_EQ_U64(part.nr_vms, 1);
	CHECK_EQ_U64(part.nr_refused, 0);
	CHECK_EQ_U64(part.nr_warnings, 4);
	CHECK(!part.keel.fp_eager, "fp-switch: a bad value must leave lazy");
	CHECK_STR_CONTAINS(
		logbuf,
		"warn: keel/fp-switch: unknown mode \"sometimes\" (lazy|eager), using lazy");
	CHECK_EQ_U64(part.keel.log_level, LOG_INFO);
	CHECK_EQ_U64(part.keel.time_slice_us, KEEL_DEFAULT_TIME_SLICE_US);
	CHECK_STR_CONTAINS(logbuf, "warn: keel/log-level: unknown level \"loud\"");
	CHECK_STR_CONTAINS(logbuf,
			   "warn: keel/time-slice-us: 50 is outside 100..1000000, using 10000");
	CHECK_STR_CONTAINS(logbuf, "warn: keel/colour: unknown property, ignored");
	CHECK(!log_has("error:"), "keel node problems must be warnings:\n%s", logbuf);

	/* wrong types are warnings too */
	file_begin();
	node_begin("keel");
	prop_u32("log-level", 2);
	prop_str("time-slice-us", "fast");
	node_end();
	std_vm("good");
	file_end();
	parse();
	CHECK(ret == PART_OK, "ret %s", part_strerror(ret));
	CHECK_EQ_U64(part.nr_warnings, 2);
	CHECK_STR_CONTAINS(logbuf, "warn: keel/log-level: not a single NUL-terminated string");
	CHECK_STR_CONTAINS(logbuf, "warn: keel/time-slice-us: 5 bytes, expected 1 cell");
	CHECK_EQ_U64(part.keel.time_slice_us, KEEL_DEFAULT_TIME_SLICE_US);
}

static void test_keel_time_slice_bounds(void)
{
	static const struct {
		uint32_t us, want;
	} cases[] = { { 100, 100 },
		      { 1000000, 1000000 },
		      { 99, KEEL_DEFAULT_TIME_SLICE_US },
		      { 1000001, KEEL_DEFAULT_TIME_SLICE_US } };

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		file_begin();
		node_begin("keel");
		prop_u32("time-slice-us", cases[i].us);
		prop_str("log-level", "warn");
		node_end();
		std_vm("good");
		file_end();
		parse();
		CHECK_EQ_U64(part.keel.time_slice_us, cases[i].want);
		CHECK_EQ_U64(part.keel.log_level, LOG_WARN);
		CHECK_EQ_U64(part.nr_warnings, cases[i].us == cases[i].want ? 0 : 1);
	}
}

static void test_other_nodes(void)
{
	file_begin();
	node_begin("chosen");
	prop_str("bootargs", "x");
	node_end();
	node_begin("acme");
	prop_str("compatible", "acme,vm");
	node_end();
	std_vm("good");
	file_end();
	parse();
	CHECK(ret == PART_OK, "ret %s", part_strerror(ret));
	CHECK_EQ_U64(part.nr_vms, 1);
	CHECK_EQ_U64(part.nr_refused, 0);
	CHECK_EQ_U64(part.nr_warnings, 2);
	CHECK_STR_CONTAINS(logbuf, "warn: chosen: not a keel,vm node, ignored");
	CHECK_STR_CONTAINS(logbuf, "warn: acme: not a keel,vm node, ignored");
}

static void test_unknown_vm_property(void)
{
	file_begin();
	prop_str("model", "root extras are warned about too");
	node_begin("good");
	std_props(0);
	prop_u32("colour", 3);
	node_begin("uart");
	node_end();
	node_end();
	file_end();
	parse();
	CHECK(ret == PART_OK, "ret %s", part_strerror(ret));
	CHECK_EQ_U64(part.nr_vms, 1);
	CHECK_EQ_U64(part.nr_warnings, 3);
	CHECK_STR_CONTAINS(logbuf, "warn: good/colour: unknown property, ignored");
	CHECK_STR_CONTAINS(logbuf, "warn: good/uart: unexpected subnode, ignored");
	CHECK_STR_CONTAINS(logbuf, "warn: /model: unknown property, ignored");
}

/* ------------------------------------------------------------ VM names and counts */

static void test_name(void)
{
	static const char n31[] = "abcdefghijklmnopqrstuvwxyz01234";
	static const char n32[] = "abcdefghijklmnopqrstuvwxyz012345";

	file_begin();
	std_vm(n31);
	std_vm(n32);
	std_vm("has space");
	std_vm("");
	file_end();
	parse();
	CHECK(ret == PART_OK, "ret %s", part_strerror(ret));
	CHECK_EQ_U64(part.nr_vms, 1);
	CHECK(!strcmp(part.vms[0].name, n31), "31-char name kept: %s", part.vms[0].name);
	CHECK_EQ_U64(part.nr_refused, 3);
	CHECK(part.refused[0].err == PART_ERR_NAME && part.refused[1].err == PART_ERR_NAME &&
		      part.refused[2].err == PART_ERR_NAME,
	      "errors %d %d %d", part.refused[0].err, part.refused[1].err, part.refused[2].err);
	CHECK(!strcmp(part.refused[0].name, n31), "refused name cut to 31: %s",
	      part.refused[0].name);
	CHECK_STR_CONTAINS(
		logbuf,
		"error: abcdefghijklmnopqrstuvwxyz012345: VM name is 32 characters, at most 31 allowed");
	CHECK_STR_CONTAINS(logbuf, "error: has space: VM name has character 0x20");
	CHECK_STR_CONTAINS(logbuf, "error: (unnamed): empty VM name");
}

static void test_too_many_vms(void)
{
	char name[16];

	file_begin();
	for (int i = 0; i < KEEL_MAX_VMS + 1; i++) {
		snprintf(name, sizeof(name), "vm%d", i);
		std_vm(name);
	}
	file_end();
	parse();
	CHECK(ret == PART_OK, "ret %s", part_strerror(ret));
	CHECK_EQ_U64(part.nr_vms, KEEL_MAX_VMS);
	CHECK(!strcmp(part.vms[KEEL_MAX_VMS - 1].name, "vm7"), "last kept %s",
	      part.vms[KEEL_MAX_VMS - 1].name);
	CHECK_EQ_U64(part.nr_refused, 1);
	CHECK(part.refused[0].err == PART_ERR_TOO_MANY_VMS, "err %d", part.refused[0].err);
	CHECK_STR_CONTAINS(logbuf, "error: vm8: more than 8 VMs, refused");
}

static void test_duplicate(void)
{
	file_begin();
	std_vm("good");
	node_begin("good"); /* fdt_sw does not merge nodes the way dtc does */
	std_props(S_VCPUS | S_AFF);
	node_end();
	file_end();
	parse();
	CHECK(ret == PART_OK, "ret %s", part_strerror(ret));
	CHECK_EQ_U64(part.nr_vms, 1);
	CHECK_EQ_U64(part.vms[0].vcpus, 2); /* the first one survived */
	CHECK_EQ_U64(part.nr_refused, 1);
	CHECK(part.refused[0].err == PART_ERR_DUPLICATE, "err %d", part.refused[0].err);
	CHECK_STR_CONTAINS(logbuf, "error: good: a VM named good already exists");
}

static void test_many_refusals(void)
{
	char name[16];

	file_begin();
	std_vm("good");
	for (int i = 0; i < KEEL_MAX_REFUSED + 4; i++) {
		snprintf(name, sizeof(name), "bad%d", i);
		node_begin(name);
		std_props(S_MEM | S_KERNEL);
		node_end();
	}
	file_end();
	parse();
	CHECK(ret == PART_OK, "ret %s", part_strerror(ret));
	CHECK_EQ_U64(part.nr_refused, KEEL_MAX_REFUSED + 4);
	CHECK(!strcmp(part.refused[KEEL_MAX_REFUSED - 1].name, "bad15"), "last recorded %s",
	      part.refused[KEEL_MAX_REFUSED - 1].name);
	CHECK_STR_CONTAINS(logbuf, "error: bad19/memory: missing");
}

/* ------------------------------------------------------------ vcpus, affinity */

static void test_vcpus(void)
{
	bad_begin(S_VCPUS | S_AFF);
	prop_u32("vcpus", 0);
	bad_end();
	expect_refused(PART_ERR_VCPUS, "error: bad/vcpus: 0 vCPUs, must be 1..8");

	bad_begin(S_VCPUS | S_AFF);
	prop_u32("vcpus", 9);
	bad_end();
	expect_refused(PART_ERR_VCPUS, "error: bad/vcpus: 9 vCPUs, must be 1..8");

	bad_begin(S_VCPUS | S_AFF);
	prop_cells("vcpus", 2, 0, 2);
	bad_end();
	expect_refused(PART_ERR_LENGTH, "error: bad/vcpus: 8 bytes, expected 1 cell (4 bytes)");

	/* a limit above KEEL_MAX_VCPUS is clamped: vm_config has 8 affinity slots */
	bad_begin(S_VCPUS | S_AFF);
	prop_u32("vcpus", 9);
	bad_end();
	L.max_vcpus = 64;
	expect_refused(PART_ERR_VCPUS, "bad/vcpus: 9 vCPUs, must be 1..8");
	reset_limits();

	/* a lower machine limit */
	bad_begin(S_VCPUS | S_AFF);
	prop_u32("vcpus", 3);
	bad_end();
	L.max_vcpus = 2;
	expect_refused(PART_ERR_VCPUS, "bad/vcpus: 3 vCPUs, must be 1..2");
	reset_limits();

	file_begin();
	node_begin("big");
	std_props(S_VCPUS | S_AFF);
	prop_u32("vcpus", 8);
	node_end();
	file_end();
	parse();
	expect_clean();
	CHECK_EQ_U64(part.vms[0].vcpus, 8);
}

static void test_affinity(void)
{
	bad_begin(S_AFF);
	prop_cells("cpu-affinity", 3, 0, 1, 2);
	bad_end();
	expect_refused(PART_ERR_LENGTH, "error: bad/cpu-affinity: 3 entries for 2 vCPUs");

	bad_begin(S_AFF);
	prop_raw("cpu-affinity", "\0\0\0\0\0\0", 6);
	bad_end();
	expect_refused(PART_ERR_LENGTH,
		       "error: bad/cpu-affinity: 6 bytes, not a whole number of cells");

	bad_begin(S_AFF);
	prop_cells("cpu-affinity", 2, 0, 7);
	bad_end();
	expect_refused(PART_ERR_AFFINITY,
		       "error: bad/cpu-affinity: vCPU 1 names CPU 7, the machine has 4 CPUs");

	bad_begin(S_AFF);
	prop_cells("cpu-affinity", 2, 4, 0);
	bad_end();
	expect_refused(PART_ERR_AFFINITY,
		       "bad/cpu-affinity: vCPU 0 names CPU 4, the machine has 4 CPUs");
}

/* ------------------------------------------------------------ memory */

static void test_memory_shape(void)
{
	bad_begin(S_MEM);
	bad_end();
	expect_refused(PART_ERR_MISSING, "error: bad/memory: missing (required)");

	bad_begin(S_MEM);
	prop_cells("memory", 3, 0, 0x40000000, 0);
	bad_end();
	expect_refused(PART_ERR_LENGTH,
		       "error: bad/memory: 12 bytes, expected <base size> pairs of 16 bytes each");

	bad_begin(S_MEM);
	prop_empty("memory");
	bad_end();
	expect_refused(PART_ERR_LENGTH, "error: bad/memory: 0 bytes");

	bad_begin(S_MEM);
	prop_mem(5, (uint64_t)0x40000000, MiB(1), (uint64_t)0x41000000, MiB(1),
		 (uint64_t)0x42000000, MiB(1), (uint64_t)0x43000000, MiB(1), (uint64_t)0x44000000,
		 MiB(1));
	bad_end();
	expect_refused(PART_ERR_LENGTH, "error: bad/memory: 5 regions, at most 4 allowed");

	bad_begin(S_MEM);
	prop_mem(2, (uint64_t)0x40000000, MiB(256), (uint64_t)0x60000000, (uint64_t)0);
	bad_end();
	expect_refused(PART_ERR_EMPTY, "error: bad/memory: region 1 has size 0");
}

static void test_memory_values(void)
{
	bad_begin(S_MEM);
	prop_mem(1, (uint64_t)0x40000800, MiB(256));
	bad_end();
	expect_refused(PART_ERR_ALIGN,
		       "error: bad/memory: region 0 base 0x40000800 is not 4 KiB aligned");

	bad_begin(S_MEM);
	prop_mem(1, (uint64_t)0x40000000, MiB(256) + 512);
	bad_end();
	expect_refused(PART_ERR_ALIGN,
		       "error: bad/memory: region 0 size 0x10000200 is not a multiple of 4 KiB");

	bad_begin(S_MEM);
	prop_mem(2, (uint64_t)0x40000000, MiB(256), (uint64_t)0xfffffffffffff000, (uint64_t)0x2000);
	bad_end();
	expect_refused(
		PART_ERR_VALUE,
		"error: bad/memory: region 1 (base 0xfffffffffffff000, size 0x2000) wraps around the address space");

	bad_begin(S_MEM);
	prop_mem(2, (uint64_t)0x40000000, MiB(256), (uint64_t)0xfffffffffffff000, (uint64_t)0x1000);
	bad_end();
	expect_refused(
		PART_ERR_VALUE,
		"error: bad/memory: region 1 ends at 0xffffffffffffffff, above the guest-physical limit 0x10000000000");

	bad_begin(S_MEM);
	prop_mem(1, (uint64_t)0xfff0000000, MiB(257));
	bad_end();
	expect_refused(
		PART_ERR_VALUE,
		"bad/memory: region 0 ends at 0x100000fffff, above the guest-physical limit 0x10000000000");

	/* ending exactly at the limit is fine */
	file_begin();
	node_begin("top");
	std_props(S_MEM);
	prop_mem(1, (uint64_t)0xfff0000000, MiB(256));
	node_end();
	file_end();
	parse();
	expect_clean();
}

static void test_memory_overlap(void)
{
	bad_begin(S_MEM);
	prop_mem(2, (uint64_t)0x40000000, MiB(256), (uint64_t)0x48000000, MiB(16));
	bad_end();
	expect_refused(PART_ERR_OVERLAP,
		       "error: bad/memory: region 1 overlaps region 0 (0x40000000..0x4fffffff)");

	bad_begin(S_MEM);
	prop_mem(3, (uint64_t)0x40000000, MiB(256), (uint64_t)0x80000000, MiB(16),
		 (uint64_t)0x3ffff000, (uint64_t)0x2000);
	bad_end();
	expect_refused(PART_ERR_OVERLAP, "bad/memory: region 2 overlaps region 0");

	/* adjacent is fine */
	file_begin();
	node_begin("adj");
	std_props(S_MEM);
	prop_mem(2, (uint64_t)0x40000000, MiB(256), (uint64_t)0x50000000, MiB(16));
	node_end();
	file_end();
	parse();
	expect_clean();
}

static void test_memory_device_overlap(void)
{
	bad_begin(S_MEM);
	prop_mem(1, (uint64_t)0x00000000, MiB(256));
	bad_end();
	expect_refused(
		PART_ERR_DEVICE_OVERLAP,
		"error: bad/memory: region 0 (0x0..0xfffffff) overlaps emulated device gicd (0x8000000..0x800ffff)");

	bad_begin(S_MEM);
	prop_mem(2, (uint64_t)0x40000000, MiB(256), (uint64_t)0x09000000, (uint64_t)0x1000);
	bad_end();
	expect_refused(
		PART_ERR_DEVICE_OVERLAP,
		"bad/memory: region 1 (0x9000000..0x9000fff) overlaps emulated device pl011");

	bad_begin(S_MEM);
	prop_mem(1, (uint64_t)0x08ff0000, (uint64_t)0x20000);
	bad_end();
	expect_refused(PART_ERR_DEVICE_OVERLAP,
		       "overlaps emulated device gicr (0x80a0000..0x8ffffff)");

	/* just below the GICD is fine; nameless devices still work */
	file_begin();
	node_begin("low");
	std_props(S_MEM);
	prop_mem(1, (uint64_t)0x07f00000, (uint64_t)0x100000);
	node_end();
	file_end();
	L.dev_names = NULL;
	parse();
	expect_clean();
	reset_limits();
}

/* ------------------------------------------------------------ kernel, load, entry */

static void test_kernel(void)
{
	bad_begin(S_KERNEL);
	bad_end();
	expect_refused(PART_ERR_MISSING, "error: bad/kernel: missing (required)");

	bad_begin(S_KERNEL);
	prop_empty("kernel");
	bad_end();
	expect_refused(PART_ERR_EMPTY, "error: bad/kernel: empty");
}

static void test_load_address(void)
{
	bad_begin(0);
	prop_addr("load-address", 0x80000000);
	bad_end();
	expect_refused(PART_ERR_OUTSIDE,
		       "error: bad/load-address: 0x80000000 is outside the VM's memory");

	bad_begin(0);
	prop_u32("load-address", 0x40000000);
	bad_end();
	expect_refused(PART_ERR_LENGTH,
		       "error: bad/load-address: 4 bytes, expected 2 cells (8 bytes)");

	/* plain kernel of 4 KiB loaded 2 KiB before the end */
	bad_begin(0);
	prop_addr("load-address", 0x4ffff800);
	bad_end();
	expect_refused(
		PART_ERR_TOO_BIG,
		"error: bad/kernel: image of 4 KiB does not fit in memory region at 0x40000000 (256 MiB) when loaded at 0x4ffff800");
}

static void test_linux_header(void)
{
	bad_begin(S_KERNEL);
	prop_linux_kernel(0, MiB(300));
	bad_end();
	expect_refused(
		PART_ERR_TOO_BIG,
		"error: bad/kernel: image of 300 MiB does not fit in memory region at 0x40000000 (256 MiB)");

	bad_begin(S_KERNEL);
	prop_linux_kernel(MiB(512), MiB(20));
	bad_end();
	expect_refused(
		PART_ERR_OUTSIDE,
		"error: bad/kernel: load address 0x60000000 (from the Image header text_offset) is outside the VM's memory");

	bad_begin(S_KERNEL);
	prop_linux_kernel(0xfffffffffff00000, MiB(20));
	bad_end();
	expect_refused(
		PART_ERR_OUTSIDE,
		"error: bad/kernel: Image header text_offset 0xfffffffffff00000 is outside the VM's memory");

	bad_begin(S_KERNEL);
	prop_linux_kernel(0x200000, UINT64_MAX);
	bad_end();
	expect_refused(PART_ERR_TOO_BIG,
		       "bad/kernel: image of 18446744073709551615 bytes does not fit");
}

static void test_entry(void)
{
	bad_begin(0);
	prop_addr("entry", 0x3ffff000);
	bad_end();
	expect_refused(PART_ERR_OUTSIDE, "error: bad/entry: 0x3ffff000 is outside the VM's memory");

	bad_begin(0);
	prop_cells("entry", 1, 0x40000000);
	bad_end();
	expect_refused(PART_ERR_LENGTH, "error: bad/entry: 4 bytes, expected 2 cells");

	/* entry in a second region is fine */
	file_begin();
	node_begin("two");
	std_props(S_MEM);
	prop_mem(2, (uint64_t)0x40000000, MiB(16), (uint64_t)0x80000000, MiB(16));
	prop_addr("entry", 0x80001000);
	node_end();
	file_end();
	parse();
	expect_clean();
	CHECK_EQ_U64(part.vms[0].entry, 0x80001000);
}

static void test_initrd(void)
{
	static uint8_t rd[8192];

	/* 128 KiB VM: 64 KiB kernel + 8 KiB initrd + 64 KiB DTB does not fit */
	bad_begin(S_MEM | S_KERNEL);
	prop_mem(1, (uint64_t)0x40000000, KiB(128));
	prop_linux_kernel(0, KiB(64));
	prop_raw("initrd", rd, sizeof(rd));
	bad_end();
	expect_refused(
		PART_ERR_TOO_BIG,
		"error: bad/initrd: kernel (64 KiB) + initrd (8 KiB) + guest DTB (64 KiB) need 136 KiB, the VM has 128 KiB");

	/* kernel filling the VM leaves no room for the DTB */
	bad_begin(S_MEM | S_KERNEL);
	prop_mem(1, (uint64_t)0x40000000, KiB(128));
	prop_linux_kernel(0, KiB(128));
	bad_end();
	expect_refused(
		PART_ERR_TOO_BIG,
		"error: bad/kernel: image of 128 KiB leaves no room for the 64 KiB guest DTB (the VM has 128 KiB)");

	/* counted across regions */
	file_begin();
	node_begin("split");
	std_props(S_MEM | S_KERNEL);
	prop_mem(2, (uint64_t)0x40000000, KiB(128), (uint64_t)0x50000000, KiB(72));
	prop_linux_kernel(0, KiB(128));
	prop_raw("initrd", rd, sizeof(rd));
	node_end();
	file_end();
	parse();
	expect_clean();

	/* an empty initrd is ignored with a warning */
	file_begin();
	node_begin("good");
	std_props(0);
	prop_empty("initrd");
	node_end();
	file_end();
	parse();
	CHECK(ret == PART_OK, "ret %s", part_strerror(ret));
	CHECK(part.vms[0].initrd == NULL, "empty initrd kept");
	CHECK_STR_CONTAINS(logbuf, "warn: good/initrd: empty, ignored");
}

/* ------------------------------------------------------------ strings, flags, vector lengths */

static void test_bootargs_console(void)
{
	bad_begin(0);
	prop_raw("bootargs", "console=ttyAMA0", 15);
	bad_end();
	expect_refused(PART_ERR_LENGTH,
		       "error: bad/bootargs: not a single NUL-terminated string (15 bytes)");

	bad_begin(0);
	prop_raw("bootargs", "a\0b", 4);
	bad_end();
	expect_refused(PART_ERR_LENGTH,
		       "bad/bootargs: not a single NUL-terminated string (4 bytes)");

	bad_begin(0);
	prop_empty("bootargs");
	bad_end();
	expect_refused(PART_ERR_LENGTH,
		       "bad/bootargs: not a single NUL-terminated string (0 bytes)");

	bad_begin(0);
	prop_str("console", "serial");
	bad_end();
	expect_refused(PART_ERR_VALUE,
		       "error: bad/console: \"serial\" is not one of emulated, passthrough, none");

	bad_begin(0);
	prop_u32("console", 1);
	bad_end();
	expect_refused(PART_ERR_LENGTH, "bad/console: not a single NUL-terminated string");

	file_begin();
	node_begin("e");
	std_props(0);
	prop_str("console", "emulated");
	prop_str("bootargs", "");
	node_end();
	file_end();
	parse();
	expect_clean();
	CHECK_EQ_U64(part.vms[0].console, CONSOLE_EMULATED);
	CHECK(part.vms[0].bootargs && !part.vms[0].bootargs[0], "empty bootargs string");
}

static void test_manager(void)
{
	bad_begin(0);
	prop_u32("keel,manager", 1);
	bad_end();
	expect_refused(PART_ERR_LENGTH,
		       "error: bad/keel,manager: boolean property must be empty, got 4 bytes");

	bad_begin(0);
	prop_empty("keel,manager");
	prop_u32("memory-pool", 0x1000);
	bad_end();
	expect_refused(PART_ERR_LENGTH,
		       "error: bad/memory-pool: 4 bytes, expected 2 cells (8 bytes)");

	file_begin();
	node_begin("good");
	std_props(0);
	prop_cells("memory-pool", 2, 0, 0x100000);
	node_end();
	file_end();
	parse();
	CHECK(ret == PART_OK, "ret %s", part_strerror(ret));
	CHECK_EQ_U64(part.vms[0].memory_pool, 0);
	CHECK_EQ_U64(part.nr_warnings, 1);
	CHECK_STR_CONTAINS(logbuf, "warn: good/memory-pool: ignored, the VM is not keel,manager");
}

static void test_vector_lengths(void)
{
	static const struct {
		const char *prop;
		uint32_t vl;
		const char *why;
	} bad[] = {
		{ "sve-max-vl", 8, "not a multiple of 16 (128 bits)" },
		{ "sve-max-vl", 24, "not a multiple of 16 (128 bits)" },
		{ "sme-max-vl", 100, "not a multiple of 16 (128 bits)" },
		{ "sve-max-vl", 512, "above the hardware maximum of 256" },
		{ "sve-max-vl", 272, "above the hardware maximum of 256" },
		{ "sme-max-vl", 2048, "above the hardware maximum of 256" },
	};
	char needle[128];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		bad_begin(0);
		prop_u32(bad[i].prop, bad[i].vl);
		bad_end();
		snprintf(needle, sizeof(needle), "error: bad/%s: %u bytes, %s", bad[i].prop,
			 bad[i].vl, bad[i].why);
		expect_refused(PART_ERR_VALUE, needle);
	}

	bad_begin(0);
	prop_cells("sme-max-vl", 2, 0, 16);
	bad_end();
	expect_refused(PART_ERR_LENGTH, "error: bad/sme-max-vl: 8 bytes, expected 1 cell");

	/* 0 disables; any multiple of 16 up to the hardware is taken (48: not a power of two) */
	file_begin();
	node_begin("v");
	std_props(0);
	prop_u32("sve-max-vl", 0);
	prop_u32("sme-max-vl", 48);
	node_end();
	file_end();
	parse();
	expect_clean();
	CHECK_EQ_U64(part.vms[0].sve_max_vl, 0);
	CHECK_EQ_U64(part.vms[0].sme_max_vl, 48);

	file_begin();
	node_begin("v");
	std_props(0);
	prop_u32("sve-max-vl", 16);
	prop_u32("sme-max-vl", 256);
	node_end();
	file_end();
	parse();
	expect_clean();
	CHECK_EQ_U64(part.vms[0].sve_max_vl, 16);
	CHECK_EQ_U64(part.vms[0].sme_max_vl, 256);

	/* a machine without SVE/SME (riscv64, x86_64, an older arm64): only 0 or nothing */
	L.sve_max_vl = 0;
	L.sme_max_vl = 0;
	bad_begin(0);
	prop_u32("sve-max-vl", 16);
	bad_end();
	expect_refused(PART_ERR_VALUE,
		       "error: bad/sve-max-vl: 16 bytes, but the machine has no SVE");
	L.sve_max_vl = 0;
	L.sme_max_vl = 0;
	bad_begin(0);
	prop_u32("sme-max-vl", 32);
	bad_end();
	expect_refused(PART_ERR_VALUE,
		       "error: bad/sme-max-vl: 32 bytes, but the machine has no SME");
	L.sve_max_vl = 0;
	L.sme_max_vl = 0;
	file_begin();
	node_begin("v");
	std_props(0);
	prop_u32("sme-max-vl", 0);
	node_end();
	file_end();
	parse();
	expect_clean();
	CHECK_EQ_U64(part.vms[0].sve_max_vl, 0);
	CHECK_EQ_U64(part.vms[0].sme_max_vl, 0);
	reset_limits();
}

/* ------------------------------------------------------------ part_strerror, image header */

static void test_strerror(void)
{
	for (int i = 0; i < PART_ERR__COUNT; i++) {
		const char *s = part_strerror((enum part_err)i);

		CHECK(s != NULL && s[0], "part_strerror(%d) empty", i);
		if (!s)
			continue;
		CHECK(strcmp(s, "unknown error") != 0, "part_strerror(%d) not covered", i);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(s, part_strerror((enum part_err)j)) != 0,
			      "part_strerror(%d) == part_strerror(%d): %s", i, j, s);
	}
	CHECK(!strcmp(part_strerror(PART_ERR_NOT_DTB), "not a device tree blob"), "NOT_DTB: %s",
	      part_strerror(PART_ERR_NOT_DTB));
	CHECK(!strcmp(part_strerror(PART_ERR__COUNT), "unknown error"), "COUNT");
	CHECK(!strcmp(part_strerror((enum part_err) - 1), "unknown error"), "-1");
	CHECK(!strcmp(part_strerror((enum part_err)1000), "unknown error"), "1000");
}

static void test_image_header(void)
{
	static uint8_t buf[65];
	struct linux_image_info info = { 1, 1 };

	make_image("ARM\x64", 0x80000, 0x1234567);
	memcpy(buf + 1, kbuf, 64); /* unaligned on purpose */
	CHECK(linux_image_header(buf + 1, 64, &info), "arm64 header not recognised");
	CHECK_EQ_U64(info.text_offset, 0x80000);
	CHECK_EQ_U64(info.image_size, 0x1234567);
	CHECK(!linux_image_header(buf + 1, 63, &info), "63 bytes accepted");
	CHECK(linux_image_header(buf + 1, 64, NULL), "NULL info");
	CHECK(!linux_image_header(NULL, 64, &info), "NULL image");

	make_image("RSC\x05", 0x200000, 0x2000000);
	CHECK(linux_image_header(kbuf, sizeof(kbuf), &info), "riscv64 header not recognised");
	CHECK_EQ_U64(info.text_offset, 0x200000);
	CHECK_EQ_U64(info.image_size, 0x2000000);

	make_image("RSC\x05", 0x200000, 0);
	CHECK(linux_image_header(kbuf, sizeof(kbuf), &info), "riscv64 image_size 0");
	CHECK_EQ_U64(info.text_offset, 0x200000); /* the arm64 legacy rule is arm64 only */

	make_image("ARM\x64", 0xdeadbeef, 0);
	CHECK(linux_image_header(kbuf, sizeof(kbuf), &info), "legacy arm64");
	CHECK_EQ_U64(info.text_offset, 0x80000);
	CHECK_EQ_U64(info.image_size, 0);

	make_image("ARM\x65", 0x80000, 0x1000);
	CHECK(!linux_image_header(kbuf, sizeof(kbuf), &info), "bad magic accepted");
	make_image("RISC", 0x80000, 0x1000);
	CHECK(!linux_image_header(kbuf, sizeof(kbuf), &info), "RISC accepted");
}

int main(void)
{
	reset_limits();
	RUN(test_good_two_vms);
	RUN(test_defaults);
	RUN(test_cells_1_1);
	RUN(test_same_ranges_two_vms);
	RUN(test_explicit_load_linux);
	RUN(test_riscv_image);
	RUN(test_report_null);
	RUN(test_not_dtb);
	RUN(test_truncated);
	RUN(test_bad_header);
	RUN(test_misaligned_blob);
	RUN(test_bad_structure);
	RUN(test_compatible);
	RUN(test_cells);
	RUN(test_no_vms);
	RUN(test_keel_node_warnings);
	RUN(test_keel_time_slice_bounds);
	RUN(test_other_nodes);
	RUN(test_unknown_vm_property);
	RUN(test_name);
	RUN(test_too_many_vms);
	RUN(test_duplicate);
	RUN(test_many_refusals);
	RUN(test_vcpus);
	RUN(test_affinity);
	RUN(test_memory_shape);
	RUN(test_memory_values);
	RUN(test_memory_overlap);
	RUN(test_memory_device_overlap);
	RUN(test_kernel);
	RUN(test_load_address);
	RUN(test_linux_header);
	RUN(test_entry);
	RUN(test_initrd);
	RUN(test_bootargs_console);
	RUN(test_manager);
	RUN(test_vector_lengths);
	RUN(test_strerror);
	RUN(test_image_header);
	CHECK_EXIT();
}
