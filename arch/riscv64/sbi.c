// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SBI a guest's ecall reaches: BASE, legacy console, TIME, IPI, RFENCE,
 * HSM, SRST, DBCN, FWFT and keel's own extension. Every hart id and buffer a
 * guest passes is checked against its own VM; unknown calls answer
 * NOT_SUPPORTED.
 */
#include <keel/arch.h>
#include <keel/vm.h>
#include <keel/hypercall.h>
#include <keel/hcall.h>
#include <asm/csr.h>
#include <asm/riscv.h>

#define KEEL_SBI_IMPL_ID 0x6b65656cUL /* "keel"; not in the SBI registry */

struct fwft_caps fwft_caps; /* probed at boot: nothing on QEMU 7.2 with OpenSBI 1.1 */

/* Does henvcfg keep these bits? (it is restored afterwards) */
static bool henvcfg_takes(uint64_t bits)
{
	uint64_t old = csr_read(CSR_HENVCFG), got;

	csr_set(CSR_HENVCFG, bits);
	got = csr_read(CSR_HENVCFG) & bits;
	csr_write(CSR_HENVCFG, old);
	return got == bits;
}

static bool pmm_takes(uint64_t pmm)
{
	uint64_t old = csr_read(CSR_HENVCFG), got;

	csr_write(CSR_HENVCFG, (old & ~FWFT_HENVCFG_PMM) | pmm);
	got = csr_read(CSR_HENVCFG) & FWFT_HENVCFG_PMM;
	csr_write(CSR_HENVCFG, old);
	return got == pmm;
}

/*
 * What guests' FWFT may offer on this machine. Misaligned-access delegation
 * needs the traps to reach keel: the host SBI must grant them through its own
 * FWFT (OpenSBI 1.1 has none), or already delegate them (it does not).
 */
void fwft_probe(void)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_FWFT, 0, 0);

	if (!r.error && r.value) {
		r = sbi_call(SBI_EXT_FWFT, SBI_FWFT_SET, SBI_FWFT_MISALIGNED_EXC_DELEG, 1, 0);
		fwft_caps.misaligned_deleg = r.error == SBI_SUCCESS;
	}
	fwft_caps.adue = henvcfg_takes(FWFT_HENVCFG_ADUE);
	fwft_caps.lpe = henvcfg_takes(FWFT_HENVCFG_LPE);
	fwft_caps.sse = henvcfg_takes(FWFT_HENVCFG_SSE);
	fwft_caps.dte = henvcfg_takes(FWFT_HENVCFG_DTE);
	fwft_caps.pmlen_mask = (pmm_takes(FWFT_HENVCFG_PMM_PMLEN7) ? FWFT_PMLEN7 : 0) |
			       (pmm_takes(FWFT_HENVCFG_PMM_PMLEN16) ? FWFT_PMLEN16 : 0);
}

static const uint32_t extensions[] = { SBI_EXT_BASE,	       SBI_EXT_TIME, SBI_EXT_IPI,
				       SBI_EXT_RFENCE,	       SBI_EXT_HSM,  SBI_EXT_SRST,
				       SBI_EXT_DBCN,	       SBI_EXT_FWFT, SBI_EXT_LEGACY_PUTCHAR,
				       SBI_EXT_LEGACY_GETCHAR, SBI_EXT_KEEL };

static struct sbiret ret(long error, unsigned long value)
{
	return (struct sbiret){ error, value };
}

static struct sbiret base(unsigned long fid, unsigned long a0)
{
	switch (fid) {
	case SBI_BASE_GET_SPEC_VERSION:
		return ret(SBI_SUCCESS, SBI_SPEC_VERSION(3, 0));
	case SBI_BASE_GET_IMPL_ID:
		return ret(SBI_SUCCESS, KEEL_SBI_IMPL_ID);
	case SBI_BASE_GET_IMPL_VERSION:
		return ret(SBI_SUCCESS, KEEL_ABI_VERSION);
	case SBI_BASE_PROBE_EXT:
		for (unsigned i = 0; i < ARRAY_SIZE(extensions); i++)
			if ((uint32_t)a0 == extensions[i] && (a0 >> 32) == 0)
				return ret(SBI_SUCCESS, 1);
		return ret(SBI_SUCCESS, 0);
	case SBI_BASE_GET_MVENDORID:
	case SBI_BASE_GET_MARCHID:
	case SBI_BASE_GET_MIMPID:
		return ret(SBI_SUCCESS, 0); /* 0 is always a legal answer */
	}
	return ret(SBI_ERR_NOT_SUPPORTED, 0);
}

