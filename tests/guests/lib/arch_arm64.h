/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64 part of the guest library (arm64_lib.c): included by guest.h. */
#ifndef GUEST_ARCH_ARM64_H
#define GUEST_ARCH_ARM64_H

/* where guest_entry() found the DTB address, for its messages */
#define GUEST_DTB_REG "x0"

/* Firmware calls: x0..x3 in, x0..x3 out. */
struct hvc_ret {
	uint64_t x0, x1, x2, x3;
};
struct hvc_ret hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/* The last synchronous exception taken to EL1. */
struct exc_record {
	volatile unsigned count;
	volatile uint64_t esr, far, elr;
};
extern struct exc_record exc_seen;

/* GICv3: irq_hook() gets the INTID. */
void gic_cpu_enable(void);
void gic_enable_ppi(unsigned cpu, unsigned intid);
void gic_enable_ppi_prio(unsigned cpu, unsigned intid, uint8_t prio);

#define SYSREG_READ(r)                                  \
	({                                              \
		uint64_t v_;                            \
		asm volatile("mrs %0, " #r : "=r"(v_)); \
		v_;                                     \
	})
#define SYSREG_WRITE(r, v) asm volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))

#endif
