// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 part of the call storm: vmmcall with keel's hypercall numbers, the Secure AVIC call and
 * random RAX values, random RBX, RCX, RDX, RSI, RDI. The Secure AVIC call registers a scratch page
 * or is refused with #GP (keel counts those faults and stops a VM at 1000: at most 300 refusals
 * here). Address arguments never point into the VM's own memory but at a scratch buffer.
 */
#include "guest.h"
#include <keel/hypercall.h>
#include <keel/printf.h>

const char *const storm_kinds[STORM_KINDS] = { "keel", "keel (any number)", "Secure AVIC",
					       "random" };
static uint32_t scratch[1024] __attribute__((aligned(4096)));
static unsigned savic_refused;

static uint32_t arg(uint64_t *seed)
{
	uint64_t r = rng_next(seed);
	uint32_t v;

	switch (r & 7) {
	case 0:
		v = 0;
		break;
	case 1:
		v = (r >> 8) & 0xff;
		break;
	case 2:
	case 4:
		v = 0xffffffff;
		break;
	case 3:
		v = (uint32_t)(uintptr_t)&scratch[(r >> 8) & 15];
		break;
	case 5:
	case 6:
		v = (uint32_t)rng_next(seed);
		break;
	default:
		v = 0x1000000 + ((r >> 8) & 0xfffff8); /* just above a 16 MiB VM */
	}
	if (v < 0x40000000 && (v < (uintptr_t)scratch || v >= (uintptr_t)&scratch[1024]))
		v = (uint32_t)(uintptr_t)scratch; /* this VM's memory is somewhere below 1 GiB */
	return v;
}

unsigned storm_call(uint64_t *seed, bool *ok, char *what, unsigned len)
{
	uint64_t r = rng_next(seed);
	unsigned kind = (unsigned)(r & 3);
	uint32_t eax, ebx = arg(seed), ecx = arg(seed), edx = arg(seed), esi = arg(seed),
		      edi = arg(seed), in_ebx;
	bool faulted;

	if (kind == 2 && savic_refused >= 300)
		kind = 0;
	switch (kind) {
	case 0:
		eax = (r >> 8) & 7;
		break;
	case 1:
		eax = (uint32_t)(r >> 8) & 0x1ff;
		break;
	case 2:
		eax = SAVIC_CALL;
		ecx = (r >> 8) & 1 ? (r >> 9) & 1 : ecx; /* register, unregister, or anything */
		if ((r >> 10) & 1)
			ebx = (uint32_t)(uintptr_t)scratch;
		break;
	default:
		eax = (uint32_t)rng_next(seed);
		if (eax == SAVIC_CALL)
			eax = 0x100;
	}
	in_ebx = ebx;
	{
		unsigned before = exc_seen.count;
		bool was = expect_abort;

		expect_abort = true;
		asm volatile("movl $1f, exc_recover\n\t"
			     "vmmcall\n"
			     "1:\tmovl $0, exc_recover"
			     : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx), "+S"(esi), "+D"(edi)
			     :
			     : "memory");
		expect_abort = was;
		faulted = exc_seen.count != before;
	}
	if (kind == 2) {
		/* register (0) of a page-aligned address in memory or unregister (1): OK, else #GP */
		*ok = faulted ? exc_seen.vector == EXC_GP : eax == KEEL_OK;
		savic_refused += faulted;
	} else {
		*ok = !faulted && (int32_t)eax <= 0 && (int32_t)eax >= KEEL_ESTATE;
	}
	if (!*ok)
		ksnprintf(what, len, "vmmcall %s 0x%x (0x%x) -> 0x%x%s", storm_kinds[kind],
			  (unsigned)eax, (unsigned)in_ebx, (unsigned)eax,
			  faulted ? " and an exception" : "");
	return kind;
}
