// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for x86_64's port I/O, MSR, CPUID, XSETBV/RDTSCP and VMMCALL
 * exits (asm/svm_exits.h, the same inline code svm.c's run loop runs):
 * EXITINFO1 of IOIO exits decoded
 * (ioio_decode, ioio_exit) and RDMSR/WRMSR from ECX, EDX:EAX and EXITINFO1
 * (msr_decode, msr_exit, with irq.c's x2APIC and Secure AVIC MSRs behind
 * them), on fake VMCBs. Port accesses land on COM1's NS16550, a spy device
 * over the rest of the 64 KiB port space, and a trap device above it.
 *
 * Promises: the decoders say what the APM's bit layout says (checked bit by
 * bit here); a refused exit (INS/OUTS, no access size, an MSR keel does not
 * emulate or a value it refuses) injects #GP(0), leaves RIP and every register
 * alone and is counted; an emulated port access reaches exactly PIO_SPACE +
 * port with the access size (never above the 64 KiB port space), an OUT
 * writes the low bytes of RAX, an IN changes only its bytes of RAX (32 bits
 * zero-extend) and RIP becomes EXITINFO2; only port 0x604 (ACPI S5) stops and
 * only 0xcf9 / 0x64 reset the VM; an emulated MSR moves RIP by 2 and a read
 * answers in EDX:EAX with bits 63:32 clear; the VMCB's EFER always holds SVME
 * and nothing VMRUN refuses, a read never shows SVME; the PAT holds only valid
 * memory types; an accepted EFER or PAT write reads back; keel's own MSRs
 * (VM_HSAVE_PA, VM_CR, SYSCFG, ...) always #GP.
 *
 * CPUID (cpuid_exit) against a fake host CPU whose answers are a fixed function
 * of leaf and subleaf: the leaf is EAX, the subleaf ECX (upper halves ignored)
 * and the CPU is asked exactly that; keel's leaves 0x40000000-0x400000ff are
 * its own ("keel" x 3, maximum 0x40000001, then zeros) and never the CPU's;
 * SVM (0x80000001 ECX[2], leaf 0x8000000a), VMX, MONITOR and TSC deadline are
 * hidden, so are XSAVE, OSXSAVE, AVX and everything else needing XCR0 bits beyond
 * x87|SSE (leaf 1 FMA, F16C; leaf 7 AVX2, MPX, AVX-512, VAES, VPCLMULQDQ, AMX;
 * 0x80000001 XOP, FMA4), leaves 0xd, 0x1d, 0x1e, 0x24 and leaf 7's subleaves
 * beyond 0 (all zero, leaf 7 EAX 0), RDTSCP and RDPID; OSPKE is the guest's
 * CR4.PKE; x2APIC and "hypervisor present" shown; every APIC ID CPUID reports
 * (leaf 1 EBX[31:24], leaves 0xb/0x1f EDX, 0x8000001e EAX) is the vCPU's;
 * every other bit is the CPU's; the same question gets the same answer; only
 * RAX, RBX, RCX, RDX (32-bit results, zero-extended) and RIP (+2) change.
 *
 * XSETBV, RDTSCP and the other exits of the run loop's default case
 * (unoffered_exit): #UD without an error code, RIP and every register
 * unchanged, the fault counted.
 *
 * VMMCALL (vmmcall_exit, the run loop's dispatch) with a spy keel_hypercall
 * (the hypercall harness fuzzes the real one): the number is RAX and the
 * arguments RBX, RCX, RDX, RSI, RDI, outside 64-bit mode only their low 32 bits
 * (the upper halves are undefined there); a number above 255 reaches
 * keel_hypercall as 256 (unknown), never as a smaller one; the answer is RAX =
 * status, RBX, RCX, RDX, RSI = values, RIP + 3, RDI and the rest unchanged;
 * VERSION answers RAX 0 and RBX the ABI version only; Secure AVIC 0x8000001a
 * registers (RCX 0, RBX the page) or unregisters (RCX 1): RAX 0 and RIP + 3 with
 * the page registered or gone, or refused with #GP(0), nothing changed.
 */
#include "fake_env.h"
#include <keel/arch.h>
#include <keel/mm.h>
#include <asm/savic.h>
#include <asm/svm_exits.h>
#include <asm/vlapic.h>

#define NR_VCPUS 2
#define RAM 0x1000000ULL
#define COM1 0x3f8
#define GP_EVENT (EVENT_VALID | EVENT_TYPE_EXC | EVENT_ERR_VALID | 13)

void ns16550_register(struct vm *vm, uint64_t base, unsigned irq);

static struct vmcb vmcbs[NR_VCPUS];
static struct fin *cur_in;
static struct {
	unsigned hits;
	uint32_t leaf, sub;
} cpuid_spy;
static struct {
	unsigned hits;
	unsigned n;
	uint64_t a[5];
	struct hc_result r;
} hc_spy;

static uint64_t mix(uint64_t x) /* splitmix64's finaliser */
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* the fake host CPU: all ones, all zeros or hashed, a fixed function of leaf and subleaf */
static void host_answer(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	uint64_t h = mix((uint64_t)leaf << 32 | sub);

	for (unsigned i = 0; i < 4; i++)
		r[i] = (h & 3) == 0 ? ~0u : (h & 3) == 1 ? 0 : (uint32_t)mix(h + i);
}

void host_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	cpuid_spy.hits++;
	cpuid_spy.leaf = leaf;
	cpuid_spy.sub = sub;
	host_answer(leaf, sub, r);
}

