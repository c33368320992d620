/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vCPUs and the per-pCPU scheduler. */
#ifndef KEEL_VCPU_H
#define KEEL_VCPU_H

#include <keel/types.h>
#include <asm/vcpu_arch.h>
#include <keel/spinlock.h>
#include <keel/vcpu_stats.h>

#define KEEL_MAX_PCPUS 8
#define KEEL_RUNQ_MAX 16 /* vCPUs one pCPU can hold */

struct vm;

enum vcpu_state {
	VCPU_OFF, /* powered off (PSCI/HSM), not scheduled */
	VCPU_OFF_PENDING, /* asked to power off; becomes OFF once its context is saved */
	VCPU_ON, /* runnable */
	VCPU_WFI, /* waiting for an interrupt (only when it shares its pCPU) */
	VCPU_STOPPED, /* its VM stopped */
};

struct vcpu {
	struct vm *vm;
	unsigned id; /* index inside the VM */
	unsigned pcpu; /* physical CPU it runs on */
	volatile enum vcpu_state state;
	bool waiting; /* yielded in WFI/HLT and not loaded since: an interrupt for it is a wake-up */
	unsigned slot; /* index in its pCPU's run queue */
	struct vcpu_stats stats;
	struct vcpu_arch arch;
};

struct pcpu {
	unsigned id;
	uint64_t hwid; /* MPIDR affinity / hart id / APIC id */
	bool online;
	struct vcpu *cur;
	/* vCPUs placed here; NULL entries are free. Written under runq_lock, read without it. */
	struct vcpu *volatile runq[KEEL_RUNQ_MAX];
	spinlock_t runq_lock;
	unsigned nr_vcpus;
	volatile uint32_t requests; /* PCPU_REQ_* bits, set by other pCPUs */
	uint64_t ticks;
};

/*
 * RESCHED: pick again (time-slice tick, a vCPU turned on or stopping). KICK: only come out of the
 * guest to look at interrupts delivered to a vCPU of this pCPU; the running vCPU keeps its slice.
 */
#define PCPU_REQ_RESCHED (1u << 0)
#define PCPU_REQ_KICK (1u << 1)

/*
 * A vCPU's context is written before it is made runnable from another pCPU
 * (CPU_ON, reset): the state store releases it, the scheduler's load acquires it.
 */
static inline void vcpu_set_state(struct vcpu *v, enum vcpu_state s)
{
	if (s == VCPU_ON)
		vstat_ready(&v->stats);
	__atomic_store_n(&v->state, s, __ATOMIC_RELEASE);
}

static inline enum vcpu_state vcpu_state(const struct vcpu *v)
{
	return __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
}

extern struct pcpu pcpus[KEEL_MAX_PCPUS];
extern unsigned nr_pcpus;
extern uint32_t sched_time_slice_us;
/* partition keel/fp-switch = "eager": the arch saves FP state at every switch (benchmarks) */
extern bool sched_fp_eager;

struct pcpu *this_pcpu(void);
/* Place vcpu on its pCPU (boot or run time); false when that run queue is full. */
bool sched_add(struct vcpu *vcpu);
void sched_remove(struct vcpu *vcpu);
/* Pick the next vCPU for this pCPU (idling until there is one) and load it. */
void sched_next(void);
/* Enter the first vCPU on this pCPU; never returns. */
void __attribute__((noreturn)) sched_run(void);
/* Current vCPU gave up its slot (WFI on a shared pCPU, time slice over). */
void sched_yield(void);
/* Make vcpu runnable (CPU_ON) and wake its pCPU. */
void vcpu_wake(struct vcpu *vcpu);
/*
 * An interrupt (or fence) is waiting for vcpu: its pCPU comes out of the guest to deliver it.
 * A vCPU that yielded in WFI/HLT is woken (its pCPU picks again, as for vcpu_wake); a running
 * or runnable one is not switched to, so a flood of IPIs cannot cut a sharer's time slice.
 */
void vcpu_kick(struct vcpu *vcpu);
void pcpu_request(unsigned pcpu, uint32_t req);
bool sched_shared(const struct pcpu *p);

#endif
