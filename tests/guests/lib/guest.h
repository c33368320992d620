/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tiny library shared by keel's freestanding test guests: the common API is
 * here (guest.c), each arch adds its own part (arch_<arch>.h, <arch>_lib.c):
 * console putc, counter, firmware calls, exceptions, interrupts. How a guest
 * learns about its VM is either a DTB (guest_dt.c with libfdt: arm64,
 * riscv64) or the arch's own boot information (x86_64: multiboot, in
 * x86_64_mb.c); each of them provides guest_entry() and guest_bootargs().
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

extern uint64_t guest_start_counter; /* counter at the guest's first instruction */

void gputc(char c);
/* 64-bit number in decimal, for every arch (32-bit x86 guests print longs as 32 bits) */
const char *u64_str(uint64_t v, char buf[21]);
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

/* Each guest provides guest_main(); guest_secondary() is for vCPUs started by a firmware call. */
void guest_main(void);
void guest_secondary(unsigned id);

/* Powers the VM off through the firmware interface; never returns. */
void __attribute__((noreturn)) system_off(void);

/* Exceptions: faults expected by a probe are recorded (struct exc_record, per arch) and skipped. */
extern volatile bool expect_abort;
/* Called for each interrupt with its number (arch_<arch>.h says which numbers). */
extern void (*volatile irq_hook)(unsigned intid);

/* The VM's bootargs (DTB /chosen/bootargs, multiboot command line); NULL when there are none. */
const char *guest_bootargs(void);
/* "key=value" from the bootargs, parsed as a number; false when absent. */
bool bootarg_u64(const char *key, uint64_t *val);

/* Device tree queries (guest_dt.c, libfdt on guest_dtb): the arches that boot with a DTB. */
extern const void *guest_dtb;
extern uint64_t guest_dtb_addr;
bool dt_reg(const char *path, uint64_t *base, uint64_t *size);
const char *dt_string(const char *path, const char *prop);
/* imagehdr: keel honoured the Image header at head (see guest_dt.c) */
void dt_check_image_header(uint64_t head, uint64_t end, uint64_t mem_base, uint64_t text_offset);
/* selfcheck: memory node, DTB inside memory, memory zeroed and writable (see guest_dt.c) */
void dt_check_memory(void);

/*
 * arm64 and riscv64: a read (kind 0), write (1) or instruction fetch (2) at a must fault into
 * the guest as the arch's access fault (synchronous external abort / access fault), exactly
 * once; true when it did. (x86_64 guests use probe_read/probe_write/probe_fetch.)
 */
bool probe_faults(uint64_t a, int kind);
/* the access alone, with expect_abort set around it (guest_dt.c) */
void probe_access(uint64_t a, int kind);

/* Time, interrupts, CPU */
uint64_t counter(void);
uint64_t counter_freq(void);
void irq_enable(void);
void irq_disable(void);
unsigned cpu_index(void);

static inline uint64_t mmio_read32(uint64_t a)
{
	return *(volatile uint32_t *)(uintptr_t)a;
}
static inline void mmio_write32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)a = v;
}
static inline uint8_t mmio_read8(uint64_t a)
{
	return *(volatile uint8_t *)(uintptr_t)a;
}
static inline void mmio_write8(uint64_t a, uint8_t v)
{
	*(volatile uint8_t *)(uintptr_t)a = v;
}
/* A size-byte (1, 2, 4 or 8) access, for guests that poke device registers at every width. */
static inline void mmio_write_sized(uint64_t a, unsigned size, uint64_t v)
{
	switch (size) {
	case 1:
		*(volatile uint8_t *)(uintptr_t)a = (uint8_t)v;
		break;
	case 2:
		*(volatile uint16_t *)(uintptr_t)a = (uint16_t)v;
		break;
	case 4:
		*(volatile uint32_t *)(uintptr_t)a = (uint32_t)v;
		break;
	default:
		*(volatile uint64_t *)(uintptr_t)a = v;
	}
}
static inline uint64_t mmio_read_sized(uint64_t a, unsigned size)
{
	switch (size) {
	case 1:
		return *(volatile uint8_t *)(uintptr_t)a;
	case 2:
		return *(volatile uint16_t *)(uintptr_t)a;
	case 4:
		return *(volatile uint32_t *)(uintptr_t)a;
	default:
		return *(volatile uint64_t *)(uintptr_t)a;
	}
}

/*
 * One-shot timer interrupt after ticks of counter() (arch part: virtual timer,
 * Sstc, x2APIC timer). An irq_hook calls guest_timer_ack(): true when the
 * interrupt was the timer, which it then disarms.
 */
void guest_timer_oneshot(uint64_t ticks);
bool guest_timer_ack(unsigned intid);
/*
 * The same timer by absolute deadline (common/irqstorm.c): guest_timer_enable() lets this vCPU
 * take it, guest_timer_at(t) fires it once counter() reaches t. A t in the past (0) keeps it
 * pending: re-armed so in the handler, it fires again right after each ack, the shortest period.
 */
