// SPDX-License-Identifier: GPL-2.0-or-later
/* The arch-neutral part of the test-guest library (boot information: guest_dt.c or the arch). */
#include "guest.h"
#include <keel/hypercall.h>
#include <keel/printf.h>
#include <stdarg.h>
#include <string.h>

uint64_t guest_start_counter;
volatile bool expect_abort;
void (*volatile irq_hook)(unsigned intid);
static volatile int print_lock;

void gprintf(const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
		;
	for (char *p = buf; *p; p++)
		gputc(*p);
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

bool check(bool cond, const char *name, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	if (cond) {
		PASS(name);
		return true;
	}
	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	FAIL(name, "%s", buf);
	return false;
}

bool bootarg_u64(const char *key, uint64_t *val)
{
	const char *args = guest_bootargs();
	size_t klen = strlen(key);

	for (const char *p = args; p && *p; p++) {
		if ((p == args || p[-1] == ' ') && !strncmp(p, key, klen) && p[klen] == '=') {
			uint64_t v = 0;
			const char *q = p + klen + 1;
			unsigned base = 10;

			if (q[0] == '0' && q[1] == 'x') {
				base = 16;
				q += 2;
			}
			for (; *q && *q != ' '; q++) {
				unsigned d = (*q >= 'a') ? (unsigned)(*q - 'a' + 10) :
							   (unsigned)(*q - '0');

				v = v * base + d;
			}
			*val = v;
			return true;
		}
	}
	return false;
}

/* Called by start.S on a vCPU started by the firmware call, with its index. */
void secondary_entry(uint64_t id)
{
	guest_secondary((unsigned)id);
	arch_cpu_off((unsigned)id);
}

__attribute__((weak)) void guest_secondary(unsigned id)
{
	(void)id;
}

const char *u64_str(uint64_t v, char buf[21])
{
	char *p = buf + 20;

	*p = 0;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

bool keel_wait_state(unsigned long id, unsigned long state, unsigned seconds)
{
	uint64_t end = counter() + counter_freq() * seconds;

	while (counter() < end)
		if (keel_call(KEEL_HC_VM_INFO, id).v[0] == state)
			return true;
	return false;
}

uint64_t storm_arg(uint64_t *seed, uint64_t mem, uint64_t *scratch, unsigned n)
{
	uint64_t r = rng_next(seed), v, lo = (uint64_t)(uintptr_t)scratch;

	switch (r & 7) {
	case 0:
		v = 0;
		break;
	case 1:
		v = (r >> 8) & 0xff;
		break;
	case 2:
		v = ~0ULL;
		break;
	case 3:
		v = (uint64_t)(uintptr_t)&scratch[((r >> 8) & 0xffff) % (n / 2)];
		break;
	case 4:
		v = 0xffffffff;
		break;
	case 5:
		v = rng_next(seed);
		break;
	case 6:
		v = (uint32_t)rng_next(seed);
		break;
	default:
		v = mem + 0x1000000 + ((r >> 8) & 0xfffff8); /* just above a 16 MiB VM */
	}
	if (v >= mem && v < mem + 0x40000000 && (v < lo || v >= lo + n * sizeof(*scratch)))
		v = lo;
	return v;
}
