/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Partition file (schema "keel,partition-v1") parser.
 *
 * The same code runs inside keel at boot and on the host (make check-partition,
 * unit tests, fuzzers). It never writes to the blob; every string and image in
 * the result points into the blob.
 */
#ifndef KEEL_PARTITION_H
#define KEEL_PARTITION_H

#include <keel/types.h>

#define KEEL_MAX_VMS 8
#define KEEL_MAX_VCPUS 8 /* per VM */
#define KEEL_MAX_MEM_REGIONS 4
#define KEEL_NAME_MAX 32 /* including the NUL */

enum part_err {
	PART_OK = 0,
	PART_ERR_NOT_DTB, /* blob is not a flattened device tree */
	PART_ERR_COMPATIBLE, /* root compatible is not keel,partition-v1 */
	PART_ERR_CELLS, /* #address-cells / #size-cells missing or not 1..2 */
	PART_ERR_MISSING, /* a required property is absent */
	PART_ERR_EMPTY, /* a required property is empty */
	PART_ERR_LENGTH, /* property length does not fit its type */
	PART_ERR_VALUE, /* a value is out of its allowed set or range */
	PART_ERR_ALIGN, /* an address or size is not page aligned */
	PART_ERR_OVERLAP, /* memory regions of one VM overlap */
	PART_ERR_DEVICE_OVERLAP, /* guest memory covers an emulated device */
	PART_ERR_OUTSIDE, /* load address or entry outside the VM's memory */
	PART_ERR_TOO_BIG, /* image (or initrd) does not fit */
	PART_ERR_VCPUS, /* vcpus is 0 or above the limit */
	PART_ERR_AFFINITY, /* cpu-affinity names a CPU that does not exist */
	PART_ERR_TOO_MANY_VMS, /* more VM nodes than KEEL_MAX_VMS */
	PART_ERR_DUPLICATE, /* two VMs with the same name */
	PART_ERR_NAME, /* node name too long */
	PART_ERR_NO_VMS, /* the file describes no valid VM */
	PART_ERR_UNSUPPORTED, /* a feature keel does not offer (e.g. keel,tdx) */
	PART_ERR__COUNT
};

const char *part_strerror(enum part_err err);

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

enum console_mode { CONSOLE_EMULATED = 0, CONSOLE_PASSTHROUGH, CONSOLE_NONE };

struct mem_region {
	uint64_t base; /* guest-physical */
	uint64_t size;
};

struct vm_config {
	char name[KEEL_NAME_MAX];
	uint32_t vcpus;
	bool has_affinity;
	uint32_t affinity[KEEL_MAX_VCPUS]; /* physical CPU index of each vCPU */
	uint32_t nr_mem;
	struct mem_region mem[KEEL_MAX_MEM_REGIONS];
	const uint8_t *kernel; /* points into the blob */
	size_t kernel_size;
	uint64_t load_addr; /* resolved: explicit, Linux header, or memory start */
	uint64_t load_size; /* bytes reserved at load_addr (>= kernel_size) */
	uint64_t entry; /* resolved: explicit or load_addr */
	const uint8_t *initrd; /* NULL when absent */
	size_t initrd_size;
	const char *bootargs; /* NULL when absent */
	enum console_mode console;
	bool manager;
	uint64_t memory_pool;
	/* bytes; 0 = disabled. Not given = the hardware maximum (part_limits). */
	uint32_t sve_max_vl;
	uint32_t sme_max_vl;
};

struct keel_settings {
	enum log_level log_level;
	uint32_t time_slice_us;
	bool fp_eager; /* fp-switch = "eager": switch FP/vector state at every vCPU switch */
};

#define KEEL_DEFAULT_TIME_SLICE_US 10000

/* What the machine allows; filled by the caller (arch + firmware DTB). */
struct part_limits {
	uint32_t nr_pcpus;
	uint32_t max_vcpus; /* per VM, <= KEEL_MAX_VCPUS */
	uint64_t ipa_limit; /* guest-physical addresses must be below this */
	uint32_t nr_dev; /* guest-physical ranges taken by emulated devices */
	const struct mem_region *dev;
	const char *const *dev_names;
	/* largest SVE vector length / SME streaming vector length in bytes, 0 = no SVE / SME */
	uint32_t sve_max_vl;
	uint32_t sme_max_vl;
};

#define KEEL_MAX_REFUSED 16

/* A refused VM node: its name (cut to KEEL_NAME_MAX - 1 chars) and the reason. */
struct part_refusal {
	char name[KEEL_NAME_MAX];
	enum part_err err;
};

struct partition {
	struct keel_settings keel;
	uint32_t nr_vms;
	struct vm_config vms[KEEL_MAX_VMS];
	uint32_t nr_refused; /* VM nodes refused with an error */
	uint32_t nr_warnings;
	struct part_refusal refused[KEEL_MAX_REFUSED]; /* the first nr_refused, in file order */
};

/*
 * report() receives one finished message line without a trailing newline,
 * e.g. "linux/memory: overlaps linux/memory[0] at 0x40000000". level is an
 * enum log_level.
 */
typedef void (*part_report_fn)(void *ctx, enum log_level level, const char *msg);

/*
 * Parse and check a partition blob. Returns PART_OK when at least one VM is
 * valid; errors that concern one VM refuse only that VM (reported, counted in
 * nr_refused). Errors that concern the whole file (not a DTB, wrong schema,
 * bad cells, no valid VM) are returned.
 */
enum part_err partition_parse(const void *blob, size_t blob_size, const struct part_limits *lim,
			      struct partition *out, part_report_fn report, void *ctx);

/* Linux Image header (arm64 and riscv64 share the layout of the fields used). */
struct linux_image_info {
	uint64_t text_offset;
	uint64_t image_size;
};
bool linux_image_header(const uint8_t *img, size_t size, struct linux_image_info *info);

#endif