/* the spy behind vmmcall_slow: records the call, answers whatever the input says */
void keel_hypercall(struct vcpu *caller, unsigned n, const uint64_t a[5], struct hc_result *r)
{
	(void)caller;
	hc_spy.hits++;
	hc_spy.n = n;
	memcpy(hc_spy.a, a, sizeof(hc_spy.a));
	r->status = (int8_t)fin_u8(cur_in);
	for (unsigned i = 0; i < 4; i++)
		r->v[i] = fin_u8(cur_in) & 1 ? fin_u64(cur_in) : 0;
	hc_spy.r = *r;
}
static struct {
	bool hit, write;
	uint64_t off, val;
	unsigned size;
} spy;

uint64_t host_rdtsc(void)
{
	return fake_now;
}

void timer_program(uint64_t guest_deadline)
{
	(void)guest_deadline;
}

void arch_vcpu_init(struct vcpu *vcpu)
{
	vcpu->arch.vmcb = &vmcbs[vcpu->id];
	irq_vcpu_init(vcpu);
}

/* the rest of the port space: records the access, answers with whatever the input says */
static bool spy_read(struct vcpu *vcpu, struct mmio_dev *d, uint64_t off, unsigned size,
		     uint64_t *val)
{
	(void)vcpu;
	(void)d;
	spy.hit = true;
	spy.write = false;
	spy.off = off;
	spy.size = size;
	*val = fin_u64(cur_in); /* bits beyond size too: vm_mmio_access must drop them */
	return fin_u8(cur_in) & 1;
}

static bool spy_write(struct vcpu *vcpu, struct mmio_dev *d, uint64_t off, unsigned size,
		      uint64_t val)
{
	(void)vcpu;
	(void)d;
	spy = (typeof(spy)){ true, true, off, val, size };
	return true;
}

static bool trap_access(struct vcpu *vcpu, struct mmio_dev *d, uint64_t off, unsigned size,
			uint64_t *val)
{
	(void)vcpu;
	(void)d;
	(void)off;
	(void)size;
	(void)val;
	PROMISE(!"a port access above the 64 KiB port space");
	return false;
}

static bool trap_write(struct vcpu *vcpu, struct mmio_dev *d, uint64_t off, unsigned size,
		       uint64_t val)
{
	return trap_access(vcpu, d, off, size, &val);
}

void arch_vm_devices(struct vm *vm)
{
	struct mmio_dev *d;

	ns16550_register(vm, PIO_SPACE + COM1, 4);
	d = &vm->devs[vm->nr_devs++];
	*d = (struct mmio_dev){ .name = "spy",
				.base = PIO_SPACE,
				.size = 0x10000,
				.read = spy_read,
				.write = spy_write };
	d = &vm->devs[vm->nr_devs++];
	*d = (struct mmio_dev){ .name = "trap",
				.base = PIO_SPACE + 0x10000,
				.size = 1ULL << 47,
				.read = trap_access,
				.write = trap_write };
}

static void free_apic_pages(struct vm *vm) /* as svm.c's arch_vm_destroy */
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].arch.apic_page)
			mm_free(pa_init((uintptr_t)vm->vcpus[i].arch.apic_page), PAGE_SIZE);
		vm->vcpus[i].arch.apic_page = NULL;
	}
}

