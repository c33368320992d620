// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 pCPU hooks: identity, console (COM1), power-off, idle, interrupts
 * (IDT, x2APIC timer for the time slice), and keel's own W^X page tables.
 */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/fw_dtb.h>
#include <keel/keel.h>
#include <keel/vcpu.h>
#include <asm/multiboot.h>
#include <asm/pt.h>
#include <asm/stacks.h>
#include <asm/x86.h>
#include <asm/x86_64.h>
#include <platform.h>

#define BOOT_TABLES 16
#define VEC_TICK 0x20
#define VEC_KICK 0x21
#define VEC_COM1 0x22
#define IOAPIC_MMIO 0xfec00000UL
#define VEC_SPURIOUS 0xff

struct idt_entry {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, rsvd;
} __attribute__((packed));

static struct idt_entry idt[256] __attribute__((aligned(16)));
static uint64_t tables[BOOT_TABLES][512] __attribute__((aligned(4096)));
static unsigned used;
static struct pt keel_pt;
static uint64_t tick_deadline[KEEL_MAX_PCPUS]; /* TSC of the next time-slice end, or ~0 */
uint64_t keel_cr3; /* for the other CPUs (smp.S) */

/* idt_stubs in entry.S, one 16-byte stub per vector in this order */
static const uint8_t stub_vectors[] = { 0,  1,	2,	  3,	    4,	      5,	   6,  7,
					9,  15, 16,	  18,	    19,	      20,	   28, 31,
					8,  10, 11,	  12,	    13,	      14,	   17, 21,
					29, 30, VEC_TICK, VEC_KICK, VEC_COM1, VEC_SPURIOUS };
extern char idt_stubs[];
extern char __text_start[], __text_end[], __rodata_end[];

/*
 * keel's pCPU index lives in its GS base (keel uses no GS segment; VMSAVEd into host_state, so
 * svm_run's VMLOAD puts it back after every exit), not in TSC_AUX, which RDTSCP reads in the
 * guest: QEMU 7.2's TCG ignores the RDTSCP intercept.
 */
unsigned arch_cpu_id(void)
{
	return (unsigned)rdmsr(MSR_GS_BASE);
}

uint64_t arch_boot_hwid(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	return r[1] >> 24; /* initial APIC ID */
}

const char *arch_name(void)
{
	return PLAT_NAME;
}

uint64_t arch_counter(void)
{
	return rdtsc();
}

/* RDRAND when CPUID.1:ECX[30] says so (QEMU -cpu max has it), else the TSC at boot */
__attribute__((no_stack_protector)) uint64_t arch_entropy(const char **source)
{
	uint32_t r[4];
	uint64_t t = rdtsc(), v;

	cpuid(1, 0, r);
	if (r[2] & (1u << 30)) {
		for (int i = 0; i < 16; i++) {
			uint8_t ok;

			asm volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
			if (ok) {
				*source = "RDRAND";
				return v ^ t;
			}
		}
	}
	*source = "the boot TSC (no RDRAND)";
	return t;
}

static uint64_t tsc_per_us = 1000; /* calibrated against the APIC timer */

uint64_t arch_counter_hz(void)
{
	return tsc_per_us * 1000000;
}

void arch_zero(void *p, size_t n)
{
	size_t words = n / 8;

	asm volatile("rep stosq" : "+D"(p), "+c"(words) : "a"(0UL) : "memory");
}

void arch_console_putc(char c)
{
	while (!(inb(PLAT_COM1 + 5) & (1u << 5))) /* LSR.THRE */
		;
	outb(PLAT_COM1, (uint8_t)c);
}

void uart_poll_input(void)
{
	while (inb(PLAT_COM1 + 5) & 1) /* LSR.DR */
		console_input((char)inb(PLAT_COM1));
}

void arch_poweroff(void)
{
	outw(PLAT_ACPI_PM1A_CNT, 0x2000); /* PIIX4 PM1a: sleep type S5, enable */
	for (;;)
		asm volatile("cli; hlt");
}

/* Take pending interrupts: GIF and IF open for one instruction window. */
static void take_interrupts(void)
{
	asm volatile("stgi; sti; nop; cli; clgi" ::: "memory");
}

void arch_idle(void)
{
	asm volatile("stgi; sti; hlt; cli; clgi" ::: "memory");
	uart_poll_input();
}

