// SPDX-License-Identifier: GPL-2.0-or-later
/* A fault inside keel: print the CPU, registers and a frame-pointer backtrace, then power off. */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/keel.h>
#include <asm/frame.h>
#include <asm/sysreg.h>
#include <keel/vcpu.h>

extern char pcpu_stacks[];

static bool in_image(uint64_t a)
{
	return a >= (uintptr_t)__image_start && a + 16 <= (uintptr_t)_image_end && !(a & 7);
}

void hyp_panic_exception(struct frame *f)
{
	uint64_t fp = f->x[29];
	uint64_t far_off = read_sysreg(far_el2) - (uintptr_t)pcpu_stacks;

	console_printf_unlocked(
		"\nkeel PANIC on CPU %u: ESR_EL2 0x%lx ELR_EL2 0x%lx FAR_EL2 0x%lx\n",
		arch_cpu_id(), (unsigned long)read_sysreg(esr_el2),
		(unsigned long)read_sysreg(elr_el2), (unsigned long)read_sysreg(far_el2));
	if (far_off < KEEL_MAX_PCPUS * PCPU_STACK_SIZE && far_off % PCPU_STACK_SIZE < PAGE_SIZE)
		console_printf_unlocked("keel: stack overflow: the stack of pCPU %lu ran into its "
					"guard page\n",
					(unsigned long)(far_off / PCPU_STACK_SIZE));
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