/* The APM's layout, bit by bit: IN 0, STR 2, REP 3, SZ8/16/32 4-6, A16/32/64 7-9, SEG 10-12, port 16-31. */
static void check_ioio_decode(uint64_t info1)
{
	struct ioio io = ioio_decode(info1);
	unsigned sizes = 0, size = 0, addrs = 0, addr = 0;

	for (unsigned b = 0; b < 3; b++) {
		if (info1 & (1ULL << (4 + b))) {
			sizes++;
			size = 1u << b;
		}
		if (info1 & (1ULL << (7 + b))) {
			addrs++;
			addr = 16u << b;
		}
	}
	PROMISE(io.port == ((info1 >> 16) & 0xffff) && io.in == (info1 & 1) &&
		io.string == !!(info1 & 4) && io.rep == !!(info1 & 8) &&
		io.seg == ((info1 >> 10) & 7));
	PROMISE(io.size == (sizes == 1 ? size : 0) && io.addr_bits == (addrs == 1 ? addr : 0));
}

static uint64_t pick_info1(struct fin *in)
{
	static const uint16_t ports[] = { COM1,	  COM1 + 1, COM1 + 3, COM1 + 5, 0x604,
					  0xcf9,  0x64,	    0x70,     0x80,	0xcf8,
					  0xffff, 0xfffe,   COM1 + 7, 0x2f8,	0x510 };
	uint8_t how = fin_u8(in);
	uint64_t info1;

	if (how >= 0xe0)
		return fin_u64(in); /* anything, reserved bits too */
	info1 = (uint64_t)ports[how % ARRAY_SIZE(ports)] << 16;
	if (how & 0x80)
		info1 = (uint64_t)fin_u16(in) << 16;
	info1 |= (uint64_t)(1u << (fin_u8(in) % 3)) << 4; /* one size */
	info1 |= (uint64_t)(1u << (fin_u8(in) % 3)) << 7;
	info1 |= how & 0x40 ? 1 : 0; /* IN */
	if ((how & 0x30) == 0x30) { /* INS/OUTS: REP, then the segment (reads in order) */
		info1 |= 4 | (fin_u8(in) & 8);
		info1 |= (uint64_t)(fin_u8(in) & 7) << 10;
	} else if (how & 0x20) {
		info1 |= 8; /* REP on a plain IN/OUT */
	}
	return info1;
}

static void check_regs_kept(const struct frame *a, const struct frame *b, int except)
{
	for (int r = 0; r < R_NR; r++)
		PROMISE(r == except || a->r[r] == b->r[r]);
}

/* every register but those in the mask (1 << R_...) kept */
static void check_regs_kept_but(const struct frame *a, const struct frame *b, unsigned except)
{
	for (int r = 0; r < R_NR; r++)
		PROMISE((except >> r & 1) || a->r[r] == b->r[r]);
}

/* the VMCB kept but for RAX, RIP and the event injected */
static void check_vmcb_kept(const struct vmcb *a, const struct vmcb *b)
{
	struct vmcb x = *a, y = *b;

	x.rax = y.rax = x.rip = y.rip = 0;
	x.event_inj = y.event_inj = x.event_inj_err = y.event_inj_err = 0;
	PROMISE(!memcmp(&x, &y, sizeof(x)));
}

static void ioio_op(struct vcpu *vcpu, struct fin *in)
{
	struct vmcb *v = vcpu->arch.vmcb;
	struct vm *vm = vcpu->vm;
	struct frame before = vcpu->arch.regs;
	uint64_t info1 = pick_info1(in), rax, rip, faults = vm->faults, mask, keep;
	struct ioio io = ioio_decode(info1);

	check_ioio_decode(info1);
	v->exit_info_1 = info1;
	v->exit_info_2 = fin_u32(in);
	v->rax = rax = fin_u64(in);
	v->rip = rip = fin_u32(in);
	v->event_inj = 0;
	spy.hit = false;
	ioio_exit(vcpu);
	check_regs_kept(&before, &vcpu->arch.regs, -1);
	if (io.string || !io.size) {
		PROMISE(v->event_inj == GP_EVENT && !v->event_inj_err && v->rip == rip &&
			v->rax == rax && vm->faults == faults + 1 && !spy.hit);
		return;
	}
	mask = (1ULL << (8 * io.size)) - 1;
	keep = io.size == 4 ? 0 : ~mask;
	PROMISE(!v->event_inj && v->rip == v->exit_info_2 && vm->faults == faults);
	if (!io.in)
		PROMISE(v->rax == rax);
	else
		PROMISE((v->rax & keep) == (rax & keep) && !(v->rax & ~keep & ~mask));
	if (spy.hit) { /* exactly the port and size asked for, the low bytes of RAX written */
		PROMISE(spy.off == io.port && spy.size == io.size && spy.write == !io.in);
		PROMISE(!spy.write || spy.val == (rax & mask));
	}
	if (io.port >= COM1 && io.port < COM1 + 0x100)
		PROMISE(!spy.hit);
	/* only the power and reset ports stop the VM (the VM is kept loaded: no restart here) */
	if (vm->state != VM_RUNNING) {
		PROMISE(!io.in && (io.port == 0x604 || io.port == 0xcf9 || io.port == 0x64));
		PROMISE(vm->reset_requested == (io.port != 0x604));
		vm->state = VM_RUNNING;
		for (unsigned i = 0; i < vm->nr_vcpus; i++)
			vm->vcpus[i].state = VCPU_ON;
	}
}

