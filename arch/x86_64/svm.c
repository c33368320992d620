// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * AMD SVM: per-CPU set-up, one VMCB per vCPU, the run loop and exit
 * handling. Instruction lengths are known per exit (TCG offers no NRIPS):
 * VMMCALL 3, CPUID 2, HLT 1, RDMSR/WRMSR 2; IOIO reports the next RIP. The
 * decode and emulation of the IOIO, MSR, CPUID and VMMCALL exits live in
 * asm/svm_exits.h (inlined here, fuzzed on the host).
 */
#include <keel/arch.h>
#include <keel/hypercall.h>
#include <keel/hcall.h>
#include <keel/mm.h>
#include <keel/vm.h>
#include <asm/pt.h>
#include <asm/svm.h>
#include <asm/svm_exits.h>
#include <asm/virt.h>
#include <asm/savic.h>
#include <asm/x86.h>
#include <asm/x86_64.h>
#include <string.h>

bool have_svm;
static paddr_t iopm, msrpm; /* shared by all VMs: intercept all ports, most MSRs */
static uint8_t hsave[KEEL_MAX_PCPUS][PAGE_SIZE] __attribute__((aligned(4096)));
/* keel's own TR, FS, GS, LDTR and syscall MSRs, VMSAVEd once: svm_run VMLOADs them after each exit */
static uint8_t host_state[KEEL_MAX_PCPUS][PAGE_SIZE]
	__attribute__((aligned(4096), section(".noinit")));

_Static_assert(offsetof(struct vcpu_arch, vmcb_pa) == 8 * R_NR, "entry.S VMCB_PA");
_Static_assert(offsetof(struct vcpu_arch, host_state_pa) == 8 * (R_NR + 2),
	       "entry.S HOST_STATE_PA");

static void msr_pass(uint8_t *pm, uint32_t msr)
{
	/* two bits per MSR (read, write) in three 2 KiB blocks */
	uint32_t base = msr < 0x2000 ? 0 : msr >= 0xc0000000 && msr < 0xc0002000 ? 0x800 : 0x1000;
	uint32_t bit = 2 * (msr & 0x1fff);

	pm[base + bit / 8] &= (uint8_t) ~(3u << (bit % 8));
}

static void maps_init(void)
{
	/* the syscall, segment-base and sysenter MSRs live in the VMCB (VMLOAD/VMSAVE) */
	static const uint32_t pass[] = { 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,
					 0xc0000100, 0xc0000101, 0xc0000102, 0x174,
					 0x175,	     0x176,	 0x10 };

	if (!mm_alloc(3 * PAGE_SIZE, PAGE_SIZE, &iopm) ||
	    !mm_alloc(2 * PAGE_SIZE, PAGE_SIZE, &msrpm)) {
		have_svm = false;
		return;
	}
	memset(pa_ptr(iopm), 0xff, 3 * PAGE_SIZE);
	memset(pa_ptr(msrpm), 0xff, 2 * PAGE_SIZE);
	for (unsigned i = 0; i < ARRAY_SIZE(pass); i++)
		msr_pass(pa_ptr(msrpm), pass[i]);
}

/*
 * XSAVE state. keel switches only what FXSAVE holds (x87, SSE) and keeps XCR0 at x87|SSE on
 * every pCPU, whatever the firmware left there: VMRUN does not switch XCR0, and XSETBV is
 * intercepted (#UD). QEMU 7.2's TCG ignores that intercept, so a guest that sets CR4.OSXSAVE
 * (its own CR4) can still change the pCPU's XCR0 and use AVX: before another vCPU runs, keel
 * therefore puts every component beyond x87|SSE back in its initial state (XRSTOR from a
 * header with XSTATE_BV = 0) and XCR0 back to x87|SSE. On hardware XCR0 never changes and that
 * costs an XGETBV per vCPU switch.
 */
#define XCR0_KEEL (XCR0_X87 | XCR0_SSE)
static bool have_xsave;
/* legacy area and XSAVE header, all zero: XSTATE_BV = 0 initialises whatever XRSTOR is asked for */
static const uint8_t xstate_init[1024] __attribute__((aligned(64)));

static void xcr0_init(uint32_t std_ecx)
{
	if (!(std_ecx & (1u << 26))) /* no XSAVE: guests' XSETBV is #UD anyway */
		return;
	write_cr(4, read_cr(4) | CR4_OSXSAVE);
	xsetbv(0, XCR0_KEEL);
	have_xsave = true;
}

