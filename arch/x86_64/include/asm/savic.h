/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Secure AVIC, done in software for one vCPU: keel gives its guests the
 * contract a Secure-AVIC-aware guest (Linux x2apic_savic.c) expects,
 * without SEV-SNP hardware. A plain-C state machine, no hardware access.
 *
 * The guest registers a 4 KiB, 4 KiB-aligned backing page in its own memory
 * (vmmcall with RAX = SVM_VMGEXIT_SAVIC, sub-function REGISTER_GPA or
 * UNREGISTER_GPA), then writes MSR 0xc0010138 = GPA | EN | ALLOWEDNMI.
 * Once registered and enabled (savic_active()), keel stops using the vCPU's
 * vlapic IRR/ISR/TPR and works on the page instead:
 *
 *   interrupt from keel (device, timer)  savic_deliver(): only if the vector's
 *                                        ALLOWED_IRR bit is set, else dropped
 *   NMI from keel                        savic_deliver_nmi(): only with ALLOWEDNMI
 *   WRMSR SELF_IPI (0x83f)               savic_self_ipi(): no ALLOWED_IRR check
 *   WRMSR EOI (0x80b, value 0)           savic_eoi(): clears the highest ISR bit
 *   WRMSR ICR (0x830)                    decode with vlapic_wrmsr(); then, for
 *                                        shorthand APIC_SH_SELF, savic_self_ipi()
 *                                        (or savic_self_nmi()); for anything else
 *                                        the guest already wrote the targets' IRR
 *                                        or NMI_REQ itself, so keel only kicks the
 *                                        targets (INIT/SIPI are still keel's)
 *   LVT timer, TMICT, TMCCT, TDCR, LVTs  the vlapic; on expiry vlapic_timer_tick()
 *                                        gives the vector for savic_deliver()
 *   before each VMRUN                    savic_nmi_pick(), then savic_pick() with
 *                                        savic_tpr(); keel injects the vector and
 *                                        calls savic_ack() (IRR -> ISR)
 *
 * After savic_unregister() (or EN cleared) savic_active() is false, every
 * savic_* delivery returns SAVIC_INACTIVE, and keel goes back to the vlapic.
 *
 * The page is guest memory: any bit pattern, changing at any time. Every
 * access is a masked, single 32-bit atomic access (asm/apic_regs.h); only
 * TPR (bits 7:0), IRR, ISR, ALLOWED_IRR and NMI_REQ (bit 0) are read, and
 * only IRR, ISR, PPR and NMI_REQ are written. Edge-triggered only: keel
 * never sets TMR, and savic_eoi() ignores it.
 *
 * Concurrency: savic_deliver() and savic_deliver_nmi() may run on any CPU at
 * the same time as the owning vCPU's pick/ack/eoi; savic_register(),
 * savic_unregister() and savic_ctl_write() must be serialized against all
 * of them by the caller (they change which page, if any, is used).
 */
#ifndef ASM_SAVIC_H
#define ASM_SAVIC_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/apic_regs.h>

#define MSR_AMD64_SAVIC_CONTROL 0xc0010138U
#define SAVIC_CTL_EN (1ULL << 0)
#define SAVIC_CTL_ALLOWEDNMI (1ULL << 1)
#define SAVIC_CTL_RSVD 0xffcULL /* bits 11:2 */
#define SAVIC_CTL_GPA_MASK (~0xfffULL) /* bits 63:12 */

#define SVM_VMGEXIT_SAVIC 0x8000001aU
#define SVM_VMGEXIT_SAVIC_REGISTER_GPA 0
#define SVM_VMGEXIT_SAVIC_UNREGISTER_GPA 1
#define SVM_VMGEXIT_SAVIC_SELF_GPA (~0ULL) /* "this vCPU" */

#define SAVIC_NO_GPA UINT64_MAX
#define SAVIC_ERR (-1) /* the caller injects #GP(0) */

/*
 * keel's pointer to guest-physical [gpa, gpa + size) when all of it is the
 * VM's own ordinary memory (no MMIO, nothing keel owns), else NULL. The
 * mapping must stay valid while the page is registered.
 */
typedef uint32_t *(*savic_map_fn)(void *ctx, uint64_t gpa, uint64_t size);

struct savic {
	uint32_t *page; /* the registered backing page, NULL when none */
	uint64_t gpa; /* its GPA, SAVIC_NO_GPA when none */
	uint64_t ctl; /* MSR_AMD64_SAVIC_CONTROL as last written (EN cleared on unregister) */
	uint64_t dropped; /* interrupts and NMIs refused by ALLOWED_IRR / ALLOWEDNMI (atomic) */
};

enum savic_result {
	SAVIC_DELIVERED = 0,
	SAVIC_DROPPED, /* not allowed (or an illegal vector 0..15): counted in dropped */
	SAVIC_INACTIVE, /* no page or EN clear: deliver through the vlapic */
};

void savic_init(struct savic *s);

/*
 * REGISTER_GPA: 0, or SAVIC_ERR when @gpa is not 4 KiB aligned, @map refuses
 * it, or another page is registered while EN is set. Registering again
 * while EN is clear replaces the page.
 */
int savic_register(struct savic *s, uint64_t gpa, savic_map_fn map, void *ctx);
/* UNREGISTER_GPA: 0 (and EN is cleared), or SAVIC_ERR when nothing is registered */
int savic_unregister(struct savic *s);

/*
 * WRMSR 0xc0010138: SAVIC_ERR for reserved bits 11:2, or for EN without a
 * registered page or with a GPA field (63:12) other than the registered
 * page's. With EN clear any GPA field is stored as written.
 */
int savic_ctl_write(struct savic *s, uint64_t val);
uint64_t savic_ctl_read(const struct savic *s);

bool savic_active(const struct savic *s);
bool savic_allowed_nmi(const struct savic *s);

enum savic_result savic_deliver(struct savic *s, uint8_t vector);
enum savic_result savic_deliver_nmi(struct savic *s);
/* The guest's own IPIs: no ALLOWED_IRR / ALLOWEDNMI check */
enum savic_result savic_self_ipi(struct savic *s, uint8_t vector);
enum savic_result savic_self_nmi(struct savic *s);

/* EOI short path: clears the highest ISR bit; returns it, or -1 (none, or inactive) */
int savic_eoi(struct savic *s);

/* The page's TPR (bits 7:0) */
uint8_t savic_tpr(const struct savic *s);
/*
 * Highest IRR vector whose class is above max(class of @tpr, class of the
 * highest ISR vector), or -1 (also when inactive). Refreshes PPR in the page.
 */
int savic_pick(struct savic *s, uint8_t tpr);
/* keel injected @vector: IRR -> ISR in the page */
void savic_ack(struct savic *s, uint8_t vector);
/* true, and NMI_REQ consumed, when an NMI is requested */
bool savic_nmi_pick(struct savic *s);

#endif
