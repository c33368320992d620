// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A keel,manager VM drives the others (partition: boss = 0 this, worker = 1
 * running forever, plain = 2 that powers itself off): VM_INFO with per-vCPU
 * accounting, the refused transitions, TERMINATE (hardware ID released once
 * stopped), DESTROY (memory back), START of a VM that powered itself off,
 * and VM_CREATE: errors, pool and VM-count limits, create/destroy cycles and
 * a created VM that probes for the manager's memory.
 */
#include "guest.h"
#include <keel/hypercall.h>

static struct keel_ret call(unsigned n, unsigned long id)
{
	return keel_call(n, id);
}

static bool wait_state(uint64_t id, uint64_t state)
{
	return keel_wait_state(id, state, 10);
}

#define STATUS(r) ((r).status)
/* outside the manager's 16 MiB on every arch (arm64 0x40000000, riscv64 0x80000000, x86 0) */
#define OUTSIDE 0xfff00000UL

/* partition DTBs of the VMs it creates (tests/guests/<arch>/{child,bigchild,probe}.dts) */
GUEST_EMBED_DTB(child);
GUEST_EMBED_DTB(bigchild);
GUEST_EMBED_DTB(probe);

static char corrupt[4096] __attribute__((aligned(8)));
static uint64_t canary[8192]; /* 64 KiB of the manager's memory the probe VM must not reach */
static struct keel_vcpu_info info[2];

static struct keel_ret create(const void *dtb, unsigned long size)
{
	return keel_call2(KEEL_HC_VM_CREATE, (unsigned long)dtb, size);
}

static void discard(unsigned long id)
{
	keel_call(KEEL_HC_VM_TERMINATE, id);
	wait_state(id, KEEL_VM_TERMINATED);
	keel_call(KEEL_HC_VM_DESTROY, id);
}

/* Create from dtb until keel refuses; returns how many were made, *status the refusal. */
static unsigned fill(const char *dtb, unsigned long size, unsigned long ids[], unsigned max,
		     long *status)
{
	unsigned n = 0;

	*status = KEEL_OK;
	while (n < max) {
		struct keel_ret r = create(dtb, size);

		*status = STATUS(r);
		if (*status != KEEL_OK)
			break;
		ids[n++] = r.v[0];
	}
	return n;
}

static void check_create_errors(void)
{
	unsigned long size = DTB_SIZE(child);

	check(STATUS(create((void *)OUTSIDE, size)) == KEEL_EINVAL, "create_outside",
	      "a DTB outside the manager's memory was accepted");
	check(STATUS(create(child_dtb, size / 2)) == KEEL_EINVAL, "create_truncated",
	      "a truncated DTB was accepted");
	for (unsigned long i = 0; i < size && i < sizeof(corrupt); i++)
		corrupt[i] = child_dtb[i];
	corrupt[0] ^= 0xff;
	check(STATUS(create(corrupt, size < sizeof(corrupt) ? size : sizeof(corrupt))) ==
		      KEEL_EINVAL,
	      "create_corrupt", "a DTB with a bad magic was accepted");
}

/* The pool holds two big VMs, not three; keel holds 8 VMs, the pool more small ones. */
static void check_create_limits(void)
{
	unsigned long ids[16];
	unsigned n;
	long st;
	struct keel_ret r = create(child_dtb, DTB_SIZE(child));

	check(STATUS(r) == KEEL_OK && keel_call(KEEL_HC_VM_INFO, r.v[0]).v[0] == KEEL_VM_CREATED,
	      "create", "VM_CREATE %ld", (long)STATUS(r));
	if (STATUS(r) == KEEL_OK)
		discard(r.v[0]);
	n = fill(bigchild_dtb, DTB_SIZE(bigchild), ids, 16, &st);
	check(n == 2 && st == KEEL_ENOMEM, "create_pool",
	      "%u big VMs created (want 2), then status %ld (want ENOMEM %d)", n, st, KEEL_ENOMEM);
	while (n)
		discard(ids[--n]);
	n = fill(child_dtb, DTB_SIZE(child), ids, 16, &st);
	check(n >= 1 && n < 16 && st == KEEL_ENOSPC, "create_too_many",
	      "%u VMs created, then status %ld (want ENOSPC %d)", n, st, KEEL_ENOSPC);
	while (n)
		discard(ids[--n]);
}

