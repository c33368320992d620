// SPDX-License-Identifier: GPL-2.0-or-later
/* riscv64 pCPU hooks: identity, bring-up through SBI HSM, power-off, console UART, idle. */
#include <keel/arch.h>
#include <keel/vcpu.h>
#include <keel/console.h>
#include <asm/csr.h>
#include <asm/riscv.h>
#include <platform.h>

uint64_t boot_hartid; /* written by head.S */
bool have_sstc;
static bool probed;
void gstage_probe(void);
void fwft_probe(void);
extern char secondary_entry[];

/*
 * OpenSBI 1.1's HSM hart_start marks the hart START_PENDING before it stores the start address
 * and argument, so a hart polling in OpenSBI's wait loop can leave with the old ones: fw_jump's
 * address (keel's _start) and the firmware DTB. head.S sends such a late hart on to
 * secondary_entry with the pCPU whose hart id + 1 it finds here (0: no start requested).
 */
uint64_t start_hart_plus1[KEEL_MAX_PCPUS];
const unsigned long start_hart_slots = KEEL_MAX_PCPUS;

/*
 * Not zeroed at boot (.noinit): their contents never matter before use. One stack per pCPU and
 * the boot stack (slot BOOT_STACK_SLOT), each with an unmapped guard page at its bottom (mmu.c).
 */
char pcpu_stacks[(KEEL_MAX_PCPUS + 1) * PCPU_STACK_SIZE]
	__attribute__((aligned(4096), section(".noinit")));
/* hyp_trap moves to these: the fault may be an overflow into a stack's guard page */
char panic_stacks[(KEEL_MAX_PCPUS + 1) << PANIC_STACK_SHIFT]
	__attribute__((aligned(4096), section(".noinit"))); /* guard pages: page-aligned slots */
_Static_assert(KEEL_MAX_PCPUS_ASM == KEEL_MAX_PCPUS, "frame.h's copy of KEEL_MAX_PCPUS");

struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0, unsigned long a1,
		       unsigned long a2)
{
	register unsigned long r0 asm("a0") = a0, r1 asm("a1") = a1, r2 asm("a2") = a2;
	register unsigned long r6 asm("a6") = fid, r7 asm("a7") = eid;

	asm volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ (long)r0, r1 };
}

unsigned arch_cpu_id(void)
{
	unsigned long id;

	asm volatile("mv %0, tp" : "=r"(id));
	return (unsigned)id;
}

uint64_t arch_boot_hwid(void)
{
	return boot_hartid;
}

const char *arch_name(void)
{
	return PLAT_NAME;
}

uint64_t arch_counter(void)
{
	return csr_read(CSR_TIME);
}

/*
 * HS-mode under OpenSBI 1.1 has no entropy source: the Zkr seed CSR needs mseccfg.SSEED, which
 * M-mode does not set, and QEMU 7.2 has no Zkr. The timer at boot (firmware time varies from
 * boot to boot) mixed with where the firmware put its DTB is what there is.
 */
__attribute__((no_stack_protector)) uint64_t arch_entropy(const char **source)
{
	uint64_t sp;

	asm volatile("mv %0, sp" : "=r"(sp));
	*source = "the boot timer (no seed CSR in HS-mode)";
	return csr_read(CSR_TIME) ^ (sp << 32);
}

uint64_t arch_counter_hz(void)
{
	return PLAT_TIMEBASE_HZ;
}

struct frame *cpu_frame(unsigned cpu)
{
	return (struct frame *)(pcpu_stacks + (cpu + 1) * PCPU_STACK_SIZE - FRAME_SIZE);
}

/* Sstc: HS-mode stimecmp and, through henvcfg.STCE, the guests' vstimecmp. */
static void probe_sstc(void)
{
	csr_set(CSR_HENVCFG, HENVCFG_STCE);
	have_sstc = (csr_read(CSR_HENVCFG) & HENVCFG_STCE) != 0;
}