static void xstate_scrub(void)
{
	uint32_t lo, hi;
	uint64_t x;

	if (!have_xsave)
		return;
	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	x = (uint64_t)hi << 32 | lo;
	if (x == XCR0_KEEL)
		return;
	x &= ~XCR0_KEEL; /* x87 and SSE: FXSAVE/FXRSTOR switch them */
	asm volatile("xrstor64 %0" ::"m"(xstate_init), "a"((uint32_t)x), "d"((uint32_t)(x >> 32))
		     : "memory");
	xsetbv(0, XCR0_KEEL);
}

/*
 * PKRU: WRPKRU needs only the guest's CR4.PKE, and VMRUN does not switch PKRU, so one VM read
 * another's rights on a shared pCPU. keel sets CR4.PKE itself (its own pages are supervisor
 * pages, which PKRU does not restrict) and switches PKRU with the x87/SSE state.
 */
static bool have_pku;

static void pku_init(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] < 7)
		return;
	cpuid(7, 0, r);
	if (!(r[2] & (1u << 3)))
		return;
	write_cr(4, read_cr(4) | CR4_PKE);
	have_pku = true;
}

void svm_cpu_init(unsigned cpu)
{
	uint32_t ext[4], std[4];
	enum virt_kind kind;

	cpuid(0x80000001, 0, ext);
	cpuid(1, 0, std);
	xcr0_init(std[2]);
	pku_init();
	kind = virt_pick(ext[2], std[2]);
	if (kind != VIRT_SVM) {
		if (cpu == 0)
			log_err("%s", virt_verdict(kind));
		return;
	}
	if (rdmsr(MSR_VM_CR) & (1UL << 4)) {
		log_err("SVM is disabled by the firmware (VM_CR.SVMDIS): no guest is started");
		return;
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (uintptr_t)hsave[cpu]);
	/* after tss_cpu_init(): the TR saved here is keel's */
	asm volatile("vmsave %0" ::"a"((uintptr_t)host_state[cpu]) : "memory");
	if (!have_svm) {
		have_svm = true;
		maps_init();
	}
}

/* ---- VMs: nested page tables and ASIDs */

#define NR_ASIDS 16 /* what QEMU's SVM reports; ASID 0 is the host's */
static uint16_t asid_used;

static void *npt_alloc(void *ctx)
{
	(void)ctx;
	return mm_alloc_page();
}

int arch_vm_init(struct vm *vm)
{
	unsigned id = 0;
	void *root;

	if (!have_svm)
		return -1;
	for (unsigned i = 1; i < NR_ASIDS && !id; i++)
		if (!(asid_used & (1u << i)))
			id = i;
	root = id ? mm_alloc_page() : NULL;
	if (!root)
		return -1;
	asid_used |= 1u << id;
	vm->arch.asid = id;
	vm->arch.npt.fmt = &x86_pt_format;
	vm->arch.npt.root = root;
	vm->arch.npt.start_level = 0;
	vm->arch.npt.root_entries = 512;
	vm->arch.npt.alloc_page = npt_alloc;
	vm->arch.npt.pages_only = KEEL_PAGEWISE_TEARDOWN;
	return 0;
}

int arch_stage2_map(struct vm *vm, uint64_t ipa, paddr_t pa, uint64_t size)
{
	/* nested walks are user accesses: US on every leaf */
	return pt_map(&vm->arch.npt, ipa, pa.pa, size, X86_RW | X86_US) == PT_OK ? 0 : -1;
}

void arch_vm_tlb_flush(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].arch.vmcb)
			vm->vcpus[i].arch.vmcb->tlb_ctl = 1; /* flush on the next VMRUN */
}

void arch_stage2_unmap_page(struct vm *vm, uint64_t ipa)
{
	/* SVM has no per-page nested-TLB invalidation: flush the ASID at the next VMRUN, as KVM does */
	if (pt_unmap_page(&vm->arch.npt, ipa))
		arch_vm_tlb_flush(vm);
}

void arch_vm_release_id(struct vm *vm)
{
	arch_vm_tlb_flush(vm);
	asid_used &= (uint16_t) ~(1u << vm->arch.asid);
	vm->arch.asid = 0;
}

static void free_table(void *t, void *ctx)
{
	(void)ctx;
	mm_free(pa_init((uintptr_t)t), PAGE_SIZE);
}

