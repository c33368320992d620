/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64 part of the guest library (x86_64_lib.c, x86_64_mb.c): included by guest.h. keel starts
 * x86 guests in 32-bit protected mode with paging off (start.S loads the guest's own GDT and IDT),
 * so the guests are i686 code. Console input is polled. Interrupts come from keel's emulated
 * x2APIC (MSRs 0x800-0x8ff): irq_hook() gets the vector (32..255, EOI is written after it
 * returns) and 2 for an NMI. Other vCPUs start with INIT and a start-up IPI (smp_start_ap()).
 */
#ifndef GUEST_ARCH_X86_64_H
#define GUEST_ARCH_X86_64_H

/* COM1: keel's emulated NS16550A, in port I/O space */
#define COM1 0x3f8
#define UART_RBR 0
#define UART_THR 0
#define UART_IER 1
#define UART_IIR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_DR (1u << 0)
#define UART_LSR_THRE (1u << 5)

/* Power: PIIX4 ACPI PM1a control (SLP_EN, sleep type S5), reset control, 8042 controller */
#define PORT_ACPI_PM1A_CNT 0x604
#define ACPI_PM1_S5 0x2000
#define PORT_RESET_CTL 0xcf9
#define PORT_KBD_CMD 0x64

/* The TSC's rate is QEMU's business (the host's TSC under TCG, 1 GHz under -icount): nominal */
#define GUEST_TSC_HZ 1000000000ULL

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "d"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" ::"a"(v), "d"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" ::"a"(v), "d"(port));
}

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	asm volatile("cpuid"
		     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" ::"a"((uint32_t)val), "d"((uint32_t)(val >> 32)), "c"(msr) : "memory");
}

/* Waits for an interrupt (or just for keel: its HLT exit returns at once when nothing is due). */
static inline void cpu_halt(void)
{
	asm volatile("hlt" ::: "memory");
}

/* keel's hypercall: vmmcall with EAX = call number; EAX = status, EBX = value */
struct vmm_ret {
	uint32_t eax, ebx;
};

static inline struct vmm_ret vmmcall(uint32_t nr)
{
	struct vmm_ret r;

	asm volatile("vmmcall" : "=a"(r.eax), "=b"(r.ebx) : "a"(nr), "b"(0) : "memory");
	return r;
}

/* vmmcall with EAX, EBX, ECX set (keel's Secure AVIC call): true when it did not fault. */
bool vmmcall_safe(uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t *ret_eax);

/* The last exception taken (start.S's gates call guest_trap()). */
struct exc_record {
	volatile unsigned count;
	volatile uint32_t vector, error, eip;
};
extern struct exc_record exc_seen;
#define EXC_NMI 2
#define EXC_UD 6
#define EXC_DF 8
#define EXC_GP 13
#define EXC_PF 14
/*
 * Where an exception expected by a probe resumes: probes set it to the end of their instruction
 * (fixed-length asm, below) and clear it afterwards. An exception with expect_abort set and
 * exc_recover non-zero is recorded in exc_seen and resumes there; any other stops the guest.
 */
extern volatile uint32_t exc_recover;

/* One load, store or instruction fetch (a jump) at addr that may fault: true if it did. */
bool probe_read(uint32_t addr);
bool probe_write(uint32_t addr, uint32_t val);
bool probe_fetch(uint32_t addr);
/* RDMSR/WRMSR that may fault: true when they did not. */
bool rdmsr_safe(uint32_t msr, uint64_t *val);
bool wrmsr_safe(uint32_t msr, uint64_t val);

/*
 * XSAVE state: CR4.OSXSAVE (the guest's own CR4; the CPU, not CPUID, decides whether it sticks),
 * XGETBV/XSETBV of XCR0. Each returns the vector of the exception it raised, or -1 for none.
 * rdtscp_safe: RDTSCP, ECX (TSC_AUX) in *aux.
 */
#define CR4_OSFXSR (1u << 9)
#define CR4_OSXSAVE (1u << 18)
#define CR4_PKE (1u << 22)
#define XCR0_X87 1u
#define XCR0_SSE 2u
#define XCR0_YMM 4u
int cr4_set_safe(uint32_t bits);
int xgetbv_safe(uint32_t xcr, uint64_t *val);
int xsetbv_safe(uint32_t xcr, uint64_t val);
int rdtscp_safe(uint32_t *aux);
/* WRPKRU / RDPKRU (need CR4.PKE), same convention */
int wrpkru_safe(uint32_t v);
int rdpkru_safe(uint32_t *v);
/* XMM1, SSE (needs CR4.OSFXSR), same convention */
int xmm1_write(const uint32_t v[4]);
int xmm1_read(uint32_t v[4]);
/* YMM0 bits 255:128 (AVX: VINSERTF128 / VEXTRACTF128), same convention */
int ymm0_hi_write(const uint32_t v[4]);
int ymm0_hi_read(uint32_t v[4]);

