/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64 part of the guest library (x86_64_lib.c, x86_64_mb.c): included by guest.h. keel starts
 * x86 guests in 32-bit protected mode with paging off (start.S loads the guest's own GDT and IDT),
 * so the guests are i686 code. One vCPU, no interrupts yet: console input is polled.
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

/* The last exception taken (start.S's gates call guest_trap()). */
struct exc_record {
	volatile unsigned count;
	volatile uint32_t vector, error, eip;
};
extern struct exc_record exc_seen;
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

/* keel's printf reads %llu as a 32-bit long here: 64-bit numbers go through u64_str() and %s. */
const char *u64_str(uint64_t v, char buf[21]);

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
