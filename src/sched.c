// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-pCPU scheduling. By default every vCPU owns its pCPU and never leaves
 * it; when the partition file pins several vCPUs to one pCPU they take turns
 * round-robin on the arch's time-slice tick, and WFI yields.
 */
#include <keel/vcpu.h>
#include <keel/vm.h>
#include <keel/arch.h>
#include <keel/console.h>

struct pcpu pcpus[KEEL_MAX_PCPUS];
unsigned nr_pcpus;
uint32_t sched_time_slice_us = KEEL_DEFAULT_TIME_SLICE_US;
bool sched_fp_eager;

struct pcpu *this_pcpu(void)
{
	return &pcpus[arch_cpu_id()];
}

bool sched_shared(const struct pcpu *p)
{
	return p->nr_vcpus > 1;
}

bool sched_add(struct vcpu *vcpu)
{
	struct pcpu *p = &pcpus[vcpu->pcpu];
	bool ok = false;

	spin_lock(&p->runq_lock);
	for (unsigned i = 0; i < KEEL_RUNQ_MAX && !ok; i++) {
		if (!p->runq[i]) {
			vcpu->slot = i;
			__atomic_store_n(&p->runq[i], vcpu, __ATOMIC_RELEASE);
			p->nr_vcpus++;
			ok = true;
		}
	}
	spin_unlock(&p->runq_lock);
	return ok;
}

/* Only for a vCPU that is not loaded (its VM has stopped). */
void sched_remove(struct vcpu *vcpu)
{
	struct pcpu *p = &pcpus[vcpu->pcpu];

	spin_lock(&p->runq_lock);
	if (p->runq[vcpu->slot] == vcpu) {
		__atomic_store_n(&p->runq[vcpu->slot], NULL, __ATOMIC_RELEASE);
		p->nr_vcpus--;
	}
	spin_unlock(&p->runq_lock);
}

void pcpu_request(unsigned cpu, uint32_t req)
{
	__atomic_or_fetch(&pcpus[cpu].requests, req, __ATOMIC_SEQ_CST);
	if (cpu != arch_cpu_id())
		arch_send_kick(cpu);
}

void vcpu_wake(struct vcpu *vcpu)
{
	pcpu_request(vcpu->pcpu, PCPU_REQ_RESCHED);
}

void vcpu_kick(struct vcpu *vcpu)
{
	pcpu_request(vcpu->pcpu, __atomic_load_n(&vcpu->waiting, __ATOMIC_RELAXED) ?
					 PCPU_REQ_RESCHED :
					 PCPU_REQ_KICK);
}

/* First runnable vCPU after prev in the pCPU's run queue, round-robin (prev itself last). */
static struct vcpu *pick(struct pcpu *p, struct vcpu *prev)
{
	unsigned start = prev ? prev->slot + 1 : 0;

	for (unsigned n = 0; n < KEEL_RUNQ_MAX; n++) {
		struct vcpu *v =
			__atomic_load_n(&p->runq[(start + n) % KEEL_RUNQ_MAX], __ATOMIC_ACQUIRE);

		if (v && vcpu_state(v) == VCPU_ON)
			return v;
	}
	return NULL;
}

static void put_current(struct pcpu *p)
{
	struct vcpu *cur = p->cur;
	struct vm *vm;

	if (!cur)
		return;
	vm = cur->vm;
	arch_vcpu_put(cur);
	vstat_put(&cur->stats, vcpu_state(cur) == VCPU_ON);
	p->cur = NULL;
	/* only now may another vCPU's CPU_ON / hart_start write this context */
	if (vcpu_state(cur) == VCPU_OFF_PENDING)
		vcpu_set_state(cur, VCPU_OFF);
	/* the last put of a stopping VM finishes its stop (vm.h: VM_LOADED_STOPPING) */
	if (__atomic_sub_fetch(&vm->arch.nr_loaded, 1, __ATOMIC_SEQ_CST) == VM_LOADED_STOPPING)
		vm_stopped(vm);
}

/*
 * false when v's VM has begun to stop since v was picked, or v is no longer on:
 * it is not loaded then. The state is read again once the count holds the VM:
 * a whole stop and reset can pass between pick and load (v then OFF, or being
 * reset), and only a state read after the count orders v's new context before us.
 */
static bool load(struct pcpu *p, struct vcpu *v)
{
	struct vm *vm = v->vm;
	unsigned n = __atomic_load_n(&vm->arch.nr_loaded, __ATOMIC_SEQ_CST);

	do {
		if (n & VM_LOADED_STOPPING)
			return false;
	} while (!__atomic_compare_exchange_n(&vm->arch.nr_loaded, &n, n + 1, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	if (vcpu_state(v) != VCPU_ON) {
		/* a stop asked meanwhile counted on us to finish it, as the last put would */
		if (__atomic_sub_fetch(&vm->arch.nr_loaded, 1, __ATOMIC_SEQ_CST) ==
		    VM_LOADED_STOPPING)
			vm_stopped(vm);
		return false;
	}
	p->cur = v;
	__atomic_store_n(&v->waiting, false, __ATOMIC_RELAXED);
	arch_vcpu_load(v);
	vstat_load(&v->stats);
	return true;
}

#define PCPU_REQ_ALL (PCPU_REQ_RESCHED | PCPU_REQ_KICK)

static void reschedule(struct pcpu *p)
{
	struct vcpu *prev = p->cur, *v;

	v = pick(p, prev);
	if (v && v == prev)
		return;
	put_current(p);
	/* putting prev may have finished a VM stop (and restarted it on reset): pick again */
	for (;;) {
		v = pick(p, prev);
		if (v && load(p, v))
			return;
		if (v)
			continue; /* its VM is stopping or v went off: the next pick skips it */
		arch_idle();
		__atomic_and_fetch(&p->requests, ~PCPU_REQ_ALL, __ATOMIC_SEQ_CST);
	}
}

/*
 * A kick alone leaves a runnable vCPU where it is: it switched vCPUs too once, and an IPI flood
 * at a vCPU on a shared pCPU cut the other vCPU's slices into pieces a few microseconds long
 * (irqstorm: the sharer lost a third of its share to the switches). A kick for a vCPU waiting
 * in WFI/HLT is a RESCHED (vcpu_kick), so a wake-up does not wait for the time-slice tick.
 */
void sched_next(void)
{
	struct pcpu *p = this_pcpu();
	uint32_t req = __atomic_fetch_and(&p->requests, ~PCPU_REQ_ALL, __ATOMIC_SEQ_CST);

	if (!(req & PCPU_REQ_RESCHED) && p->cur && vcpu_state(p->cur) == VCPU_ON)
		return;
	reschedule(p);
}

void sched_yield(void)
{
	struct pcpu *p = this_pcpu();
	struct vcpu *prev = p->cur;

	__atomic_and_fetch(&p->requests, ~PCPU_REQ_ALL, __ATOMIC_SEQ_CST);
	/* only WFI/HLT yield: until it is loaded again, an interrupt for prev wakes it */
	if (prev)
		__atomic_store_n(&prev->waiting, true, __ATOMIC_RELAXED);
	reschedule(p);
	if (prev && p->cur == prev) /* nothing else to run: it goes on */
		__atomic_store_n(&prev->waiting, false, __ATOMIC_RELAXED);
}

void sched_run(void)
{
	struct pcpu *p = this_pcpu();

	sched_next();
	arch_vcpu_enter(p->cur);
}
