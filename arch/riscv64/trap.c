// SPDX-License-Identifier: GPL-2.0-or-later
/* riscv64 guest exits: the SBI fast path, guest-page faults (MMIO), interrupts, faults. */
#include <keel/arch.h>
#include <keel/vm.h>
#include <keel/hypercall.h>
#include <asm/csr.h>
#include <asm/riscv.h>

#define FAULT_LOG_MAX 8
#define FAULT_STOP_AT 1000 /* a guest spinning on faults is stopped */

/*
 * Called with only the caller-saved registers stored. Answers the calls that
 * need no other state; returns non-zero to take the full path.
 */
long sbi_fast(struct frame *f)
{
	if (f->x[17] == SBI_EXT_BASE && f->x[16] == SBI_BASE_GET_SPEC_VERSION) {
		f->x[10] = SBI_SUCCESS;
		f->x[11] = SBI_SPEC_VERSION(3, 0);
	} else if (f->x[17] == SBI_EXT_KEEL && f->x[16] == KEEL_HC_VERSION) {
		f->x[10] = SBI_SUCCESS;
		f->x[11] = KEEL_ABI_VERSION;
	} else {
		return 1;
	}
	(*f->hcall_exits)++; /* counted, not timed (vcpu_stats.h) */
	return 0;
}

static struct vcpu *current(void)
{
	return this_pcpu()->cur;
}

static void guest_fault(struct vcpu *vcpu, const char *what, uint64_t cause, uint64_t tval,
			uint64_t gpa)
{
	struct vm *vm = vcpu->vm;
	uint64_t n = ++vm->faults;

	if (n <= FAULT_LOG_MAX)
		log_warn("%s: %s at pc 0x%lx (vCPU %u): scause 0x%lx stval 0x%lx IPA 0x%lx%s",
			 vm->name, what, (unsigned long)csr_read(CSR_SEPC), vcpu->id,
			 (unsigned long)cause, (unsigned long)tval, (unsigned long)gpa,
			 n == FAULT_LOG_MAX ? " (further faults not logged)" : "");
	if (n >= FAULT_STOP_AT) {
		log_err("%s: stopped after %u unhandled faults", vm->name, FAULT_STOP_AT);
		vm_request_stop(vm, false);
	}
}

long hlvx_hu(uint64_t addr, uint16_t *out); /* trap.S: 0, or -1 when the access faults */

/*
 * Fetch the 16-bit parcel at guest virtual pc as the guest sees it (VS-stage
 * and G-stage). A fault there is taken in keel and overwrites sepc, sstatus
 * and hstatus, which still describe the guest: keep them.
 */
static bool fetch16(uint64_t pc, uint16_t *out)
{
	uint64_t sepc = csr_read(CSR_SEPC), sstatus = csr_read(CSR_SSTATUS);
	uint64_t hstatus = csr_read(CSR_HSTATUS);
	long err = hlvx_hu(pc, out);

	if (err) {
		csr_write(CSR_SEPC, sepc);
		csr_write(CSR_SSTATUS, sstatus);
		csr_write(CSR_HSTATUS, hstatus);
	}
	return !err;
}

struct mmio_insn {
	bool store;
	unsigned size, reg, len;
	bool sign;
};

/* Decode the load or store at the guest's pc (RV64 base and compressed forms). */
static bool decode(uint64_t pc, struct mmio_insn *m)
{
	uint16_t lo, hi;
	uint32_t insn;

	if (!fetch16(pc, &lo))
		return false;
	if ((lo & 3) != 3) { /* compressed: c.lw c.ld c.sw c.sd */
		unsigned op = lo >> 13, reg = 8 + ((lo >> 2) & 7);

		m->len = 2;
		m->reg = reg;
		if ((lo & 3) != 0)
			return false;
		switch (op) {
		case 2: /* c.lw */
			*m = (struct mmio_insn){ false, 4, reg, 2, true };
			return true;
		case 3: /* c.ld */
			*m = (struct mmio_insn){ false, 8, reg, 2, false };
			return true;
		case 6: /* c.sw */
			*m = (struct mmio_insn){ true, 4, reg, 2, false };
			return true;
		case 7: /* c.sd */
			*m = (struct mmio_insn){ true, 8, reg, 2, false };
			return true;
		}
		return false;
	}
	if (!fetch16(pc + 2, &hi))
		return false;
	insn = lo | (uint32_t)hi << 16;
	unsigned opcode = insn & 0x7f, funct3 = (insn >> 12) & 7;

	m->len = 4;
	if (opcode == 0x03 && funct3 != 7) { /* loads */
		m->store = false;
		m->size = 1u << (funct3 & 3);
		m->sign = !(funct3 & 4) && m->size < 8;
		m->reg = (insn >> 7) & 31;
		return true;
	}
	if (opcode == 0x23 && funct3 < 4) { /* stores */
		m->store = true;
		m->size = 1u << funct3;
		m->sign = false;
		m->reg = (insn >> 20) & 31;
		return true;
	}
	return false;
}

