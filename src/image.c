// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linux Image header (Documentation/arch/arm64/booting.rst,
 * Documentation/riscv/boot-image-header.rst). Both share the fields keel uses:
 *
 *   0  code0, code1 (u32 each)
 *   8  text_offset (u64 LE)    image load offset from a 2 MiB aligned base
 *   16 image_size (u64 LE)     bytes the kernel needs, including BSS
 *   24 flags (u64 LE)
 *   56 magic: "ARM\x64" (arm64) or "RSC\x05" (riscv64, "magic2")
 *
 * Read with byte loads: the image sits wherever dtc put it in the blob.
 */
#include <keel/partition.h>
#include <string.h>

#define IMAGE_HDR_SIZE 64
#define IMAGE_MAGIC_OFF 56
#define ARM64_LEGACY_TEXT_OFFSET 0x80000

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

bool linux_image_header(const uint8_t *img, size_t size, struct linux_image_info *info)
{
	bool arm64, riscv64;
	struct linux_image_info hdr;

	if (!img || size < IMAGE_HDR_SIZE)
		return false;
	arm64 = memcmp(img + IMAGE_MAGIC_OFF, "ARM\x64", 4) == 0;
	riscv64 = memcmp(img + IMAGE_MAGIC_OFF, "RSC\x05", 4) == 0;
	if (!arm64 && !riscv64)
		return false;

	hdr.text_offset = le64(img + 8);
	hdr.image_size = le64(img + 16);
	/*
	 * arm64 kernels before v3.17 leave image_size 0 and their text_offset
	 * has no defined endianness: booting.rst says to assume 0x80000.
	 */
	if (arm64 && hdr.image_size == 0)
		hdr.text_offset = ARM64_LEGACY_TEXT_OFFSET;
	if (info)
		*info = hdr;
	return true;
}
