// SPDX-License-Identifier: GPL-2.0-or-later
/* Starting the other CPUs: INIT, then two start-up IPIs to the trampoline at 0x8000. */
#include <keel/arch.h>
#include <keel/vcpu.h>
#include <keel/console.h>
#include <asm/frame.h>
#include <asm/stacks.h>
#include <asm/x86.h>
#include <asm/x86_64.h>
#include <string.h>

#define TRAMPOLINE 0x8000UL

extern char trampoline[], trampoline_end[], t_cr3[], t_stack[], t_cpu[], boot_pml4[];

/* Wait about us microseconds on the TSC (QEMU's runs at about 1 GHz or faster). */
static void delay_us(uint64_t us)
{
	uint64_t end = rdtsc() + us * 1000;

	while (rdtsc() < end)
		asm volatile("pause");
}

static void ipi(uint64_t apic_id, uint32_t cmd)
{
	apic_write(APIC_ICR_HI, (uint32_t)apic_id << 24);
	apic_write(APIC_ICR_LO, cmd); /* the write of the low word sends */
}

static void tramp_set(const char *sym, uint64_t v)
{
	*(volatile uint64_t *)(TRAMPOLINE + (uintptr_t)sym - (uintptr_t)trampoline) = v;
}

int arch_start_cpu(unsigned cpu, uint64_t hwid)
{
	memcpy((void *)TRAMPOLINE, trampoline, (uintptr_t)trampoline_end - (uintptr_t)trampoline);
	tramp_set(t_cr3,
		  (uintptr_t)boot_pml4); /* the trampoline page is not executable in keel's */
	/* its stack slot (stacks.c), above the slot's guard page */
	tramp_set(t_stack, (uintptr_t)pcpu_stacks + (stack_slot(cpu) + 1) * PCPU_STACK_SIZE);
	tramp_set(t_cpu, cpu);
	ipi(hwid, 0x4500); /* INIT, level assert */
	delay_us(10000);
	for (int i = 0; i < 2; i++) {
		ipi(hwid, 0x4600 | (TRAMPOLINE >> 12)); /* start-up at 0x8000 */
		delay_us(200);
	}
	for (uint64_t end = rdtsc() + 1000000000UL; rdtsc() < end;)
		if (__atomic_load_n(&pcpus[cpu].online, __ATOMIC_ACQUIRE))
			return 0;
	return -1;
}

void arch_send_kick(unsigned cpu)
{
	ipi(pcpus[cpu].hwid, 0x21); /* fixed, the kick vector */
}
