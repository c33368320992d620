// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SBI debug console (DBCN): write of a buffer in the VM's memory, write of
 * single bytes, read with nothing typed, and buffers outside the VM's memory.
 */
#include "guest.h"
#include <string.h>

static struct sbiret dbcn(unsigned long fid, unsigned long a0, unsigned long a1, unsigned long a2)
{
	return sbi_call(SBI_EXT_DBCN, fid, a0, a1, a2);
}

void guest_main(void)
{
	static const char msg[] = "dbcn: this line came through console_write\n";
	static const char bytes[] = "dbcn: and this one byte by byte\n";
	static char buf[16];
	uint64_t mem = 0, size = 0;
	struct sbiret r;
	long err = 0;

	dt_reg("/memory@80000000", &mem, &size);
	r = dbcn(SBI_DBCN_WRITE, sizeof(msg) - 1, (uint64_t)msg, 0);
	check(r.error == 0 && r.value == sizeof(msg) - 1, "dbcn_write",
	      "console_write of %zu bytes: error %ld, %lu written", sizeof(msg) - 1, r.error,
	      r.value);
	for (const char *p = bytes; *p; p++)
		err |= dbcn(SBI_DBCN_WRITE_BYTE, (uint8_t)*p, 0, 0).error;
	check(err == 0, "dbcn_write_byte", "console_write_byte returned %ld", err);
	r = dbcn(SBI_DBCN_WRITE, 16, 0x40000000, 0);
	check(r.error == SBI_ERR_INVALID_PARAM, "dbcn_write_outside",
	      "console_write from 0x40000000: error %ld", r.error);
	r = dbcn(SBI_DBCN_WRITE, 16, mem + size - 8, 0);
	check(r.error == SBI_ERR_INVALID_PARAM, "dbcn_write_straddle",
	      "console_write across the end of memory 0x%lx: error %ld",
	      (unsigned long)(mem + size), r.error);
	r = dbcn(SBI_DBCN_WRITE, 16, (uint64_t)msg, 1);
	check(r.error == SBI_ERR_INVALID_PARAM, "dbcn_write_base_hi",
	      "console_write with base_addr_hi 1: error %ld", r.error);
	memset(buf, 0x55, sizeof(buf));
	r = dbcn(SBI_DBCN_READ, sizeof(buf), (uint64_t)buf, 0);
	check(r.error == 0 && r.value == 0 && buf[0] == 0x55, "dbcn_read_empty",
	      "console_read with nothing typed: error %ld, %lu read", r.error, r.value);
	r = dbcn(SBI_DBCN_READ, 16, 0x40000000, 0);
	check(r.error == SBI_ERR_INVALID_PARAM, "dbcn_read_outside",
	      "console_read into 0x40000000: error %ld", r.error);
}
