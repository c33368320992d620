// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An exception inside keel: say where, name a stack overflow (the fault address
 * or the stack pointer in a guard page), power off. #DF, #PF and NMI arrive on
 * IST stacks, so this runs even when the pCPU's own stack is used up.
 */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/vcpu.h>
#include <asm/stacks.h>
#include <asm/x86.h>

/* the frame entry.S hands x86_trap(): 15 registers, vector, error code, then the CPU's */
#define F_VECTOR 15
#define F_ERR 16
#define F_RIP 17
#define F_RSP 20

static const char *vector_name(uint64_t v)
{
	return v == 2 ? " (NMI)" : v == 8 ? " (#DF)" : v == 13 ? " (#GP)" : v == 14 ? " (#PF)" : "";
}

/* per pCPU: how often x86_panic was entered (a fault inside it enters it again) */
static uint8_t panics[KEEL_MAX_PCPUS];

void __attribute__((noreturn)) x86_panic(const uint64_t *f)
{
	uint64_t cr2 = read_cr(2);
	unsigned me = arch_cpu_id() % KEEL_MAX_PCPUS;
	bool pf = f[F_VECTOR] == 14 || f[F_VECTOR] == 8; /* a #DF here follows a failed #PF */
	unsigned cpu = 0;
	const char *stack = pf ? stack_guard_owner(cr2, &cpu) : NULL;

	if (pf && !stack)
		stack = stack_guard_owner(f[F_RSP], &cpu);
	/* a fault while reporting one is reported once more (it may name an IST stack's overflow) */
	if (panics[me]++ > 1)
		arch_poweroff();
	if (panics[me] > 1)
		console_printf_unlocked("\nkeel: a fault inside the exception handler:");
	console_printf_unlocked(
		"\nkeel PANIC on CPU %u: exception in keel: vector %lu%s error 0x%lx "
		"rip 0x%lx cr2 0x%lx rsp 0x%lx\n",
		arch_cpu_id(), (unsigned long)f[F_VECTOR], vector_name(f[F_VECTOR]),
		(unsigned long)f[F_ERR], (unsigned long)f[F_RIP], (unsigned long)cr2,
		(unsigned long)f[F_RSP]);
	if (stack)
		console_printf_unlocked("keel: stack overflow: the %s of pCPU %u ran into its "
					"guard page\n",
					stack, cpu);
	console_printf_unlocked("keel: stopping all CPUs\n");
	arch_poweroff();
}
