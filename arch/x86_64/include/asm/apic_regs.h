/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The local APIC register page (4 KiB, the xAPIC MMIO layout that AVIC and
 * Secure AVIC backing pages also use) and the vector helpers shared by the
 * software x2APIC (asm/vlapic.h) and the Secure AVIC model (asm/savic.h).
 *
 * IRR, ISR and TMR are 256-bit registers split into eight 32-bit words at a
 * 0x10 stride: vector v is bit (v & 31) of the word at base + 0x10 * (v >> 5).
 * Secure AVIC interleaves ALLOWED_IRR with IRR at base 0x204.
 *
 * Every access goes through apic_reg_index(), which masks the offset into
 * the page, so a vector or an offset taken from a hostile page can never reach
 * outside it. Loads and stores are single 32-bit atomic accesses: the page
 * may be written concurrently (by another vCPU's IPI, or by the guest when
 * it is guest memory), and every value is read exactly once.
 *
 * Freestanding: only the compiler's <stdint.h>, <stdbool.h>, <stddef.h>.
 */
#ifndef ASM_APIC_REGS_H
#define ASM_APIC_REGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define APIC_PAGE_SIZE 0x1000U
#define APIC_NR_VECTORS 256U
#define APIC_VEC_WORDS 8U /* 32-bit words in IRR/ISR/TMR/ALLOWED_IRR */
#define APIC_VEC_STRIDE 0x10U /* bytes between two of those words */
#define APIC_FIRST_LEGAL_VECTOR 16U /* 0..15 are illegal as interrupts */

/* Register offsets in the page */
#define APIC_REG_ID 0x020U
#define APIC_REG_LVR 0x030U
#define APIC_REG_TPR 0x080U
#define APIC_REG_APR 0x090U
#define APIC_REG_PPR 0x0a0U
#define APIC_REG_EOI 0x0b0U
#define APIC_REG_LDR 0x0d0U
#define APIC_REG_SPIV 0x0f0U
#define APIC_REG_ISR 0x100U /* ..0x170 */
#define APIC_REG_TMR 0x180U /* ..0x1f0 */
#define APIC_REG_IRR 0x200U /* ..0x270 */
#define APIC_REG_ALLOWED_IRR 0x204U /* ..0x274, Secure AVIC only */
#define APIC_REG_NMI_REQ 0x278U /* Secure AVIC only */
#define APIC_REG_ESR 0x280U
#define APIC_REG_ICR 0x300U /* 64-bit in x2APIC mode: low word 0x300, high word 0x304 */
#define APIC_REG_LVTT 0x320U
#define APIC_REG_LVTTHMR 0x330U
#define APIC_REG_LVTPC 0x340U
#define APIC_REG_LVT0 0x350U
#define APIC_REG_LVT1 0x360U
#define APIC_REG_LVTERR 0x370U
#define APIC_REG_TMICT 0x380U
#define APIC_REG_TMCCT 0x390U
#define APIC_REG_TDCR 0x3e0U
#define APIC_REG_SELF_IPI 0x3f0U

/* x2APIC MSRs: MSR = 0x800 + (offset >> 4) */
#define X2APIC_MSR_BASE 0x800U
#define X2APIC_MSR_LAST 0x8ffU
#define X2APIC_MSR_ID 0x802U
#define X2APIC_MSR_LVR 0x803U
#define X2APIC_MSR_TPR 0x808U
#define X2APIC_MSR_PPR 0x80aU
#define X2APIC_MSR_EOI 0x80bU
#define X2APIC_MSR_LDR 0x80dU
#define X2APIC_MSR_SPIV 0x80fU
#define X2APIC_MSR_ISR0 0x810U
#define X2APIC_MSR_TMR0 0x818U
#define X2APIC_MSR_IRR0 0x820U
#define X2APIC_MSR_ESR 0x828U
#define X2APIC_MSR_ICR 0x830U
#define X2APIC_MSR_LVTT 0x832U
#define X2APIC_MSR_LVTTHMR 0x833U
#define X2APIC_MSR_LVTPC 0x834U
#define X2APIC_MSR_LVT0 0x835U
#define X2APIC_MSR_LVT1 0x836U
#define X2APIC_MSR_LVTERR 0x837U
#define X2APIC_MSR_TMICT 0x838U
#define X2APIC_MSR_TMCCT 0x839U
#define X2APIC_MSR_TDCR 0x83eU
#define X2APIC_MSR_SELF_IPI 0x83fU