/* Each vCPU named by (mask, base): -1 when one is not a hart of this VM, else the bit set. */
static long harts_of(struct vm *vm, unsigned long mask, unsigned long base, uint32_t *set)
{
	*set = 0;
	if (base == ~0UL) {
		*set = (1u << vm->nr_vcpus) - 1;
		return 0;
	}
	for (unsigned i = 0; i < 64 && mask >> i; i++) {
		if (!(mask & (1UL << i)))
			continue;
		if (base + i >= vm->nr_vcpus || base + i < base)
			return -1;
		*set |= 1u << (base + i);
	}
	return 0;
}

static bool running(const struct vcpu *v)
{
	enum vcpu_state s = vcpu_state(v);

	return s == VCPU_ON || s == VCPU_WFI || s == VCPU_OFF_PENDING;
}

static struct sbiret ipi(struct vcpu *vcpu, unsigned long mask, unsigned long base)
{
	struct vm *vm = vcpu->vm;
	uint32_t set;

	if (harts_of(vm, mask, base, &set))
		return ret(SBI_ERR_INVALID_PARAM, 0);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *t = &vm->vcpus[i];

		if (!(set & (1u << i)))
			continue;
		t->arch.ipi = 1;
		if (t->pcpu != arch_cpu_id())
			vcpu_kick(t);
	}
	return ret(SBI_SUCCESS, 0);
}

/* Run a fence on the named harts; wait for the ones running on other harts. */
static struct sbiret rfence(struct vcpu *vcpu, unsigned long fid, unsigned long mask,
			    unsigned long base)
{
	struct vm *vm = vcpu->vm;
	uint64_t what = fid == SBI_RFENCE_FENCE_I ? RFENCE_FENCE_I : RFENCE_VMA;
	uint32_t set;

	if (fid > SBI_RFENCE_SFENCE_VMA_ASID)
		return ret(SBI_ERR_NOT_SUPPORTED, 0); /* guests have no H extension */
	if (harts_of(vm, mask, base, &set))
		return ret(SBI_ERR_INVALID_PARAM, 0);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *t = &vm->vcpus[i];

		if (!(set & (1u << i)) || !running(t))
			continue;
		__atomic_or_fetch(&t->arch.rfence, what, __ATOMIC_SEQ_CST);
		if (t == vcpu) {
			rfence_done(t);
		} else if (pcpus[t->pcpu].cur == t) {
			vcpu_kick(t);
			/* a vCPU waiting here still answers requests made to it */
			while (t->arch.rfence && pcpus[t->pcpu].cur == t)
				rfence_done(vcpu);
		} else {
			rfence_done(t); /* not loaded: it flushes when it is */
		}
	}
	return ret(SBI_SUCCESS, 0);
}

static struct vcpu *hart(struct vm *vm, unsigned long id)
{
	return id < vm->nr_vcpus ? &vm->vcpus[id] : NULL;
}

static struct sbiret hart_start(struct vcpu *vcpu, unsigned long id, unsigned long addr,
				unsigned long opaque)
{
	struct vm *vm = vcpu->vm;
	struct vcpu *t = hart(vm, id);
	long err = SBI_SUCCESS;

	if (!t)
		return ret(SBI_ERR_INVALID_PARAM, 0);
	if (!vm_ipa_ptr(vm, addr, 4))
		return ret(SBI_ERR_INVALID_ADDRESS, 0);
	spin_lock(&vm->lock);
	if (running(t)) {
		err = SBI_ERR_ALREADY_AVAILABLE;
	} else if (vcpu_state(t) == VCPU_STOPPED) {
		err = SBI_ERR_FAILED;
	} else {
		arch_vcpu_reset(t, addr, opaque);
		vcpu_set_state(t, VCPU_ON);
		vcpu_wake(t);
	}
	spin_unlock(&vm->lock);
	return ret(err, 0);
}

static struct sbiret hsm(struct vcpu *vcpu, unsigned long fid, struct frame *f)
{
	struct vcpu *t;

