/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tiny library shared by keel's freestanding test guests. */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

extern const void *guest_dtb;
extern uint64_t guest_dtb_addr;
extern uint64_t guest_start_counter; /* CNTVCT at the guest's first instruction */

void gputc(char c);
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define PASS(name) gprintf("PASS %s\n", name)
#define FAIL(name, ...)                     \
	do {                                \
		gprintf("FAIL %s: ", name); \
		gprintf(__VA_ARGS__);       \
		gprintf("\n");              \
	} while (0)
/* PASS when cond holds, else FAIL with the message; returns cond. */
bool check(bool cond, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Each guest provides guest_main(); guest_secondary() is for PSCI-started vCPUs. */
void guest_main(void);
void guest_secondary(unsigned id);

/* Firmware calls: x0..x3 in, x0..x3 out. */
struct hvc_ret {
	uint64_t x0, x1, x2, x3;
};
struct hvc_ret hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
void __attribute__((noreturn)) system_off(void);

/* Exceptions: aborts expected by a probe are recorded and skipped. */
struct exc_record {
	volatile unsigned count;
	volatile uint64_t esr, far, elr;
};
extern struct exc_record exc_seen;
extern volatile bool expect_abort;
extern void (*volatile irq_hook)(unsigned intid);

/* Device tree queries (libfdt on guest_dtb). */
bool dt_reg(const char *path, uint64_t *base, uint64_t *size);
const char *dt_string(const char *path, const char *prop);
/* "key=value" from /chosen/bootargs, parsed as a number; false when absent. */
bool bootarg_u64(const char *key, uint64_t *val);

/* Timer and GIC */
uint64_t counter(void);
uint64_t counter_freq(void);
void gic_cpu_enable(void);
void gic_enable_ppi(unsigned cpu, unsigned intid);
void irq_enable(void);
void irq_disable(void);
unsigned cpu_index(void);

static inline uint64_t mmio_read32(uint64_t a)
{
	return *(volatile uint32_t *)a;
}
static inline void mmio_write32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

#define SYSREG_READ(r)                                  \
	({                                              \
		uint64_t v_;                            \
		asm volatile("mrs %0, " #r : "=r"(v_)); \
		v_;                                     \
	})
#define SYSREG_WRITE(r, v) asm volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))

#endif