static uint32_t pick_msr(struct fin *in)
{
	static const uint32_t msrs[] = { MSR_EFER, MSR_PAT, 0x1b, 0xc0010131, 0x802, 0x803, 0x808,
					 0x80b, 0x80f, 0x830, 0x832, 0x838, 0x83e, 0x83f, 0x8ff,
					 0x7ff, 0x900, MSR_AMD64_SAVIC_CONTROL,
					 /* keel's own: always #GP */
					 0xc0010117, 0xc0010114, 0xc0010010, 0xc0010015, 0xc0011029,
					 0x3a, 0x2ff, 0x200, 0x10, 0xc0000081, 0x0, 0xffffffff };
	uint8_t m = fin_u8(in);

	return m < 0xe0 ? msrs[m % ARRAY_SIZE(msrs)] : fin_u32(in);
}

static bool keel_emulates(uint32_t msr, bool write)
{
	return msr == MSR_EFER || msr == MSR_PAT || msr == 0x1b || (msr >= 0x800 && msr <= 0x8ff) ||
	       msr == MSR_AMD64_SAVIC_CONTROL || (msr == 0xc0010131 && !write);
}

static uint64_t pick_msr_val(struct fin *in, uint32_t msr, const struct vmcb *v)
{
	uint8_t how = fin_u8(in);

	if (how < 0x40 && msr == MSR_EFER) /* mostly legal EFER values */
		return (v->efer & ~EFER_SVME) ^ ((uint64_t)fin_u16(in) & 0x5d01);
	if (how < 0x40 && msr == MSR_PAT) { /* one byte changed: its value, then which (in order) */
		uint64_t b = fin_u8(in);

		return 0x0007040600070406ULL ^ (b << (8 * (fin_u8(in) % 8)));
	}
	if (how < 0x80)
		return fin_u32(in);
	return fin_u64(in);
}

