// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Time-slice tick on the EL2 physical timer (CNTHP), armed only on pCPUs that
 * several vCPUs share. Guests own the EL1 virtual and physical timers.
 */
#include <keel/vcpu.h>
#include <asm/arm64.h>
#include <asm/sysreg.h>

void timer_cpu_init(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
}

void arch_arm_tick(void)
{
	write_sysreg(cnthp_tval_el2, read_sysreg(cntfrq_el0) / 1000000 * sched_time_slice_us + 1);
	write_sysreg(cnthp_ctl_el2, 1);
}

void irq_hyp_timer(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
	this_pcpu()->requests |= PCPU_REQ_RESCHED;
}
