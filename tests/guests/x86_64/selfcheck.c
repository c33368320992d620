// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checks from inside a VM that what keel built matches the partition file: bootargs carry what
 * the partition said ("mem=<base> size=<bytes>", "initrd=<bytes>" when it gives an initrd). Then
 * keel's CPU model (CPUID, MSRs, protected mode), its hypercall and COM1.
 */
#include "guest.h"
#include <keel/hypercall.h>
#include <string.h>

#define KEEL_SIG 0x6c65656bu /* "keel" */
#define MSR_APIC_BASE 0x1b
#define MSR_PAT 0x277
#define MSR_EFER 0xc0000080
#define EFER_SVME (1u << 12)
#define MSR_UNKNOWN 0xdead0000u /* no such MSR anywhere */
#define MB_INFO_ROOM 0x10000 /* keel puts its multiboot information in the top 64 KiB */

extern char _end[];

static void check_boot_info(uint64_t base, uint64_t size)
{
	uint64_t b = 0, s = 0, want_initrd = 0;
	uint32_t type = 0, start = 0, end = 0, f = guest_mbi->flags;
	const char *cmd = mb_cmdline();

	check((f & (MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MEM_MAP)) ==
		      (MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MEM_MAP),
	      "mb_flags", "flags 0x%x", (unsigned)f);
	check(guest_mbi_addr >= base + size - MB_INFO_ROOM && guest_mbi_addr < base + size,
	      "mb_in_memory", "multiboot information at 0x%lx, memory ends at 0x%lx",
	      (unsigned long)guest_mbi_addr, (unsigned long)(base + size));
	check(cmd && !strncmp(cmd, "mem=", 4) && (uintptr_t)cmd > guest_mbi_addr &&
		      (uintptr_t)cmd < base + size,
	      "mb_cmdline", "cmdline at 0x%lx: %s", (unsigned long)(uintptr_t)cmd,
	      cmd ? cmd : "none");
	check(guest_mbi->mem_lower == (base ? 0 : 640) &&
		      guest_mbi->mem_upper == (uint32_t)((base + size - 0x100000) >> 10),
	      "mb_mem", "mem_lower %u KiB, mem_upper %u KiB", (unsigned)guest_mbi->mem_lower,
	      (unsigned)guest_mbi->mem_upper);
	check(mb_mmap_count() == 1 && mb_mmap(0, &b, &s, &type) && b == base && s == size &&
		      type == 1,
	      "mb_mmap", "%u entries, first 0x%lx+0x%lx type %u, partition said 0x%lx+0x%lx",
	      mb_mmap_count(), (unsigned long)b, (unsigned long)s, (unsigned)type,
	      (unsigned long)base, (unsigned long)size);
	if (bootarg_u64("initrd", &want_initrd))
		check((f & MB_INFO_MODS) && guest_mbi->mods_count == 1 &&
			      mb_module(0, &start, &end) && end - start == want_initrd &&
			      start >= base && end <= base + size &&
			      !memcmp((const void *)(uintptr_t)start, "keel", 4),
		      "mb_module", "flags 0x%x, %u module(s), 0x%x..0x%x, partition said %lu bytes",
		      (unsigned)f, (unsigned)guest_mbi->mods_count, (unsigned)start, (unsigned)end,
		      (unsigned long)want_initrd);
	else
		check(!(f & MB_INFO_MODS), "mb_no_module", "flags 0x%x with no initrd",
		      (unsigned)f);
}

static void check_memory(void)
{
	uint64_t want_base = 0, want_size = 0;

	bootarg_u64("mem", &want_base);
	bootarg_u64("size", &want_size);
	check_boot_info(want_base, want_size);

	/* all of memory is there (below the image too), writable, and came zeroed */
	bool zero = true, rw = true;
	uint32_t hi = ((uint32_t)(uintptr_t)_end + 0xfff) & ~0xfffu, mod = 0, mod_end = 0;

	mb_module(0, &mod, &mod_end);
	for (uint32_t a = 0x1000; a < (guest_mbi_addr & ~0xfffu); a += 0x10000) {
		volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)a;

		if ((a >= 0x100000 && a < hi) || (a >= mod && a < mod_end))
			continue; /* the image, the initrd */
		if (*p != 0)
			zero = false;
		*p = a ^ 0x5a5a5a5a;
		if (*p != (a ^ 0x5a5a5a5a))
			rw = false;
	}
	check(zero, "memory_zeroed", "guest memory outside the image was not zero");
	check(rw, "memory_rw", "guest memory did not keep what was written");
}

