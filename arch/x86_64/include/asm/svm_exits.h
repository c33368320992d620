/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The port I/O, MSR, CPUID, XSETBV, RDTSCP and VMMCALL exits: EXITINFO1 and the guest's registers decoded,
 * then emulated. static inline so svm.c's run loop keeps them inlined on its
 * hot path; tests/fuzz/fuzz_x86_exit.c builds the same code for the host
 * and drives it with fake VMCBs.
 */
#ifndef ASM_SVM_EXITS_H
#define ASM_SVM_EXITS_H

#include <keel/console.h>
#include <keel/hcall.h>
#include <keel/hypercall.h>
#include <keel/vm.h>
#include <asm/frame.h>
#include <asm/savic.h>
#include <asm/svm.h>
#include <asm/x86.h>
#include <asm/x86_64.h>

/* IOIO EXITINFO1 (AMD APM vol. 2, 15.10.2) */
#define IOIO_IN (1u << 0)
#define IOIO_STR (1u << 2)
#define IOIO_REP (1u << 3)

struct ioio {
	uint16_t port;
	uint8_t size; /* 1, 2 or 4; 0 when SZ8/SZ16/SZ32 do not name exactly one */
	uint8_t addr_bits; /* of a string form's rSI/rDI: 16, 32, 64, or 0 when not one */
	uint8_t seg; /* a string form's segment (OUTS) */
	bool in, string, rep;
};

/* per SZ8/SZ16/SZ32 value: the access size, 0 when they do not name exactly one */
static const uint8_t ioio_size[8] = { 0, 1, 2, 0, 4, 0, 0, 0 };
/* per access size: the bits moved, and the bits of RAX an IN writes (32 bits zero-extend) */
static const uint64_t ioio_mask[5] = { 0, 0xff, 0xffff, 0, 0xffffffffUL };
static const uint64_t ioio_rax_bits[5] = { 0, 0xff, 0xffff, 0, ~0UL };

static inline struct ioio ioio_decode(uint64_t info1)
{
	unsigned a = (info1 >> 7) & 7;

	return (struct ioio){
		.port = (uint16_t)(info1 >> 16), /* bits 63:32 are reserved */
		.size = ioio_size[(info1 >> 4) & 7],
		.addr_bits = (uint8_t)(ioio_size[a] * 16), /* one-hot A16, A32, A64 */
		.seg = (uint8_t)((info1 >> 10) & 7),
		.in = info1 & IOIO_IN,
		.string = info1 & IOIO_STR,
		.rep = info1 & IOIO_REP,
	};
}

/* RDMSR/WRMSR: ECX names the MSR, EDX:EAX holds a written value; EXITINFO1 1 is a write. */
struct msr_access {
	uint32_t msr;
	bool write;
	uint64_t val;
};

static inline struct msr_access msr_decode(const struct vmcb *v, const struct frame *regs)
{
	return (struct msr_access){
		.msr = (uint32_t)regs->r[R_RCX],
		.write = v->exit_info_1 == 1,
		.val = (v->rax & 0xffffffffUL) | regs->r[R_RDX] << 32,
	};
}

#define MSR_PAT 0x277
#define MSR_SEV_STATUS 0xc0010131
/* the EFER bits VMRUN accepts (SCE, LME, LMA, NXE, SVME, FFXSR); others are reserved: #GP */
#define EFER_SCE (1UL << 0)
#define EFER_LME (1UL << 8)
#define EFER_LMA (1UL << 10)
#define EFER_GUEST_BITS (EFER_SCE | EFER_LME | EFER_LMA | (1UL << 11) | EFER_SVME | (1UL << 14))
#define CR0_PG (1UL << 31)

/* svm_fault.c: log (the first few) and count a guest's fault; enough of them stop the VM */
void svm_guest_fault(struct vcpu *vcpu, const char *what, uint64_t info1, uint64_t gpa);

static inline void svm_inject_exception(struct vmcb *v, unsigned vector, bool has_err, uint32_t err)
{
	v->event_inj = EVENT_VALID | EVENT_TYPE_EXC | vector | (has_err ? EVENT_ERR_VALID : 0);
	v->event_inj_err = err;
}

