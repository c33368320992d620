/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine under keel's core code in the fuzz harnesses (fake_env.c):
 * host memory from malloc (every allocation tracked, so a double free, a
 * wrong size or a leak breaks a promise), pCPUs and a scheduler that only
 * count, a clock the harness sets, and weak fakes of every arch hook that
 * real arch code linked into a harness replaces.
 */
#ifndef FAKE_ENV_H
#define FAKE_ENV_H

#include <keel/vm.h>
#include <setjmp.h>
#include "fuzz.h"

extern uint64_t fake_now; /* arch_counter(), rdtsc, time CSR */
extern uint64_t fake_mm_budget; /* bytes mm_alloc may still hand out */
extern unsigned fake_sched_count; /* vCPUs placed by sched_add and not removed */
extern jmp_buf *fake_poweroff; /* arch_poweroff() jumps here (NULL: abort) */
extern unsigned long fake_console_bytes; /* bytes keel's console wrote */
/* arch_vm_destroy() also runs this (the arch's per-vCPU pages) */
extern void (*fake_vm_destroy_hook)(struct vm *vm);

unsigned fake_mm_live(void); /* allocations not freed */
/* true when [p, p + n) lies inside one live allocation */
bool fake_mm_owns(const void *p, uint64_t n);
void fake_mm_free_all(void); /* forget (free) every allocation: a fresh machine */

/*
 * A boot-time VM through vm_create() and vm_start(): cfg (the caller's, it must
 * outlive the VM) gets one memory region and a small kernel; pool != 0 makes
 * it a keel,manager with that memory-pool.
 */
struct vm *fake_boot_vm(struct vm_config *cfg, const char *name, unsigned vcpus, uint64_t ipa,
			uint64_t size, uint64_t pool);
/* The same in two steps, for a harness that sets more of cfg in between. */
void fake_vm_config(struct vm_config *cfg, const char *name, unsigned vcpus, uint64_t ipa,
		    uint64_t size, uint64_t pool);
struct vm *fake_start_vm(const struct vm_config *cfg);
/* Terminate and destroy every VM (each must allow it); IDs, tables and vCPUs all given back. */
void fake_destroy_all(void);

#endif
