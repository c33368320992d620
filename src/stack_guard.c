// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stack protector (-fstack-protector-strong): the canary is drawn once per boot from the
 * arch's entropy source, by the boot CPU, before any protected function runs (head.S calls
 * stack_guard_init() first, and neither it nor arch_entropy() is protected). A function whose
 * canary was overwritten ends in __stack_chk_fail(): keel panics and powers off.
 */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/hcall.h>
#include <string.h>

uintptr_t __stack_chk_guard;
static const char *guard_source = "none";

__attribute__((no_stack_protector)) void stack_guard_init(void)
{
	uint64_t v = arch_entropy(&guard_source);

	/* splitmix64's finaliser spreads weak (counter) entropy over every bit */
	v += 0x9e3779b97f4a7c15UL;
	v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9UL;
	v = (v ^ (v >> 27)) * 0x94d049bb133111ebUL;
	v ^= v >> 31;
	v &= ~0xffUL; /* a zero byte first: string copies stop at the canary */
	__stack_chk_guard = v ? v : 0x6b65656c00UL;
}

const char *stack_guard_source(void)
{
	return guard_source;
}

void __attribute__((noreturn)) __stack_chk_fail(void)
{
	console_printf_unlocked("\nkeel PANIC on CPU %u: stack protector: a stack canary was "
				"overwritten (function returning to %p)\nkeel: stopping all CPUs\n",
				arch_cpu_id(), __builtin_return_address(0));
	arch_poweroff();
}

#ifdef KEEL_TEST_HOOKS
/* Test-only build (make KEEL_TEST_HOOKS=1): keel hypercall KEEL_HC_TEST_CRASH breaks keel itself. */
static __attribute__((noinline)) void smash_stack(size_t n)
{
	char buf[16];

	memset(buf, 'k', n); /* n > 16 runs over the canary */
	asm volatile("" ::"r"(buf) : "memory");
}

static __attribute__((noinline)) unsigned long overflow_stack(unsigned long depth)
{
	volatile char buf[512];

	buf[0] = (char)depth;
	asm volatile("" ::: "memory");
	if (depth > (1UL << 40)) /* never: a stack is far smaller */
		return 0;
	return overflow_stack(depth + 1) + (unsigned long)buf[0];
}

static void overflow_from_top(void)
{
	overflow_stack(0);
}

int64_t keel_test_crash(uint64_t how)
{
	log_warn("test hook: %s", how == 1 ? "overrunning a stack buffer" :
				  how == 2 ? "recursing until the stack overflows" :
				  how == 3 ? "writing to keel's own text" :
				  how == 4 ? "recursing until the fault handlers' stack overflows" :
					     "unknown crash");
	if (how == 1)
		smash_stack(64);
	else if (how == 2)
		overflow_stack(0);
	else if (how == 3) /* W^X: keel's text is mapped read-only, so this store faults */
		*(volatile uint32_t *)(uintptr_t)keel_test_crash = 0;
	else if (how == 4 && !arch_test_on_fault_stack(overflow_from_top))
		log_warn("test hook: no separate fault-handler stack on %s", arch_name());
	return -2;
}
#endif