static void msr_op(struct vcpu *vcpu, struct fin *in, uint8_t op)
{
	struct vmcb *v = vcpu->arch.vmcb;
	struct vm *vm = vcpu->vm;
	struct frame *g = &vcpu->arch.regs, before;
	uint32_t msr = pick_msr(in);
	uint64_t rcx = msr | (op & 0x40 ? (uint64_t)fin_u32(in) << 32 : 0), val, rip, faults, rax;
	bool write = op & 8;
	struct msr_access m;

	v->exit_info_1 = op & 0x80 ? fin_u64(in) : write;
	val = pick_msr_val(in, msr, v);
	g->r[R_RCX] = rcx;
	g->r[R_RDX] = (val >> 32) | (op & 0x20 ? (uint64_t)fin_u32(in) << 32 : 0);
	v->rax = (uint32_t)val | (op & 0x10 ? (uint64_t)fin_u32(in) << 32 : 0);
	v->rip = rip = fin_u32(in);
	v->event_inj = 0;
	before = *g;
	faults = vm->faults;

	m = msr_decode(v, g);
	write = v->exit_info_1 == 1;
	PROMISE(m.msr == msr && m.write == write && m.val == val);
	rax = v->rax;
	msr_exit(vcpu);
	if (v->event_inj) { /* refused: #GP(0), nothing else changed */
		PROMISE(v->event_inj == GP_EVENT && !v->event_inj_err && v->rip == rip &&
			v->rax == rax && vm->faults == faults + 1);
		check_regs_kept(&before, g, -1);
	} else if (write) {
		PROMISE(keel_emulates(msr, write) && v->rip == rip + 2 && vm->faults == faults);
		PROMISE(v->rax == rax);
		check_regs_kept(&before, g, -1);
	} else { /* a read answers in EDX:EAX, bits 63:32 clear */
		PROMISE(keel_emulates(msr, write) && v->rip == rip + 2 && vm->faults == faults);
		PROMISE(!(v->rax >> 32) && !(g->r[R_RDX] >> 32));
		check_regs_kept(&before, g, R_RDX);
	}
	if (!keel_emulates(msr, write))
		PROMISE(v->event_inj == GP_EVENT);
	if (!v->event_inj && msr == MSR_EFER && write) /* reads back, LMA the CPU's */
		PROMISE(((v->efer ^ val) & ~(EFER_SVME | EFER_LMA)) == 0);
	if (!v->event_inj && msr == MSR_PAT && write)
		PROMISE(v->g_pat == val);
	if (!v->event_inj && msr == MSR_EFER && !write)
		PROMISE(!(v->rax & EFER_SVME));
	if (!v->event_inj && msr == 0x1b && !write)
		PROMISE((v->rax & ~0x100ULL) == 0xfee00c00 && !!(v->rax & 0x100) == !vcpu->id);
	PROMISE((v->efer & EFER_SVME) && !(v->efer & ~EFER_GUEST_BITS) && pat_valid(v->g_pat));
}

static uint32_t pick_leaf(struct fin *in)
{
	static const uint32_t leaves[] = { 0,	       1,	   7,	       0xb,
					   0xd,	       0x1f,	   0x40000000, 0x40000001,
					   0x40000002, 0x400000ff, 0x40000100, 0x3fffffff,
					   0x80000000, 0x80000001, 0x80000008, 0x8000000a,
					   0x8000001e, 0x8000001f, 0xffffffff, 4,
					   0x1d,       0x1e,	   0x24 };
	uint8_t l = fin_u8(in);

	return l < 0xe0 ? leaves[l % ARRAY_SIZE(leaves)] : fin_u32(in);
}

/*
 * What CPUID must hide: leaf 1 ECX MONITOR, VMX, FMA, TSC deadline, XSAVE, OSXSAVE, AVX, F16C;
 * leaf 7 subleaf 0 EBX AVX2, MPX, AVX-512 F/DQ/IFMA/PF/ER/CD/BW/VL; ECX AVX512_VBMI, VBMI2,
 * VAES, VPCLMULQDQ, VNNI, BITALG, VPOPCNTDQ, RDPID; EDX 4VNNIW, 4FMAPS, VP2INTERSECT, AMX-BF16,
 * AVX512_FP16, AMX-TILE, AMX-INT8; 0x80000001 ECX SVM, XOP, FMA4 and EDX RDTSCP.
 */
static const uint32_t hide1_ecx =
	1u << 3 | 1u << 5 | 1u << 12 | 1u << 24 | 1u << 26 | 1u << 27 | 1u << 28 | 1u << 29;
static const uint32_t hide7[3] = {
	1u << 5 | 1u << 14 | 1u << 16 | 1u << 17 | 1u << 21 | 1u << 26 | 1u << 27 | 1u << 28 |
		1u << 30 | 1u << 31,
	1u << 1 | 1u << 6 | 1u << 9 | 1u << 10 | 1u << 11 | 1u << 12 | 1u << 14 | 1u << 22,
	1u << 2 | 1u << 3 | 1u << 8 | 1u << 22 | 1u << 23 | 1u << 24 | 1u << 25,
};