	switch (fid) {
	case SBI_HSM_HART_START:
		return hart_start(vcpu, f->x[10], f->x[11], f->x[12]);
	case SBI_HSM_HART_STOP:
		spin_lock(&vcpu->vm->lock);
		if (vcpu_state(vcpu) != VCPU_STOPPED)
			vcpu_set_state(vcpu, VCPU_OFF_PENDING);
		spin_unlock(&vcpu->vm->lock);
		return ret(SBI_SUCCESS, 0); /* never seen by the guest */
	case SBI_HSM_HART_GET_STATUS:
		t = hart(vcpu->vm, f->x[10]);
		if (!t)
			return ret(SBI_ERR_INVALID_PARAM, 0);
		return ret(SBI_SUCCESS, vcpu_state(t) == VCPU_OFF_PENDING ?
						SBI_HSM_STATE_STOP_PENDING :
					running(t) ? SBI_HSM_STATE_STARTED :
						     SBI_HSM_STATE_STOPPED);
	case SBI_HSM_HART_SUSPEND: {
		uint32_t type = (uint32_t)f->x[10];

		if (f->x[10] >> 32)
			return ret(SBI_ERR_INVALID_PARAM, 0);
		if (type == SBI_HSM_SUSPEND_RET_DEFAULT)
			return ret(SBI_SUCCESS, 0); /* retentive: a wake-up may come at once */
		if (type == SBI_HSM_SUSPEND_NON_RET_DEFAULT) {
			if (!vm_ipa_ptr(vcpu->vm, f->x[11], 4))
				return ret(SBI_ERR_INVALID_ADDRESS, 0);
			/* resume at once, as from a wake-up: a0 = hart id, a1 = opaque */
			arch_vcpu_reset(vcpu, f->x[11], f->x[12]);
			arch_vcpu_load(vcpu);
			return ret(SBI_SUCCESS, 0);
		}
		if ((type >= 0x10000000 && type <= 0x7fffffff) || type >= 0x90000000)
			return ret(SBI_ERR_NOT_SUPPORTED, 0); /* platform-specific */
		return ret(SBI_ERR_INVALID_PARAM, 0); /* reserved */
	}
	}
	return ret(SBI_ERR_NOT_SUPPORTED, 0);
}

static struct sbiret srst(struct vcpu *vcpu, unsigned long type, unsigned long reason)
{
	if (type > SBI_SRST_TYPE_WARM_REBOOT ||
	    (reason > SBI_SRST_REASON_SYSFAIL && reason < 0xe0000000UL) || reason > 0xffffffffUL)
		return ret(SBI_ERR_INVALID_PARAM, 0);
	log_info("%s: SBI system reset (%s)", vcpu->vm->name,
		 type == SBI_SRST_TYPE_SHUTDOWN ? "shutdown" : "reboot");
	vm_request_stop(vcpu->vm, type != SBI_SRST_TYPE_SHUTDOWN);
	return ret(SBI_SUCCESS, 0);
}

static struct sbiret dbcn(struct vcpu *vcpu, unsigned long fid, unsigned long n, unsigned long lo,
			  unsigned long hi)
{
	struct vm *vm = vcpu->vm;
	char *buf;
	unsigned long i = 0;

	if (fid == SBI_DBCN_WRITE_BYTE) {
		vm_console_putc(vm, (char)n);
		return ret(SBI_SUCCESS, 0);
	}
	if (fid != SBI_DBCN_WRITE && fid != SBI_DBCN_READ)
		return ret(SBI_ERR_NOT_SUPPORTED, 0);
	buf = hi ? NULL : vm_ipa_ptr(vm, lo, n ? n : 1);
	if (!buf)
		return ret(SBI_ERR_INVALID_PARAM, 0);
	if (fid == SBI_DBCN_WRITE) {
		for (; i < n; i++)
			vm_console_putc(vm, buf[i]);
	} else {
		while (i < n && vm_console_getc(vm, &buf[i]))
			i++;
	}
	return ret(SBI_SUCCESS, i);
}

static struct sbiret set_timer(struct vcpu *vcpu, unsigned long when)
{
	if (have_sstc) {
		csr_write(CSR_VSTIMECMP, when); /* a future value also clears VSTIP */
	} else {
		/* keel's own timer brings the exit that raises VSTIP (vcpu_update_hvip) */
		vcpu->arch.stime = when;
		sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, when, 0, 0);
	}
	return ret(SBI_SUCCESS, 0);
}