void x86_trap(uint64_t *f)
{
	uint64_t vector = f[15];

	if (vector == VEC_TICK) {
		unsigned cpu = arch_cpu_id();

		if (rdtsc() >= tick_deadline[cpu]) {
			tick_deadline[cpu] = ~0UL;
			this_pcpu()->requests |= PCPU_REQ_RESCHED;
		}
		apic_write(APIC_EOI, 0); /* a guest timer is looked at before the next VMRUN */
		return;
	}
	if (vector == VEC_COM1) {
		uart_poll_input();
		apic_write(APIC_EOI, 0);
		return;
	}
	if (vector == VEC_KICK) {
		apic_write(APIC_EOI, 0);
		return;
	}
	if (vector == VEC_SPURIOUS)
		return;
	x86_panic(f);
}

static void idt_init(void)
{
	static struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr;

	for (unsigned i = 0; i < sizeof(stub_vectors); i++) {
		uint64_t a = (uintptr_t)idt_stubs + 16 * i;
		struct idt_entry *e = &idt[stub_vectors[i]];

		e->off_lo = (uint16_t)a;
		e->sel = 0x08;
		e->type = 0x8e; /* present, 64-bit interrupt gate */
		/* on this pCPU's own IST stacks: they may follow a stack overflow */
		e->ist = stub_vectors[i] == 8  ? IST_DF :
			 stub_vectors[i] == 14 ? IST_PF :
			 stub_vectors[i] == 2  ? IST_NMI :
						 0;
		e->off_mid = (uint16_t)(a >> 16);
		e->off_hi = (uint32_t)(a >> 32);
	}
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (uintptr_t)idt;
	asm volatile("lidt %0" ::"m"(idtr));
}

/*
 * keel's own local APIC in xAPIC (MMIO) mode: QEMU 7.2's TCG has no x2APIC
 * (CPUID.1:ECX[21] = 0; x2APIC MSR writes are ignored). Guests get an
 * emulated x2APIC regardless.
 */
void apic_write(unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(APIC_MMIO + reg) = v;
}

static uint32_t apic_read(unsigned reg)
{
	return *(volatile uint32_t *)(APIC_MMIO + reg);
}

bool have_tsc_deadline;

#define MSR_TSC_DEADLINE 0x6e0

/* TSC cycles per microsecond, against the APIC timer (QEMU's counts nanoseconds at divide 1). */
static void calibrate(void)
{
	uint64_t t0 = rdtsc();

	apic_write(APIC_LVT_TIMER, (1u << 16) | VEC_TICK); /* masked, one-shot */
	apic_write(APIC_TMICT, 1000000);
	while (apic_read(APIC_TMCCT))
		;
	tsc_per_us = (rdtsc() - t0) / 1000;
	if (!tsc_per_us)
		tsc_per_us = 1;
}

void apic_cpu_init(void)
{
	uint32_t r[4];

	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1UL << 11)); /* enabled, xAPIC */
	apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
	apic_write(APIC_TDCR, 0xb); /* divide by 1 */
	if (arch_cpu_id() == 0)
		calibrate();
	cpuid(1, 0, r);
	have_tsc_deadline = r[2] & (1u << 24);
	/* TSC-deadline mode when there is one, else one-shot nanoseconds */
	apic_write(APIC_LVT_TIMER, VEC_TICK | (have_tsc_deadline ? (2u << 17) : 0));
	tick_deadline[arch_cpu_id()] = ~0UL;
}

void timer_program(uint64_t guest_deadline)
{
	uint64_t d = MIN(tick_deadline[arch_cpu_id()], guest_deadline), now;

	if (have_tsc_deadline) {
		wrmsr(MSR_TSC_DEADLINE, d == ~0UL ? 0 : d);
	} else if (d != ~0UL) {
		now = rdtsc();
		apic_write(APIC_TMICT,
			   d > now ? (uint32_t)MIN((d - now) * 1000 / tsc_per_us, 0xffffffffUL) :
				     1);
	}
}

void tick_arm(void)
{
	tick_deadline[arch_cpu_id()] = rdtsc() + (uint64_t)sched_time_slice_us * tsc_per_us;
	timer_program(~0UL);
}

/* Console input: COM1 (ISA IRQ 4, I/O APIC pin 4) to the boot CPU, so a lone busy guest still gets it. */
static void com1_irq_init(void)
{
	volatile uint32_t *sel = (volatile uint32_t *)IOAPIC_MMIO;
	volatile uint32_t *win = (volatile uint32_t *)(IOAPIC_MMIO + 0x10);

	sel[0] = 0x10 + 2 * 4 + 1;
	*win = (uint32_t)pcpus[arch_cpu_id()].hwid << 24; /* destination APIC ID */
	sel[0] = 0x10 + 2 * 4;
	*win = VEC_COM1; /* fixed, physical, edge, active high, unmasked */
	outb(PLAT_COM1 + 4, 0x08); /* MCR.OUT2: the UART drives its interrupt line */
	outb(PLAT_COM1 + 1, 0x01); /* IER: receive data available */
}

