/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V SBI constants for keel's SBI server (guest ecall from VS-mode) and
 * for calls keel makes to the SBI below it. Constants and struct sbiret only:
 * compiled freestanding for riscv64 and on the host.
 *
 * Calling convention: a7 = extension ID (EID), a6 = function ID (FID),
 * a0..a5 = arguments; the call returns a0 = error, a1 = value.
 */
#ifndef ASM_SBI_H
#define ASM_SBI_H

/* Extension IDs (a7) */
#define SBI_EXT_LEGACY_SET_TIMER 0x00U
#define SBI_EXT_LEGACY_PUTCHAR 0x01U
#define SBI_EXT_LEGACY_GETCHAR 0x02U
#define SBI_EXT_BASE 0x10U
#define SBI_EXT_TIME 0x54494d45U /* "TIME" */
#define SBI_EXT_IPI 0x735049U /* "sPI" */
#define SBI_EXT_RFENCE 0x52464e43U /* "RFNC" */
#define SBI_EXT_HSM 0x48534dU /* "HSM" */
#define SBI_EXT_SRST 0x53525354U /* "SRST" */
#define SBI_EXT_DBCN 0x4442434eU /* "DBCN" */
#define SBI_EXT_FWFT 0x46574654U /* "FWFT" */
#define SBI_EXT_KEEL 0x084b454cU /* keel's own hypercalls; = KEEL_HC_RISCV_EXT */

/* BASE FIDs */
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID 1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXT 3
#define SBI_BASE_GET_MVENDORID 4
#define SBI_BASE_GET_MARCHID 5
#define SBI_BASE_GET_MIMPID 6

/* Spec version: minor in bits 23:0, major in bits 30:24 */
#define SBI_SPEC_VERSION(major, minor) \
	((((unsigned long)(major)&0x7fUL) << 24) | ((minor)&0xffffffUL))

/* TIME, IPI, SRST, DBCN FIDs */
#define SBI_TIME_SET_TIMER 0
#define SBI_IPI_SEND_IPI 0
#define SBI_SRST_SYSTEM_RESET 0
#define SBI_SRST_TYPE_SHUTDOWN 0
#define SBI_SRST_TYPE_COLD_REBOOT 1
#define SBI_SRST_TYPE_WARM_REBOOT 2
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_SYSFAIL 1
#define SBI_DBCN_WRITE 0
#define SBI_DBCN_READ 1
#define SBI_DBCN_WRITE_BYTE 2

/* RFENCE FIDs */
#define SBI_RFENCE_FENCE_I 0
#define SBI_RFENCE_SFENCE_VMA 1
#define SBI_RFENCE_SFENCE_VMA_ASID 2
#define SBI_RFENCE_HFENCE_GVMA_VMID 3
#define SBI_RFENCE_HFENCE_GVMA 4
#define SBI_RFENCE_HFENCE_VVMA_ASID 5
#define SBI_RFENCE_HFENCE_VVMA 6

/* HSM FIDs and hart states */
#define SBI_HSM_HART_START 0
#define SBI_HSM_HART_STOP 1
#define SBI_HSM_HART_GET_STATUS 2
#define SBI_HSM_HART_SUSPEND 3
#define SBI_HSM_STATE_STARTED 0
#define SBI_HSM_STATE_STOPPED 1
#define SBI_HSM_STATE_START_PENDING 2
#define SBI_HSM_STATE_STOP_PENDING 3
#define SBI_HSM_STATE_SUSPENDED 4
#define SBI_HSM_STATE_SUSPEND_PENDING 5
#define SBI_HSM_STATE_RESUME_PENDING 6
#define SBI_HSM_SUSPEND_RET_DEFAULT 0x00000000U
#define SBI_HSM_SUSPEND_NON_RET_DEFAULT 0x80000000U

/* FWFT FIDs (features and flags: asm/fwft.h) */
#define SBI_FWFT_SET 0
#define SBI_FWFT_GET 1

/* Error codes (a0) */
#define SBI_SUCCESS 0
#define SBI_ERR_FAILED (-1)
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_DENIED (-4)
#define SBI_ERR_INVALID_ADDRESS (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED (-7)
#define SBI_ERR_ALREADY_STOPPED (-8)
#define SBI_ERR_NO_SHMEM (-9)
#define SBI_ERR_INVALID_STATE (-10)
#define SBI_ERR_BAD_RANGE (-11)
#define SBI_ERR_TIMEOUT (-12)
#define SBI_ERR_IO (-13)
#define SBI_ERR_DENIED_LOCKED (-14)

#ifndef __ASSEMBLY__
/* The (a0, a1) pair every SBI call returns. */
struct sbiret {
	long error;
	unsigned long value;
};
#endif

#endif