/* 100 full cycles: the pool and the VM slots come back every time */
static void check_create_cycles(void)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < 100; i++) {
		struct keel_ret r = create(child_dtb, DTB_SIZE(child));
		unsigned long id = r.v[0];

		if (STATUS(r) != KEEL_OK || STATUS(keel_call(KEEL_HC_VM_START, id)) != KEEL_OK ||
		    !wait_state(id, KEEL_VM_STOPPED) ||
		    STATUS(keel_call(KEEL_HC_VM_TERMINATE, id)) != KEEL_OK ||
		    !wait_state(id, KEEL_VM_TERMINATED) ||
		    STATUS(keel_call(KEEL_HC_VM_DESTROY, id)) != KEEL_OK)
			break;
		ok++;
	}
	check(ok == 100, "create_cycles", "%u of 100 create/start/terminate/destroy cycles", ok);
	/* the whole pool is free again: the two big VMs fit once more */
	unsigned long ids[4];
	long st;
	unsigned n = fill(bigchild_dtb, DTB_SIZE(bigchild), ids, 4, &st);

	check(n == 2, "pool_returned", "%u big VMs fit after the cycles (want 2)", n);
	while (n)
		discard(ids[--n]);
}

/* A created VM reads, writes and jumps outside its memory: it faults, the manager's canary holds. */
static void check_probe(void)
{
	unsigned bad = 0;
	struct keel_ret r;

	for (unsigned i = 0; i < sizeof(canary) / sizeof(canary[0]); i++)
		canary[i] = 0x6b65656c00000000ULL | i;
	r = create(probe_dtb, DTB_SIZE(probe));
	check(STATUS(r) == KEEL_OK && STATUS(keel_call(KEEL_HC_VM_START, r.v[0])) == KEEL_OK &&
		      wait_state(r.v[0], KEEL_VM_STOPPED),
	      "probe_ran", "probe VM: create %ld, state %lu", (long)STATUS(r),
	      (unsigned long)keel_call(KEEL_HC_VM_INFO, r.v[0]).v[0]);
	for (unsigned i = 0; i < sizeof(canary) / sizeof(canary[0]); i++)
		bad += canary[i] != (0x6b65656c00000000ULL | i);
	check(!bad, "probe_canary", "%u words of the manager's memory changed", bad);
	if (STATUS(r) == KEEL_OK)
		discard(r.v[0]);
}

/* VM_INFO with a buffer: the worker's vCPU 0 ran and exited; bad vCPU or buffer refused. */
static void check_accounting(void)
{
	unsigned long buf = (unsigned long)(uintptr_t)&info[0];
	uint64_t end = counter() + counter_freq() * 10;
	struct keel_ret r;
	unsigned long long exits = 0;

	do /* the worker prints from its start: wait until a few UART exits are accounted */
		r = keel_call3(KEEL_HC_VM_INFO, 1, 0, buf);
	while (STATUS(r) == KEEL_OK && info[0].exits[KEEL_EXIT_IO] < 3 && counter() < end);

	for (unsigned c = 0; c < KEEL_EXIT_CLASSES; c++)
		exits += info[0].exits[c];
	/* (keel_ns may be 0: exits answered on a fast path are counted, not timed) */
	check(STATUS(r) == KEEL_OK && info[0].run_ns > 0 && info[0].exits[KEEL_EXIT_IO] >= 3 &&
		      exits >= info[0].exits[KEEL_EXIT_IO],
	      "info_vcpu", "status %ld run %llu ns keel %llu ns io exits %llu", (long)STATUS(r),
	      info[0].run_ns, info[0].keel_ns, info[0].exits[KEEL_EXIT_IO]);
	check(STATUS(keel_call3(KEEL_HC_VM_INFO, 1, 1, buf)) == KEEL_EINVAL &&
		      STATUS(keel_call3(KEEL_HC_VM_INFO, 1, 0, OUTSIDE)) == KEEL_EINVAL &&
		      STATUS(keel_call3(KEEL_HC_VM_INFO, 1, 0, buf + 4)) == KEEL_EINVAL,
	      "info_vcpu_bad", "a vCPU the worker lacks, or a buffer outside memory or unaligned");
	r = keel_call3(KEEL_HC_VM_INFO, KEEL_VM_SELF, 0, (unsigned long)(uintptr_t)&info[1]);
	check(STATUS(r) == KEEL_OK && info[1].exits[KEEL_EXIT_HCALL] > 0, "info_self",
	      "status %ld, %llu hypercall exits", (long)STATUS(r), info[1].exits[KEEL_EXIT_HCALL]);
}

