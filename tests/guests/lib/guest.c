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
