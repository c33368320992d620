// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Concurrency stress of keel's cross-pCPU paths on host threads, built with
 * -fsanitize=thread (not ASan: the two do not mix), so ThreadSanitizer reports
 * any data race. Three threads are pCPUs running keel's own scheduler
 * (src/sched.c: run queues, pick/put/load, requests), PSCI from arm64
 * (psci.c: CPU_ON/OFF, AFFINITY_INFO, SYSTEM_RESET through vm.c's stop and
 * restart) for one 6-vCPU VM, two vCPUs per pCPU; a fourth thread stops and
 * resets that VM at random moments (vm_request_stop, as a manager's
 * terminate or another vCPU's SYSTEM_RESET would).
 *
 * Promises besides "TSan is silent": a vCPU is never loaded on two pCPUs at
 * once; a stop completes (vm_stopped) only once no vCPU of the VM is loaded,
 * exactly once per stop; a terminate landing anywhere in a reset ends with
 * the VM stopped and its ID released exactly once, no reset after it; the
 * spinlock excludes (a counter under it adds up).
 */
#include <keel/arch.h>
#include <keel/hypercall.h>
#include <keel/hcall.h>
#include <keel/mm.h>
#include <keel/vm.h>
#include <asm/arm64.h>
#include <asm/smccc.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NR_CPUS 3
#define NR_VCPUS 6
#define EXITS 10000 /* guest exits in all */
#define RAM 0x40000000ULL

#define CHECK(c)                                                                                \
	do {                                                                                    \
		if (!(c)) {                                                                     \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #c); \
			abort();                                                                \
		}                                                                               \
	} while (0)

unsigned long race_spawn(void *(*fn)(void *), void *arg); /* race_threads.c */
void race_join(unsigned long t);

static __thread unsigned cpu;
static __thread jmp_buf *idle_exit;
static __thread uint64_t seed; /* xorshift state of this thread */
static int quit, stops, resets, exits, released, terminate_now;
static int loaded_on[NR_VCPUS]; /* pCPU + 1, 0: not loaded */
static struct vm *vm;

/* ---- the machine */
unsigned arch_cpu_id(void)
{
	return cpu;
}

void arch_send_kick(unsigned c)
{
	CHECK(c < NR_CPUS);
}

void arch_idle(void)
{
	if (__atomic_load_n(&quit, __ATOMIC_ACQUIRE))
		longjmp(*idle_exit, 1);
	__builtin_ia32_pause();
}

void arch_vcpu_load(struct vcpu *v)
{
	int none = 0;

	/* never on two pCPUs at once */
	CHECK(__atomic_compare_exchange_n(&loaded_on[v->id], &none, (int)cpu + 1, false,
					  __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
}

void arch_vcpu_put(struct vcpu *v)
{
	int me = (int)cpu + 1;

	CHECK(__atomic_compare_exchange_n(&loaded_on[v->id], &me, 0, false, __ATOMIC_ACQ_REL,
					  __ATOMIC_ACQUIRE));
	v->arch.regs.x[0]++; /* saves its context: CPU_ON may write it only after this */
}

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	v->arch.regs.x[0] = arg;
	v->arch.elr = entry;
}

void arch_vm_tlb_flush(struct vm *m)
{
	/* vm_stopped's reset: every vCPU has been put, none can be loaded */
	CHECK(m->state == VM_STOPPING);
	CHECK((__atomic_load_n(&m->arch.nr_loaded, __ATOMIC_SEQ_CST) & ~VM_LOADED_STOPPING) == 0);
	for (unsigned i = 0; i < NR_VCPUS; i++)
		CHECK(!__atomic_load_n(&loaded_on[i], __ATOMIC_ACQUIRE));
	CHECK(!__atomic_load_n(&released, __ATOMIC_SEQ_CST));
	__atomic_add_fetch(&resets, 1, __ATOMIC_SEQ_CST);
	/* the terminate phase: let the stopper's terminate land while this reset reloads */
	int armed = 1;

	if (cpu < NR_CPUS && /* a pCPU's put finishing the stop, not the stopper itself */
	    __atomic_compare_exchange_n(&terminate_now, &armed, 2, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		while (__atomic_load_n(&terminate_now, __ATOMIC_SEQ_CST) != 3)
			__builtin_ia32_pause();
}

uint64_t arch_counter(void)
{
	static uint64_t t;

	return __atomic_add_fetch(&t, 1, __ATOMIC_RELAXED);
}

uint64_t arch_counter_hz(void)
{
	return 1000000000;
}

void arch_console_putc(char c)
{
	(void)c; /* console_lock held */
}

void __attribute__((noreturn)) arch_poweroff(void)
{
	CHECK(!"every VM stopped");
	abort();
}

void __attribute__((noreturn)) arch_vcpu_enter(struct vcpu *v)
{
	(void)v;
	abort();
}

/* vm_create's needs, single-threaded (before the pCPUs start) */
bool mm_alloc(uint64_t size, uint64_t align, paddr_t *out)
{
	void *p = aligned_alloc(align, size);

	if (p)
		*out = pa_init((uintptr_t)p);
	return p;
}

void mm_free(paddr_t base, uint64_t size)
{
	(void)size;
	free(pa_ptr(base));
}

void *mm_alloc_page(void)
{
	return calloc(1, PAGE_SIZE);
}

uint64_t mm_free_bytes(void)
{
	return MiB(64);
}

void arch_zero(void *p, size_t n)
{
	memset(p, 0, n); /* a reset scrubs the VM: a long window for a late stop to land in */
}

int arch_vm_init(struct vm *m)
{
	(void)m;
	return 0;
}

int arch_stage2_map(struct vm *m, uint64_t ipa, paddr_t pa, uint64_t size)
{
	(void)m, (void)ipa, (void)pa, (void)size;
	return 0;
}

void arch_vm_release_id(struct vm *m)
{
	/* once, after terminate, with nothing loaded: no reset may follow */
	CHECK(m->terminated);
	CHECK((__atomic_load_n(&m->arch.nr_loaded, __ATOMIC_SEQ_CST) & ~VM_LOADED_STOPPING) == 0);
	CHECK(__atomic_add_fetch(&released, 1, __ATOMIC_SEQ_CST) == 1);
}

void arch_vm_destroy(struct vm *m)
{
	(void)m;
}

void arch_stage2_unmap_page(struct vm *m, uint64_t ipa)
{
	(void)m, (void)ipa;
}

int arch_guest_boot_info(void *buf, size_t size, struct vm *m, const struct guest_fdt_info *info)
{
	(void)buf, (void)size, (void)m, (void)info;
	return 0;
}

void arch_vm_devices(struct vm *m)
{
	(void)m;
}

void arch_vcpu_init(struct vcpu *v)
{
	(void)v;
}

void arch_part_limits(struct part_limits *lim, unsigned nr_cpus)
{
	memset(lim, 0, sizeof(*lim));
	lim->nr_pcpus = nr_cpus;
	lim->max_vcpus = KEEL_MAX_VCPUS;
	lim->ipa_limit = 1ULL << 40;
}

void keel_hypercall(struct vcpu *v, unsigned n, const uint64_t args[5], struct hc_result *r)
{
	(void)v, (void)n, (void)args;
	memset(r, 0, sizeof(*r));
}

/* ---- a pCPU: run the current vCPU, take its exit, as trap.c's after_exit does */
static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static void guest_exit(struct vcpu *v)
{
	struct frame f = { .x = { 0 } };
	uint64_t r = rnd();

	switch (r % 16) {
	case 0 ... 5:
		f.x[0] = PSCI_CPU_ON;
		f.x[1] = (r >> 8) % NR_VCPUS;
		f.x[2] = RAM + 0x100;
		f.x[3] = r;
		break;
	case 6 ... 8:
		f.x[0] = PSCI_CPU_OFF;
		break;
	case 9 ... 11:
		f.x[0] = PSCI_AFFINITY_INFO;
		f.x[1] = (r >> 8) % NR_VCPUS;
		break;
	case 12:
		f.x[0] = (r >> 8) % 64 ? PSCI_VERSION : PSCI_SYSTEM_RESET;
		break;
	default:
		sched_yield(); /* WFI on a shared pCPU, or its time slice ran out */
		return;
	}
	psci_call(v, &f);
}

static void *pcpu_thread(void *arg)
{
	jmp_buf out;
	struct pcpu *p;

	cpu = (unsigned)(uintptr_t)arg;
	seed = 0x9e3779b97f4a7c15ULL * (cpu + 1);
	p = this_pcpu();
	idle_exit = &out;
	if (setjmp(out))
		return NULL; /* idle when the run ended */
	sched_next();
	while (!__atomic_load_n(&quit, __ATOMIC_ACQUIRE)) {
		struct vcpu *v = p->cur;

		guest_exit(v);
		__atomic_add_fetch(&exits, 1, __ATOMIC_RELAXED);
		if (__atomic_load_n(&p->requests, __ATOMIC_ACQUIRE) || vcpu_state(v) != VCPU_ON)
			sched_next();
	}
	return NULL;
}

static void *stopper(void *arg)
{
	(void)arg;
	seed = 12345;
	cpu = NR_CPUS; /* a pCPU with no vCPUs of this VM (a manager's) */
	while (!__atomic_load_n(&quit, __ATOMIC_ACQUIRE)) {
		for (unsigned i = rnd() % 20000; i; i--) /* busy: a stop can land anywhere */
			__builtin_ia32_pause();
		if (__atomic_load_n(&terminate_now, __ATOMIC_ACQUIRE)) {
			/*
			 * A manager's terminate while a reset finished by a pCPU's
			 * last put is between its state check and its restart (the
			 * VM may have every vCPU off by now: ask for resets until one is).
			 */
			while (__atomic_load_n(&terminate_now, __ATOMIC_SEQ_CST) != 2) {
				vm_request_stop(vm, true);
				for (unsigned i = rnd() % 20000; i; i--)
					__builtin_ia32_pause();
			}
			CHECK(vm_terminate(vm) == 0);
			__atomic_store_n(&terminate_now, 3, __ATOMIC_SEQ_CST);
			break;
		}
		vm_request_stop(vm, true);
		__atomic_add_fetch(&stops, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

/* ---- the spinlock alone: a plain counter under it adds up */
static spinlock_t lock = SPINLOCK_INIT;
static uint64_t counter;

static void *locker(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < 20000; i++) {
		spin_lock(&lock);
		counter++;
		spin_unlock(&lock);
	}
	return NULL;
}

static void lock_test(void)
{
	unsigned long t[NR_CPUS];

	for (unsigned i = 0; i < NR_CPUS; i++)
		t[i] = race_spawn(locker, NULL);
	for (unsigned i = 0; i < NR_CPUS; i++)
		race_join(t[i]);
	CHECK(counter == 20000ULL * NR_CPUS);
}

int main(void)
{
	static struct vm_config cfg;
	static const uint8_t kernel[64];
	unsigned long t[NR_CPUS + 1];

	nr_pcpus = NR_CPUS + 1;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.name, sizeof(cfg.name), "race");
	cfg.vcpus = NR_VCPUS;
	cfg.nr_mem = 1;
	cfg.mem[0] = (struct mem_region){ RAM, MiB(1) };
	cfg.kernel = kernel;
	cfg.kernel_size = cfg.load_size = sizeof(kernel);
	cfg.load_addr = cfg.entry = RAM;
	cfg.has_affinity = true;
	for (unsigned i = 0; i < NR_VCPUS; i++)
		cfg.affinity[i] = i % NR_CPUS;
	CHECK(vm_create(&cfg, &vm) == 0);
	vm_start(vm);
	for (uintptr_t i = 0; i < NR_CPUS; i++)
		t[i] = race_spawn(pcpu_thread, (void *)i);
	t[NR_CPUS] = race_spawn(stopper, NULL);
	while (__atomic_load_n(&exits, __ATOMIC_RELAXED) < EXITS)
		usleep(1000);
	/* then a terminate: the VM ends stopped, its ID released once, and stays so */
	__atomic_store_n(&terminate_now, 1, __ATOMIC_RELEASE);
	for (unsigned ms = 0; ms < 10000 && !__atomic_load_n(&released, __ATOMIC_SEQ_CST); ms++)
		usleep(1000);
	usleep(20000);
	CHECK(__atomic_load_n(&released, __ATOMIC_SEQ_CST) == 1);
	spin_lock(&vm->lock);
	CHECK(vm->state == VM_STOPPED);
	spin_unlock(&vm->lock);
	for (unsigned i = 0; i < NR_VCPUS; i++)
		CHECK(!__atomic_load_n(&loaded_on[i], __ATOMIC_ACQUIRE));
	__atomic_store_n(&quit, 1, __ATOMIC_RELEASE);
	for (unsigned i = 0; i <= NR_CPUS; i++)
		race_join(t[i]);
	lock_test();
	printf("PASS race_sched (%d stops asked, %d resets done, boot %u)\n", stops, resets,
	       vm->boot_count);
	return 0;
}
