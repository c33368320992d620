// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A fault inside keel: print the hart, registers and a frame-pointer backtrace, then power off.
 * Runs on the pCPU's panic stack (entry.S hyp_trap); a load or store page fault in the guard
 * page below a stack or a panic stack is named as a stack overflow. A fault in the panic path
 * itself (the panic stack overflowed, say) comes back here at the top of the panic stack:
 * reported once.
 */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/hcall.h>
#include <keel/keel.h>
#include <keel/vcpu.h>
#include <asm/csr.h>
#include <asm/frame.h>

extern char pcpu_stacks[], panic_stacks[];
static unsigned panicking[KEEL_MAX_PCPUS + 1];

#define PANIC_SLOT_SIZE (1UL << PANIC_STACK_SHIFT)

/* The stack slot whose guard page holds a, or -1; *panic: the guard of a panic stack. */
static int guard_slot_of(uint64_t a, bool *panic)
{
	uint64_t off = a - (uintptr_t)pcpu_stacks, poff = a - (uintptr_t)panic_stacks;

	*panic = false;
	if (off < (KEEL_MAX_PCPUS + 1) * PCPU_STACK_SIZE && off % PCPU_STACK_SIZE < PAGE_SIZE)
		return (int)(off / PCPU_STACK_SIZE);
	*panic = true;
	if (poff < (KEEL_MAX_PCPUS + 1) * PANIC_SLOT_SIZE && poff % PANIC_SLOT_SIZE < PAGE_SIZE)
		return (int)(poff / PANIC_SLOT_SIZE);
	return -1;
}

static int guard_slot(uint64_t a)
{
	bool panic;

	return guard_slot_of(a, &panic);
}

/* a frame record keel can read: in its image, not in a guard page */
static bool readable_record(uint64_t a)
{
	return a >= (uintptr_t)__image_start + 16 && a <= (uintptr_t)_image_end && !(a & 7) &&
	       guard_slot(a - 16) < 0 && guard_slot(a - 8) < 0;
}

static void name_overflow(uint64_t cause, uint64_t addr)
{
	bool panic;
	int slot = guard_slot_of(addr, &panic);

	if ((cause != EXC_LOAD_PAGE && cause != EXC_STORE_PAGE) || slot < 0)
		return;
	if (slot == BOOT_STACK_SLOT)
		console_printf_unlocked("keel: stack overflow: the boot %sstack ran into its guard "
					"page\n",
					panic ? "panic " : "");
	else
		console_printf_unlocked("keel: stack overflow: the %sstack of pCPU %d ran into its "
					"guard page\n",
					panic ? "panic " : "", slot);
}

void hyp_panic_exception(struct frame *f)
{
	unsigned cpu = MIN(arch_cpu_id(), (unsigned)KEEL_MAX_PCPUS);
	uint64_t fp = f->x[8];
	uint64_t cause = csr_read(CSR_SCAUSE), stval = csr_read(CSR_STVAL);

	if (panicking[cpu]++) {
		/* report once: a fault in printing this comes back here, to power off */
		if (panicking[cpu] == 2) {
			console_printf_unlocked("\nkeel: fault while panicking (scause 0x%lx sepc "
						"0x%lx stval 0x%lx)\n",
						(unsigned long)cause,
						(unsigned long)csr_read(CSR_SEPC),
						(unsigned long)stval);
			name_overflow(cause, stval);
		}
		arch_poweroff();
	}
	console_printf_unlocked("\nkeel PANIC on CPU %u: scause 0x%lx sepc 0x%lx stval 0x%lx\n",
				arch_cpu_id(), (unsigned long)cause,
				(unsigned long)csr_read(CSR_SEPC), (unsigned long)stval);
	name_overflow(cause, stval);
	for (int i = 1; i < 32; i++)
		console_printf_unlocked("x%-2d %016lx%s", i, (unsigned long)f->x[i],
					(i % 4 == 3) ? "\n" : "  ");
	console_printf_unlocked("\nbacktrace: %lx", (unsigned long)csr_read(CSR_SEPC));
	/* with frame pointers, ra is at fp - 8 and the caller's fp at fp - 16 */
	for (int depth = 0; depth < 16 && readable_record(fp); depth++) {
		uint64_t *rec = (uint64_t *)(uintptr_t)fp;

		console_printf_unlocked(" %lx", (unsigned long)rec[-1]);
		fp = rec[-2];
	}
	console_printf_unlocked("\nkeel: stopping all CPUs\n");
	arch_poweroff();
}

#ifdef KEEL_TEST_HOOKS
/* Test-only (stack_guard.c, way 4): run fn on this hart's panic stack, as hyp_trap would. */
bool arch_test_on_fault_stack(void (*fn)(void))
{
	register uint64_t top asm("a0") =
		(uintptr_t)panic_stacks + (arch_cpu_id() + 1UL) * PANIC_SLOT_SIZE;
	register void (*f)(void) asm("a1") = fn;

	/* callee-saved s1 keeps keel's sp; every caller-saved register may change */
	asm volatile("mv s1, sp\n\tmv sp, a0\n\tjalr a1\n\tmv sp, s1"
		     : "+r"(top), "+r"(f)
		     :
		     : "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a2", "a3", "a4", "a5", "a6",
		       "a7", "s1", "memory");
	return true;
}
#endif
