// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for riscv64's emulated devices and the guest-page-fault path
 * that reaches them: the PLIC (arch/riscv64/vplic.c), the NS16550
 * (src/dev/ns16550.c), and the load/store decoder of arch/riscv64/trap.c
 * (RV64 loads and stores, c.lw/c.ld/c.sw/c.sd), entered through guest_trap()
 * with the faulting instruction fed to hlvx.
 *
 * One VM with 2 vCPUs (2 PLIC contexts); operations: trapped guest-page
 * faults (cause, address, instruction, registers), direct MMIO, console
 * input, device interrupt lines.
 *
 * Promises: after a trapped fault either the access was emulated (pc moved
 * by the instruction's length: 2 for a compressed one, else 4; only the
 * destination register changed, never x0, and only on a load, sign- or
 * zero-extended from the access size) or an access fault of the matching
 * kind was injected and no register changed; PLIC priorities and thresholds
 * stay 0..7, source 0 is never pending, enabled or claimed, and each
 * context's VSEIP equals "a claimable source exists".
 */
#include "riscv_env.h"

#define NR_VCPUS 2

static bool claimable(const struct vplic *p, unsigned ctx)
{
	uint32_t cand = p->pending & p->enable[ctx] & ~p->claimed;

	for (unsigned i = 1; i < VPLIC_NR_SOURCES; i++)
		if ((cand & (1u << i)) && p->prio[i] > p->threshold[ctx])
			return true;
	return false;
}

static void check_plic(struct vm *vm)
{
	const struct vplic *p = &vm->arch.plic;

	for (unsigned i = 0; i < VPLIC_NR_SOURCES; i++)
		PROMISE(p->prio[i] <= 7);
	PROMISE(!(p->pending & 1) && !(p->claimed & 1));
	for (unsigned c = 0; c < NR_VCPUS; c++) {
		PROMISE(p->threshold[c] <= 7 && !(p->enable[c] & 1));
		PROMISE(vm->vcpus[c].arch.ext_line == claimable(p, c));
	}
}

static uint64_t pick_addr(struct fin *in)
{
	uint8_t which = fin_u8(in);
	uint32_t off = fin_u32(in);

	switch (which % 5) {
	case 0:
		return VPLIC_BASE + off % 0x80; /* priorities */
	case 1:
		return VPLIC_BASE + 0x1000 + (off % 0x300000); /* pending, enables, contexts */
	case 2:
		return VPLIC_BASE + 0x200000 + (off % 2) * 0x1000 + (off >> 1) % 8;
	case 3:
		return RV_UART + off % 0x100;
	default:
		return (uint64_t)off << (which >> 3 & 15);
	}
}

static void fault(struct vm *vm, struct vcpu *vcpu, struct fin *in)
{
	static const uint64_t causes[] = { EXC_LOAD_GUEST_PAGE, EXC_STORE_GUEST_PAGE,
					   EXC_INST_GUEST_PAGE };
	static struct frame f;
	struct frame before;
	uint64_t gpa = pick_addr(in), pc = RV_RAM + 0x1000 + 2 * (uint64_t)(fin_u8(in) & 1);
	uint64_t cause = causes[fin_u8(in) % 3];
	uint32_t insn = fin_u32(in);
	unsigned len = (insn & 3) == 3 ? 4 : 2;

	(void)vm;
	for (unsigned i = 1; i < 32; i++)
		f.x[i] = fin_u8(in) & 1 ? fin_u64(in) : 0x0101010101010101ULL * i;
	f.x[0] = 0;
	before = f;
	rv_fetch_fail = (insn >> 7 & 0x1f) == 0x1f && (fin_u8(in) & 1);
	memcpy(rv_insn, &insn, 4);
	rv_insn_pc = pc;
	rv_csr[CSR_SCAUSE] = cause;
	rv_csr[CSR_HTVAL] = gpa >> 2;
	rv_csr[CSR_STVAL] = (gpa & 3) | (fin_u8(in) & 1 ? 0x1234000 : 0);
	rv_csr[CSR_SEPC] = pc;
	rv_injected = 0;
	this_pcpu()->cur = vcpu;
	guest_trap(&f);
	if (rv_csr[CSR_SEPC] != pc) { /* emulated */
		unsigned size = 0, reg = 0;
		bool sign;
		uint64_t v;

		PROMISE(rv_csr[CSR_SEPC] == pc + len && !rv_injected && !rv_fetch_fail);
		PROMISE(cause != EXC_INST_GUEST_PAGE);
		for (unsigned i = 0; i < 32; i++)
			if (f.x[i] != before.x[i]) {
				PROMISE(!reg && i && cause == EXC_LOAD_GUEST_PAGE);
				reg = i;
			}
		if (!reg)
			return;
		if (len == 2) {
			size = (insn >> 13 & 7) == 3 ? 8 : 4;
			sign = true;
			PROMISE(reg == 8 + ((insn >> 2) & 7));
		} else {
			size = 1u << ((insn >> 12) & 3);
			sign = !((insn >> 12) & 4);
			PROMISE(reg == ((insn >> 7) & 31));
		}
		v = f.x[reg];
		if (size < 8 && sign) { /* lb, lh, lw, c.lw: sign-extended */
			uint64_t top = v >> (8 * size - 1);

			PROMISE(top == 0 || top == ~0ULL >> (8 * size - 1));
		} else if (size < 8) { /* lbu, lhu, lwu: zero-extended */
			PROMISE(!(v >> (8 * size)));
		}
	} else {
		uint64_t access = cause == EXC_INST_GUEST_PAGE ? EXC_INST_ACCESS :
				  cause == EXC_LOAD_GUEST_PAGE ? EXC_LOAD_ACCESS :
								 EXC_STORE_ACCESS;

		PROMISE(rv_injected == 1 && rv_inject_cause == access);
		PROMISE(!memcmp(&f, &before, sizeof(f)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_config cfg;
	static jmp_buf off;
	struct fin in = { data, size };
	struct vm *vm;
	unsigned ops = 0;

	memset(rv_csr, 0, sizeof(rv_csr));
	fake_poweroff = &off;
	vm = fake_boot_vm(&cfg, "plic", NR_VCPUS, RV_RAM, MiB(1), 0);
	if (!setjmp(off)) {
		while (in.n && ops++ < 200) {
			uint8_t op = fin_u8(&in);
			struct vcpu *vcpu = &vm->vcpus[(op >> 4) % NR_VCPUS];
			uint64_t addr, val;
			unsigned sz;

			switch (op % 6) {
			case 0:
			case 1:
				fault(vm, vcpu, &in);
				break;
			case 2:
			case 3:
				addr = pick_addr(&in);
				val = fin_u64(&in);
				sz = 1u << (fin_u8(&in) & 3);
				if (vm_mmio_access(vcpu, addr, val & 1, sz, &val) && !(val & 1) &&
				    sz < 8)
					PROMISE(!(val >> (8 * sz)));
				break;
			case 4:
				console_input((char)fin_u8(&in));
				break;
			default:
				vplic_set_level(vm, fin_u8(&in) % 40, fin_u8(&in) & 1);
				break;
			}
			check_plic(vm);
		}
	}
	fake_destroy_all();
	PROMISE(fake_mm_live() == 0);
	fake_poweroff = NULL;
	return 0;
}