void arch_vm_destroy(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) { /* each vCPU's VMCB and APIC page */
		struct vcpu_arch *a = &vm->vcpus[i].arch;

		if (a->vmcb)
			free_table(a->vmcb, NULL);
		if (a->apic_page)
			free_table(a->apic_page, NULL);
		a->vmcb = NULL;
		a->apic_page = NULL;
	}
	if (!vm->arch.npt.root)
		return;
	pt_for_each_table(&vm->arch.npt, free_table, NULL);
	mm_free(pa_init((uintptr_t)vm->arch.npt.root), PAGE_SIZE);
	vm->arch.npt.root = NULL;
}

/* ---- vCPUs */

void arch_vcpu_init(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;

	memset(a, 0, sizeof(*a));
	a->vmcb = mm_alloc_page();
	a->vmcb_pa = (uintptr_t)a->vmcb;
	irq_vcpu_init(vcpu);
}

static void seg(struct vmcb_seg *s, uint16_t sel, uint16_t attrib, uint32_t limit)
{
	s->sel = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = 0;
}

/* 32-bit protected mode, paging off, flat segments (QEMU 7.2's NPT mishandles real mode). */
void arch_vcpu_reset(struct vcpu *vcpu, uint64_t entry, uint64_t arg)
{
	struct vcpu_arch *a = &vcpu->arch;
	struct vmcb *v = a->vmcb;

	memset(&a->regs, 0, sizeof(a->regs));
	memset(v, 0, sizeof(*v));
	v->intercept3 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_CPUID | INTERCEPT_HLT |
			INTERCEPT_INVLPGA | INTERCEPT_IOIO | INTERCEPT_MSR | INTERCEPT_SHUTDOWN;
	v->intercept4 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD | INTERCEPT_VMSAVE |
			INTERCEPT_STGI | INTERCEPT_CLGI | INTERCEPT_SKINIT | INTERCEPT_RDTSCP |
			INTERCEPT_XSETBV;
	v->iopm_pa = iopm.pa;
	v->msrpm_pa = msrpm.pa;
	v->asid = vcpu->vm->arch.asid;
	v->tlb_ctl = 1;
	v->int_ctl = 1u << 24; /* V_INTR_MASKING: the host's IF is not the guest's */
	v->nested_ctl = 1; /* NP_ENABLE */
	v->nested_cr3 = (uintptr_t)vcpu->vm->arch.npt.root;
	seg(&v->cs, 0x08, 0xc9b, 0xffffffff);
	seg(&v->ds, 0x10, 0xc93, 0xffffffff);
	v->es = v->ss = v->fs = v->gs = v->ds;
	seg(&v->gdtr, 0, 0, 0xffff);
	seg(&v->idtr, 0, 0, 0xffff);
	seg(&v->ldtr, 0, 0x82, 0xffff);
	seg(&v->tr, 0, 0x8b, 0xffff);
	v->efer = EFER_SVME; /* VMRUN wants SVME in the guest's EFER */
	v->cr0 = 0x11; /* PE, ET */
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->rflags = 2;
	v->rip = entry;
	v->rax = 0x2badb002; /* multiboot: EAX = magic, EBX = information block */
	v->g_pat = 0x0007040600070406UL;
	a->regs.r[R_RBX] = arg;
	/*
	 * x87/SSE in their reset state (FCW 0x37f, MXCSR 0x1f80, registers zero), loaded at the
	 * first vCPU load: FNINIT alone left the last vCPU's XMM registers and MXCSR to a new one.
	 */
	memset(a->fpu, 0, sizeof(a->fpu));
	a->fpu[0] = 0x7f;
	a->fpu[1] = 0x03;
	a->fpu[24] = 0x80;
	a->fpu[25] = 0x1f;
	a->pkru = 0;
	irq_vcpu_init(vcpu);
}

void arch_vcpu_load(struct vcpu *vcpu)
{
	/* x87/SSE registers are the guest's own; keel never touches them (built without SSE) */
	xstate_scrub();
	asm volatile("fxrstor64 %0" ::"m"(vcpu->arch.fpu));
	if (have_pku)
		asm volatile("wrpkru" ::"a"(vcpu->arch.pkru), "c"(0), "d"(0) : "memory");
	/* svm_run switches what VMRUN does not (FS, GS, TR, LDTR, syscall MSRs) */
	vcpu->arch.host_state_pa = (uintptr_t)host_state[vcpu->pcpu];
	if (sched_shared(&pcpus[vcpu->pcpu]))
		tick_arm();
}

void arch_vcpu_put(struct vcpu *vcpu)
{
	asm volatile("fxsave64 %0" : "=m"(vcpu->arch.fpu));
	if (have_pku)
		asm volatile("rdpkru" : "=a"(vcpu->arch.pkru) : "c"(0) : "rdx");
}