/* IA32_APIC_BASE and keel's emulated x2APIC (SDM vol. 3 ch. 11, x2APIC MSR numbers) */
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_BSP (1u << 8)
#define APIC_BASE_EXTD (1u << 10)
#define APIC_BASE_EN (1u << 11)
#define X2APIC_ID 0x802
#define X2APIC_LVR 0x803
#define X2APIC_TPR 0x808
#define X2APIC_PPR 0x80a
#define X2APIC_EOI 0x80b
#define X2APIC_SVR 0x80f
#define X2APIC_ISR0 0x810
#define X2APIC_TMR0 0x818
#define X2APIC_IRR0 0x820
#define X2APIC_ESR 0x828
#define X2APIC_ICR 0x830
#define X2APIC_LVTT 0x832
#define X2APIC_TMICT 0x838
#define X2APIC_TMCCT 0x839
#define X2APIC_TDCR 0x83e
#define X2APIC_SELF_IPI 0x83f
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_SPURIOUS 0xff
#define APIC_LVT_MASKED (1u << 16)
#define APIC_LVTT_PERIODIC (1u << 17)
#define APIC_TDCR_DIV1 0xb
#define APIC_TDCR_DIV2 0x0
#define ICR_FIXED (0u << 8)
#define ICR_NMI (4u << 8)
#define ICR_INIT (5u << 8)
#define ICR_SIPI (6u << 8)
#define ICR_ASSERT (1u << 14)
#define ICR_SELF (1u << 18)
#define ICR_ALL (2u << 18)
#define ICR_OTHERS (3u << 18)
#define ICR_DEST(id) ((uint64_t)(id) << 32)

/* Software-enables this vCPU's x2APIC (SVR bit 8, spurious vector 0xff). */
void x2apic_enable(void);
static inline void x2apic_icr(uint64_t icr)
{
	wrmsr(X2APIC_ICR, icr);
}

/* Secure AVIC (keel's model of the SEV-SNP contract): SEV_STATUS, control MSR, vmmcall, page */
#define MSR_SEV_STATUS 0xc0010131
#define SEV_STATUS_SAVIC (1u << 18)
#define MSR_SAVIC_CONTROL 0xc0010138
#define SAVIC_EN (1u << 0)
#define SAVIC_ALLOWEDNMI (1u << 1)
#define SAVIC_CALL 0x8000001au
#define SAVIC_REGISTER 0
#define SAVIC_UNREGISTER 1
#define SAVIC_TPR 0x80
#define SAVIC_SPIV 0xf0
#define SAVIC_ISR 0x100
#define SAVIC_IRR 0x200
#define SAVIC_ALLOWED_IRR 0x204
#define SAVIC_NMI_REQ 0x278
/* Sets the bit of vector vec in the 256-bit register at off (0x10 stride) of an APIC page. */
void apic_page_set(uint32_t *page, uint32_t off, unsigned vec);
bool apic_page_test(const uint32_t *page, uint32_t off, unsigned vec);

/*
 * Other vCPUs: smp_start_ap() copies the AP stub to AP_STUB_ADDR (inside the VM's memory, below
 * the image) and sends INIT, then two start-up IPIs; the vCPU enters guest_secondary(id). There
 * it calls smp_serve(): interrupts on, it runs what smp_call() hands it until the VM stops.
 */
#define AP_STUB_ADDR 0x8000u
extern uint32_t ap_entry_eax[], ap_entry_ebx[]; /* EAX, EBX at each vCPU's start */
void smp_start_ap(unsigned id);
void __attribute__((noreturn)) smp_serve(void);
/* Runs fn on the serving vCPU and waits for it: false when it did not finish in time. */
bool smp_call(void (*fn)(void));
/*
 * Spins (pause, no exit of its own, interrupts on) until *v >= n or about `ms` ms at the nominal
 * TSC rate have passed: what it waits for has to come in through keel's kick or timer.
 */
bool wait_count(volatile unsigned *v, unsigned n, unsigned ms);
/* Spins about `ms` ms at the nominal TSC rate, interrupts as they are. */
void delay_ms(unsigned ms);

/*
 * Multiboot v1 information (EBX at entry): x86_64_mb.c. keel sets flags bit 0 (mem_lower,
 * mem_upper), 2 (cmdline = bootargs), 3 (one module = the initrd), 6 (memory map: one type-1
 * entry per memory region of the VM).
 */
#define MB_BOOTLOADER_MAGIC 0x2badb002u
#define MB_INFO_MEMORY (1u << 0)
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MODS (1u << 3)
#define MB_INFO_MEM_MAP (1u << 6)
struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));
struct mb_mmap_entry {
	uint32_t size; /* of the rest of the entry */
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));
struct mb_module {
	uint32_t start, end, string, reserved;
} __attribute__((packed));

extern const struct mb_info *guest_mbi;
extern uint32_t guest_mbi_addr;
/* Number of memory-map entries, entry i (any type); false when there is no such entry. */
unsigned mb_mmap_count(void);
bool mb_mmap(unsigned i, uint64_t *base, uint64_t *size, uint32_t *type);
/* Module i: [start, end); false when there is none. */
bool mb_module(unsigned i, uint32_t *start, uint32_t *end);
/* The multiboot command line (= the partition's bootargs), NULL without flags bit 2. */
const char *mb_cmdline(void);

#endif
