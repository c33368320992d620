// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Partition file (schema "keel,partition-v1") parser, see include/keel/partition.h
 * and docs/design.md section 2.
 *
 * The blob is untrusted. It is checked once, tag by tag, before libfdt walks
 * it (check_structure), so libfdt only ever sees a well-formed structure
 * block; after that every property is read through fdt_getprop() and its
 * length is checked by a typed reader before a byte of it is used. Nothing
 * is ever written to the blob.
 *
 * Errors that concern one VM refuse that VM only; the first error found in a
 * VM node is reported (LOG_ERROR) and the node is skipped. Messages name the
 * node and property: "linux/memory: region 1 overlaps region 0 (...)".
 */
#include <keel/partition.h>
#include <keel/printf.h>
#include <libfdt.h>
#include <stdarg.h>
#include <string.h>

#define MSG_MAX 240
#define FDT_MIN_VERSION 17
#define DTB_RESERVE KiB(64) /* room kept for the guest DTB */
#define TIME_SLICE_MIN_US 100
#define TIME_SLICE_MAX_US 1000000
#define VL_QUANTUM 16 /* sve-max-vl / sme-max-vl: bytes, a multiple of 128 bits */
#define ULL(x) ((unsigned long long)(x))

struct parser {
	const uint8_t *fdt;
	size_t size;
	const struct part_limits *lim;
	struct partition *out;
	part_report_fn report;
	void *ctx;
	const char *node; /* node being parsed, for messages; NULL = file level */
	enum log_level level; /* level of fail(): LOG_WARN inside the keel node */
	uint32_t ac, sc; /* root #address-cells, #size-cells */
	uint32_t max_vcpus; /* lim->max_vcpus clamped to KEEL_MAX_VCPUS */
};

typedef enum part_err (*vm_step_fn)(struct parser *p, int node, struct vm_config *vm);

static const char *const err_names[PART_ERR__COUNT] = {
	[PART_OK] = "ok",
	[PART_ERR_NOT_DTB] = "not a device tree blob",
	[PART_ERR_COMPATIBLE] = "not a keel,partition-v1 file",
	[PART_ERR_CELLS] = "bad #address-cells or #size-cells",
	[PART_ERR_MISSING] = "required property missing",
	[PART_ERR_EMPTY] = "required property empty",
	[PART_ERR_LENGTH] = "property has the wrong length",
	[PART_ERR_VALUE] = "value out of range",
	[PART_ERR_ALIGN] = "address or size not 4 KiB aligned",
	[PART_ERR_OVERLAP] = "memory regions overlap",
	[PART_ERR_DEVICE_OVERLAP] = "memory overlaps an emulated device",
	[PART_ERR_OUTSIDE] = "address outside the VM's memory",
	[PART_ERR_TOO_BIG] = "image does not fit in memory",
	[PART_ERR_VCPUS] = "bad number of vCPUs",
	[PART_ERR_AFFINITY] = "cpu-affinity names a CPU that does not exist",
	[PART_ERR_TOO_MANY_VMS] = "too many VMs",
	[PART_ERR_DUPLICATE] = "duplicate VM name",
	[PART_ERR_NAME] = "bad VM name",
	[PART_ERR_NO_VMS] = "no valid VM",
	[PART_ERR_UNSUPPORTED] = "feature not supported",
};

const char *part_strerror(enum part_err err)
{
	if ((unsigned int)err >= PART_ERR__COUNT || !err_names[err])
		return "unknown error";
	return err_names[err];
}

/* ------------------------------------------------------------ messages */

static void vsay(struct parser *p, enum log_level level, const char *prop, const char *fmt,
		 va_list ap)
{
	char msg[MSG_MAX];
	int n = 0;

	if (level == LOG_WARN)
		p->out->nr_warnings++;
	if (!p->report)
		return;
	if (p->node && prop)
		n = ksnprintf(msg, sizeof(msg), "%s/%s: ", p->node, prop);
	else if (p->node)
		n = ksnprintf(msg, sizeof(msg), "%s: ", p->node);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	kvsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	p->report(p->ctx, level, msg);
}

__attribute__((format(printf, 3, 4))) static void warn(struct parser *p, const char *prop,
						       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(p, LOG_WARN, prop, fmt, ap);
	va_end(ap);
}

/* Reports at p->level and returns err, so callers can "return fail(...)". */
__attribute__((format(printf, 4, 5))) static enum part_err
fail(struct parser *p, enum part_err err, const char *prop, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(p, p->level, prop, fmt, ap);
	va_end(ap);
	return err;
}

