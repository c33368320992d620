// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * riscv64 part of the call storm: the SBI extensions keel serves (BASE, TIME, IPI, RFENCE, HSM,
 * DBCN, FWFT, the legacy ones), keel's own and random extension IDs, random function IDs and
 * arguments. Left out: SRST and legacy shutdown, HSM hart_stop and hart_suspend (they end or
 * park the hart; the hsm scenario tests them), the legacy putchar and DBCN writes from memory
 * (they would print; the dbcn scenario tests them). Address arguments never point into the VM's
 * own memory but at a scratch buffer.
 */
#include "guest.h"
#include <keel/hypercall.h>
#include <keel/printf.h>

const char *const storm_kinds[STORM_KINDS] = { "SBI BASE", "SBI extension", "keel", "random" };
static uint64_t scratch[32];

static uint64_t arg(uint64_t *seed)
{
	return storm_arg(seed, 0x80000000, scratch, 32);
}

static const unsigned long exts[] = {
	SBI_EXT_TIME,
	SBI_EXT_IPI,
	SBI_EXT_RFENCE,
	SBI_EXT_HSM,
	SBI_EXT_DBCN,
	SBI_EXT_FWFT,
	0,
	2,
	3,
	4,
	5,
	6,
	7, /* legacy: set_timer, getchar, clear_ipi, send_ipi, fences */
	0x504d55,
	0x535553,
	0x43505043,
	0x4e41434c,
	0x535441,
	0x535345, /* PMU, SUSP, CPPC, NACL, STA, SSE */
};

unsigned storm_call(uint64_t *seed, bool *ok, char *what, unsigned len)
{
	uint64_t r = rng_next(seed), eid, fid = rng_next(seed) & ((r >> 40) & 1 ? ~0UL : 7);
	uint64_t a[6];
	unsigned kind = (unsigned)(r & 3);
	struct sbiret ret;

	for (int i = 0; i < 6; i++)
		a[i] = arg(seed);
	switch (kind) {
	case 0:
		eid = SBI_EXT_BASE;
		break;
	case 1:
		eid = exts[((r >> 8) & 0xff) % (sizeof(exts) / sizeof(exts[0]))];
		break;
	case 2:
		eid = KEEL_HC_RISCV_EXT;
		break;
	default:
		eid = (r >> 41) & 1 ? (uint32_t)rng_next(seed) : rng_next(seed);
	}
	if (eid == SBI_EXT_SRST || eid == 8 || eid == 1 ||
	    (eid == SBI_EXT_HSM && (fid == SBI_HSM_HART_STOP || fid == SBI_HSM_HART_SUSPEND)) ||
	    (eid == SBI_EXT_DBCN && fid != SBI_DBCN_READ))
		fid = 0x1000; /* would end, park or print: an unknown function instead */
	if (eid == 1 || eid == 8)
		eid = 9; /* no legacy putchar or shutdown: an unknown legacy call */
	ret = sbi_call6(eid, fid, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (eid == 2) /* legacy getchar: a character or -1 */
		*ok = ret.error >= -1 && ret.error <= 0xff;
	else /* the legacy calls return 0 or an SBI error in a0 as well */
		*ok = ret.error <= 0 && ret.error >= -14;
	if (!*ok)
		ksnprintf(what, len, "eid 0x%lx fid 0x%lx (0x%lx 0x%lx 0x%lx) -> %ld",
			  (unsigned long)eid, (unsigned long)fid, (unsigned long)a[0],
			  (unsigned long)a[1], (unsigned long)a[2], ret.error);
	return kind;
}
