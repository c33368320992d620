/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RISC-V CSRs keel uses (facts.md section 3), by number so any assembler takes them. */
#ifndef ASM_CSR_H
#define ASM_CSR_H

#define CSR_SSTATUS 0x100
#define CSR_SIE 0x104
#define CSR_STVEC 0x105
#define CSR_SSCRATCH 0x140
#define CSR_SEPC 0x141
#define CSR_SCAUSE 0x142
#define CSR_STVAL 0x143
#define CSR_SIP 0x144
#define CSR_STIMECMP 0x14d
#define CSR_SATP 0x180
#define CSR_VSSTATUS 0x200
#define CSR_VSIE 0x204
#define CSR_VSTVEC 0x205
#define CSR_VSSCRATCH 0x240
#define CSR_VSEPC 0x241
#define CSR_VSCAUSE 0x242
#define CSR_VSTVAL 0x243
#define CSR_VSIP 0x244
#define CSR_VSTIMECMP 0x24d
#define CSR_VSATP 0x280
#define CSR_HSTATUS 0x600
#define CSR_HEDELEG 0x602
#define CSR_HIDELEG 0x603
#define CSR_HIE 0x604
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HENVCFG 0x60a
#define CSR_HTVAL 0x643
#define CSR_HIP 0x644
#define CSR_HVIP 0x645
#define CSR_HTINST 0x64a
#define CSR_HGATP 0x680
#define CSR_TIME 0xc01

#define SSTATUS_SIE (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define SSTATUS_FS (3UL << 13)
#define SSTATUS_FS_INITIAL (1UL << 13)

#define HSTATUS_GVA (1UL << 6)
#define HSTATUS_SPV (1UL << 7)
#define HSTATUS_SPVP (1UL << 8)
#define HSTATUS_VTW (1UL << 21)

#define HENVCFG_STCE (1UL << 63)

/* interrupts (bit numbers in sip/sie/hvip/hideleg) */
#define IRQ_S_SOFT 1
#define IRQ_VS_SOFT 2
#define IRQ_S_TIMER 5
#define IRQ_VS_TIMER 6
#define IRQ_S_EXT 9
#define IRQ_VS_EXT 10

/* exception causes */
#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS 1
#define EXC_ILLEGAL 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_ECALL_VS 10
#define EXC_INST_PAGE 12
#define EXC_LOAD_PAGE 13
#define EXC_STORE_PAGE 15
#define EXC_INST_GUEST_PAGE 20
#define EXC_LOAD_GUEST_PAGE 21
#define EXC_VIRTUAL_INST 22
#define EXC_STORE_GUEST_PAGE 23
#define CAUSE_IRQ (1UL << 63)

#define HGATP_MODE_SV39X4 (8UL << 60)
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK 0x3fffUL

#ifndef __ASSEMBLY__
#include <stdint.h>

#ifdef KEEL_HOST
/*
 * Host builds (fuzz harnesses): CSRs are an array the harness owns
 * (tests/fuzz/riscv_env.c), so trap and SBI code runs unchanged on the
 * build machine. Never defined in keel's own image.
 */
uint64_t host_csr_read(unsigned csr);
void host_csr_write(unsigned csr, uint64_t v);
#define csr_read(csr) host_csr_read(csr)
#define csr_write(csr, v) host_csr_write(csr, (uint64_t)(v))
#define csr_set(csr, v) host_csr_write(csr, host_csr_read(csr) | (uint64_t)(v))
#define csr_clear(csr, v) host_csr_write(csr, host_csr_read(csr) & ~(uint64_t)(v))
#define csr_swap(csr, v)                            \
	({                                          \
		uint64_t o_ = host_csr_read(csr);   \
		host_csr_write(csr, (uint64_t)(v)); \
		o_;                                 \
	})
#else
#define csr_read(csr)                                                         \
	({                                                                    \
		uint64_t v_;                                                  \
		asm volatile("csrr %0, %1" : "=r"(v_) : "i"(csr) : "memory"); \
		v_;                                                           \
	})
#define csr_write(csr, v) asm volatile("csrw %0, %1" ::"i"(csr), "r"((uint64_t)(v)) : "memory")
#define csr_set(csr, v) asm volatile("csrs %0, %1" ::"i"(csr), "r"((uint64_t)(v)) : "memory")
#define csr_clear(csr, v) asm volatile("csrc %0, %1" ::"i"(csr), "r"((uint64_t)(v)) : "memory")
#define csr_swap(csr, v)                                                           \
	({                                                                         \
		uint64_t v_ = (v);                                                 \
		asm volatile("csrrw %0, %1, %0" : "+r"(v_) : "i"(csr) : "memory"); \
		v_;                                                                \
	})
#endif

/* hfence.gvma zero, vmid: every G-stage translation of one VMID */
static inline void hfence_gvma_vmid(uint64_t vmid)
{
	asm volatile(".insn r 0x73, 0x0, 0x31, x0, x0, %0" ::"r"(vmid) : "memory");
}

/* One guest-physical page (gpa) of one VMID. */
static inline void hfence_gvma_page(uint64_t gpa, uint64_t vmid)
{
	asm volatile(".insn r 0x73, 0x0, 0x31, x0, %0, %1" ::"r"(gpa >> 2), "r"(vmid) : "memory");
}

static inline void hfence_gvma_all(void)
{
	asm volatile(".insn r 0x73, 0x0, 0x31, x0, x0, x0" ::: "memory");
}

/* hfence.vvma zero, zero: VS-stage translations of the current VMID */
static inline void hfence_vvma_all(void)
{
	asm volatile(".insn r 0x73, 0x0, 0x11, x0, x0, x0" ::: "memory");
}

#endif
#endif