/* "256 MiB", "64 KiB" or "12345 bytes" */
static const char *fmt_size(char *buf, size_t n, uint64_t v)
{
	if (v && IS_ALIGNED(v, MiB(1)))
		ksnprintf(buf, n, "%llu MiB", ULL(v >> 20));
	else if (v && IS_ALIGNED(v, KiB(1)))
		ksnprintf(buf, n, "%llu KiB", ULL(v >> 10));
	else
		ksnprintf(buf, n, "%llu bytes", ULL(v));
	return buf;
}

/* ------------------------------------------------------------ typed readers */

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be_cells(const uint8_t *b, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++)
		v = (v << 32) | be32(b + 4 * i);
	return v;
}

static const uint8_t *getprop(struct parser *p, int node, const char *name, int *len)
{
	const uint8_t *v = fdt_getprop(p->fdt, node, name, len);

	if (!v || *len < 0)
		return NULL;
	return v;
}

/* Optional property of `cells` 32-bit cells; *v is left alone when absent. */
static enum part_err read_cells(struct parser *p, int node, const char *name, uint32_t cells,
				uint64_t *v, bool *found)
{
	int len;
	const uint8_t *b = getprop(p, node, name, &len);

	if (found)
		*found = b != NULL;
	if (!b)
		return PART_OK;
	if ((size_t)len != cells * 4)
		return fail(p, PART_ERR_LENGTH, name, "%d bytes, expected %u cell%s (%u bytes)",
			    len, cells, cells == 1 ? "" : "s", cells * 4);
	*v = be_cells(b, cells);
	return PART_OK;
}

static enum part_err read_u32(struct parser *p, int node, const char *name, uint32_t *v,
			      bool *found)
{
	uint64_t v64 = *v;
	enum part_err err = read_cells(p, node, name, 1, &v64, found);

	*v = (uint32_t)v64;
	return err;
}

/* Optional single NUL-terminated string; *s is left alone when absent. */
static enum part_err read_string(struct parser *p, int node, const char *name, const char **s)
{
	int len;
	const uint8_t *b = getprop(p, node, name, &len);

	if (!b)
		return PART_OK;
	if (len == 0 || strnlen((const char *)b, (size_t)len) != (size_t)len - 1)
		return fail(p, PART_ERR_LENGTH, name,
			    "not a single NUL-terminated string (%d bytes)", len);
	*s = (const char *)b;
	return PART_OK;
}

/* Boolean: present and empty = true. */
static enum part_err read_bool(struct parser *p, int node, const char *name, bool *v)
{
	int len;
	const uint8_t *b = getprop(p, node, name, &len);

	*v = b != NULL;
	if (b && len != 0)
		return fail(p, PART_ERR_LENGTH, name,
			    "boolean property must be empty, got %d bytes", len);
	return PART_OK;
}

/* Required byte string (kernel); optional ones use getprop() directly. */
static enum part_err read_bytes(struct parser *p, int node, const char *name, const uint8_t **data,
				size_t *size)
{
	int len;
	const uint8_t *b = getprop(p, node, name, &len);

	if (!b)
		return fail(p, PART_ERR_MISSING, name, "missing (required)");
	if (len == 0)
		return fail(p, PART_ERR_EMPTY, name, "empty");
	*data = b;
	*size = (size_t)len;
	return PART_OK;
}

static int string_index(const char *s, const char *const *list, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return i;
	return -1;
}

static bool has_compatible(struct parser *p, int node, const char *compat)
{
	int len;
	const uint8_t *b = getprop(p, node, "compatible", &len);

	return b && fdt_stringlist_contains((const char *)b, len, compat);
}

/* Warns about every property not in known[] and about subnodes. */
static void warn_unknown(struct parser *p, int node, const char *const *known, int n)
{
	int off;

	for (off = fdt_first_property_offset(p->fdt, node); off >= 0;
	     off = fdt_next_property_offset(p->fdt, off)) {
		const char *name = NULL;
		int len;

		if (fdt_getprop_by_offset(p->fdt, off, &name, &len) && name &&
		    string_index(name, known, n) < 0)
			warn(p, name, "unknown property, ignored");
	}
	for (off = fdt_first_subnode(p->fdt, node); off >= 0; off = fdt_next_subnode(p->fdt, off)) {
		const char *name = fdt_get_name(p->fdt, off, NULL);

		warn(p, name ? name : "?", "unexpected subnode, ignored");
	}
}

/* ------------------------------------------------------------ blob checks */

