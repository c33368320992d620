// SPDX-License-Identifier: GPL-2.0-or-later
/* See riscv_env.h: the riscv64 machine under keel's trap, SBI and PLIC code. */
#include "riscv_env.h"

void ns16550_register(struct vm *vm, uint64_t base, unsigned irq);

uint64_t rv_csr[4096];
bool have_sstc;
unsigned rv_injected;
uint64_t rv_inject_cause;
uint8_t rv_insn[4];
uint64_t rv_insn_pc;
bool rv_fetch_fail;

uint64_t host_csr_read(unsigned csr)
{
	PROMISE(csr < 4096);
	return csr == CSR_TIME ? fake_now : rv_csr[csr];
}

void host_csr_write(unsigned csr, uint64_t v)
{
	PROMISE(csr < 4096);
	rv_csr[csr] = v;
}

struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0, unsigned long a1,
		       unsigned long a2)
{
	(void)eid;
	(void)fid;
	(void)a0;
	(void)a1;
	(void)a2;
	return (struct sbiret){ SBI_SUCCESS, 0 };
}

long hlvx_hu(uint64_t addr, uint16_t *out)
{
	if (rv_fetch_fail)
		return -1;
	PROMISE(addr == rv_insn_pc || addr == rv_insn_pc + 2); /* the faulting instruction only */
	addr -= rv_insn_pc;
	*out = (uint16_t)(rv_insn[addr] | rv_insn[addr + 1] << 8);
	return 0;
}

void inject_exception(struct vcpu *vcpu, uint64_t cause, uint64_t tval)
{
	(void)vcpu;
	(void)tval;
	rv_injected++;
	rv_inject_cause = cause;
}

void vcpu_update_hvip(struct vcpu *vcpu)
{
	PROMISE(vcpu && vcpu->vm);
}

void rfence_done(struct vcpu *vcpu)
{
	vcpu->arch.rfence = 0;
}

void irq_poll(void)
{
}

void arch_vcpu_init(struct vcpu *vcpu)
{
	fwft_reset(&vcpu->arch.fwft);
}

void arch_vm_devices(struct vm *vm) /* as arch/riscv64/board.c */
{
	vplic_register(vm);
	if (vm->cfg->console != CONSOLE_NONE)
		ns16550_register(vm, RV_UART, RV_UART_IRQ);
}
