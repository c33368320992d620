// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A guest that destroys itself. bootargs "mode=1": an IDT with limit 0, then int3: the #BP
 * cannot be delivered (#GP), nor can that (#DF), a triple fault. "mode=2": interrupts off and a
 * jump to itself, forever. "mode=3": reads outside its memory for ever, each #GP handled, until
 * keel gives up on it. "mode=4": a stack overflow: ESP wraps below 0, out of the VM's memory, and
 * every exception the CPU then tries to deliver needs that stack too.
 */
#include "guest.h"

void guest_main(void)
{
	static const struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };
	uint64_t mode = 0;

	bootarg_u64("mode", &mode);
	gprintf("crash: mode %lu, going down\n", (unsigned long)mode);
	if (mode == 1) {
		asm volatile("lidt %0; int3" ::"m"(no_idt));
	} else if (mode == 4) {
		asm volatile("mov $0x1000, %%esp\n1:\tpush %%eax\n\tjmp 1b" ::: "memory");
	} else if (mode == 3) {
		expect_abort = true;
		while (probe_read(0x1000000))
			;
	} else {
		asm volatile("cli; 1: jmp 1b");
	}
	FAIL("crash", "survived its own crash");
}