__attribute__((format(printf, 3, 4))) static enum part_err
bad_struct(struct parser *p, uint32_t off, const char *fmt, ...)
{
	char why[96];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return fail(p, PART_ERR_NOT_DTB, NULL,
		    "malformed device tree blob: %s (structure block offset 0x%x)", why, off);
}

static enum part_err check_prop_tag(struct parser *p, uint32_t *off)
{
	const uint8_t *st = p->fdt + fdt_off_dt_struct(p->fdt);
	uint32_t size = fdt_size_dt_struct(p->fdt), ssize = fdt_size_dt_strings(p->fdt);
	const char *strs = (const char *)p->fdt + fdt_off_dt_strings(p->fdt);
	uint32_t len, nameoff;

	if (size - *off < 8)
		return bad_struct(p, *off, "truncated property");
	len = be32(st + *off);
	nameoff = be32(st + *off + 4);
	*off += 8;
	if (len > size - *off)
		return bad_struct(p, *off, "property of %u bytes runs past the end", len);
	if (nameoff >= ssize || !memchr(strs + nameoff, 0, ssize - nameoff))
		return bad_struct(p, *off, "bad property name offset 0x%x", nameoff);
	/* at most size + 3: fdt_check_header() keeps the blob below INT_MAX */
	*off = (uint32_t)ALIGN_UP(*off + len, 4);
	return *off <= size ? PART_OK : bad_struct(p, *off, "truncated property");
}

static enum part_err check_node_tag(struct parser *p, uint32_t *off)
{
	const uint8_t *st = p->fdt + fdt_off_dt_struct(p->fdt);
	uint32_t size = fdt_size_dt_struct(p->fdt);
	const uint8_t *end = memchr(st + *off, 0, size - *off);

	if (!end)
		return bad_struct(p, *off, "unterminated node name");
	*off = (uint32_t)ALIGN_UP((uint32_t)(end - st) + 1, 4);
	return *off <= size ? PART_OK : bad_struct(p, *off, "truncated node name");
}

/*
 * Walks every tag once. Afterwards libfdt's own walkers cannot meet a bad
 * tag, a property running past the block, or an unterminated name.
 */
static enum part_err check_structure(struct parser *p)
{
	const uint8_t *st = p->fdt + fdt_off_dt_struct(p->fdt);
	uint32_t size = fdt_size_dt_struct(p->fdt), off = 0, tag;
	enum part_err err = PART_OK;
	int depth = 0;
	bool root_done = false;

	if (size < 4 || be32(st) != FDT_BEGIN_NODE)
		return bad_struct(p, 0, "does not start with the root node");
	while (!err) {
		if (size - off < 4)
			return bad_struct(p, off, "no FDT_END tag");
		tag = be32(st + off);
		off += 4;
		if (tag == FDT_BEGIN_NODE && !root_done) {
			depth++;
			err = check_node_tag(p, &off);
		} else if (tag == FDT_END_NODE && depth > 0) {
			root_done = --depth == 0;
		} else if (tag == FDT_PROP && depth > 0) {
			err = check_prop_tag(p, &off);
		} else if (tag == FDT_END && root_done) {
			return PART_OK;
		} else if (tag != FDT_NOP) {
			return bad_struct(p, off - 4, "unexpected tag 0x%x at depth %d", tag,
					  depth);
		}
	}
	return err;
}

static enum part_err check_blob(struct parser *p)
{
	int err;

	if (!p->fdt || p->size < 4)
		return fail(p, PART_ERR_NOT_DTB, NULL, "not a device tree blob (%zu bytes)",
			    p->size);
	if (be32(p->fdt) != FDT_MAGIC)
		return fail(p, PART_ERR_NOT_DTB, NULL, "not a device tree blob (bad magic 0x%08x)",
			    be32(p->fdt));
	if (p->size < sizeof(struct fdt_header))
		return fail(p, PART_ERR_NOT_DTB, NULL, "device tree blob truncated (%zu bytes)",
			    p->size);
	err = fdt_check_header(p->fdt);
	if (err)
		return fail(p, PART_ERR_NOT_DTB, NULL, "not a valid device tree blob (%s)",
			    fdt_strerror(err));
	if (fdt_totalsize(p->fdt) > p->size)
		return fail(p, PART_ERR_NOT_DTB, NULL,
			    "device tree blob truncated (header says %u bytes, got %zu)",
			    fdt_totalsize(p->fdt), p->size);
	if (fdt_version(p->fdt) < FDT_MIN_VERSION)
		return fail(p, PART_ERR_NOT_DTB, NULL,
			    "device tree blob version %u is too old (need %d or later)",
			    fdt_version(p->fdt), FDT_MIN_VERSION);
	if (!IS_ALIGNED(fdt_off_dt_struct(p->fdt), 4))
		return fail(p, PART_ERR_NOT_DTB, NULL,
			    "malformed device tree blob: structure block at unaligned offset 0x%x",
			    fdt_off_dt_struct(p->fdt));
	return check_structure(p);
}