/* LVT and ICR fields */
#define APIC_VECTOR_MASK 0xffU
#define APIC_DM_SHIFT 8 /* delivery mode, bits 10:8 */
#define APIC_DM_MASK (7U << APIC_DM_SHIFT)
#define APIC_DM_FIXED 0U
#define APIC_DM_LOWEST 1U
#define APIC_DM_SMI 2U
#define APIC_DM_NMI 4U
#define APIC_DM_INIT 5U
#define APIC_DM_SIPI 6U
#define APIC_DM_EXTINT 7U
#define APIC_DEST_LOGICAL (1U << 11)
#define APIC_DELIVERY_STATUS (1U << 12) /* read-only */
#define APIC_INPUT_POLARITY (1U << 13)
#define APIC_LEVEL_ASSERT (1U << 14) /* ICR; remote IRR (read-only) in LINT0/1 */
#define APIC_TRIGGER_LEVEL (1U << 15)
#define APIC_LVT_MASKED (1U << 16)
#define APIC_LVTT_MODE_SHIFT 17 /* bits 18:17 */
#define APIC_LVTT_MODE_MASK (3U << APIC_LVTT_MODE_SHIFT)
#define APIC_LVTT_ONESHOT 0U
#define APIC_LVTT_PERIODIC 1U
#define APIC_LVTT_TSC_DEADLINE 2U
#define APIC_SH_SHIFT 18 /* ICR destination shorthand, bits 19:18 */
#define APIC_SH_MASK (3U << APIC_SH_SHIFT)
#define APIC_SH_NONE 0U
#define APIC_SH_SELF 1U
#define APIC_SH_ALL 2U /* all including self */
#define APIC_SH_OTHERS 3U /* all excluding self */
#define APIC_SPIV_ENABLE (1U << 8)
#define APIC_ESR_SEND_ILLEGAL (1U << 5)
#define APIC_ESR_RECV_ILLEGAL (1U << 6)
#define X2APIC_BROADCAST 0xffffffffU

/* Offset -> index of the 32-bit register, always inside the 4 KiB page */
static inline size_t apic_reg_index(uint32_t offset)
{
	return (offset & (APIC_PAGE_SIZE - 4U)) >> 2;
}

static inline uint32_t *apic_reg_ptr(uint32_t *page, uint32_t offset)
{
	return &page[apic_reg_index(offset)];
}

static inline uint32_t apic_reg_read(const uint32_t *page, uint32_t offset)
{
	return __atomic_load_n(&page[apic_reg_index(offset)], __ATOMIC_RELAXED);
}

static inline void apic_reg_write(uint32_t *page, uint32_t offset, uint32_t val)
{
	__atomic_store_n(apic_reg_ptr(page, offset), val, __ATOMIC_RELAXED);
}

/* Offset of the word holding vector @vec in the register file at @base */
static inline uint32_t apic_vec_offset(uint32_t base, unsigned int vec)
{
	return base + APIC_VEC_STRIDE * ((vec & APIC_VECTOR_MASK) >> 5);
}

static inline uint32_t apic_vec_bit(unsigned int vec)
{
	return 1U << (vec & 31U);
}

static inline bool apic_vec_test(const uint32_t *page, uint32_t base, unsigned int vec)
{
	return (apic_reg_read(page, apic_vec_offset(base, vec)) & apic_vec_bit(vec)) != 0;
}

/* Atomic: other CPUs may set bits in the same word at the same time. */
static inline void apic_vec_set(uint32_t *page, uint32_t base, unsigned int vec)
{
	__atomic_fetch_or(apic_reg_ptr(page, apic_vec_offset(base, vec)), apic_vec_bit(vec),
			  __ATOMIC_SEQ_CST);
}

static inline void apic_vec_clear(uint32_t *page, uint32_t base, unsigned int vec)
{
	__atomic_fetch_and(apic_reg_ptr(page, apic_vec_offset(base, vec)), ~apic_vec_bit(vec),
			   __ATOMIC_SEQ_CST);
}

/* Highest vector set in the register file at @base, or -1 when none is. */
static inline int apic_vec_highest(const uint32_t *page, uint32_t base)
{
	for (int w = (int)APIC_VEC_WORDS - 1; w >= 0; w--) {
		uint32_t bits = apic_reg_read(page, base + APIC_VEC_STRIDE * (uint32_t)w);

		if (bits)
			return w * 32 + 31 - __builtin_clz(bits);
	}
	return -1;
}

/* Priority class of a vector or of a TPR/PPR value: bits 7:4 */
static inline unsigned int apic_prio_class(unsigned int v)
{
	return (v >> 4) & 0xfU;
}

/*
 * Processor priority: TPR when its class is at least that of the highest
 * in-service vector (@isrv, -1 for none), else that vector's class with
 * the sub-class cleared.
 */
static inline uint32_t apic_ppr(uint32_t tpr, int isrv)
{
	uint32_t isr = isrv < 0 ? 0 : ((uint32_t)isrv & APIC_VECTOR_MASK);

	tpr &= APIC_VECTOR_MASK;
	if (apic_prio_class(tpr) >= apic_prio_class(isr))
		return tpr;
	return isr & 0xf0U;
}

/*
 * The vector an APIC with priority @ppr delivers next from the IRR at
 * @irr_base: the highest requested vector, if its class is above PPR's.
 * The highest vector has the highest class, so no lower one can qualify
 * when it does not. Vectors 0..15 (class 0) never qualify.
 */
static inline int apic_deliverable(const uint32_t *page, uint32_t irr_base, uint32_t ppr)
{
	int v = apic_vec_highest(page, irr_base);

	if (v < 0 || apic_prio_class((unsigned int)v) <= apic_prio_class(ppr))
		return -1;
	return v;
}

/* x2APIC MSR <-> register offset */
static inline bool apic_msr_is_x2apic(uint32_t msr)
{
	return msr >= X2APIC_MSR_BASE && msr <= X2APIC_MSR_LAST;
}

/* Only meaningful when apic_msr_is_x2apic(msr) */
static inline uint32_t apic_msr_to_offset(uint32_t msr)
{
	return ((msr - X2APIC_MSR_BASE) & 0xffU) << 4;
}

static inline uint32_t apic_offset_to_msr(uint32_t offset)
{
	return X2APIC_MSR_BASE + ((offset & (APIC_PAGE_SIZE - 1U)) >> 4);
}

#endif