void arch_cpu_init(unsigned cpu)
{
	/* IA32_APIC_BASE.BSP (hwid == arch_boot_hwid() held on every CPU: that is its own APIC ID) */
	bool bsp = rdmsr(MSR_APIC_BASE) & (1UL << 8);

	/* the BIOS leaves the 8259 PICs routing the PIT to vector 8: keel uses the local APIC only */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	wrmsr(MSR_GS_BASE, cpu); /* before svm_cpu_init() VMSAVEs keel's state */
	wrmsr(MSR_TSC_AUX, 0); /* what a guest's RDTSCP or RDPID may see anyway */
	idt_init();
	tss_cpu_init(cpu, bsp);
	apic_cpu_init();
	svm_cpu_init(cpu);
	if (bsp)
		com1_irq_init();
	(void)take_interrupts;
}

static void *boot_table(void *ctx)
{
	(void)ctx;
	return used < BOOT_TABLES ? tables[used++] : NULL;
}

#define ATTR_RW (X86_RW | X86_NX)
#define ATTR_RO (X86_NX)
#define ATTR_RX (0UL)

/*
 * keel's own tables: RAM read/write and never executable, keel's text
 * read-only and executable, rodata read-only. Replaces the boot tables.
 */
static void build_tables(struct fw_info *fw)
{
	uint64_t text = (uintptr_t)__text_start, text_end = (uintptr_t)__text_end;
	uint64_t ro_end = (uintptr_t)__rodata_end, stacks = (uintptr_t)pcpu_stacks;
	uint64_t stacks_end = stacks + STACKS_SIZE;
	uint64_t kb = ALIGN_DOWN(text, MiB(2)), ke = ALIGN_UP((uintptr_t)_image_end, MiB(2));

	keel_pt.fmt = &x86_pt_format;
	keel_pt.root = tables[used++];
	keel_pt.start_level = 0;
	keel_pt.root_entries = 512;
	keel_pt.alloc_page = boot_table;
	for (unsigned i = 0; i < fw->nr_ram; i++) {
		uint64_t b = ALIGN_UP(fw->ram[i].base, PAGE_SIZE);
		uint64_t e = ALIGN_DOWN(fw->ram[i].base + fw->ram[i].size, PAGE_SIZE);

		if (e > b && b < kb && pt_map(&keel_pt, b, b, MIN(e, kb) - b, ATTR_RW))
			fw->ram[i].size = 0;
		else if (e > ke &&
			 pt_map(&keel_pt, MAX(b, ke), MAX(b, ke), e - MAX(b, ke), ATTR_RW))
			fw->ram[i].size = 0;
	}
	pt_map(&keel_pt, APIC_MMIO, APIC_MMIO, PAGE_SIZE, ATTR_RW | X86_PCD | X86_PWT);
	pt_map(&keel_pt, IOAPIC_MMIO, IOAPIC_MMIO, PAGE_SIZE, ATTR_RW | X86_PCD | X86_PWT);
	pt_map(&keel_pt, kb, kb, text - kb, ATTR_RW);
	pt_map(&keel_pt, text, text, text_end - text, ATTR_RX);
	pt_map(&keel_pt, text_end, text_end, ro_end - text_end, ATTR_RO);
	pt_map(&keel_pt, ro_end, ro_end, stacks - ro_end, ATTR_RW);
	keel_pt.pages_only = true; /* 4 KiB pages, so each guard page can be left out */
	pt_map(&keel_pt, stacks, stacks, stacks_end - stacks, ATTR_RW);
	keel_pt.pages_only = false;
	pt_map(&keel_pt, stacks_end, stacks_end, ke - stacks_end, ATTR_RW);
	for (unsigned i = 0; i < NR_STACK_GUARDS; i++) /* an overflow faults: panic.c names it */
		if (!pt_unmap_page(&keel_pt, stack_guard_page(i)))
			log_err("stack guard page %u is not mapped by 4 KiB pages", i);
	write_cr(4,
		 read_cr(4) | (1UL << 7) | (1UL << 9) | (1UL << 10)); /* PGE, OSFXSR, OSXMMEXCPT */
	keel_cr3 = (uintptr_t)keel_pt.root;
	write_cr(3, keel_cr3);
	write_cr(0, read_cr(0) | (1UL << 16)); /* WP: read-only means read-only for keel too */
}

/* From head.S: the firmware's description, then keel's own tables. */
void keel_early_x86(uint32_t magic, uint32_t mbi)
{
	/* without the multiboot magic, EBX is not an information block */
	struct fw_info *fw =
		keel_early(magic == MB_BOOT_MAGIC ? (const void *)(uintptr_t)mbi : NULL);

	build_tables(fw);
}