/* ------------------------------------------------------------ root and keel node */

static enum part_err read_root_cells(struct parser *p, const char *name, uint32_t *v)
{
	int len;
	const uint8_t *b = getprop(p, 0, name, &len);

	if (!b)
		return fail(p, PART_ERR_CELLS, name, "missing (must be 1 or 2)");
	if (len != 4)
		return fail(p, PART_ERR_CELLS, name, "must be one cell, got %d bytes", len);
	*v = be32(b);
	if (*v != 1 && *v != 2)
		return fail(p, PART_ERR_CELLS, name, "must be 1 or 2, got %u", *v);
	return PART_OK;
}

static enum part_err parse_root(struct parser *p)
{
	static const char *const known[] = { "compatible", "#address-cells", "#size-cells" };
	enum part_err err;
	int len;
	const uint8_t *c = getprop(p, 0, "compatible", &len);

	p->node = "";
	if (!c)
		return fail(p, PART_ERR_COMPATIBLE, "compatible",
			    "missing, expected \"keel,partition-v1\"");
	if (!fdt_stringlist_contains((const char *)c, len, "keel,partition-v1"))
		return fail(p, PART_ERR_COMPATIBLE, "compatible",
			    "does not list \"keel,partition-v1\" (not a keel partition file)");
	err = read_root_cells(p, "#address-cells", &p->ac);
	if (!err)
		err = read_root_cells(p, "#size-cells", &p->sc);
	if (err)
		return err;
	for (int off = fdt_first_property_offset(p->fdt, 0); off >= 0;
	     off = fdt_next_property_offset(p->fdt, off)) {
		const char *name = NULL;

		if (fdt_getprop_by_offset(p->fdt, off, &name, &len) && name &&
		    string_index(name, known, ARRAY_SIZE(known)) < 0)
			warn(p, name, "unknown property, ignored");
	}
	return PART_OK;
}

static void parse_log_level(struct parser *p, int node)
{
	static const char *const levels[] = { "error", "warn", "info", "debug" };
	const char *s = NULL;
	int i;

	if (read_string(p, node, "log-level", &s) || !s)
		return;
	i = string_index(s, levels, ARRAY_SIZE(levels));
	if (i < 0)
		warn(p, "log-level", "unknown level \"%s\" (error|warn|info|debug), using info", s);
	else
		p->out->keel.log_level = (enum log_level)i;
}

static void parse_time_slice(struct parser *p, int node)
{
	uint32_t us = KEEL_DEFAULT_TIME_SLICE_US;

	if (read_u32(p, node, "time-slice-us", &us, NULL))
		return;
	if (us < TIME_SLICE_MIN_US || us > TIME_SLICE_MAX_US)
		warn(p, "time-slice-us", "%u is outside %u..%u, using %u", us, TIME_SLICE_MIN_US,
		     TIME_SLICE_MAX_US, KEEL_DEFAULT_TIME_SLICE_US);
	else
		p->out->keel.time_slice_us = us;
}

/* How FP/vector state moves between vCPUs sharing a pCPU: lazily (default) or eagerly (benchmarks). */
static void parse_fp_switch(struct parser *p, int node)
{
	static const char *const modes[] = { "lazy", "eager" };
	const char *s = NULL;
	int i;

	if (read_string(p, node, "fp-switch", &s) || !s)
		return;
	i = string_index(s, modes, ARRAY_SIZE(modes));
	if (i < 0)
		warn(p, "fp-switch", "unknown mode \"%s\" (lazy|eager), using lazy", s);
	else
		p->out->keel.fp_eager = i == 1;
}

/* The keel node never refuses the file: every problem is a warning. */
static void parse_keel(struct parser *p, int node)
{
	static const char *const known[] = { "log-level", "time-slice-us", "fp-switch" };

	p->level = LOG_WARN;
	warn_unknown(p, node, known, ARRAY_SIZE(known));
	parse_log_level(p, node);
	parse_time_slice(p, node);
	parse_fp_switch(p, node);
	p->level = LOG_ERROR;
}

/* ------------------------------------------------------------ VM node */

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr(",._+-@", c);
}

