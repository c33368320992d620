/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SBI FWFT (firmware features, EID 0x46574654) server for guests: a plain-C
 * state machine with no CSR access, built freestanding for riscv64 and on
 * the host for unit tests.
 *
 * Only local features 0..5 exist; keel defines no platform-specific and no
 * global feature. Each vCPU has its own struct fwft_state.
 *
 * fwft_call() only keeps state. The CSR side is the vCPU switch path's job:
 * when a vCPU is loaded, keel ORs s->henvcfg into the vCPU's henvcfg and
 * s->hedeleg into its hedeleg. The vCPU's own (non-FWFT) values must have
 * the FWFT-owned bits (FWFT_HENVCFG_OWNED, FWFT_HEDELEG_OWNED) clear, so a
 * SET of 0 really clears them; fwft_henvcfg()/fwft_hedeleg() do the merge.
 * A SET changes the state of the vCPU that is running, so the SBI path must
 * write hedeleg/henvcfg again before it returns to that guest.
 */
#ifndef ASM_FWFT_H
#define ASM_FWFT_H

#include <keel/types.h>
#include <asm/sbi.h>

/* Feature IDs (a0; only its low 32 bits count) */
#define SBI_FWFT_MISALIGNED_EXC_DELEG 0x0U
#define SBI_FWFT_LANDING_PAD 0x1U
#define SBI_FWFT_SHADOW_STACK 0x2U
#define SBI_FWFT_DOUBLE_TRAP 0x3U
#define SBI_FWFT_PTE_AD_HW_UPDATING 0x4U
#define SBI_FWFT_POINTER_MASKING_PMLEN 0x5U
#define SBI_FWFT_NR_LOCAL 6U /* 0x6..0x3fffffff: local, reserved */
#define SBI_FWFT_PLATFORM_BIT (1U << 30) /* 0x40000000..: platform-specific */
#define SBI_FWFT_GLOBAL_BIT (1U << 31) /* 0x80000000..: global */

/* SET flags (a2): bit 0 LOCK, bits XLEN-1:1 reserved (must be 0) */
#define SBI_FWFT_SET_FLAG_LOCK (1UL << 0)

/* hedeleg bits FWFT owns: load (4) and store/AMO (6) address misaligned */
#define FWFT_EXC_LOAD_MISALIGNED 4
#define FWFT_EXC_STORE_MISALIGNED 6
#define FWFT_HEDELEG_MISALIGNED \
	((1ULL << FWFT_EXC_LOAD_MISALIGNED) | (1ULL << FWFT_EXC_STORE_MISALIGNED))
#define FWFT_HEDELEG_OWNED FWFT_HEDELEG_MISALIGNED

/* henvcfg bits FWFT owns (RV64 positions, privileged spec) */
#define FWFT_HENVCFG_LPE (1ULL << 2) /* Zicfilp landing pads: LANDING_PAD */
#define FWFT_HENVCFG_SSE (1ULL << 3) /* Zicfiss shadow stack: SHADOW_STACK */
#define FWFT_HENVCFG_PMM_SHIFT 32 /* bits 33:32: POINTER_MASKING_PMLEN */
#define FWFT_HENVCFG_PMM (3ULL << FWFT_HENVCFG_PMM_SHIFT)
#define FWFT_HENVCFG_PMM_PMLEN7 (2ULL << FWFT_HENVCFG_PMM_SHIFT)
#define FWFT_HENVCFG_PMM_PMLEN16 (3ULL << FWFT_HENVCFG_PMM_SHIFT)
#define FWFT_HENVCFG_DTE (1ULL << 59) /* Ssdbltrp: DOUBLE_TRAP */
#define FWFT_HENVCFG_ADUE (1ULL << 61) /* Svadu: PTE_AD_HW_UPDATING */
#define FWFT_HENVCFG_OWNED                                                           \
	(FWFT_HENVCFG_LPE | FWFT_HENVCFG_SSE | FWFT_HENVCFG_PMM | FWFT_HENVCFG_DTE | \
	 FWFT_HENVCFG_ADUE)

/* struct fwft_caps.pmlen_mask bits */
#define FWFT_PMLEN7 (1U << 0) /* henvcfg.PMM = 2 works */
#define FWFT_PMLEN16 (1U << 1) /* henvcfg.PMM = 3 works */

/*
 * What the platform can do, probed once at boot by the arch code (a fake in
 * the unit tests). QEMU 7.2 with OpenSBI 1.1 has none of these.
 */
struct fwft_caps {
	bool misaligned_deleg; /* misaligned traps reach keel (host SBI delegates them) */
	bool adue; /* henvcfg.ADUE writable: Svadu */
	uint8_t pmlen_mask; /* FWFT_PMLEN7 | FWFT_PMLEN16 */
	bool lpe; /* henvcfg.LPE writable: Zicfilp */
	bool sse; /* henvcfg.SSE writable: Zicfiss */
	bool dte; /* henvcfg.DTE writable: Ssdbltrp */
};

/* Per-vCPU FWFT state; lives inside the vCPU. */
struct fwft_state {
	uint32_t locked; /* bit n: local feature n is locked until fwft_reset() */
	uint64_t henvcfg; /* only FWFT_HENVCFG_OWNED bits */
	uint64_t hedeleg; /* only FWFT_HEDELEG_OWNED bits */
};

/* vCPU (hart) reset: every feature back to 0 and unlocked. */
void fwft_reset(struct fwft_state *s);

/* true when the defined local feature is usable with these caps; false for any other ID. */
bool fwft_supported(const struct fwft_caps *caps, uint32_t feature);

/*
 * One guest FWFT call: fid = a6 (SBI_FWFT_SET or SBI_FWFT_GET), a0 = feature,
 * a1 = value (SET), a2 = flags (SET). Returns (error, value); value is 0
 * unless a GET succeeds.
 */
struct sbiret fwft_call(struct fwft_state *s, const struct fwft_caps *caps, unsigned long fid,
			unsigned long a0, unsigned long a1, unsigned long a2);

/* The vCPU's henvcfg/hedeleg with the FWFT-owned bits taken from s. */
static inline uint64_t fwft_henvcfg(const struct fwft_state *s, uint64_t base)
{
	return (base & ~FWFT_HENVCFG_OWNED) | s->henvcfg;
}

static inline uint64_t fwft_hedeleg(const struct fwft_state *s, uint64_t base)
{
	return (base & ~FWFT_HEDELEG_OWNED) | s->hedeleg;
}

#endif