/* what CPUID must answer: keel's leaves, or the CPU's with keel's edits */
static void cpuid_model(uint32_t leaf, uint32_t sub, unsigned id, uint64_t cr4, uint32_t e[4])
{
	if (leaf >= 0x40000000 && leaf <= 0x400000ff) {
		e[0] = leaf == 0x40000000 ? 0x40000001 : 0;
		e[1] = e[2] = e[3] = leaf == 0x40000000 ? 0x6c65656b : 0; /* "keel" */
		return;
	}
	host_answer(leaf, sub, e);
	if (leaf == 1) { /* x2APIC, hypervisor shown */
		e[2] = (e[2] & ~hide1_ecx) | (1u << 21) | (1u << 31);
		e[1] = (e[1] & 0xffffff) | id << 24;
	} else if (leaf == 7) { /* subleaf 0 only, and no more subleaves */
		e[0] = 0;
		for (int i = 0; i < 3; i++)
			e[i + 1] = sub ? 0 : e[i + 1] & ~hide7[i];
		if (!sub) /* OSPKE: the guest's CR4.PKE */
			e[2] = (e[2] & ~(1u << 4)) | (cr4 >> 22 & 1) << 4;
	} else if (leaf == 0xd || leaf == 0x1d || leaf == 0x1e || leaf == 0x24 ||
		   leaf == 0x8000000a) { /* XSAVE, AMX, AVX10, SVM */
		e[0] = e[1] = e[2] = e[3] = 0;
	} else if (leaf == 0xb || leaf == 0x1f) {
		e[3] = id; /* x2APIC ID */
	} else if (leaf == 0x80000001) {
		e[2] &= ~(1u << 2 | 1u << 11 | 1u << 16); /* SVM, XOP, FMA4 */
		e[3] &= ~(1u << 27); /* RDTSCP */
	} else if (leaf == 0x8000001e) {
		e[0] = id; /* extended APIC ID */
	}
}

static void cpuid_op(struct vcpu *vcpu, struct fin *in, uint8_t op)
{
	struct vmcb *v = vcpu->arch.vmcb, vb;
	struct frame *g = &vcpu->arch.regs, before;
	uint32_t leaf = pick_leaf(in), sub = fin_u8(in) & 1 ? fin_u32(in) : fin_u8(in) % 4, e[4];
	uint64_t rip = fin_u32(in), first[4] = { 0 };
	bool keel_leaf = leaf >= 0x40000000 && leaf <= 0x400000ff;

	v->rax = leaf | (op & 0x10 ? (uint64_t)fin_u32(in) << 32 : 0);
	g->r[R_RCX] = sub | (op & 0x20 ? (uint64_t)fin_u32(in) << 32 : 0);
	v->rip = rip;
	before = *g;
	vb = *v;
	cpuid_model(leaf, sub, vcpu->id, v->cr4, e);
	for (int round = 0; round < 2; round++) { /* the same question twice: the same answer */
		cpuid_spy.hits = 0;
		cpuid_exit(vcpu);
		PROMISE(cpuid_spy.hits == !keel_leaf);
		PROMISE(keel_leaf || (cpuid_spy.leaf == leaf && cpuid_spy.sub == sub));
		PROMISE(v->rax == e[0] && g->r[R_RBX] == e[1] && g->r[R_RCX] == e[2] &&
			g->r[R_RDX] == e[3]);
		PROMISE(v->rip == rip + 2 && v->event_inj == vb.event_inj);
		check_regs_kept_but(&before, g, 1u << R_RBX | 1u << R_RCX | 1u << R_RDX);
		check_vmcb_kept(&vb, v);
		if (round) {
			PROMISE(first[0] == v->rax && first[1] == g->r[R_RBX] &&
				first[2] == g->r[R_RCX] && first[3] == g->r[R_RDX]);
		} else {
			first[0] = v->rax;
			first[1] = g->r[R_RBX];
			first[2] = g->r[R_RCX];
			first[3] = g->r[R_RDX];
		}
		*g = before;
		*v = vb;
	}
	cpuid_exit(vcpu); /* leave the answer in place */
}

/*
 * The run loop's default case (unoffered_exit): XSETBV, RDTSCP, the SVM instructions, anything
 * unexpected: #UD, no error code, RIP and every register kept, counted.
 */
static void unoffered_op(struct vcpu *vcpu, struct fin *in)
{
	struct vmcb *v = vcpu->arch.vmcb, vb;
	struct frame *g = &vcpu->arch.regs, before;
	uint64_t faults = vcpu->vm->faults;

	static const uint64_t codes[] = { EXIT_XSETBV, EXIT_RDTSCP, EXIT_VMRUN, 0x8e /* RDPRU */ };

	v->exit_code = codes[fin_u8(in) & 3];
	v->exit_info_1 = fin_u8(in) & 1 ? fin_u32(in) : 0;
	v->rax = (uint64_t)fin_u32(in) << 32;
	v->rax |= fin_u32(in);
	v->rip = fin_u32(in);
	v->event_inj = 0;
	before = *g;
	vb = *v;
	unoffered_exit(vcpu);
	PROMISE(v->event_inj == (EVENT_VALID | EVENT_TYPE_EXC | 6) && v->rip == vb.rip &&
		v->rax == vb.rax && vcpu->vm->faults == faults + 1);
	check_regs_kept(&before, g, -1);
	check_vmcb_kept(&vb, v);
	v->event_inj = 0;
}