static enum part_err parse_name(struct parser *p, int node, struct vm_config *vm)
{
	const char *name = fdt_get_name(p->fdt, node, NULL);
	size_t len = name ? strlen(name) : 0;

	if (len == 0)
		return fail(p, PART_ERR_NAME, NULL, "empty VM name");
	if (len >= KEEL_NAME_MAX)
		return fail(p, PART_ERR_NAME, NULL, "VM name is %zu characters, at most %d allowed",
			    len, KEEL_NAME_MAX - 1);
	for (size_t i = 0; i < len; i++)
		if (!name_char_ok(name[i]))
			return fail(
				p, PART_ERR_NAME, NULL,
				"VM name has character 0x%02x (allowed: letters, digits , . _ + - @)",
				(uint8_t)name[i]);
	if (p->out->nr_vms >= KEEL_MAX_VMS)
		return fail(p, PART_ERR_TOO_MANY_VMS, NULL, "more than %d VMs, refused",
			    KEEL_MAX_VMS);
	for (uint32_t i = 0; i < p->out->nr_vms; i++)
		if (!strcmp(p->out->vms[i].name, name))
			return fail(p, PART_ERR_DUPLICATE, NULL, "a VM named %s already exists",
				    name);
	memcpy(vm->name, name, len + 1);
	return PART_OK;
}

static enum part_err parse_known(struct parser *p, int node, struct vm_config *vm)
{
	static const char *const known[] = {
		"compatible",	"vcpus",       "cpu-affinity", "memory",     "kernel",
		"load-address", "entry",       "initrd",       "bootargs",   "console",
		"keel,manager", "memory-pool", "sve-max-vl",   "sme-max-vl", "keel,tdx",
	};

	(void)vm;
	warn_unknown(p, node, known, ARRAY_SIZE(known));
	return PART_OK;
}

static enum part_err parse_vcpus(struct parser *p, int node, struct vm_config *vm)
{
	enum part_err err;

	vm->vcpus = 1;
	err = read_u32(p, node, "vcpus", &vm->vcpus, NULL);
	if (err)
		return err;
	if (vm->vcpus == 0 || vm->vcpus > p->max_vcpus)
		return fail(p, PART_ERR_VCPUS, "vcpus", "%u vCPUs, must be 1..%u", vm->vcpus,
			    p->max_vcpus);
	return PART_OK;
}

static enum part_err parse_affinity(struct parser *p, int node, struct vm_config *vm)
{
	int len;
	const uint8_t *b = getprop(p, node, "cpu-affinity", &len);

	if (!b)
		return PART_OK;
	if (len % 4)
		return fail(p, PART_ERR_LENGTH, "cpu-affinity",
			    "%d bytes, not a whole number of cells", len);
	if ((uint32_t)len / 4 != vm->vcpus)
		return fail(p, PART_ERR_LENGTH, "cpu-affinity", "%d entries for %u vCPUs", len / 4,
			    vm->vcpus);
	for (uint32_t i = 0; i < vm->vcpus; i++) {
		vm->affinity[i] = be32(b + 4 * i);
		if (vm->affinity[i] >= p->lim->nr_pcpus)
			return fail(p, PART_ERR_AFFINITY, "cpu-affinity",
				    "vCPU %u names CPU %u, the machine has %u CPU%s", i,
				    vm->affinity[i], p->lim->nr_pcpus,
				    p->lim->nr_pcpus == 1 ? "" : "s");
	}
	vm->has_affinity = true;
	return PART_OK;
}

/* Inclusive ends, so a range reaching 2^64 - 1 cannot overflow. */
static bool overlaps(uint64_t a, uint64_t a_last, uint64_t b, uint64_t b_last)
{
	return a <= b_last && b <= a_last;
}

static enum part_err check_region_against(struct parser *p, const struct vm_config *vm, uint32_t i)
{
	const struct part_limits *lim = p->lim;
	uint64_t base = vm->mem[i].base, last = base + vm->mem[i].size - 1;

	for (uint32_t j = 0; j < i; j++) {
		uint64_t b = vm->mem[j].base, b_last = b + vm->mem[j].size - 1;

		if (overlaps(base, last, b, b_last))
			return fail(p, PART_ERR_OVERLAP, "memory",
				    "region %u overlaps region %u (0x%llx..0x%llx)", i, j, ULL(b),
				    ULL(b_last));
	}
	for (uint32_t d = 0; d < lim->nr_dev; d++) {
		uint64_t b = lim->dev[d].base, b_last = b + lim->dev[d].size - 1;

		if (lim->dev[d].size && overlaps(base, last, b, b_last))
			return fail(
				p, PART_ERR_DEVICE_OVERLAP, "memory",
				"region %u (0x%llx..0x%llx) overlaps emulated device %s (0x%llx..0x%llx)",
				i, ULL(base), ULL(last),
				lim->dev_names && lim->dev_names[d] ? lim->dev_names[d] : "?",
				ULL(b), ULL(b_last));
	}
	return PART_OK;
}

