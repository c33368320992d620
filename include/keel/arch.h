/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hooks every architecture implements. The core never includes an
 * arch-specific header except through asm/vm_arch.h and asm/vcpu_arch.h
 * (the per-VM and per-vCPU state it embeds without looking inside).
 */
#ifndef KEEL_ARCH_H
#define KEEL_ARCH_H

#include <keel/types.h>
#include <keel/partition.h>

struct vm;
struct vcpu;

/* ---- CPU and platform */
struct fw_info;
struct guest_fdt_info;
/* Read what the firmware hands over (DTB, multiboot info) into info; 0 or a negative error. */
int arch_fw_read(const void *fw_arg, struct fw_info *info);
const char *arch_fw_strerror(int err);
unsigned arch_cpu_id(void);
/* Hardware id (MPIDR affinity, hart id) of the CPU keel was booted on. */
uint64_t arch_boot_hwid(void);
/* Start physical CPU cpu (hardware id hwid) at the arch's secondary entry. */
int arch_start_cpu(unsigned cpu, uint64_t hwid);
void arch_cpu_init(unsigned cpu); /* per-pCPU setup (interrupt controller, traps) */
void arch_send_kick(unsigned cpu); /* interrupt another pCPU so it looks at its requests */
/* Wait for an interrupt with interrupts masked; handles what arrived (kick, console). */
void arch_idle(void);
void __attribute__((noreturn)) arch_poweroff(void);
void arch_console_putc(char c);
/* Firmware-DTB compatible of the physical console UART (for the boot banner). */
const char *arch_name(void);
/* Limits for partition checks: CPUs, vCPUs per VM, IPA size, emulated device ranges. */
void arch_part_limits(struct part_limits *lim, unsigned nr_cpus);
/* Cycle/instruction counter for the boot figures (arch-defined units, see README). */
uint64_t arch_counter(void);
/*
 * A per-boot random value for the stack canary, called first thing on the boot CPU (MMU
 * off, nothing set up): a hardware random number when the CPU has one, else counters.
 * *source names it for the boot log. Must not be built with the stack protector.
 */
uint64_t arch_entropy(const char **source);
uint64_t arch_counter_hz(void); /* ticks of arch_counter() per second */
/* Zero [p, p+n): guest memory and tables, in bulk (p and n page aligned). */
void arch_zero(void *p, size_t n);

/* ---- VMs */
int arch_vm_init(struct vm *vm); /* hardware ID (VMID/ASID), empty stage-2 tables */
int arch_stage2_map(struct vm *vm, uint64_t ipa, paddr_t pa, uint64_t size);
void arch_vm_release_id(struct vm *vm);
void arch_vm_tlb_flush(struct vm *vm); /* drop cached translations of the VM (reset) */
void arch_vm_destroy(struct vm *vm); /* bulk-free the stage-2 tables */
/* Bench-only (KEEL_PAGEWISE_TEARDOWN): unmap one 4 KiB page and invalidate it for the VM's ID. */
void arch_stage2_unmap_page(struct vm *vm, uint64_t ipa);
/* Write what the guest boots with (a DTB, or multiboot info on x86) into buf. 0 or an error. */
int arch_guest_boot_info(void *buf, size_t size, struct vm *vm, const struct guest_fdt_info *info);
/* Add the arch's nodes (cpus, interrupt controller, timer, firmware, UART) to the guest DTB. */
int arch_guest_fdt_nodes(void *fdt, struct vm *vm);
/* Path of the guest console node, for /chosen/stdout-path (NULL: none). */
const char *arch_guest_stdout_path(struct vm *vm);
/* Emulated devices of the arch (interrupt controller, UART) registered on the VM. */
void arch_vm_devices(struct vm *vm);

/* ---- vCPUs */
void arch_vcpu_init(struct vcpu *vcpu);
/* Reset vcpu to its boot state: pc = entry, first argument = arg. */
void arch_vcpu_reset(struct vcpu *vcpu, uint64_t entry, uint64_t arg);
void arch_vcpu_load(struct vcpu *vcpu); /* make it the current context on this pCPU */
void arch_vcpu_put(struct vcpu *vcpu); /* save it before another vCPU runs here */
void __attribute__((noreturn)) arch_vcpu_enter(struct vcpu *vcpu);
/* Raise virtual interrupt irq on vcpu (it may run on another pCPU). */
void arch_inject_irq(struct vcpu *vcpu, unsigned irq);
/* Level of a VM-wide device interrupt line changed (emulated devices). */
void arch_vm_irq_line(struct vm *vm, unsigned irq, bool level);
/* A level-triggered device line the interrupt controller may sample again (NULL: edge). */
void arch_vm_irq_source(struct vm *vm, unsigned irq, bool (*level)(void *dev), void *dev);

#endif