/* the guest's mode: 64-bit (LMA and CS.L), compatibility, or legacy protected mode */
static void set_mode(struct vmcb *v, unsigned mode)
{
	if (mode == 1 || mode == 2) {
		v->efer |= EFER_LME | EFER_LMA;
		v->cr0 |= CR0_PG;
		v->cs.attrib = mode == 1 ? v->cs.attrib | SEG_L : v->cs.attrib & (uint16_t)~SEG_L;
	} else if (mode == 3) {
		v->efer &= ~(EFER_LME | EFER_LMA);
		v->cr0 &= ~CR0_PG;
		v->cs.attrib &= (uint16_t)~SEG_L;
	}
}

static uint64_t pick_call(struct fin *in, uint8_t how)
{
	switch ((how >> 2) & 7) {
	case 0:
		return KEEL_HC_VERSION;
	case 1:
		return fin_u8(in) % 6; /* keel's calls and one past them */
	case 2:
	case 3:
		return SVM_VMGEXIT_SAVIC;
	case 4:
		return fin_u8(in);
	case 5:
		return 0x100 + fin_u8(in);
	default:
		return fin_u8(in) & 1 ? fin_u64(in) : fin_u32(in);
	}
}

static void vmmcall_op(struct vcpu *vcpu, struct fin *in)
{
	struct vmcb *v = vcpu->arch.vmcb, vb;
	struct frame *g = &vcpu->arch.regs, before;
	struct vm *vm = vcpu->vm;
	uint8_t how = fin_u8(in);
	uint64_t rax, rip, m, n, faults = vm->faults, a[5];
	bool fast, ok;

	set_mode(v, how & 3);
	rax = pick_call(in, how);
	if (how & 0x80) /* the upper half: meaningless outside 64-bit mode */
		rax |= (uint64_t)fin_u32(in) << 32;
	for (int r = R_RBX; r <= R_RDI; r++)
		g->r[r] = fin_u8(in) & 1 ? fin_u64(in) : fin_u8(in);
	if ((uint32_t)rax == SVM_VMGEXIT_SAVIC) {
		/* RCX 0 or 1 (or 2), RBX a page of the VM's RAM, mostly (one at a time: in order) */
		uint64_t page, off, op3 = fin_u8(in) % 3;

		page = fin_u8(in);
		page = page < 0xf0 ? page : 2 * page; /* the last ones: above the VM's 1 MiB */
		off = fin_u8(in) & 1 ? fin_u8(in) : 0;
		g->r[R_RCX] = (g->r[R_RCX] & ~0xffffffffULL) | op3;
		g->r[R_RBX] = (g->r[R_RBX] & ~0xffffffffULL) | (RAM + page * PAGE_SIZE + off);
	}
	if (how & 0x40) { /* the upper halves clear */
		for (int r = R_RBX; r <= R_RDI; r++)
			g->r[r] = (uint32_t)g->r[r];
	}
	v->rax = rax;
	v->rip = rip = fin_u32(in);
	v->event_inj = 0;
	before = *g;
	vb = *v;
	m = (v->efer & EFER_LMA) && (v->cs.attrib & SEG_L) ? ~0ULL : 0xffffffffULL;
	n = rax & m;
	for (int i = 0; i < 5; i++)
		a[i] = before.r[R_RBX + i] & m;
	/*
	 * Secure AVIC (savic.h): RCX 0 registers an aligned page of the VM's RAM unless
	 * another is enabled, RCX 1 unregisters a registered page; nothing else is accepted
	 */
	ok = a[1] == SVM_VMGEXIT_SAVIC_REGISTER_GPA ?
		     !(a[0] & 0xfff) && a[0] >= RAM && a[0] < RAM + MiB(1) &&
			     !(savic_active(&vcpu->arch.savic) && vcpu->arch.savic.gpa != a[0]) :
		     a[1] == SVM_VMGEXIT_SAVIC_UNREGISTER_GPA && vcpu->arch.savic.page;
	hc_spy.hits = 0;
	fast = vmmcall_exit(vcpu);
	check_vmcb_kept(&vb, v);
	if (n == SVM_VMGEXIT_SAVIC) {
		const struct savic *s = &vcpu->arch.savic;

		PROMISE(!hc_spy.hits && !fast && !v->event_inj == ok);
		if (v->event_inj) { /* refused: #GP(0), nothing changed */
			PROMISE(v->event_inj == GP_EVENT && !v->event_inj_err && v->rip == rip &&
				v->rax == rax && vm->faults == faults + 1);
			check_regs_kept(&before, g, -1);
			return;
		}
		PROMISE(a[1] <= 1 && v->rax == KEEL_OK && v->rip == rip + 3 &&
			vm->faults == faults);
		PROMISE(a[1] == 1 ? s->gpa == SAVIC_NO_GPA && !s->page : s->gpa == a[0] && s->page);
		check_regs_kept(&before, g, -1);
		return;
	}
	PROMISE(!v->event_inj && v->rip == rip + 3 && vm->faults == faults);
	if (fast) { /* VERSION on the fast path: RAX and RBX only */
		PROMISE(n == KEEL_HC_VERSION && !hc_spy.hits && v->rax == KEEL_OK &&
			g->r[R_RBX] == KEEL_ABI_VERSION);
		check_regs_kept(&before, g, R_RBX);
		return;
	}
	PROMISE(hc_spy.hits == 1 && hc_spy.n == (n > 0xff ? 0x100 : n));
	for (int i = 0; i < 5; i++)
		PROMISE(hc_spy.a[i] == a[i]);
	PROMISE(v->rax == (uint64_t)hc_spy.r.status && g->r[R_RBX] == hc_spy.r.v[0] &&
		g->r[R_RCX] == hc_spy.r.v[1] && g->r[R_RDX] == hc_spy.r.v[2] &&
		g->r[R_RSI] == hc_spy.r.v[3]);
	check_regs_kept_but(&before, g, 1u << R_RBX | 1u << R_RCX | 1u << R_RDX | 1u << R_RSI);
}