static enum part_err check_region(struct parser *p, const struct vm_config *vm, uint32_t i)
{
	uint64_t base = vm->mem[i].base, size = vm->mem[i].size;

	if (!size)
		return fail(p, PART_ERR_EMPTY, "memory", "region %u has size 0", i);
	if (!IS_ALIGNED(base, PAGE_SIZE))
		return fail(p, PART_ERR_ALIGN, "memory",
			    "region %u base 0x%llx is not 4 KiB aligned", i, ULL(base));
	if (!IS_ALIGNED(size, PAGE_SIZE))
		return fail(p, PART_ERR_ALIGN, "memory",
			    "region %u size 0x%llx is not a multiple of 4 KiB", i, ULL(size));
	if (size - 1 > UINT64_MAX - base)
		return fail(p, PART_ERR_VALUE, "memory",
			    "region %u (base 0x%llx, size 0x%llx) wraps around the address space",
			    i, ULL(base), ULL(size));
	if (base + size - 1 >= p->lim->ipa_limit)
		return fail(p, PART_ERR_VALUE, "memory",
			    "region %u ends at 0x%llx, above the guest-physical limit 0x%llx", i,
			    ULL(base + size - 1), ULL(p->lim->ipa_limit));
	return check_region_against(p, vm, i);
}

static enum part_err parse_memory(struct parser *p, int node, struct vm_config *vm)
{
	int len;
	const uint8_t *b = getprop(p, node, "memory", &len);
	uint32_t pair = (p->ac + p->sc) * 4;
	enum part_err err;

	if (!b)
		return fail(p, PART_ERR_MISSING, "memory", "missing (required)");
	if (len == 0 || (uint32_t)len % pair)
		return fail(p, PART_ERR_LENGTH, "memory",
			    "%d bytes, expected <base size> pairs of %u bytes each", len, pair);
	if ((uint32_t)len / pair > KEEL_MAX_MEM_REGIONS)
		return fail(p, PART_ERR_LENGTH, "memory", "%u regions, at most %d allowed",
			    (uint32_t)len / pair, KEEL_MAX_MEM_REGIONS);
	for (uint32_t i = 0; i < (uint32_t)len / pair; i++) {
		vm->mem[i].base = be_cells(b + i * pair, p->ac);
		vm->mem[i].size = be_cells(b + i * pair + p->ac * 4, p->sc);
		vm->nr_mem = i + 1;
		err = check_region(p, vm, i);
		if (err)
			return err;
	}
	return PART_OK;
}

static const struct mem_region *find_region(const struct vm_config *vm, uint64_t addr)
{
	for (uint32_t i = 0; i < vm->nr_mem; i++)
		if (addr >= vm->mem[i].base && addr - vm->mem[i].base < vm->mem[i].size)
			return &vm->mem[i];
	return NULL;
}

static enum part_err check_load(struct parser *p, const struct vm_config *vm, bool explicit)
{
	const struct mem_region *r = find_region(vm, vm->load_addr);
	char img[32], reg[32];

	if (!r && explicit)
		return fail(p, PART_ERR_OUTSIDE, "load-address",
			    "0x%llx is outside the VM's memory", ULL(vm->load_addr));
	if (!r)
		return fail(
			p, PART_ERR_OUTSIDE, "kernel",
			"load address 0x%llx (from the Image header text_offset) is outside the VM's memory",
			ULL(vm->load_addr));
	if (vm->load_size <= r->size - (vm->load_addr - r->base))
		return PART_OK;
	fmt_size(img, sizeof(img), vm->load_size);
	fmt_size(reg, sizeof(reg), r->size);
	if (vm->load_addr == r->base)
		return fail(p, PART_ERR_TOO_BIG, "kernel",
			    "image of %s does not fit in memory region at 0x%llx (%s)", img,
			    ULL(r->base), reg);
	return fail(
		p, PART_ERR_TOO_BIG, "kernel",
		"image of %s does not fit in memory region at 0x%llx (%s) when loaded at 0x%llx",
		img, ULL(r->base), reg, ULL(vm->load_addr));
}

/*
 * Load address: explicit, else memory base + text_offset for a Linux Image,
 * else memory base. A Linux Image reserves max(image_size, file size) bytes
 * wherever it is loaded (image_size covers its BSS).
 */
