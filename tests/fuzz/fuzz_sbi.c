// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for keel's SBI server (arch/riscv64/sbi.c: BASE, legacy
 * console, TIME, IPI, RFENCE, HSM, SRST, DBCN, FWFT through fwft.c, and
 * keel's own extension through the hypercall dispatcher), entered as an
 * ecall from VS-mode: sbi_handle() with the guest's registers.
 *
 * One VM (a keel,manager) with 4 vCPUs in 1 MiB of RAM; the first byte picks
 * the FWFT capabilities this "machine" has; then each call is a vCPU, an
 * extension (one keel offers, or raw), a function and a0..a2 aimed at the
 * VM's RAM, its hart ids, or raw values.
 *
 * Promises: a0 is an SBI error code; pc moves past the ecall (unless a
 * non-retentive suspend restarted the hart); only a0/a1 change (a2..a4 too
 * for keel's extension); every vCPU keeps a valid state; FWFT touches only
 * the henvcfg/hedeleg bits it owns and only for features the machine has;
 * DBCN reads write only inside the VM's memory (ASan: the rest is poisoned).
 */
#include "riscv_env.h"
#include <keel/hypercall.h>

#define NR_VCPUS 4

static const uint32_t exts[] = { SBI_EXT_BASE,		 SBI_EXT_TIME, SBI_EXT_IPI,
				 SBI_EXT_RFENCE,	 SBI_EXT_HSM,  SBI_EXT_SRST,
				 SBI_EXT_DBCN,		 SBI_EXT_FWFT, SBI_EXT_LEGACY_PUTCHAR,
				 SBI_EXT_LEGACY_GETCHAR, SBI_EXT_KEEL, 0x12345678 };

static uint64_t arg(struct fin *in)
{
	uint8_t mode = fin_u8(in);
	uint32_t v = fin_u32(in);

	switch (mode % 6) {
	case 0:
		return v % 8; /* hart ids, small masks, feature ids */
	case 1:
		return RV_RAM + v % MiB(1); /* inside the VM's RAM */
	case 2:
		return RV_RAM + MiB(1) - v % 64; /* its last bytes */
	case 3:
		return ~0ULL - v % 4; /* hart_mask_base = -1 */
	case 4:
		return (uint64_t)v << 32 | fin_u32(in);
	default:
		return v;
	}
}

static void check_fwft(const struct vcpu *v)
{
	const struct fwft_state *s = &v->arch.fwft;

	PROMISE(!(s->henvcfg & ~FWFT_HENVCFG_OWNED) && !(s->hedeleg & ~FWFT_HEDELEG_OWNED));
	PROMISE(!(s->henvcfg & FWFT_HENVCFG_LPE) || fwft_caps.lpe);
	PROMISE(!(s->henvcfg & FWFT_HENVCFG_SSE) || fwft_caps.sse);
	PROMISE(!(s->henvcfg & FWFT_HENVCFG_DTE) || fwft_caps.dte);
	PROMISE(!(s->henvcfg & FWFT_HENVCFG_ADUE) || fwft_caps.adue);
	PROMISE(!s->hedeleg || fwft_caps.misaligned_deleg);
	PROMISE((s->henvcfg & FWFT_HENVCFG_PMM) != FWFT_HENVCFG_PMM_PMLEN7 ||
		(fwft_caps.pmlen_mask & FWFT_PMLEN7));
	PROMISE((s->henvcfg & FWFT_HENVCFG_PMM) != FWFT_HENVCFG_PMM_PMLEN16 ||
		(fwft_caps.pmlen_mask & FWFT_PMLEN16));
	PROMISE((s->henvcfg & FWFT_HENVCFG_PMM) != (1ULL << FWFT_HENVCFG_PMM_SHIFT));
}

static void call(struct vm *vm, struct fin *in)
{
	static struct frame f;
	struct frame before;
	uint8_t sel = fin_u8(in);
	struct vcpu *vcpu = &vm->vcpus[sel % NR_VCPUS];
	uint64_t pc = 0x80000100 + 4 * (uint64_t)fin_u8(in), henvcfg, hedeleg;
	uint64_t base = have_sstc ? HENVCFG_STCE : 0;
	uint8_t e = fin_u8(in);
	bool legacy;

	for (unsigned i = 1; i < 32; i++)
		f.x[i] = 0x0101010101010101ULL * i;
	f.x[17] = e < 0xf0 ? exts[e % ARRAY_SIZE(exts)] : fin_u32(in);
	f.x[16] = fin_u8(in) & 0x80 ? fin_u32(in) : fin_u8(in) % 8;
	for (unsigned i = 10; i < 15; i++)
		f.x[i] = arg(in);
	before = f;
	/* what loading the vCPU wrote (arch/riscv64/vcpu.c) */
	henvcfg = rv_csr[CSR_HENVCFG] = fwft_henvcfg(&vcpu->arch.fwft, base);
	hedeleg = rv_csr[CSR_HEDELEG] = fwft_hedeleg(&vcpu->arch.fwft, fin_u8(in) & 1 ? 0xb1ff : 0);
	rv_csr[CSR_SEPC] = pc;
	this_pcpu()->cur = vcpu;
	sbi_handle(vcpu, &f);
	legacy = before.x[17] <= SBI_EXT_LEGACY_GETCHAR;
	check_fwft(vcpu);
	/* the running hart's CSRs follow its FWFT state; FWFT owns only its bits */
	PROMISE(rv_csr[CSR_HENVCFG] == henvcfg ||
		rv_csr[CSR_HENVCFG] == fwft_henvcfg(&vcpu->arch.fwft, base));
	PROMISE(!((rv_csr[CSR_HENVCFG] ^ henvcfg) & ~FWFT_HENVCFG_OWNED));
	PROMISE(!((rv_csr[CSR_HEDELEG] ^ hedeleg) & ~FWFT_HEDELEG_OWNED));
	for (unsigned i = 0; i < NR_VCPUS; i++)
		PROMISE(vm->vcpus[i].state <= VCPU_STOPPED);
	if (rv_csr[CSR_SEPC] != pc) {
		/* a non-retentive suspend resumed the hart elsewhere with fresh registers */
		if (before.x[17] == SBI_EXT_HSM && before.x[16] == SBI_HSM_HART_SUSPEND)
			return;
		PROMISE(rv_csr[CSR_SEPC] == pc + 4);
	}
	if (!legacy)
		PROMISE((long)f.x[10] <= 0 && (long)f.x[10] >= SBI_ERR_DENIED_LOCKED);
	for (unsigned i = 1; i < 32; i++)
		PROMISE(f.x[i] == before.x[i] || i == 10 || (i == 11 && !legacy) ||
			(i >= 12 && i <= 14 && before.x[17] == SBI_EXT_KEEL));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_config cfg;
	static jmp_buf off;
	struct fin in = { data, size };
	uint8_t caps = fin_u8(&in);
	struct vm *vm;
	unsigned calls = 0;

	fwft_caps = (struct fwft_caps){ .misaligned_deleg = caps & 1,
					.adue = caps & 2,
					.pmlen_mask = (caps >> 2) & 3,
					.lpe = caps & 16,
					.sse = caps & 32,
					.dte = caps & 64 };
	have_sstc = caps & 128;
	memset(rv_csr, 0, sizeof(rv_csr));
	fake_poweroff = &off;
	vm = fake_boot_vm(&cfg, "sbi", NR_VCPUS, RV_RAM, MiB(1), MiB(1));
	if (!setjmp(off))
		while (in.n && calls++ < 100)
			call(vm, &in);
	/* else: the last running VM shut itself down (SRST) and keel powered off */
	fake_destroy_all();
	PROMISE(fake_mm_live() == 0);
	fake_poweroff = NULL;
	return 0;
}