static void reset_vmcb(struct vmcb *v) /* the parts arch_vcpu_reset sets that these exits read */
{
	memset(v, 0, sizeof(*v));
	v->efer = EFER_SVME;
	v->cr0 = 0x11;
	v->cs.attrib = 0xc9b; /* 32-bit code */
	v->g_pat = 0x0007040600070406ULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_config cfg;
	static jmp_buf off;
	struct fin in = { data, size };
	struct vm *vm;
	unsigned ops = 0;

	for (unsigned i = 0; i < NR_VCPUS; i++)
		reset_vmcb(&vmcbs[i]);
	cur_in = &in;
	fake_now = 1000;
	fake_poweroff = &off;
	fake_vm_destroy_hook = free_apic_pages;
	vm = fake_boot_vm(&cfg, "x86", NR_VCPUS, RAM, MiB(1), 0);
	vm->arch.nr_loaded = 1; /* a stop request stays a request: the harness looks at it */
	if (!setjmp(off)) {
		while (in.n && ops++ < 200) {
			uint8_t op = fin_u8(&in);
			struct vcpu *vcpu = &vm->vcpus[op & 1];
			struct vmcb *v = vcpu->arch.vmcb;

			switch ((op >> 1) & 3) {
			case 0:
				ioio_op(vcpu, &in);
				break;
			case 1:
				if (op & 8)
					vmmcall_op(vcpu, &in);
				else if ((op & 0xc0) == 0xc0)
					unoffered_op(vcpu, &in);
				else
					cpuid_op(vcpu, &in, op);
				break;
			case 2:
				msr_op(vcpu, &in, op);
				break;
			default: /* what the guest did meanwhile: paging on or off, long mode active */
				v->cr0 ^= fin_u8(&in) & 1 ? CR0_PG : 0;
				if (v->efer & EFER_LME)
					v->efer ^= fin_u8(&in) & 1 ? EFER_LMA : 0;
				for (int r = 0; r < R_NR; r++)
					vcpu->arch.regs.r[r] = fin_u8(&in) * 0x0101010101010101ULL;
				v->cr4 ^= fin_u8(&in) & 1 ? 1u << 22 : 0; /* PKE */
				break;
			}
		}
	}
	vm->arch.nr_loaded = 0;
	fake_destroy_all();
	PROMISE(fake_mm_live() == 0);
	fake_poweroff = NULL;
	fake_vm_destroy_hook = NULL;
	cur_in = NULL;
	return 0;
}