static enum part_err parse_kernel(struct parser *p, int node, struct vm_config *vm)
{
	struct linux_image_info info;
	bool explicit, linux_img;
	enum part_err err = read_bytes(p, node, "kernel", &vm->kernel, &vm->kernel_size);

	if (err)
		return err;
	vm->load_addr = vm->mem[0].base;
	err = read_cells(p, node, "load-address", p->ac, &vm->load_addr, &explicit);
	if (err)
		return err;
	linux_img = linux_image_header(vm->kernel, vm->kernel_size, &info);
	vm->load_size = vm->kernel_size;
	if (linux_img && info.image_size > vm->load_size)
		vm->load_size = info.image_size;
	if (linux_img && !explicit) {
		if (info.text_offset > UINT64_MAX - vm->load_addr)
			return fail(p, PART_ERR_OUTSIDE, "kernel",
				    "Image header text_offset 0x%llx is outside the VM's memory",
				    ULL(info.text_offset));
		vm->load_addr += info.text_offset;
	}
	return check_load(p, vm, explicit);
}

static enum part_err parse_entry(struct parser *p, int node, struct vm_config *vm)
{
	bool found;
	enum part_err err;

	vm->entry = vm->load_addr;
	err = read_cells(p, node, "entry", p->ac, &vm->entry, &found);
	if (err)
		return err;
	if (found && !find_region(vm, vm->entry))
		return fail(p, PART_ERR_OUTSIDE, "entry", "0x%llx is outside the VM's memory",
			    ULL(vm->entry));
	return PART_OK;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Kernel, initrd and the guest DTB must all fit in the VM's memory. */
static enum part_err parse_initrd(struct parser *p, int node, struct vm_config *vm)
{
	int len;
	const uint8_t *b = getprop(p, node, "initrd", &len);
	uint64_t total = 0, need;
	char s[4][32];

	if (b && len == 0)
		warn(p, "initrd", "empty, ignored");
	if (b && len > 0) {
		vm->initrd = b;
		vm->initrd_size = (size_t)len;
	}
	for (uint32_t i = 0; i < vm->nr_mem; i++)
		total = sat_add(total, vm->mem[i].size);
	need = sat_add(sat_add(vm->load_size, vm->initrd_size), DTB_RESERVE);
	if (need <= total)
		return PART_OK;
	fmt_size(s[0], sizeof(s[0]), vm->load_size);
	fmt_size(s[1], sizeof(s[1]), vm->initrd_size);
	fmt_size(s[2], sizeof(s[2]), total);
	if (!vm->initrd)
		return fail(p, PART_ERR_TOO_BIG, "kernel",
			    "image of %s leaves no room for the %llu KiB guest DTB (the VM has %s)",
			    s[0], ULL(DTB_RESERVE >> 10), s[2]);
	fmt_size(s[3], sizeof(s[3]), need);
	return fail(p, PART_ERR_TOO_BIG, "initrd",
		    "kernel (%s) + initrd (%s) + guest DTB (%llu KiB) need %s, the VM has %s", s[0],
		    s[1], ULL(DTB_RESERVE >> 10), s[3], s[2]);
}

static enum part_err parse_bootargs(struct parser *p, int node, struct vm_config *vm)
{
	return read_string(p, node, "bootargs", &vm->bootargs);
}

static enum part_err parse_console(struct parser *p, int node, struct vm_config *vm)
{
	static const char *const modes[] = {
		[CONSOLE_EMULATED] = "emulated",
		[CONSOLE_PASSTHROUGH] = "passthrough",
		[CONSOLE_NONE] = "none",
	};
	const char *s = NULL;
	enum part_err err = read_string(p, node, "console", &s);
	int i;

	if (err || !s)
		return err;
	i = string_index(s, modes, ARRAY_SIZE(modes));
	if (i < 0)
		return fail(p, PART_ERR_VALUE, "console",
			    "\"%s\" is not one of emulated, passthrough, none", s);
	vm->console = (enum console_mode)i;
	return PART_OK;
}

static enum part_err parse_manager(struct parser *p, int node, struct vm_config *vm)
{
	bool found;
	enum part_err err = read_bool(p, node, "keel,manager", &vm->manager);