void guest_timer_enable(void);
void guest_timer_at(uint64_t t);
/*
 * IPIs between the vCPUs of a VM (SGI, SBI IPI, x2APIC fixed IPI): guest_ipi_enable() lets this
 * vCPU take them, guest_ipi_send(id) sends one to vCPU id, guest_ipi_ack(intid) is true when the
 * interrupt was one. guest_start_vcpu(id) starts vCPU id at guest_secondary(id) (PSCI CPU_ON, SBI
 * HSM hart_start, INIT + start-up IPIs).
 */
void guest_ipi_enable(void);
void guest_ipi_send(unsigned id);
bool guest_ipi_ack(unsigned intid);
void guest_start_vcpu(unsigned id);
/* Wait for an interrupt (wfi / hlt); a vCPU sharing its pCPU gives it up meanwhile. */
static inline void guest_wait_irq(void)
{
#if defined(__i386__)
	asm volatile("hlt" ::: "memory");
#else
	asm volatile("wfi" ::: "memory");
#endif
}
/*
 * The same with interrupts masked, without the race of checking a flag with them enabled and
 * then waiting: an interrupt that came after the check still ends the wait and is taken here
 * (wfi wakes on a masked pending one; x86's sti takes effect after the hlt). Masked on return.
 */
static inline void guest_wait_irq_masked(void)
{
#if defined(__i386__)
	asm volatile("sti; hlt; cli" ::: "memory");
#else
	guest_wait_irq();
	irq_enable();
	irq_disable();
#endif
}

/* Hooks of the arch part, called by guest.c and guest_entry() */
void arch_guest_init(void); /* after the boot information is known, before guest_main() */
void __attribute__((noreturn)) arch_cpu_off(unsigned id); /* a secondary is done */

#if defined(__aarch64__)
#include "arch_arm64.h"
#elif defined(__riscv) && __riscv_xlen == 64
#include "arch_riscv64.h"
#elif defined(__i386__)
#include "arch_x86_64.h" /* x86_64 guests run in 32-bit protected mode */
#endif

/*
 * keel's own hypercall n with one argument, on every arch: status as a KEEL_* code
 * (KEEL_OK, KEEL_ENOTSUP, KEEL_EINVAL, KEEL_EPERM) and the first three values.
 */
struct keel_ret {
	long status;
	unsigned long v[3];
};
struct keel_ret keel_call3(unsigned n, unsigned long arg, unsigned long arg2, unsigned long arg3);
static inline struct keel_ret keel_call2(unsigned n, unsigned long arg, unsigned long arg2)
{
	return keel_call3(n, arg, arg2, 0);
}
static inline struct keel_ret keel_call(unsigned n, unsigned long arg)
{
	return keel_call2(n, arg, 0);
}
/* Poll VM_INFO(id) until the VM is in state (KEEL_VM_*); false after seconds. */
bool keel_wait_state(unsigned long id, unsigned long state, unsigned seconds);

/*
 * A partition DTB built beside the guest ($(GUEST_B)/name.dtb, DTB_DIR set by
 * guests.mk) embedded as name_dtb[]; DTB_SIZE(name) is its length.
 */
#define GUEST_EMBED_DTB(name)                                                                \
	asm(".section .rodata\n.balign 8\n.globl " #name "_dtb\n" #name                      \
	    "_dtb:\n.incbin \"" DTB_DIR "/" #name ".dtb\"\n.globl " #name "_dtb_end\n" #name \
	    "_dtb_end:\n.text\n");                                                           \
	extern const char name##_dtb[], name##_dtb_end[]
#define DTB_SIZE(name) ((unsigned long)((uintptr_t)name##_dtb_end - (uintptr_t)name##_dtb))

/* xorshift64*: the seeded generator of the attack and call-storm guests (seed must not be 0). */
static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/*
 * Call storm (common/callstorm.c, <arch>_storm.c): one firmware call or hypercall of the arch's
 * ABI with arguments from the seeded generator, never one that would end the VM. Returns its
 * kind (an index into storm_kinds[]); false in *ok when the answer is not one the ABI defines,
 * with the call written into what.
 */
#define STORM_KINDS 4
extern const char *const storm_kinds[STORM_KINDS];
/*
 * A random 64-bit call argument (the device-tree arches): 0, a small number, all ones, 32-bit
 * all ones, anything, a 32-bit anything, just above a 16 MiB VM at mem, or an address in
 * scratch[0..n). Any other address inside [mem, mem + 1 GiB) (the most a test VM has) becomes
 * scratch, so a call that writes memory never overwrites the guest itself.
 */
uint64_t storm_arg(uint64_t *seed, uint64_t mem, uint64_t *scratch, unsigned n);
unsigned storm_call(uint64_t *seed, bool *ok, char *what, unsigned len);

/* How many times this VM has booted (1 + resets); 0 when the arch cannot tell. */
unsigned guest_boot_count(void);

#endif
