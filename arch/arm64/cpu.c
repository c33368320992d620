// SPDX-License-Identifier: GPL-2.0-or-later
/* arm64 pCPU hooks: identity, bring-up through firmware PSCI, power-off, console UART. */
#include <keel/arch.h>
#include <keel/vcpu.h>
#include <keel/console.h>
#include <asm/sysreg.h>
#include <asm/smccc.h>
#include <asm/gic.h>
#include <asm/arm64.h>
#include <asm/fpstate.h>
#include <platform.h>

extern char secondary_entry[];

unsigned arch_cpu_id(void)
{
	return (unsigned)read_sysreg(tpidr_el2);
}

uint64_t arch_boot_hwid(void)
{
	return read_sysreg(mpidr_el1) & 0xff00ffffffUL;
}

const char *arch_name(void)
{
	return PLAT_NAME;
}

uint64_t arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/* FEAT_RNG (ID_AA64ISAR0_EL1.RNDR) when present, else the counter at boot */
__attribute__((no_stack_protector)) uint64_t arch_entropy(const char **source)
{
	uint64_t t = read_sysreg(cntpct_el0), v;

	if (!(read_sysreg(id_aa64isar0_el1) >> 60)) {
		*source = "the boot counter (no FEAT_RNG)";
		return t;
	}
	for (int i = 0; i < 16; i++) {
		uint64_t nzcv;

		asm volatile("mrs %0, s3_3_c2_c4_0\n\tmrs %1, nzcv" : "=r"(v), "=r"(nzcv));
		if (!(nzcv & (1UL << 30))) { /* Z clear: a random number */
			*source = "RNDR";
			return v ^ t;
		}
	}
	*source = "the boot counter (RNDR failed)";
	return t;
}

uint64_t arch_counter_hz(void)
{
	return read_sysreg(cntfrq_el0);
}

void arch_cpu_init(unsigned cpu)
{
	write_sysreg(tpidr_el2, cpu);
	fp_cpu_init(cpu); /* CPTR_EL2: FP, SVE and SME trapped until a vCPU owns them */
	write_sysreg(mdcr_el2, MDCR_TPMCR | MDCR_TPM | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	isb();
	stage2_cpu_init();
	timer_cpu_init();
	gic_cpu_init(cpu);
}

int arch_start_cpu(unsigned cpu, uint64_t hwid)
{
	/* QEMU's PSCI wants the affinity fields only (facts.md 8) */
	int64_t r = (int64_t)smc_call(PSCI_CPU_ON, hwid & 0xff00ffffffUL,
				      (uintptr_t)secondary_entry, cpu);

	return r == PSCI_SUCCESS ? 0 : -1;
}

void arch_poweroff(void)
{
	smc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

void arch_console_putc(char c)
{
	volatile uint32_t *uart = (volatile uint32_t *)PLAT_UART_BASE;

	while (uart[0x18 / 4] & (1u << 5)) /* FR.TXFF */
		;
	uart[0] = (uint8_t)c;
}

/* not zeroed at boot (.noinit): 128 KiB of stores saved */
char pcpu_stacks[KEEL_MAX_PCPUS * PCPU_STACK_SIZE]
	__attribute__((aligned(4096), section(".noinit")));
_Static_assert(KEEL_MAX_PCPUS_ASM == KEEL_MAX_PCPUS, "frame.h's copy of KEEL_MAX_PCPUS");
/* hyp_fault moves to these: the fault may be an overflow into the stack's guard page */
char panic_stacks[KEEL_MAX_PCPUS << PANIC_STACK_SHIFT]
	__attribute__((aligned(4096), section(".noinit"))); /* guard pages: page-aligned slots */

/* Drain bytes typed on keel's console into the focused VM. */
void uart_poll_input(void)
{
	volatile uint32_t *uart = (volatile uint32_t *)PLAT_UART_BASE;

	while (!(uart[0x18 / 4] & (1u << 4))) /* FR.RXFE clear */
		console_input((char)uart[0]);
}

void arch_send_kick(unsigned cpu)
{
	gic_send_sgi(cpu, INTID_KICK);
}

void arch_idle(void)
{
	wfi();
	gic_poll();
}