void arch_cpu_init(unsigned cpu)
{
	asm volatile("mv tp, %0" ::"r"((unsigned long)cpu));
	cpu_frame(cpu)->x[0] = cpu;
	/* exceptions a guest handles itself; guest-page faults, ecalls and virtual instructions come here */
	csr_write(CSR_HEDELEG, (1UL << EXC_INST_MISALIGNED) | (1UL << EXC_INST_ACCESS) |
				       (1UL << EXC_ILLEGAL) | (1UL << EXC_BREAKPOINT) |
				       (1UL << EXC_LOAD_ACCESS) | (1UL << EXC_STORE_ACCESS) |
				       (1UL << EXC_ECALL_U) | (1UL << EXC_INST_PAGE) |
				       (1UL << EXC_LOAD_PAGE) | (1UL << EXC_STORE_PAGE));
	csr_write(CSR_HIDELEG, (1UL << IRQ_VS_SOFT) | (1UL << IRQ_VS_TIMER) | (1UL << IRQ_VS_EXT));
	csr_write(CSR_HCOUNTEREN, 0x7); /* cycle, time, instret readable by guests */
	csr_write(CSR_HVIP, 0);
	csr_write(CSR_HTIMEDELTA, 0); /* guests see the host's time */
	probe_sstc();
	if (!probed) {
		gstage_probe();
		fwft_probe();
		probed = true;
	}
	if (have_sstc)
		csr_write(CSR_STIMECMP, ~0UL);
	/* keel takes its own interrupts only as exits from a guest or by polling while idle */
	csr_clear(CSR_SSTATUS, SSTATUS_SIE);
	csr_set(CSR_SSTATUS, SSTATUS_FS_INITIAL); /* guests may use the FPU */
	csr_write(CSR_SIE, (1UL << IRQ_S_SOFT) | (1UL << IRQ_S_TIMER) | (1UL << IRQ_S_EXT));
	plic_cpu_init(cpu, pcpus[cpu].hwid);
}

int arch_start_cpu(unsigned cpu, uint64_t hwid)
{
	struct sbiret r;

	start_hart_plus1[cpu] = hwid + 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* seen before the hart can leave OpenSBI */
	r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, hwid, (uintptr_t)secondary_entry, cpu);
	return r.error ? -1 : 0;
}

void arch_poweroff(void)
{
	sbi_call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN, 0, 0);
	sbi_call(0x08, 0, 0, 0, 0); /* legacy shutdown, for an SBI without SRST */
	for (;;)
		asm volatile("wfi");
}

void arch_console_putc(char c)
{
	volatile uint8_t *uart = (volatile uint8_t *)PLAT_UART_BASE;

	while (!(uart[5] & (1u << 5))) /* LSR.THRE */
		;
	uart[0] = (uint8_t)c;
}

void uart_poll_input(void)
{
	volatile uint8_t *uart = (volatile uint8_t *)PLAT_UART_BASE;

	while (uart[5] & 1) /* LSR.DR */
		console_input((char)uart[0]);
}

void arch_send_kick(unsigned cpu)
{
	/* the SBI IPI arrives as a supervisor software interrupt on that hart */
	sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, pcpus[cpu].hwid, 0);
}

/* Everything a pCPU may be interrupted for, with interrupts disabled in keel. */
void irq_poll(void)
{
	uint64_t sip = csr_read(CSR_SIP);

	if (sip & (1UL << IRQ_S_SOFT))
		csr_clear(CSR_SIP, 1UL << IRQ_S_SOFT); /* a kick: requests are looked at later */
	if (sip & (1UL << IRQ_S_EXT))
		plic_poll();
	if (sip & (1UL << IRQ_S_TIMER)) {
		if (have_sstc) {
			csr_write(CSR_STIMECMP, ~0UL);
			this_pcpu()->requests |= PCPU_REQ_RESCHED; /* time-slice tick */
		} else {
			/* a guest's SBI TIME deadline: VSTIP is raised on the way back */
			sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL, 0, 0);
		}
	}
}

void arch_idle(void)
{
	asm volatile("wfi");
	irq_poll();
}

void arch_zero(void *p, size_t n)
{
	uint64_t *q = p, *end = (uint64_t *)((char *)p + n);

	for (; q < end; q += 8) {
		q[0] = 0;
		q[1] = 0;
		q[2] = 0;
		q[3] = 0;
		q[4] = 0;
		q[5] = 0;
		q[6] = 0;
		q[7] = 0;
	}
}

void tick_arm(void)
{
	/* the time-slice tick needs Sstc (QEMU 7.2 has it); without it vCPUs only yield on WFI */
	if (have_sstc)
		csr_write(CSR_STIMECMP,
			  arch_counter() + sched_time_slice_us * (PLAT_TIMEBASE_HZ / 1000000));
}