void arch_inject_irq(struct vcpu *vcpu, unsigned irq)
{
	(void)vcpu;
	(void)irq; /* no virtual interrupt controller yet on x86 */
}

void arch_vm_irq_line(struct vm *vm, unsigned irq, bool level)
{
	(void)vm;
	(void)irq;
	(void)level;
}

void arch_vm_irq_source(struct vm *vm, unsigned irq, bool (*level)(void *dev), void *dev)
{
	(void)vm;
	(void)irq;
	(void)level;
	(void)dev;
}

/* Returns true for an exit that cannot have changed any interrupt state. */
static bool handle_exit(struct vcpu *vcpu)
{
	struct vmcb *v = vcpu->arch.vmcb;

	switch (v->exit_code) {
	case EXIT_VMMCALL:
		if (vmmcall_exit(vcpu))
			return true;
		break;
	case 0x64: /* VINTR: the guest can take an interrupt now */
		break;
	case EXIT_IOIO:
		ioio_exit(vcpu);
		return true;
	case EXIT_CPUID:
		cpuid_exit(vcpu);
		return true;
	case EXIT_MSR:
		msr_exit(vcpu);
		break;
	case EXIT_HLT:
		v->rip += 1;
		/*
		 * The STI shadow of "sti; hlt" ends with the hlt skipped here: left set, the
		 * interrupt that ends the wait was not injected before the next instruction, and
		 * after "sti; hlt; cli" never (the wake guest waited for good).
		 */
		v->int_state &= ~1ULL;
		sched_yield();
		break;
	case EXIT_INTR:
	case EXIT_NMI:
		asm volatile("stgi; sti; nop; cli; clgi" ::: "memory"); /* keel's own interrupt */
		uart_poll_input();
		break;
	case EXIT_NPF:
		svm_guest_fault(vcpu,
				(v->exit_info_1 & 0x10) ? "instruction fetch from unmapped IPA" :
				(v->exit_info_1 & 0x2)	? "write to unmapped IPA" :
							  "read from unmapped IPA",
				v->exit_info_1, v->exit_info_2);
		svm_inject_exception(v, 13, true, 0); /* #GP: nothing is there */
		break;
	case EXIT_SHUTDOWN:
		log_err("%s: triple fault (shutdown) at pc 0x%lx, stopping the VM", vcpu->vm->name,
			(unsigned long)v->rip);
		vm_request_stop(vcpu->vm, false);
		break;
	case EXIT_INVALID:
		log_err("%s: VMRUN refused the guest state (exit -1), stopping the VM",
			vcpu->vm->name);
		vm_request_stop(vcpu->vm, false);
		break;
	default: /* SVM instructions, XSETBV, RDTSCP and anything unexpected */
		unoffered_exit(vcpu);
		break;
	}
	return false;
}

static enum exit_class exit_class(uint64_t code)
{
	switch (code) {
	case EXIT_VMMCALL:
		return EXIT_HCALL;
	case EXIT_IOIO:
		return EXIT_IO;
	case EXIT_CPUID:
	case EXIT_MSR:
		return EXIT_SYSREG;
	case EXIT_INTR:
	case EXIT_NMI:
	case 0x64: /* VINTR */
		return EXIT_IRQ;
	case EXIT_HLT:
		return EXIT_WFI;
	default:
		return EXIT_OTHER;
	}
}

void arch_vcpu_enter(struct vcpu *vcpu)
{
	(void)vcpu;
	svm_loop();
}

void svm_loop(void)
{
	struct pcpu *p = this_pcpu();

	/*
	 * Every exit is counted; like the other arches' fast paths, an exit that
	 * needs no interrupt work (fast) is not timed: its handling counts as
	 * guest time, and the inner loop goes straight back to VMRUN.
	 */
	for (;;) {
		struct vcpu *vcpu = p->cur;
		uint64_t t_exit;
		bool fast;

		irq_before_run(vcpu);
		vstat_enter(&vcpu->stats, rdtsc());
		do {
			svm_run(&vcpu->arch);
			t_exit = rdtsc();
			vcpu->stats.exits[exit_class(vcpu->arch.vmcb->exit_code)]++;
			vcpu->arch.vmcb->tlb_ctl = 0;
			fast = handle_exit(vcpu);
		} while (fast && !p->requests && vcpu->state == VCPU_ON);
		/*
		 * Fast exits are not timed: the mark is still at the entry, so this
		 * closes the guest time up to the last exit (also before a put).
		 */
		vstat_exit_time(&vcpu->stats, t_exit);
		if (p->requests || vcpu->state != VCPU_ON)
			sched_next();
	}
}
