/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Basic types and opaque address types.
 *
 * Host-physical, guest-physical (IPA) and hypervisor-virtual addresses are
 * one-field structs so the compiler refuses to mix them up.
 */
#ifndef KEEL_TYPES_H
#define KEEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Exit-path functions that -fstack-protector-strong instruments only because
 * they pass a scalar's address (the MMIO value, a UART byte) and hold no
 * array: the canary check would cost every such exit ~10 instructions for
 * nothing that can overflow.
 */
#define KEEL_NO_STACK_PROTECTOR __attribute__((no_stack_protector))

typedef struct {
	uint64_t pa;
} paddr_t; /* host-physical */

typedef struct {
	uint64_t ipa;
} ipaddr_t; /* guest-physical */

static inline paddr_t pa_init(uint64_t v)
{
	return (paddr_t){ v };
}

static inline ipaddr_t ipa_init(uint64_t v)
{
	return (ipaddr_t){ v };
}

static inline paddr_t pa_add(paddr_t a, uint64_t n)
{
	return (paddr_t){ a.pa + n };
}

static inline ipaddr_t ipa_add(ipaddr_t a, uint64_t n)
{
	return (ipaddr_t){ a.ipa + n };
}

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/* true when [a, a+as) and [b, b+bs) share a byte; sizes are non-zero */
static inline bool ranges_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

#endif
