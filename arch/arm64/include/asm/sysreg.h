/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64 system-register accessors and the EL2 register values keel uses. */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#ifndef __ASSEMBLY__
#include <stdint.h>

#ifdef KEEL_HOST
/*
 * Host builds (fuzz harnesses, tests/fuzz/): a system register is a named
 * slot the harness owns, so trap and vGIC code runs unchanged on the build
 * machine; barriers and hints order nothing the harness can see. Never
 * defined in keel's own image.
 */
uint64_t host_sysreg_read(const char *name);
void host_sysreg_write(const char *name, uint64_t v);
#define read_sysreg(r) host_sysreg_read(#r)
#define write_sysreg(r, v) host_sysreg_write(#r, (uint64_t)(v))
#define isb() ((void)0)
#define dsb(o) ((void)0)
#define wfi() ((void)0)
#define wfe() ((void)0)
#define sev() ((void)0)
#else
#define read_sysreg(r)                                  \
	({                                              \
		uint64_t v_;                            \
		asm volatile("mrs %0, " #r : "=r"(v_)); \
		v_;                                     \
	})
#define write_sysreg(r, v) asm volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))
#define isb() asm volatile("isb" ::: "memory")
#define dsb(o) asm volatile("dsb " #o ::: "memory")
#define wfi() asm volatile("wfi" ::: "memory")
#define wfe() asm volatile("wfe" ::: "memory")
#define sev() asm volatile("sev" ::: "memory")
#endif
/* for registers named by a macro (S3_..._.. encodings): expand first */
#define read_sysreg_s(r) read_sysreg(r)
#define write_sysreg_s(r, v) write_sysreg(r, v)
#endif

/* HCR_EL2 */
#define HCR_VM (1UL << 0)
#define HCR_SWIO (1UL << 1)
#define HCR_FMO (1UL << 3)
#define HCR_IMO (1UL << 4)
#define HCR_AMO (1UL << 5)
#define HCR_VSE (1UL << 8)
#define HCR_TWI (1UL << 13)
#define HCR_TWE (1UL << 14)
#define HCR_TID3 (1UL << 18)
#define HCR_TSC (1UL << 19)
#define HCR_TIDCP (1UL << 20)
#define HCR_TACR (1UL << 21)
#define HCR_TSW (1UL << 22)
#define HCR_RW (1UL << 31)
#define HCR_TLOR (1UL << 35)

/* ESR_EL2 exception classes */
#define ESR_EC_SHIFT 26
/* the exception class alone: ESR_EL2 bits 55:32 are ISS2 (FEAT_LS64, FEAT_GCS, ...) */
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3fUL)
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_WFX 0x01
#define ESR_EC_FP 0x07
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_SYS64 0x18
#define ESR_EC_SVE 0x19
#define ESR_EC_SME 0x1d
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_DABT_LOW 0x24
#define ESR_IL (1UL << 25)

/* Data abort ISS */
#define ISS_ISV (1UL << 24)
#define ISS_SAS_SHIFT 22
#define ISS_SSE (1UL << 21)
#define ISS_SRT_SHIFT 16
#define ISS_SF (1UL << 15)
#define ISS_WNR (1UL << 6)

/* SPSR: EL1h with D, A, I, F masked; PSTATE bits an exception entry keeps or sets */
#define SPSR_EL1H_MASKED 0x3c5UL
#define PSR_NZCV (0xfUL << 28)
#define PSR_DIT (1UL << 24)
#define PSR_PAN (1UL << 22)
#define PSR_SSBS (1UL << 12)

/* CPTR_EL2 (E2H = 0): RES1 bits 13, 9, 7:0; TZ traps SVE, TSM traps SME, TTA traps trace */
#define CPTR_EL2_RES1 ((1UL << 13) | (1UL << 9) | 0xffUL)
#define CPTR_TZ (1UL << 8)
#define CPTR_TFP (1UL << 10)
#define CPTR_TSM (1UL << 12)
#define CPTR_TTA (1UL << 20)
#define CPTR_TAM (1UL << 30)

/* FP/SVE/SME registers by encoding (keel is built for armv8-a, these are not in its names) */
#define ZCR_EL2 S3_4_C1_C2_0
#define SMCR_EL2 S3_4_C1_C2_6
#define ZCR_EL1 S3_0_C1_C2_0
#define SMCR_EL1 S3_0_C1_C2_6
#define SVCR S3_3_C4_C2_2
#define TPIDR2_EL0 S3_3_C13_C0_5
#define SVCR_SM (1UL << 0)
#define SVCR_ZA (1UL << 1)
#define SMCR_FA64 (1UL << 31)
#define SMCR_EZT0 (1UL << 30)
#define ESR_ISS_SMTC(esr) ((esr)&7) /* SME trap code: 0 = CPTR/CPACR trap */

/* MDCR_EL2: trap PMU and debug registers */
#define MDCR_TPMCR (1UL << 5)
#define MDCR_TPM (1UL << 6)
#define MDCR_TDA (1UL << 9)
#define MDCR_TDOSA (1UL << 10)
#define MDCR_TDRA (1UL << 11)

/* CNTHCTL_EL2 (E2H = 0) */
#define CNTHCTL_EL1PCTEN (1UL << 0)
#define CNTHCTL_EL1PCEN (1UL << 1)

/* SCTLR_EL2 */
#define SCTLR_M (1UL << 0)
#define SCTLR_A (1UL << 1)
#define SCTLR_C (1UL << 2)
#define SCTLR_SA (1UL << 3)
#define SCTLR_I (1UL << 12)
#define SCTLR_WXN (1UL << 19)
#define SCTLR_EL2_RES1 \
	((3UL << 28) | (3UL << 22) | (1UL << 18) | (1UL << 16) | (1UL << 11) | (3UL << 4))
#define SCTLR_EL1_SPAN (1UL << 23) /* 0: PAN set on exception entry */
#define SCTLR_EL1_DSSBS (1UL << 44) /* PSTATE.SSBS on exception entry */
/* SCTLR_EL1 reset value for a guest: MMU and caches off, RES1 bits set */
#define SCTLR_EL1_RESET 0x30d00800UL

#endif
