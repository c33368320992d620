/* SPDX-License-Identifier: GPL-2.0-or-later */
/* AMD SVM: the VMCB (facts.md 4.2) and exit codes (4.3). */
#ifndef ASM_SVM_H
#define ASM_SVM_H

#include <stdint.h>

struct vmcb_seg {
	uint16_t sel, attrib;
	uint32_t limit;
	uint64_t base;
} __attribute__((packed));

struct vmcb {
	/* control area, 0x000 */
	uint32_t intercept_cr;
	uint32_t intercept_dr;
	uint32_t intercept_exc;
	uint32_t intercept3; /* 0x00c */
	uint32_t intercept4; /* 0x010 */
	uint32_t intercept5; /* 0x014 */
	uint8_t rsvd1[0x3c - 0x18];
	uint16_t pause_thresh, pause_count;
	uint64_t iopm_pa; /* 0x040 */
	uint64_t msrpm_pa; /* 0x048 */
	uint64_t tsc_offset; /* 0x050 */
	uint32_t asid; /* 0x058 */
	uint8_t tlb_ctl; /* 0x05c */
	uint8_t rsvd2[3];
	uint32_t int_ctl; /* 0x060 */
	uint32_t int_vector; /* 0x064 */
	uint64_t int_state; /* 0x068 */
	uint64_t exit_code; /* 0x070 */
	uint64_t exit_info_1, exit_info_2;
	uint32_t exit_int_info, exit_int_info_err;
	uint64_t nested_ctl; /* 0x090 */
	uint8_t rsvd3[0xa8 - 0x98];
	uint32_t event_inj, event_inj_err; /* 0x0a8 */
	uint64_t nested_cr3; /* 0x0b0 */
	uint64_t virt_ext;
	uint32_t clean, rsvd4;
	uint64_t next_rip;
	uint8_t insn_len, insn_bytes[15];
	uint8_t rsvd5[0x400 - 0xe0];
	/* save area, 0x400 */
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	uint8_t rsvd6[0xcb - 0xa0];
	uint8_t cpl;
	uint32_t rsvd7;
	uint64_t efer; /* 0x0d0 */
	uint8_t rsvd8[0x148 - 0xd8];
	uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip; /* 0x148.. */
	uint8_t rsvd9[0x1d8 - 0x180];
	uint64_t rsp; /* 0x1d8 */
	uint8_t rsvd10[0x1f8 - 0x1e0];
	uint64_t rax; /* 0x1f8 */
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t cr2; /* 0x240 */
	uint8_t rsvd11[0x268 - 0x248];
	uint64_t g_pat;
	uint8_t rsvd12[0x1000 - 0x400 - 0x270];
} __attribute__((packed));

_Static_assert(__builtin_offsetof(struct vmcb, asid) == 0x58, "vmcb asid");
_Static_assert(__builtin_offsetof(struct vmcb, nested_cr3) == 0xb0, "vmcb ncr3");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "vmcb save area");
_Static_assert(__builtin_offsetof(struct vmcb, cpl) == 0x4cb, "vmcb cpl");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "vmcb efer");
_Static_assert(__builtin_offsetof(struct vmcb, rip) == 0x578, "vmcb rip");
_Static_assert(__builtin_offsetof(struct vmcb, rsp) == 0x5d8, "vmcb rsp");
_Static_assert(__builtin_offsetof(struct vmcb, rax) == 0x5f8, "vmcb rax");
_Static_assert(__builtin_offsetof(struct vmcb, cr2) == 0x640, "vmcb cr2");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "vmcb g_pat");
_Static_assert(sizeof(struct vmcb) == 0x1000, "vmcb size");

/* intercept word 3 (0x00c) */
#define INTERCEPT_INTR (1u << 0)
#define INTERCEPT_NMI (1u << 1)
#define INTERCEPT_CPUID (1u << 18)
#define INTERCEPT_HLT (1u << 24)
#define INTERCEPT_INVLPGA (1u << 26)
#define INTERCEPT_IOIO (1u << 27)
#define INTERCEPT_MSR (1u << 28)
#define INTERCEPT_SHUTDOWN (1u << 31)
/* intercept word 4 (0x010) */
#define INTERCEPT_VMRUN (1u << 0)
#define INTERCEPT_VMMCALL (1u << 1)
#define INTERCEPT_VMLOAD (1u << 2)
#define INTERCEPT_VMSAVE (1u << 3)
#define INTERCEPT_STGI (1u << 4)
#define INTERCEPT_CLGI (1u << 5)
#define INTERCEPT_SKINIT (1u << 6)
#define INTERCEPT_RDTSCP (1u << 7)
#define INTERCEPT_XSETBV (1u << 13)

#define EXIT_EXCP_BASE 0x040
#define EXIT_INTR 0x060
#define EXIT_NMI 0x061
#define EXIT_CPUID 0x072
#define EXIT_HLT 0x078
#define EXIT_IOIO 0x07b
#define EXIT_MSR 0x07c
#define EXIT_SHUTDOWN 0x07f
#define EXIT_VMRUN 0x080
#define EXIT_VMMCALL 0x081
#define EXIT_RDTSCP 0x087
#define EXIT_XSETBV 0x08d
#define EXIT_NPF 0x400
#define EXIT_INVALID ((uint64_t)-1)

#define EVENT_VALID (1u << 31)
#define EVENT_ERR_VALID (1u << 11)
#define EVENT_TYPE_INTR (0u << 8)
#define EVENT_TYPE_NMI (2u << 8)
#define EVENT_TYPE_EXC (3u << 8)

#endif