static void check_cpu(void)
{
	struct cpuid_regs r = cpuid(0x40000000, 0);
	uint32_t cr0;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	check((cr0 & 1) && !(cr0 & 0x80000000u), "protected_mode", "CR0 0x%x", (unsigned)cr0);
	check(r.eax == 0x40000001 && r.ebx == KEEL_SIG && r.ecx == KEEL_SIG && r.edx == KEEL_SIG,
	      "cpuid_hv_leaf", "0x40000000: %x %x %x %x", (unsigned)r.eax, (unsigned)r.ebx,
	      (unsigned)r.ecx, (unsigned)r.edx);
	r = cpuid(1, 0);
	check((r.ecx & (1u << 31)) && (r.ecx & (1u << 21)) && !(r.ecx & ((1u << 5) | (1u << 3))),
	      "cpuid_features", "leaf 1 ECX 0x%x (want hypervisor and x2APIC, no VMX, MONITOR)",
	      (unsigned)r.ecx);
	check(r.ebx >> 24 == 0, "cpuid_apic_id", "leaf 1 EBX 0x%x on vCPU 0", (unsigned)r.ebx);
	r = cpuid(0x80000001, 0);
	check(!(r.ecx & (1u << 2)), "cpuid_no_svm", "leaf 0x80000001 ECX 0x%x", (unsigned)r.ecx);
}

static void check_msrs(void)
{
	uint64_t v = 0, pat = 0, back = 0;
	bool ok;

	ok = rdmsr_safe(MSR_EFER, &v);
	check(ok && !(v & EFER_SVME), "efer", "read %s, EFER 0x%lx", ok ? "ok" : "faulted",
	      (unsigned long)v);
	ok = rdmsr_safe(MSR_PAT, &pat) && wrmsr_safe(MSR_PAT, 0x0007010600070106ULL) &&
	     rdmsr_safe(MSR_PAT, &back) && wrmsr_safe(MSR_PAT, pat);
	check(ok && back == 0x0007010600070106ULL, "pat_rw", "%s, read back 0x%lx%08lx",
	      ok ? "no fault" : "faulted", (unsigned long)(back >> 32), (unsigned long)back);
	ok = rdmsr_safe(MSR_APIC_BASE, &v);
	check(ok && (v & 0xfffff000u) == 0xfee00000u && (v & 0x100), "apic_base",
	      "read %s, APIC base 0x%lx", ok ? "ok" : "faulted", (unsigned long)v);
	ok = rdmsr_safe(MSR_UNKNOWN, &v);
	check(!ok && exc_seen.vector == EXC_GP && exc_seen.error == 0, "unknown_msr_read",
	      "RDMSR 0x%x: %s, vector %u error 0x%x", MSR_UNKNOWN, ok ? "no fault" : "faulted",
	      (unsigned)exc_seen.vector, (unsigned)exc_seen.error);
	ok = wrmsr_safe(MSR_UNKNOWN, 1);
	check(!ok && exc_seen.vector == EXC_GP && exc_seen.error == 0, "unknown_msr_write",
	      "WRMSR 0x%x: %s, vector %u error 0x%x", MSR_UNKNOWN, ok ? "no fault" : "faulted",
	      (unsigned)exc_seen.vector, (unsigned)exc_seen.error);
}

static void check_calls(void)
{
	struct vmm_ret r = vmmcall(KEEL_HC_VERSION);

	check(r.eax == KEEL_OK && r.ebx == KEEL_ABI_VERSION, "keel_version", "EAX %d EBX 0x%x",
	      (int)r.eax, (unsigned)r.ebx);
	{
		uint32_t a = KEEL_HC_VM_INFO, b = KEEL_VM_SELF, c = 0, d = 0;
		uint64_t size = 0;

		bootarg_u64("size", &size);
		asm volatile("vmmcall"
			     : "+a"(a), "+b"(b), "+c"(c), "+d"(d)::"esi", "edi", "memory");
		check(a == KEEL_OK && b == KEEL_VM_RUNNING && c == 1 && d == (uint32_t)size,
		      "vm_info_self", "EAX %d state %u vCPUs %u memory 0x%x", (int)a, b, c, d);
	}
	r = vmmcall(KEEL_HC_VM_CREATE);
	check(r.eax == (uint32_t)KEEL_EPERM, "keel_not_manager", "VM_CREATE from a plain VM: 0x%x",
	      (unsigned)r.eax);
	r = vmmcall(0x0a0b0c0d);
	check(r.eax == (uint32_t)KEEL_ENOTSUP, "unknown_call", "unknown call returned EAX 0x%x",
	      (unsigned)r.eax);
}

static void check_uart(void)
{
	uint8_t lsr = inb(COM1 + UART_LSR);

	/* idle transmitter: THR empty; nothing typed: no data ready */
	check((lsr & (UART_LSR_THRE | UART_LSR_DR)) == UART_LSR_THRE, "uart_lsr", "LSR 0x%x", lsr);
}

void guest_main(void)
{
	check_memory();
	check_cpu();
	check_msrs();
	check_calls();
	check_uart();
}
