// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A fault inside keel: print the CPU, registers and a frame-pointer backtrace, then power off.
 * Runs on the pCPU's panic stack (exception.S hyp_fault); a fault in the guard page below a pCPU
 * stack or a panic stack is named as a stack overflow. A fault in the panic path itself (the
 * panic stack overflowed, say) comes back here at the top of the panic stack: reported once.
 */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/hcall.h>
#include <keel/keel.h>
#include <asm/frame.h>
#include <asm/sysreg.h>
#include <keel/vcpu.h>

extern char pcpu_stacks[], panic_stacks[];
static unsigned panicking[KEEL_MAX_PCPUS + 1];

#define PANIC_SLOT_SIZE (1UL << PANIC_STACK_SHIFT)

/* The pCPU whose stack (*panic: panic stack) has its guard page at a, or -1. */
static int guard_slot(uint64_t a, bool *panic)
{
	uint64_t off = a - (uintptr_t)pcpu_stacks, poff = a - (uintptr_t)panic_stacks;

	*panic = false;
	if (off < KEEL_MAX_PCPUS * PCPU_STACK_SIZE && off % PCPU_STACK_SIZE < PAGE_SIZE)
		return (int)(off / PCPU_STACK_SIZE);
	*panic = true;
	if (poff < KEEL_MAX_PCPUS * PANIC_SLOT_SIZE && poff % PANIC_SLOT_SIZE < PAGE_SIZE)
		return (int)(poff / PANIC_SLOT_SIZE);
	return -1;
}

/* a frame record keel can read: in its image, not in a guard page */
static bool in_image(uint64_t a)
{
	bool panic;

	return a >= (uintptr_t)__image_start && a + 16 <= (uintptr_t)_image_end && !(a & 7) &&
	       guard_slot(a, &panic) < 0 && guard_slot(a + 8, &panic) < 0;
}

static void name_overflow(uint64_t far)
{
	bool panic;
	int slot = guard_slot(far, &panic);

	if (slot >= 0)
		console_printf_unlocked("keel: stack overflow: the %sstack of pCPU %d ran into its "
					"guard page\n",
					panic ? "panic " : "", slot);
}

void hyp_panic_exception(struct frame *f)
{
	unsigned cpu = MIN(arch_cpu_id(), (unsigned)KEEL_MAX_PCPUS);
	uint64_t fp = f->x[29], far = read_sysreg(far_el2);

	if (panicking[cpu]++) {
		/* report once: a fault in printing this comes back here, to power off */
		if (panicking[cpu] == 2) {
			console_printf_unlocked(
				"\nkeel: fault while panicking (ESR_EL2 0x%lx ELR_EL2 "
				"0x%lx FAR_EL2 0x%lx)\n",
				(unsigned long)read_sysreg(esr_el2),
				(unsigned long)read_sysreg(elr_el2), (unsigned long)far);
			name_overflow(far);
		}
		arch_poweroff();
	}
	console_printf_unlocked(
		"\nkeel PANIC on CPU %u: ESR_EL2 0x%lx ELR_EL2 0x%lx FAR_EL2 0x%lx\n",
		arch_cpu_id(), (unsigned long)read_sysreg(esr_el2),
		(unsigned long)read_sysreg(elr_el2), (unsigned long)far);
	name_overflow(far);
	for (int i = 0; i < 31; i++)
		console_printf_unlocked("x%-2d %016lx%s", i, (unsigned long)f->x[i],
					(i % 4 == 3) ? "\n" : "  ");
	console_printf_unlocked("\nbacktrace: %lx", (unsigned long)read_sysreg(elr_el2));
	for (int depth = 0; depth < 16 && in_image(fp); depth++) {
		uint64_t *rec = (uint64_t *)(uintptr_t)fp;

		console_printf_unlocked(" %lx", (unsigned long)rec[1]);
		fp = rec[0];
	}
	console_printf_unlocked("\nkeel: stopping all CPUs\n");
	arch_poweroff();
}

#ifdef KEEL_TEST_HOOKS
/* Test-only (stack_guard.c, way 4): run fn on this pCPU's panic stack, as hyp_fault would. */
bool arch_test_on_fault_stack(void (*fn)(void))
{
	register uint64_t top asm("x0") =
		(uintptr_t)panic_stacks + (arch_cpu_id() + 1UL) * PANIC_SLOT_SIZE;
	register void (*f)(void) asm("x1") = fn;

	/* callee-saved x19 keeps keel's SP; every caller-saved register may change */
	asm volatile("mov x19, sp\n\tmov sp, x0\n\tblr x1\n\tmov sp, x19"
		     : "+r"(top), "+r"(f)
		     :
		     : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
		       "x14", "x15", "x16", "x17", "x18", "x19", "x30", "memory", "cc");
	return true;
}
#endif
