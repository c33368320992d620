// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A fault inside keel: print the hart, registers and a frame-pointer backtrace, then power off.
 * Runs on the pCPU's panic stack (entry.S hyp_trap); a load or store page fault in the guard
 * page below a stack is named as a stack overflow.
 */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/keel.h>
#include <keel/vcpu.h>
#include <asm/csr.h>
#include <asm/frame.h>

extern char pcpu_stacks[];
static bool panicking[KEEL_MAX_PCPUS + 1];

/* The stack slot whose guard page holds a, or -1. */
static int guard_slot(uint64_t a)
{
	uint64_t off = a - (uintptr_t)pcpu_stacks;

	if (off >= (KEEL_MAX_PCPUS + 1) * PCPU_STACK_SIZE || off % PCPU_STACK_SIZE >= PAGE_SIZE)
		return -1;
	return (int)(off / PCPU_STACK_SIZE);
}

/* a frame record keel can read: in its image, not in a guard page */
static bool readable_record(uint64_t a)
{
	return a >= (uintptr_t)__image_start + 16 && a <= (uintptr_t)_image_end && !(a & 7) &&
	       guard_slot(a - 16) < 0 && guard_slot(a - 8) < 0;
}

static void name_overflow(uint64_t cause, uint64_t addr)
{
	int slot = guard_slot(addr);

	if ((cause != EXC_LOAD_PAGE && cause != EXC_STORE_PAGE) || slot < 0)
		return;
	if (slot == BOOT_STACK_SLOT)
		console_printf_unlocked("keel: stack overflow: the boot stack ran into its guard "
					"page\n");
	else
		console_printf_unlocked("keel: stack overflow: the stack of pCPU %d ran into its "
					"guard page\n",
					slot);
}

void hyp_panic_exception(struct frame *f)
{
	unsigned cpu = MIN(arch_cpu_id(), (unsigned)KEEL_MAX_PCPUS);
	uint64_t fp = f->x[8];
	uint64_t cause = csr_read(CSR_SCAUSE), stval = csr_read(CSR_STVAL);

	if (panicking[cpu]) {
		console_printf_unlocked("\nkeel: fault while panicking (scause 0x%lx sepc 0x%lx)\n",
					(unsigned long)cause, (unsigned long)csr_read(CSR_SEPC));
		arch_poweroff();
	}
	panicking[cpu] = true;
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