static const char *fault_name(uint64_t cause)
{
	return cause == EXC_INST_GUEST_PAGE ? "instruction fetch from unmapped IPA" :
	       cause == EXC_LOAD_GUEST_PAGE ? "read from unmapped IPA" :
					      "write to unmapped IPA";
}

static void guest_page_fault(struct vcpu *vcpu, struct frame *f, uint64_t cause)
{
	uint64_t gpa = (csr_read(CSR_HTVAL) << 2) | (csr_read(CSR_STVAL) & 3);
	uint64_t tval = csr_read(CSR_STVAL), pc = csr_read(CSR_SEPC), val = 0;
	/* the matching access fault for the guest: 1 instruction, 5 load, 7 store */
	uint64_t access = cause == EXC_INST_GUEST_PAGE ? EXC_INST_ACCESS :
			  cause == EXC_LOAD_GUEST_PAGE ? EXC_LOAD_ACCESS :
							 EXC_STORE_ACCESS;
	struct mmio_insn m;

	if (cause != EXC_INST_GUEST_PAGE && decode(pc, &m) &&
	    m.store == (cause == EXC_STORE_GUEST_PAGE)) {
		if (m.store)
			val = m.reg ? f->x[m.reg] : 0;
		if (vm_mmio_access(vcpu, gpa, m.store, m.size, &val)) {
			if (!m.store && m.reg) {
				if (m.sign && (val & (1UL << (m.size * 8 - 1))))
					val |= ~0UL << (m.size * 8);
				f->x[m.reg] = val;
			}
			csr_write(CSR_SEPC, pc + m.len);
			return;
		}
	}
	guest_fault(vcpu, fault_name(cause), cause, tval, gpa);
	inject_exception(vcpu, access, tval);
}

static void after_exit(void)
{
	struct pcpu *p = this_pcpu();

	if (p->requests || p->cur->state != VCPU_ON)
		sched_next();
	vcpu_update_hvip(p->cur);
	vstat_enter(&p->cur->stats, csr_read(CSR_TIME));
}

static enum exit_class trap_class(uint64_t cause)
{
	if (cause & CAUSE_IRQ)
		return EXIT_IRQ;
	switch (cause) {
	case EXC_ECALL_VS:
		return EXIT_HCALL;
	case EXC_LOAD_GUEST_PAGE:
	case EXC_STORE_GUEST_PAGE:
		return EXIT_IO;
	case EXC_VIRTUAL_INST:
		return csr_read(CSR_STVAL) == 0x10500073 ? EXIT_WFI : EXIT_OTHER;
	default:
		return EXIT_OTHER;
	}
}

KEEL_NO_STACK_PROTECTOR void guest_trap(struct frame *f)
{
	uint64_t cause = csr_read(CSR_SCAUSE);
	struct vcpu *vcpu = current();

	vstat_exit(&vcpu->stats, trap_class(cause), csr_read(CSR_TIME));
	if (cause & CAUSE_IRQ) {
		irq_poll();
	} else {
		switch (cause) {
		case EXC_ECALL_VS:
			sbi_handle(vcpu, f);
			break;
		case EXC_INST_GUEST_PAGE:
		case EXC_LOAD_GUEST_PAGE:
		case EXC_STORE_GUEST_PAGE:
			guest_page_fault(vcpu, f, cause);
			break;
		case EXC_VIRTUAL_INST:
			/* wfi with hstatus.VTW (a shared hart): yield; anything else is illegal */
			if (csr_read(CSR_STVAL) == 0x10500073) {
				csr_write(CSR_SEPC, csr_read(CSR_SEPC) + 4);
				sched_yield();
				break;
			}
			guest_fault(vcpu, "virtual instruction made illegal", cause,
				    csr_read(CSR_STVAL), 0);
			inject_exception(vcpu, EXC_ILLEGAL, csr_read(CSR_STVAL));
			break;
		default:
			guest_fault(vcpu, "unexpected exception", cause, csr_read(CSR_STVAL), 0);
			inject_exception(vcpu, cause, csr_read(CSR_STVAL));
			break;
		}
	}
	after_exit();
}
