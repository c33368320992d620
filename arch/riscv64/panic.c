// SPDX-License-Identifier: GPL-2.0-or-later
/* A fault inside keel: print the hart, registers and a frame-pointer backtrace, then power off. */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/keel.h>
#include <asm/csr.h>
#include <asm/frame.h>

static bool in_image(uint64_t a)
{
	return a >= (uintptr_t)__image_start + 16 && a <= (uintptr_t)_image_end && !(a & 7);
}

void hyp_panic_exception(struct frame *f)
{
	uint64_t fp = f->x[8];

	console_printf_unlocked("\nkeel PANIC on CPU %u: scause 0x%lx sepc 0x%lx stval 0x%lx\n",
				arch_cpu_id(), (unsigned long)csr_read(CSR_SCAUSE),
				(unsigned long)csr_read(CSR_SEPC),
				(unsigned long)csr_read(CSR_STVAL));
	for (int i = 1; i < 32; i++)
		console_printf_unlocked("x%-2d %016lx%s", i, (unsigned long)f->x[i],
					(i % 4 == 3) ? "\n" : "  ");
	console_printf_unlocked("\nbacktrace: %lx", (unsigned long)csr_read(CSR_SEPC));
	/* with frame pointers, ra is at fp - 8 and the caller's fp at fp - 16 */
	for (int depth = 0; depth < 16 && in_image(fp); depth++) {
		uint64_t *rec = (uint64_t *)(uintptr_t)fp;

		console_printf_unlocked(" %lx", (unsigned long)rec[-1]);
		fp = rec[-2];
	}
	console_printf_unlocked("\nkeel: stopping all CPUs\n");
	arch_poweroff();
}