void guest_main(void)
{
	struct keel_ret r = call(KEEL_HC_VM_INFO, 1);

	check(STATUS(r) == KEEL_OK && r.v[0] == KEEL_VM_RUNNING && r.v[1] == 1 &&
		      r.v[2] == 0x1000000,
	      "info_other", "status %ld state %lu vCPUs %lu memory 0x%lx", (long)STATUS(r),
	      (unsigned long)r.v[0], (unsigned long)r.v[1], (unsigned long)r.v[2]);
	check_accounting();
	check(STATUS(call(KEEL_HC_VM_START, 1)) == KEEL_ESTATE, "start_running", "START accepted");
	check(STATUS(call(KEEL_HC_VM_DESTROY, 1)) == KEEL_ESTATE, "destroy_before_terminate",
	      "DESTROY of a running VM: %ld", (long)STATUS(call(KEEL_HC_VM_DESTROY, 1)));
	check(STATUS(call(KEEL_HC_VM_TERMINATE, 0)) == KEEL_EINVAL, "terminate_self",
	      "the manager terminated itself");
	check(STATUS(call(KEEL_HC_VM_INFO, 99)) == KEEL_EINVAL, "info_unknown", "id 99 accepted");
	check(STATUS(call(KEEL_HC_VM_TERMINATE, 1)) == KEEL_OK && wait_state(1, KEEL_VM_TERMINATED),
	      "terminate", "worker not TERMINATED (state %lu)",
	      (unsigned long)call(KEEL_HC_VM_INFO, 1).v[0]);
	check(STATUS(call(KEEL_HC_VM_START, 1)) == KEEL_ESTATE, "start_terminated",
	      "a terminated VM started again");
	check(STATUS(call(KEEL_HC_VM_TERMINATE, 1)) == KEEL_ESTATE, "terminate_twice",
	      "second TERMINATE accepted");
	r = call(KEEL_HC_VM_DESTROY, 1);
	/* a destroyed VM's id is free again: VM_INFO no longer knows it */
	check(STATUS(r) == KEEL_OK && STATUS(call(KEEL_HC_VM_INFO, 1)) == KEEL_EINVAL, "destroy",
	      "DESTROY %ld, then VM_INFO %ld", (long)STATUS(r),
	      (long)STATUS(call(KEEL_HC_VM_INFO, 1)));
	check(STATUS(call(KEEL_HC_VM_DESTROY, 1)) == KEEL_EINVAL, "destroy_twice",
	      "second DESTROY accepted");
	/* plain powers itself off; START boots it again from its pristine image */
	check(wait_state(2, KEEL_VM_STOPPED) && STATUS(call(KEEL_HC_VM_START, 2)) == KEEL_OK,
	      "start_again", "plain not restarted (state %lu)",
	      (unsigned long)call(KEEL_HC_VM_INFO, 2).v[0]);
	check(wait_state(2, KEEL_VM_STOPPED), "restarted_ran",
	      "plain did not run to its end again");
	check_create_errors();
	check_create_limits();
	check_create_cycles();
	check_probe();
}
