// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An attacking guest (linked and loaded at 64 MiB, attack.ld, so keel's host addresses from
 * 1 MiB up are outside its memory):
 * 1. keel's image and heap, the BIOS areas and the chipset, named as guest-physical addresses:
 *    every load, store and fetch is #GP(0);
 * 2. the SVM instructions (VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA): #UD; MSRs keel
 *    keeps to itself (VM_HSAVE_PA, VM_CR, SYSCFG, ...): #GP; EFER never shows SVME; writes to the
 *    TSC must not move keel's own clock (a VM sharing the pCPU still gets its slices); XSETBV
 *    and RDTSCP: #UD (an XSETBV TCG lets through lasts only until another vCPU runs, an RDTSCP
 *    it lets through reads TSC_AUX 0, not keel's pCPU index);
 * 3. every I/O port but the power and reset ones (random values and sizes) and the x2APIC's
 *    writable registers with random values (#GP is the only exception allowed, for reserved bits);
 * and keel still answers a hypercall afterwards. bootargs "seed=N", "rounds=N".
 */
#include "guest.h"
#include <keel/hypercall.h>

static unsigned bad;

static const uint32_t keel_addrs[] = {
	0x0,	    0x9f000,	0xb8000,    0xf0000, /* real-mode IVT, EBDA, VGA, BIOS */
	0x100000,   0x110000,	0x140000, /* keel's image: text, data */
	0x180000,   0x200000,	0x400000, /* bss (stacks, VM structures), heap */
	0x1000000,  0x3fff000, /* host RAM below this VM */
	0x5000000,  0x40000000, 0x7ffff000, /* above it, up to the top of 2 GiB */
	0xfec00000, 0xfed00000, /* I/O APIC, HPET */
};

static void probe_keel(void)
{
	static const char *const what[] = { "read", "write", "fetch" };
	unsigned before = bad;

	expect_abort = true;
	for (unsigned i = 0; i < sizeof(keel_addrs) / sizeof(keel_addrs[0]); i++)
		for (int k = 0; k < 3; k++) {
			uint32_t a = keel_addrs[i];
			bool f = k == 0 ? probe_read(a) :
				 k == 1 ? probe_write(a, 0x6b65656c) :
					  probe_fetch(a);

			if (!f || exc_seen.vector != EXC_GP || exc_seen.error != 0 ||
			    (k == 2 && exc_seen.eip != a)) {
				bad++;
				FAIL("attack_keel_image", "%s at 0x%x: vector %u error 0x%x",
				     what[k], (unsigned)a, (unsigned)exc_seen.vector,
				     (unsigned)exc_seen.error);
			}
		}
	expect_abort = false;
	if (bad == before)
		PASS("attack_keel_image");
}

/* a 3-byte SVM instruction (0f 01 modrm) that must raise #UD; resumes right behind it */
#define SVM_INSN_UD(modrm)                                             \
	({                                                             \
		unsigned b_ = exc_seen.count;                          \
		expect_abort = true;                                   \
		asm volatile("movl $1f, exc_recover\n\t"               \
			     "xorl %%eax, %%eax\n\t"                   \
			     "xorl %%ecx, %%ecx\n\t"                   \
			     ".byte 0x0f, 0x01, " modrm "\n"           \
			     "1:\tmovl $0, exc_recover" ::             \
				     : "eax", "ecx", "edx", "memory"); \
		expect_abort = false;                                  \
		exc_seen.count == b_ + 1 && exc_seen.vector == EXC_UD; \
	})

static void privileged(void)
{
	bool ud[] = { SVM_INSN_UD("0xd8"), SVM_INSN_UD("0xda"), SVM_INSN_UD("0xdb"),
		      SVM_INSN_UD("0xdc"), SVM_INSN_UD("0xdd"), SVM_INSN_UD("0xde"),
		      SVM_INSN_UD("0xdf") };
	static const char *const svm[] = { "VMRUN", "VMLOAD", "VMSAVE", "STGI",
					   "CLGI",  "SKINIT", "INVLPGA" };
	static const uint32_t keel_msrs[] = {
		0xc0010117, /* VM_HSAVE_PA */
		0xc0010114, /* VM_CR */
		0xc0010010, /* SYSCFG */
		0xc0010015, /* HWCR */
		0xc0011029, /* DE_CFG */
		0x3a, /* FEATURE_CONTROL */
		0x2ff, /* MTRR default type */
		0xc0010058, /* MMIO config base */
		0xc0000103, /* TSC_AUX: keel's pCPU index */
	};
	unsigned before = bad;
	uint64_t v;

	for (unsigned i = 0; i < sizeof(svm) / sizeof(svm[0]); i++)
		if (!ud[i]) {
			bad++;
			FAIL("attack_priv_insn", "%s: no #UD", svm[i]);
		}
	for (unsigned i = 0; i < sizeof(keel_msrs) / sizeof(keel_msrs[0]); i++) {
		bool rd = rdmsr_safe(keel_msrs[i], &v), wr = wrmsr_safe(keel_msrs[i], 0x1000);

		if (rd || wr || exc_seen.vector != EXC_GP) {
			bad++;
			FAIL("attack_priv_insn", "MSR 0x%x: read %s, write %s",
			     (unsigned)keel_msrs[i], rd ? "allowed" : "#GP",
			     wr ? "allowed" : "#GP");
		}
	}
	/* EFER: SVME can be neither seen nor cleared */
	if (!rdmsr_safe(0xc0000080, &v) || (v & (1u << 12)) ||
	    !wrmsr_safe(0xc0000080, v | (1u << 12)) || !rdmsr_safe(0xc0000080, &v) ||
	    (v & (1u << 12))) {
		bad++;
		FAIL("attack_priv_insn", "EFER shows SVME: 0x%lx", (unsigned long)v);
	}
	if (bad == before)
		PASS("attack_priv_insn");
}

/*
 * XSETBV (CR4.OSXSAVE set in the guest's own CR4, which the CPU allows whatever CPUID says) and
 * RDTSCP: neither is offered by CPUID. XSETBV is #UD, or, where the intercept is ignored (QEMU
 * 7.2 TCG), its XCR0 lasts only until keel runs another vCPU (the victim): x87|SSE again, AVX
 * #UD. RDTSCP is #UD, or, where that intercept is ignored too, ECX is 0: TSC_AUX is not keel's
 * (the scenario runs on pCPU 1).
 */
static void xstate_rdtscp(void)
{
	uint64_t x0 = 0, x1 = 0, x2 = 0;
	uint32_t aux = 0, v[4];
	int o = cr4_set_safe(CR4_OSFXSR | CR4_OSXSAVE), g = xgetbv_safe(0, &x0);
	int s = xsetbv_safe(0, XCR0_X87 | XCR0_SSE | XCR0_YMM), r, t;

	xgetbv_safe(0, &x1);
	delay_ms(200); /* the victim gets slices */
	xgetbv_safe(0, &x2);
	r = ymm0_hi_read(v);
	t = rdtscp_safe(&aux);
	gprintf("attack: CR4.OSXSAVE %d, XCR0 0x%lx (%d), XSETBV %d -> 0x%lx, later 0x%lx, AVX %d;"
		" RDTSCP %d ECX 0x%x\n",
		o, (unsigned long)x0, g, s, (unsigned long)x1, (unsigned long)x2, r, t,
		(unsigned)aux);
	check(x0 == (XCR0_X87 | XCR0_SSE) && x2 == x0 && (s == EXC_UD || r == EXC_UD),
	      "attack_xsetbv", "XCR0 0x%lx, after XSETBV (exception %d) 0x%lx, later 0x%lx",
	      (unsigned long)x0, s, (unsigned long)x1, (unsigned long)x2);
	check(t == EXC_UD || (t < 0 && !aux), "attack_rdtscp", "RDTSCP: exception %d, ECX 0x%x", t,
	      (unsigned)aux);
}

/* The TSC: writes are the guest's business only; keel's time slices keep running. */
static void tsc_writes(void)
{
	unsigned long n = 0;
	uint64_t t;

	/* for about as long as a few of keel's 10 ms slices, pull the TSC back to 0 */
	for (unsigned i = 0; i < 20000; i++, n++)
		if (!wrmsr_safe(0x10, (uint64_t)i))
			break;
	t = counter();
	gprintf("attack: %lu TSC writes, TSC now %lu\n", n, (unsigned long)t);
	check(n == 20000, "attack_tsc", "WRMSR to the TSC faulted after %lu writes", n);
}

static void fuzz_devices(uint64_t seed, unsigned rounds)
{
	static const uint32_t apic_w[] = { X2APIC_TPR,	   X2APIC_SVR, X2APIC_ESR,   X2APIC_ICR,
					   X2APIC_LVTT,	   0x833,      0x834,	     0x835,
					   0x836,	   0x837,      X2APIC_TMICT, X2APIC_TDCR,
					   X2APIC_SELF_IPI };
	unsigned before = exc_seen.count, other = 0;
	unsigned long n = 0;

	irq_disable(); /* whatever the fuzzing makes pending stays pending */
	for (unsigned r = 0; r < rounds; r++)
		for (uint32_t port = 0; port < 0x10000; port++) {
			uint64_t x = rng_next(&seed);
			uint16_t p = (uint16_t)port, w;
			uint32_t l;

			if (p == PORT_ACPI_PM1A_CNT || p == PORT_RESET_CTL || p == PORT_KBD_CMD ||
			    p == COM1)
				continue; /* power off, reset, COM1's data register (it prints) */
			switch (x & 3) {
			case 0:
				outb(p, (uint8_t)(x >> 8));
				(void)inb(p);
				break;
			case 1:
				outw(p, (uint16_t)(x >> 8));
				asm volatile("inw %1, %0" : "=a"(w) : "d"(p));
				break;
			default:
				asm volatile("outl %0, %1" ::"a"((uint32_t)(x >> 8)), "d"(p));
				asm volatile("inl %1, %0" : "=a"(l) : "d"(p));
			}
			(void)w;
			(void)l;
			n += 2;
		}
	outb(COM1 + UART_LCR, 3); /* a console that still prints: 8N1, no DLAB */
	outb(COM1 + UART_IER, 0);
	expect_abort = true;
	for (unsigned r = 0; r < 25; r++)
		for (unsigned i = 0; i < sizeof(apic_w) / sizeof(apic_w[0]); i++) {
			uint64_t v = rng_next(&seed);

			/* fixed delivery only: no INIT, start-up or NMI aimed at itself */
			if (apic_w[i] == X2APIC_ICR ||
			    (apic_w[i] >= X2APIC_LVTT && apic_w[i] <= 0x837))
				v &= ~0x700UL;
			if (!wrmsr_safe(apic_w[i], v) && exc_seen.vector != EXC_GP)
				other++;
			n++;
		}
	for (uint32_t msr = 0x800; msr < 0x900; msr++, n++)
		if (!rdmsr_safe(msr, &(uint64_t){ 0 }) && exc_seen.vector != EXC_GP)
			other++;
	expect_abort = false;
	wrmsr(X2APIC_LVTT, APIC_LVT_MASKED);
	wrmsr(X2APIC_TMICT, 0);
	gprintf("attack: %lu port and x2APIC accesses, %u #GP\n", n, exc_seen.count - before);
	check(!other, "attack_devices", "%u exceptions other than #GP while fuzzing", other);
}

void guest_main(void)
{
	uint64_t seed = 1, rounds = 1;
	uint32_t eax = 0;

	bootarg_u64("seed", &seed);
	bootarg_u64("rounds", &rounds);
	gprintf("attack: seed %lu, %lu rounds\n", (unsigned long)seed, (unsigned long)rounds);
	probe_keel();
	privileged();
	xstate_rdtscp();
	tsc_writes();
	fuzz_devices(seed | 1, (unsigned)rounds);
	check(vmmcall_safe(KEEL_HC_VERSION, 0, 0, &eax) && eax == KEEL_OK && !bad, "attack",
	      "keel answered VERSION with %u after the attack, %u failures", (unsigned)eax, bad);
}