/* keel's own extension: a0..a4 in, a1..a4 out; keel's status mapped onto SBI errors */
static struct sbiret keel_call(struct vcpu *vcpu, unsigned long fid, struct frame *f)
{
	struct hc_result r;
	long err;

	keel_hypercall(vcpu, fid > 0xff ? 0x100 : (unsigned)fid, &f->x[10], &r);
	err = r.status == KEEL_OK     ? SBI_SUCCESS :
	      r.status == KEEL_EINVAL ? SBI_ERR_INVALID_PARAM :
	      r.status == KEEL_EPERM  ? SBI_ERR_DENIED :
	      r.status == KEEL_ENOMEM ? SBI_ERR_NO_SHMEM :
	      r.status == KEEL_ENOSPC ? SBI_ERR_FAILED :
	      r.status == KEEL_ESTATE ? SBI_ERR_INVALID_STATE :
					SBI_ERR_NOT_SUPPORTED;
	f->x[12] = r.v[1];
	f->x[13] = r.v[2];
	f->x[14] = r.v[3];
	return ret(err, r.v[0]);
}

static struct sbiret legacy(struct vcpu *vcpu, unsigned long eid, unsigned long a0)
{
	char c;

	if (eid == SBI_EXT_LEGACY_PUTCHAR) {
		vm_console_putc(vcpu->vm, (char)a0);
		return ret(0, 0);
	}
	return ret(vm_console_getc(vcpu->vm, &c) ? (uint8_t)c : -1, 0);
}

static struct sbiret dispatch(struct vcpu *vcpu, struct frame *f)
{
	unsigned long eid = f->x[17], fid = f->x[16];
	unsigned long a0 = f->x[10], a1 = f->x[11], a2 = f->x[12];

	switch (eid) {
	case SBI_EXT_BASE:
		return base(fid, a0);
	case SBI_EXT_TIME:
		return fid == SBI_TIME_SET_TIMER ? set_timer(vcpu, a0) :
						   ret(SBI_ERR_NOT_SUPPORTED, 0);
	case SBI_EXT_IPI:
		return fid == SBI_IPI_SEND_IPI ? ipi(vcpu, a0, a1) : ret(SBI_ERR_NOT_SUPPORTED, 0);
	case SBI_EXT_RFENCE:
		return rfence(vcpu, fid, a0, a1);
	case SBI_EXT_HSM:
		return hsm(vcpu, fid, f);
	case SBI_EXT_SRST:
		return fid == SBI_SRST_SYSTEM_RESET ? srst(vcpu, a0, a1) :
						      ret(SBI_ERR_NOT_SUPPORTED, 0);
	case SBI_EXT_DBCN:
		return dbcn(vcpu, fid, a0, a1, a2);
	case SBI_EXT_FWFT: {
		struct sbiret r = fwft_call(&vcpu->arch.fwft, &fwft_caps, fid, a0, a1, a2);

		/* this vCPU is the one running: its CSRs take a SET at once */
		csr_write(CSR_HENVCFG,
			  fwft_henvcfg(&vcpu->arch.fwft, have_sstc ? HENVCFG_STCE : 0));
		csr_write(CSR_HEDELEG, fwft_hedeleg(&vcpu->arch.fwft, csr_read(CSR_HEDELEG)));
		return r;
	}
	case SBI_EXT_KEEL:
		return keel_call(vcpu, fid, f);
	case SBI_EXT_LEGACY_PUTCHAR:
	case SBI_EXT_LEGACY_GETCHAR:
		return legacy(vcpu, eid, a0);
	}
	return ret(SBI_ERR_NOT_SUPPORTED, 0);
}

void sbi_handle(struct vcpu *vcpu, struct frame *f)
{
	uint64_t pc = csr_read(CSR_SEPC);
	struct sbiret r = dispatch(vcpu, f);

	/* a non-retentive suspend resumed the vCPU elsewhere with fresh registers */
	if (csr_read(CSR_SEPC) != pc)
		return;
	/* legacy calls return only a0 */
	f->x[10] = (unsigned long)r.error;
	if (f->x[17] > SBI_EXT_LEGACY_GETCHAR)
		f->x[11] = r.value;
	csr_write(CSR_SEPC, pc + 4);
}