	if (!err)
		err = read_cells(p, node, "memory-pool", p->sc, &vm->memory_pool, &found);
	if (!err && found && !vm->manager) {
		warn(p, "memory-pool", "ignored, the VM is not keel,manager");
		vm->memory_pool = 0;
	}
	return err;
}

/* Vector-length cap: absent = the hardware maximum hw, 0 = feature off, else 16..hw in 16s. */
static enum part_err read_vl(struct parser *p, int node, const char *name, uint32_t hw,
			     const char *feature, uint32_t *vl)
{
	bool found;
	enum part_err err = read_u32(p, node, name, vl, &found);

	if (err)
		return err;
	if (!found) {
		*vl = hw;
		return PART_OK;
	}
	if (*vl % VL_QUANTUM)
		return fail(p, PART_ERR_VALUE, name, "%u bytes, not a multiple of %d (128 bits)",
			    *vl, VL_QUANTUM);
	if (*vl > hw && !hw)
		return fail(p, PART_ERR_VALUE, name, "%u bytes, but the machine has no %s", *vl,
			    feature);
	if (*vl > hw)
		return fail(p, PART_ERR_VALUE, name, "%u bytes, above the hardware maximum of %u",
			    *vl, hw);
	return PART_OK;
}

static enum part_err parse_vector(struct parser *p, int node, struct vm_config *vm)
{
	enum part_err err =
		read_vl(p, node, "sve-max-vl", p->lim->sve_max_vl, "SVE", &vm->sve_max_vl);

	return err ? err :
		     read_vl(p, node, "sme-max-vl", p->lim->sme_max_vl, "SME", &vm->sme_max_vl);
}

/* Intel TDX guests need a TDX module and keel's TDX backend, which is a stub (arch/x86_64/tdx/). */
static enum part_err parse_tdx(struct parser *p, int node, struct vm_config *vm)
{
	int len;

	(void)vm;
	if (getprop(p, node, "keel,tdx", &len))
		return fail(p, PART_ERR_UNSUPPORTED, "keel,tdx",
			    "TDX guests are not supported: keel's TDX backend is a stub");
	return PART_OK;
}

static const vm_step_fn vm_steps[] = {
	parse_name,    parse_known,  parse_vcpus,  parse_affinity, parse_memory,
	parse_kernel,  parse_entry,  parse_initrd, parse_bootargs, parse_console,
	parse_manager, parse_vector, parse_tdx,
};

static void refuse(struct parser *p, enum part_err err)
{
	struct partition *out = p->out;

	if (out->nr_refused < KEEL_MAX_REFUSED) {
		struct part_refusal *r = &out->refused[out->nr_refused];
		size_t n = strnlen(p->node, KEEL_NAME_MAX - 1);

		memcpy(r->name, p->node, n);
		r->name[n] = '\0';
		r->err = err;
	}
	out->nr_refused++;
}

static void parse_vm(struct parser *p, int node)
{
	struct vm_config vm;
	enum part_err err = PART_OK;

	memset(&vm, 0, sizeof(vm));
	for (size_t i = 0; i < ARRAY_SIZE(vm_steps) && !err; i++)
		err = vm_steps[i](p, node, &vm);
	if (err)
		refuse(p, err);
	else
		p->out->vms[p->out->nr_vms++] = vm;
}

static void parse_top_node(struct parser *p, int node)
{
	const char *name = fdt_get_name(p->fdt, node, NULL);

	p->node = name && *name ? name : "(unnamed)";
	if (name && !strcmp(name, "keel"))
		parse_keel(p, node);
	else if (has_compatible(p, node, "keel,vm"))
		parse_vm(p, node);
	else
		warn(p, NULL, "not a keel,vm node, ignored");
}

enum part_err partition_parse(const void *blob, size_t blob_size, const struct part_limits *lim,
			      struct partition *out, part_report_fn report, void *ctx)
{
	struct parser p = {
		.fdt = blob,
		.size = blob_size,
		.lim = lim,
		.out = out,
		.report = report,
		.ctx = ctx,
		.level = LOG_ERROR,
		.max_vcpus = MIN(lim->max_vcpus, KEEL_MAX_VCPUS),
	};
	enum part_err err;
	int node;

	memset(out, 0, sizeof(*out));
	out->keel.log_level = LOG_INFO;
	out->keel.time_slice_us = KEEL_DEFAULT_TIME_SLICE_US;
	err = check_blob(&p);
	if (!err)
		err = parse_root(&p);
	if (err)
		return err;
	for (node = fdt_first_subnode(p.fdt, 0); node >= 0; node = fdt_next_subnode(p.fdt, node))
		parse_top_node(&p, node);
	p.node = NULL;
	if (!out->nr_vms)
		return fail(&p, PART_ERR_NO_VMS, NULL, "no valid VM in file");
	return PART_OK;
}
