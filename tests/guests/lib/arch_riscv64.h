/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * riscv64 part of the guest library (riscv64_lib.c): included by guest.h.
 * Guests run in (V)S-mode with satp = Bare; tp holds the hart ID (start.S).
 * The SBI constants are the spec's, written out here on purpose: the guests
 * test keel's SBI server, so they do not share its headers.
 */
#ifndef GUEST_ARCH_RISCV64_H
#define GUEST_ARCH_RISCV64_H

/* where guest_entry() found the DTB address, for its messages */
#define GUEST_DTB_REG "a1"

/* SBI: a7 = EID, a6 = FID, a0..a5 = arguments; returns a0 = error, a1 = value */
struct sbiret {
	long error;
	unsigned long value;
};
struct sbiret sbi_call6(unsigned long eid, unsigned long fid, unsigned long a0, unsigned long a1,
			unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);
static inline struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0,
				     unsigned long a1, unsigned long a2)
{
	return sbi_call6(eid, fid, a0, a1, a2, 0, 0, 0);
}

#define SBI_EXT_BASE 0x10UL
#define SBI_EXT_TIME 0x54494d45UL
#define SBI_EXT_IPI 0x735049UL
#define SBI_EXT_RFENCE 0x52464e43UL
#define SBI_EXT_HSM 0x48534dUL
#define SBI_EXT_SRST 0x53525354UL
#define SBI_EXT_DBCN 0x4442434eUL
#define SBI_EXT_FWFT 0x46574654UL

#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID 1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXT 3
#define SBI_BASE_GET_MVENDORID 4
#define SBI_BASE_GET_MARCHID 5
#define SBI_BASE_GET_MIMPID 6
#define SBI_TIME_SET_TIMER 0
#define SBI_IPI_SEND_IPI 0
#define SBI_RFENCE_FENCE_I 0
#define SBI_RFENCE_SFENCE_VMA 1
#define SBI_RFENCE_SFENCE_VMA_ASID 2
#define SBI_HSM_HART_START 0
#define SBI_HSM_HART_STOP 1
#define SBI_HSM_HART_GET_STATUS 2
#define SBI_HSM_HART_SUSPEND 3
#define SBI_HSM_STARTED 0
#define SBI_HSM_STOPPED 1
#define SBI_HSM_SUSPEND_RET_DEFAULT 0
#define SBI_SRST_RESET 0
#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_COLD_REBOOT 1
#define SBI_DBCN_WRITE 0
#define SBI_DBCN_READ 1
#define SBI_DBCN_WRITE_BYTE 2
#define SBI_FWFT_SET 0
#define SBI_FWFT_GET 1

#define SBI_SUCCESS 0
#define SBI_ERR_FAILED (-1)
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_DENIED (-4)
#define SBI_ERR_INVALID_ADDRESS (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)

/* hart_start() entry in start.S: a0 = hart ID, a1 = opaque (kept in guest_hart_opaque[]) */
extern char _secondary[];
#define GUEST_MAX_HARTS 8
extern volatile uint64_t guest_hart_opaque[GUEST_MAX_HARTS];

/* The last synchronous exception taken to S-mode. */
struct exc_record {
	volatile unsigned count;
	volatile uint64_t scause, stval, sepc;
};
extern struct exc_record exc_seen;
#define EXC_INSN_ACCESS 1
#define EXC_ILLEGAL_INSN 2
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_ACCESS 7
#define SCAUSE_IRQ (1UL << 63)

/*
 * Interrupts: irq_hook() gets the scause code of a local interrupt (IRQ_S_*)
 * or IRQ_PLIC(source) for an external one, claimed and completed around the
 * hook by the library (PLIC context = hart index). The library clears SSIP
 * before the hook; a timer hook must move stimecmp or call sbi_set_timer().
 */
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define IRQ_PLIC(src) (64 + (src))
#define SIE_SSIE (1UL << IRQ_S_SOFT)
#define SIE_STIE (1UL << IRQ_S_TIMER)
#define SIE_SEIE (1UL << IRQ_S_EXT)
#define SSTATUS_SIE (1UL << 1)

/* PLIC (emulated by keel at QEMU virt's address), context N = hart N, S-mode */
#define PLIC_BASE 0x0c000000UL
#define PLIC_PRIORITY(src) (PLIC_BASE + 4 * (src))
#define PLIC_ENABLE(ctx) (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (PLIC_BASE + 0x200004 + 0x1000 * (ctx))
#define PLIC_SRC_UART0 10
void plic_enable(unsigned ctx, unsigned src);

/* NS16550 UART */
#define UART_BASE 0x10000000UL
#define UART_RBR 0
#define UART_THR 0
#define UART_IER 1
#define UART_LSR 5
#define UART_IER_RDI (1u << 0)
#define UART_LSR_DR (1u << 0)
#define UART_LSR_THRE (1u << 5)

#define CSR_STIMECMP 0x14d /* Sstc */
#define CSR_STR_(x) #x
#define CSR_STR(x) CSR_STR_(x)
#define CSR_READ(csr)                                              \
	({                                                         \
		uint64_t v_;                                       \
		asm volatile("csrr %0, " CSR_STR(csr) : "=r"(v_)); \
		v_;                                                \
	})
#define CSR_WRITE(csr, v) asm volatile("csrw " CSR_STR(csr) ", %0" ::"r"((uint64_t)(v)) : "memory")
#define CSR_SET(csr, v) asm volatile("csrs " CSR_STR(csr) ", %0" ::"r"((uint64_t)(v)) : "memory")
#define CSR_CLEAR(csr, v) asm volatile("csrc " CSR_STR(csr) ", %0" ::"r"((uint64_t)(v)) : "memory")

/* SBI TIME set_timer: the next supervisor timer interrupt at counter value t */
static inline long sbi_set_timer(uint64_t t)
{
	return sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, t, 0, 0).error;
}

#endif
