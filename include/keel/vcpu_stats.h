/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-vCPU accounting: time running the guest, time in keel, exits by class,
 * dispatch latency (runnable to running) when vCPUs share a pCPU. Figures are
 * kept in counter ticks by the pCPU that runs the vCPU (plain stores, no
 * locks: a reader on another pCPU may see a figure one update old).
 *
 * The hypercall fast paths (a null call answered with only caller-saved
 * registers stored) count their exit but are not timed: their time, tens of
 * instructions, is counted as guest time.
 */
#ifndef KEEL_VCPU_STATS_H
#define KEEL_VCPU_STATS_H

#include <keel/types.h>
#include <keel/hypercall.h>

enum exit_class {
	EXIT_HCALL = KEEL_EXIT_HCALL, /* hypercalls, PSCI/SBI calls, vmmcall */
	EXIT_IO = KEEL_EXIT_IO, /* emulated device access: MMIO, port I/O */
	EXIT_SYSREG = KEEL_EXIT_SYSREG, /* trapped system registers, CPUID, MSRs */
	EXIT_IRQ = KEEL_EXIT_IRQ, /* keel's own interrupts: timer tick, IPIs, console */
	EXIT_WFI = KEEL_EXIT_WFI, /* WFI / HLT: the vCPU waits */
	EXIT_OTHER = KEEL_EXIT_OTHER, /* faults, trapped instructions, anything else */
	EXIT_CLASSES = KEEL_EXIT_CLASSES
};

struct vcpu_stats {
	uint64_t mark; /* counter at the last entry, exit or load */
	uint64_t run_ticks; /* in the guest */
	uint64_t keel_ticks; /* in keel on the guest's behalf (exit handling, switches) */
	uint64_t exits[EXIT_CLASSES];
	uint64_t ready_at; /* counter when it became runnable and was not loaded, or 0 */
	uint64_t dispatches; /* loads that had to wait */
	uint64_t wait_ticks, wait_max;
};

uint64_t arch_counter(void);

/* Guest exit taken (slow path) at counter now: the time since entry was guest time. */
static inline void vstat_exit_time(struct vcpu_stats *s, uint64_t now)
{
	s->run_ticks += now - s->mark;
	s->mark = now;
}

static inline void vstat_exit(struct vcpu_stats *s, enum exit_class c, uint64_t now)
{
	vstat_exit_time(s, now);
	s->exits[c]++;
}

/* About to enter the guest again at counter now: the time since the exit was keel's. */
static inline void vstat_enter(struct vcpu_stats *s, uint64_t now)
{
	s->keel_ticks += now - s->mark;
	s->mark = now;
}

/* Unloaded from its pCPU; runnable tells whether it still wants to run. */
static inline void vstat_put(struct vcpu_stats *s, bool runnable)
{
	uint64_t now = arch_counter();

	s->keel_ticks += now - s->mark;
	if (runnable)
		s->ready_at = now;
}

/* A waiting vCPU became runnable (woken from WFI, CPU_ON, start). */
static inline void vstat_ready(struct vcpu_stats *s)
{
	s->ready_at = arch_counter();
}

/* Loaded onto its pCPU: the wait since it became runnable is dispatch latency. */
static inline void vstat_load(struct vcpu_stats *s)
{
	uint64_t now = arch_counter();

	if (s->ready_at && now >= s->ready_at) {
		uint64_t w = now - s->ready_at;

		s->dispatches++;
		s->wait_ticks += w;
		if (w > s->wait_max)
			s->wait_max = w;
	}
	s->ready_at = 0;
	s->mark = now;
}

struct vm;
struct vcpu;
struct keel_vcpu_info;
/*
 * The guest-visible figures of one vCPU, times in nanoseconds. For a vCPU
 * loaded on its pCPU right now, the time since its last timed exit or entry
 * counts as guest time (fast-path exits are not timed).
 */
void vcpu_stats_export(const struct vcpu *v, struct keel_vcpu_info *out);
/* One console line per vCPU of vm. */
void vcpu_stats_report(struct vm *vm);
/* Every VM's figures (console key CONSOLE_STATS_KEY). */
void vcpu_stats_report_all(void);

#endif
