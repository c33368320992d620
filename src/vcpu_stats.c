// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-vCPU accounting: export to guests (VM_INFO) and console report. */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/vm.h>

static uint64_t to_ns(uint64_t ticks, uint64_t hz)
{
	/* split so that ticks * 1e9 cannot overflow for any realistic uptime */
	return ticks / hz * 1000000000ULL + ticks % hz * 1000000000ULL / hz;
}

void vcpu_stats_export(const struct vcpu *v, struct keel_vcpu_info *out)
{
	const struct vcpu_stats *s = &v->stats;
	uint64_t hz = arch_counter_hz(), run = s->run_ticks, now = arch_counter();

	if (pcpus[v->pcpu].cur == v && now > s->mark)
		run += now - s->mark;
	out->run_ns = to_ns(run, hz);
	out->keel_ns = to_ns(s->keel_ticks, hz);
	for (unsigned i = 0; i < EXIT_CLASSES; i++)
		out->exits[i] = s->exits[i];
	out->dispatches = s->dispatches;
	out->wait_ns = to_ns(s->wait_ticks, hz);
	out->wait_max_ns = to_ns(s->wait_max, hz);
}

void vcpu_stats_report(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct keel_vcpu_info f;
		uint64_t total = 0;

		vcpu_stats_export(&vm->vcpus[i], &f);
		for (unsigned c = 0; c < EXIT_CLASSES; c++)
			total += f.exits[c];
		log_info("stats %s/%u: run %lu us, keel %lu us, exits %lu (hcall %lu io %lu "
			 "sysreg %lu irq %lu wfi %lu other %lu), waits %lu avg %lu max %lu us",
			 vm->name, i, (unsigned long)(f.run_ns / 1000),
			 (unsigned long)(f.keel_ns / 1000), (unsigned long)total,
			 (unsigned long)f.exits[EXIT_HCALL], (unsigned long)f.exits[EXIT_IO],
			 (unsigned long)f.exits[EXIT_SYSREG], (unsigned long)f.exits[EXIT_IRQ],
			 (unsigned long)f.exits[EXIT_WFI], (unsigned long)f.exits[EXIT_OTHER],
			 (unsigned long)f.dispatches,
			 (unsigned long)(f.dispatches ? f.wait_ns / f.dispatches / 1000 : 0),
			 (unsigned long)(f.wait_max_ns / 1000));
	}
}

void vcpu_stats_report_all(void)
{
	for (unsigned i = 0; i < vm_count(); i++) {
		struct vm *vm = vm_by_index(i);

		if (vm && !vm->destroyed)
			vcpu_stats_report(vm);
	}
}