/* A PAT holds 8 memory types, each UC, WC, WT, WP, WB or UC- (0, 1, 4-7); WRMSR of others #GPs. */
static inline bool pat_valid(uint64_t pat)
{
	for (unsigned i = 0; i < 64; i += 8) {
		unsigned t = (pat >> i) & 0xff;

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

/*
 * Port I/O: emulated devices sit in the device space at PIO_SPACE + port.
 * INS/OUTS (with or without REP) are not emulated: #GP. A REP prefix on IN/OUT
 * changes nothing. An IN of 32 bits zero-extends into RAX, as in 64-bit mode.
 */
static inline void ioio_exit(struct vcpu *vcpu)
{
	struct vmcb *v = vcpu->arch.vmcb;
	struct ioio io = ioio_decode(v->exit_info_1);
	uint64_t val;

	if (io.string || !io.size) {
		svm_guest_fault(vcpu,
				io.string ? "string port I/O not emulated" :
					    "port I/O exit without an access size",
				v->exit_info_1, io.port);
		svm_inject_exception(v, 13, true, 0);
		return;
	}
	val = v->rax & ioio_mask[io.size]; /* what an OUT writes */
	if (!io.in && io.port == 0x604 && (val & 0x2000)) {
		log_info("%s: ACPI power off", vcpu->vm->name);
		vm_request_stop(vcpu->vm, false);
	} else if (!io.in &&
		   ((io.port == 0xcf9 && (val & 4)) || (io.port == 0x64 && val == 0xfe))) {
		log_info("%s: reset through port 0x%x", vcpu->vm->name, io.port);
		vm_request_stop(vcpu->vm, true);
	} else {
		if (!vm_mmio_access(vcpu, PIO_SPACE + io.port, !io.in, io.size, &val))
			val = ioio_mask[io.size]; /* nothing there: reads all ones */
		if (io.in)
			v->rax = (v->rax & ~ioio_rax_bits[io.size]) | val;
	}
	v->rip = v->exit_info_2; /* the next instruction */
}

/* EFER: reserved bits and LME flips under paging #GP (as on hardware); LMA is the CPU's; SVME hidden. */
static inline bool efer_write(struct vmcb *v, uint64_t val)
{
	if ((val & ~EFER_GUEST_BITS) || (((val ^ v->efer) & EFER_LME) && (v->cr0 & CR0_PG)))
		return false;
	v->efer = (val & ~EFER_LMA) | (v->efer & EFER_LMA) | EFER_SVME;
	return true;
}

/*
 * The MSRs keel emulates: the x2APIC and Secure AVIC (irq_msr), EFER, PAT,
 * APIC base (x2APIC mode, writes ignored), SEV_STATUS (read). Everything else,
 * and a refused value, is #GP with no register changed.
 */
static inline void msr_exit(struct vcpu *vcpu)
{
	struct vmcb *v = vcpu->arch.vmcb;
	struct frame *g = &vcpu->arch.regs;
	struct msr_access m = msr_decode(v, g);
	const char *refused = NULL;
	bool gp = false;

	if (irq_msr(vcpu, m.msr, m.write, &m.val, &gp)) {
		if (gp)
			refused = "bad x2APIC or Secure AVIC register access";
	} else if (m.msr == MSR_EFER) {
		if (!m.write)
			m.val = v->efer & ~EFER_SVME;
		else if (!efer_write(v, m.val))
			refused = "refused EFER value";
	} else if (m.msr == MSR_PAT) {
		if (!m.write)
			m.val = v->g_pat;
		else if (pat_valid(m.val))
			v->g_pat = m.val;
		else
			refused = "refused PAT value";
	} else if (m.msr == MSR_APIC_BASE && !m.write) { /* enabled, x2APIC mode */
		m.val = 0xfee00000UL | (vcpu->id ? 0 : 0x100) | 0x800 | 0x400;
	} else if (m.msr == MSR_APIC_BASE) {
		/* staying in x2APIC mode is the only choice */
	} else if (m.msr == MSR_SEV_STATUS && !m.write) { /* keel's Secure AVIC model */
		m.val = 1UL << 18;
	} else {
		refused = m.write ? "write to an unhandled MSR" : "read of an unhandled MSR";
	}
	if (refused) {
		svm_guest_fault(vcpu, refused, m.msr, 0);
		svm_inject_exception(v, 13, true, 0);
		return;
	}
	if (!m.write) {
		v->rax = (uint32_t)m.val;
		g->r[R_RDX] = m.val >> 32;
	}
	v->rip += 2;
}

/*
 * What CPUID hides. keel switches only the x87/SSE state (FXSAVE) and keeps XCR0 at x87|SSE on
 * every pCPU, intercepting XSETBV: so no XSAVE, OSXSAVE or leaf 0xd, and nothing that needs an
 * XCR0 bit beyond x87|SSE (AVX, FMA, F16C, AVX2, AVX-512, VAES, VPCLMULQDQ, MPX, AMX, XOP, FMA4;
 * leaf 7's subleaves beyond 0 and the AMX and AVX10 leaves). No RDTSCP (intercepted: #UD) or
 * RDPID (no intercept exists): keel does not switch TSC_AUX, which stays 0. Also VMX, MONITOR,
 * TSC deadline (leaf 1) and SVM (0x80000001, 0x8000000a).
 */
#define CPUID1_ECX_HIDDEN                                                                         \
	((1u << 3) | (1u << 5) | (1u << 12) | (1u << 24) | (1u << 26) | (1u << 27) | (1u << 28) | \
	 (1u << 29))
#define CPUID7_EBX_HIDDEN                                                                          \
	((1u << 5) | (1u << 14) | (1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) | (1u << 27) | \
	 (1u << 28) | (1u << 30) | (1u << 31))
#define CPUID7_ECX_HIDDEN                                                                        \
	((1u << 1) | (1u << 6) | (1u << 9) | (1u << 10) | (1u << 11) | (1u << 12) | (1u << 14) | \
	 (1u << 22))
#define CPUID7_EDX_HIDDEN \
	((1u << 2) | (1u << 3) | (1u << 8) | (1u << 22) | (1u << 23) | (1u << 24) | (1u << 25))
#define CPUID81_ECX_HIDDEN ((1u << 2) | (1u << 11) | (1u << 16)) /* SVM, XOP, FMA4 */
#define CPUID81_EDX_HIDDEN (1u << 27) /* RDTSCP */

/* The CPU's answer with keel's edits. */
static inline void cpuid_host(const struct vcpu *vcpu, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	cpuid(leaf, sub, r);
	if (leaf == 1) {
		r[2] &= ~CPUID1_ECX_HIDDEN;
		r[2] |= (1u << 21) | (1u << 31); /* keel's x2APIC, hypervisor present */
		r[1] = (r[1] & 0x00ffffff) | (vcpu->id << 24); /* initial APIC ID */
	} else if (leaf == 7) { /* subleaf 0 only (EAX: the last subleaf) */
		r[0] = 0;
		if (sub) {
			r[1] = r[2] = r[3] = 0;
		} else { /* OSPKE (ECX bit 4): the guest's CR4.PKE (bit 22), not keel's */
			r[1] &= ~CPUID7_EBX_HIDDEN;
			r[2] = (r[2] & ~(CPUID7_ECX_HIDDEN | (1u << 4))) |
			       ((uint32_t)(vcpu->arch.vmcb->cr4 >> 18) & (1u << 4));
			r[3] &= ~CPUID7_EDX_HIDDEN;
		}
	} else if (leaf == 0xd || leaf == 0x1d || leaf == 0x1e || leaf == 0x24 ||
		   leaf == 0x8000000a) { /* XSAVE, AMX tiles, AVX10, SVM */
		r[0] = r[1] = r[2] = r[3] = 0;
	} else if (leaf == 0xb || leaf == 0x1f) {
		r[3] = vcpu->id; /* x2APIC ID: the vCPU's, as in its x2APIC */
	} else if (leaf == 0x80000001) {
		r[2] &= ~CPUID81_ECX_HIDDEN;
		r[3] &= ~CPUID81_EDX_HIDDEN;
	} else if (leaf == 0x8000001e) {
		r[0] = vcpu->id; /* extended APIC ID */
	}
}

static inline void cpuid_exit(struct vcpu *vcpu)
{
	struct vmcb *v = vcpu->arch.vmcb;
	uint64_t *rb = &vcpu->arch.regs.r[R_RBX], *rc = &vcpu->arch.regs.r[R_RCX];
	uint64_t *rd = &vcpu->arch.regs.r[R_RDX];
	uint32_t leaf = (uint32_t)v->rax, r[4];

	if (leaf >= 0x40000000 && leaf < 0x40000100) {
		/* hypervisor leaf: "keelkeelkeel", max leaf 0x40000001 */
		uint64_t keel = leaf == 0x40000000 ? 0x6c65656b : 0;

		v->rax = leaf == 0x40000000 ? 0x40000001 : 0;
		*rb = keel;
		*rc = keel;
		*rd = keel;
		v->rip += 2;
		return;
	}
	cpuid_host(vcpu, leaf, (uint32_t)*rc, r);
	v->rax = r[0];
	*rb = r[1];
	*rc = r[2];
	*rd = r[3];
	v->rip += 2;
}

/*
 * Every other exit: the SVM instructions, XSETBV and RDTSCP (features CPUID does not offer:
 * XSAVE, RDTSCP; XSETBV would set the pCPU's real XCR0, which VMRUN does not switch) and
 * anything unexpected. #UD, as on a CPU without them; the run loop's default case, so the
 * exits it dispatches on its fast path pay nothing for it.
 */
static inline void unoffered_exit(struct vcpu *vcpu)
{
	struct vmcb *v = vcpu->arch.vmcb;

	svm_guest_fault(vcpu,
			v->exit_code == EXIT_XSETBV ? "XSETBV (no XSAVE offered)" :
			v->exit_code == EXIT_RDTSCP ? "RDTSCP (not offered)" :
						      "unexpected exit",
			v->exit_code, 0);
	svm_inject_exception(v, 6, false, 0);
}

#define SEG_L (1u << 9) /* CS attribute: 64-bit code */

/*
 * A keel call: RAX the number, RBX, RCX, RDX, RSI, RDI the arguments. Outside
 * 64-bit mode (EFER.LMA and CS.L) only their low 32 bits count: the upper
 * halves are undefined there (and keel's own 64-bit answers leave them set).
 */
struct vmmcall {
	uint64_t n, a[5];
};

static inline struct vmmcall vmmcall_decode(const struct vmcb *v, const struct frame *g)
{
	uint64_t m = (v->efer & EFER_LMA) && (v->cs.attrib & SEG_L) ? ~0UL : 0xffffffffUL;

	return (struct vmmcall){ v->rax & m,
				 { g->r[R_RBX] & m, g->r[R_RCX] & m, g->r[R_RDX] & m,
				   g->r[R_RSI] & m, g->r[R_RDI] & m } };
}

/* every keel call but VERSION (vmmcall_exit answers that one itself) */
static inline void vmmcall_slow(struct vcpu *vcpu)
{
	struct vmcb *v = vcpu->arch.vmcb;
	struct vmmcall c = vmmcall_decode(v, &vcpu->arch.regs);

	if (c.n == SVM_VMGEXIT_SAVIC) {
		/* Secure AVIC backing page: RCX 0 register (RBX = GPA), 1 unregister */
		if (irq_savic_call(vcpu, c.a[1], c.a[0])) {
			svm_guest_fault(vcpu, "refused Secure AVIC page", c.a[0], 0);
			svm_inject_exception(v, 13, true, 0);
			return; /* the #GP points at the vmmcall */
		}
		v->rax = KEEL_OK;
	} else {
		struct frame *g = &vcpu->arch.regs;
		struct hc_result r;

		keel_hypercall(vcpu, c.n > 0xff ? 0x100 : (unsigned)c.n, c.a, &r);
		v->rax = (uint64_t)r.status;
		g->r[R_RBX] = r.v[0];
		g->r[R_RCX] = r.v[1];
		g->r[R_RDX] = r.v[2];
		g->r[R_RSI] = r.v[3];
	}
	v->rip += 3;
}

/*
 * VMMCALL: keel's calls (RAX the number). Returns true for VERSION, answered
 * here on the run loop's fast path (RAX and RBX only), which changes no
 * interrupt state.
 */
static inline bool vmmcall_exit(struct vcpu *vcpu)
{
	struct vmcb *v = vcpu->arch.vmcb;

	if (v->rax == KEEL_HC_VERSION) {
		v->rax = KEEL_OK;
		vcpu->arch.regs.r[R_RBX] = KEEL_ABI_VERSION;
		v->rip += 3;
		return true;
	}
	vmmcall_slow(vcpu);
	return false;
}

#endif
