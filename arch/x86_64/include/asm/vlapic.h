/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Software x2APIC for one vCPU: a plain-C state machine over a 4 KiB
 * register page owned by keel, with no hardware access. keel's SVM code
 * calls it from the RDMSR/WRMSR intercepts of MSRs 0x800..0x8ff, when it
 * delivers interrupts between vCPUs, and before each VMRUN.
 *
 * Guest-visible model: x2APIC only (the IA32_APIC_BASE MSR and the switch
 * into x2APIC mode are the caller's), version 0x50014 (6 LVT entries, no
 * EOI-broadcast suppression), ID = vCPU index, LDR derived from the ID,
 * edge-triggered interrupts only (TMR stays 0, EOI clears the highest ISR
 * bit). The LAPIC timer counts in caller-supplied ticks: keel passes a
 * bus-clock count `now` (1 tick = one count at divide-by-1) to every call
 * that looks at time. TSC-deadline mode is not offered and behaves as
 * one-shot. Reserved-bit writes, writes of read-only registers, reads of
 * write-only ones and undefined MSRs return VLAPIC_GP: keel injects #GP.
 *
 * Concurrency: vlapic_accept() and vlapic_accept_nmi() may run on any CPU
 * at the same time as the owning vCPU's calls (IRR bits and the NMI flag
 * are updated atomically); everything else is for the owning vCPU only.
 */
#ifndef ASM_VLAPIC_H
#define ASM_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/apic_regs.h>

#define VLAPIC_VERSION 0x50014U /* max LVT entry 5 (bits 23:16), version 0x14 */
#define VLAPIC_MAX_VCPUS 64U /* targets are a 64-bit mask */
#define VLAPIC_TIMER_OFF UINT64_MAX
#define VLAPIC_GP (-1) /* the caller injects #GP(0) */

struct vlapic {
	uint32_t *regs; /* the 4 KiB register page */
	uint32_t id; /* x2APIC ID = vCPU index */
	uint32_t nr_vcpus; /* vCPUs in the VM (IPI destinations 0..nr_vcpus-1) */
	uint32_t esr_pending; /* errors since the last ESR write */
	bool nmi_pending; /* atomic */
	uint64_t deadline; /* timer: absolute tick of the next expiry, or VLAPIC_TIMER_OFF */
	uint64_t period; /* timer: TMICT * divisor, in ticks (0 when TMICT = 0) */
};

enum vlapic_act_kind {
	VLAPIC_ACT_NONE = 0,
	VLAPIC_ACT_IPI, /* deliver to every vCPU in targets (the sender's own bit included) */
	VLAPIC_ACT_EOI, /* the guest ended `vector` (for a device model; nothing to do otherwise) */
};

/*
 * What a WRMSR asks keel to do beyond the register page. For an IPI keel
 * calls, for every bit i in targets, vlapic_accept(vcpu i, vector) when
 * mode is APIC_DM_FIXED, vlapic_accept_nmi() for APIC_DM_NMI, and resets or
 * starts vCPU i for APIC_DM_INIT / APIC_DM_SIPI (vector = start page).
 * Lowest-priority IPIs are reported as APIC_DM_FIXED to one target (the
 * lowest-numbered). No IPI is reported when no vCPU matches. shorthand is
 * the ICR's (APIC_SH_*), which the Secure AVIC path needs.
 */
struct vlapic_action {
	enum vlapic_act_kind kind;
	uint8_t mode;
	uint8_t vector;
	uint8_t shorthand;
	uint64_t targets; /* bit i = vCPU i */
};

/*
 * Power-on state: zeroes the page, then ID, LVR, LDR, SPIV = 0xff (software
 * disabled), every LVT masked, timer stopped, no NMI pending. @nr_vcpus is
 * clamped to VLAPIC_MAX_VCPUS. Also what an INIT does (vlapic_reset).
 */
void vlapic_init(struct vlapic *v, uint32_t *page, uint32_t id, uint32_t nr_vcpus);
void vlapic_reset(struct vlapic *v);

/* RDMSR/WRMSR of an x2APIC MSR: 0, or VLAPIC_GP. vlapic_wrmsr() always fills *act. */
int vlapic_rdmsr(struct vlapic *v, uint32_t msr, uint64_t now, uint64_t *val);
int vlapic_wrmsr(struct vlapic *v, uint32_t msr, uint64_t val, uint64_t now,
		 struct vlapic_action *act);

/*
 * Sets IRR bit @vector (a fixed interrupt from an IPI or a device). false,
 * and nothing set, when the APIC is software-disabled (SPIV bit 8 clear) or
 * the vector is illegal (0..15, which latches "receive illegal vector").
 */
bool vlapic_accept(struct vlapic *v, uint8_t vector);
void vlapic_accept_nmi(struct vlapic *v);
/* true (and clears it) when an NMI is pending: keel injects it */
bool vlapic_take_nmi(struct vlapic *v);

/* PPR from TPR and the highest ISR vector */
uint32_t vlapic_ppr(const struct vlapic *v);
/* Highest IRR vector whose class is above PPR's, or -1. RFLAGS.IF is keel's. */
int vlapic_pending_vector(const struct vlapic *v);
/* keel injected @vector: IRR -> ISR */
void vlapic_ack(struct vlapic *v, uint8_t vector);

/* Absolute tick of the next timer expiry, or VLAPIC_TIMER_OFF */
uint64_t vlapic_timer_deadline(const struct vlapic *v);
/*
 * Runs the timer up to @now. When it has expired: a one-shot timer stops,
 * a periodic one re-arms at deadline + period (+ whole periods it missed,
 * so it never drifts and a late caller gets one coalesced interrupt).
 * Returns the LVT timer vector to deliver, or -1 (not expired, or masked).
 * vlapic_timer_tick() leaves the IRR alone (the Secure AVIC path delivers
 * through the guest's page); vlapic_timer_expire() also sets the IRR bit
 * and returns whether it did.
 */
int vlapic_timer_tick(struct vlapic *v, uint64_t now);
bool vlapic_timer_expire(struct vlapic *v, uint64_t now);

#endif
