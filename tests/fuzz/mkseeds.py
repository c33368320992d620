#!/usr/bin/env python3
# Writes the seed corpora of tests/fuzz/corpus/ that are not produced by a harness itself
# (fuzz_partition_smoke --write-seeds writes corpus/partition). Run from the repository root
# after changing a harness's input format: python3 tests/fuzz/mkseeds.py (needs dtc).
import os
import struct
import subprocess


def dtb(src):
    return subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb'], input=src.encode(),
                          stdout=subprocess.PIPE, check=True).stdout


def write(harness, name, data):
    d = os.path.join('tests/fuzz/corpus', harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


# ---- hypercall: u16 blob length, the blob, then calls (caller, n, 3 x (mode, u32), u8)
VM = '''/dts-v1/;
/ { compatible = "keel,partition-v1"; #address-cells = <2>; #size-cells = <2>;
    %s { compatible = "keel,vm"; vcpus = <%d>; %s
         kernel = [13 00 00 00 13 00 00 00 6f 00 00 00]; }; };'''
blobs = [
    dtb(VM % ('guest', 1, 'memory = <0 0x90000000 0 0x200000>; bootargs = "console=hvc0";')),
    dtb(VM % ('sub', 2, 'memory = <0 0x90000000 0 0x100000 0 0xa0000000 0 0x100000>; '
              'cpu-affinity = <0 1>; initrd = [1f 8b 08 00]; keel,manager; '
              'memory-pool = <0 0x100000>;')),
    dtb(VM % ('big', 1, 'memory = <0 0x90000000 0 0x800000>;')),
]


def call(caller, n, args, a3=0):
    b = bytes([caller, n])
    for mode, v in args:
        b += bytes([mode]) + struct.pack('<I', v & 0xffffffff)
    return b + bytes([a3])


BLOB, LEN, SMALL, SELF, BUF = (1, 0), (2, 0), 0, (4, 0), (6, 0x100)
life = (call(0, 1, [BLOB, LEN, (0, 0)]) +            # mgr: VM_CREATE -> VM 3
        call(0, 5, [(0, 3), (0, 0), BUF]) +          # VM_INFO 3 with a buffer
        call(0, 2, [(0, 3), (0, 0), (0, 0)]) +       # START 3
        call(0, 3, [(0, 3), (0, 0), (0, 0)]) +       # TERMINATE 3
        call(0, 4, [(0, 3), (0, 0), (0, 0)]) +       # DESTROY 3
        call(2, 1, [BLOB, LEN, (0, 0)]) +            # mgr2: VM_CREATE (4 MiB pool)
        call(1, 1, [BLOB, LEN, (0, 0)]) +            # plain: EPERM
        call(1, 5, [SELF, (0, 0), (0, 0)]) +         # VM_INFO self
        call(1, 0, [(0, 0), (0, 0), (0, 0)]) +       # VERSION
        call(0, 0xff, [(0, 0), (0, 0), (0, 0)]))     # unknown
for i, b in enumerate(blobs):
    write('hypercall', 'life%d' % i, struct.pack('<H', len(b)) + b + life)
# a manager destroyed by the other, its slot reused, then a VM it created destroyed
b = blobs[0]
write('hypercall', 'stale_creator', struct.pack('<H', len(b)) + b +
      call(0, 1, [BLOB, LEN, (0, 0)]) +              # mgr creates VM 3
      call(2, 3, [(0, 0), (0, 0), (0, 0)]) +         # mgr2 terminates mgr
      call(2, 4, [(0, 0), (0, 0), (0, 0)]) +         # mgr2 destroys mgr (slot 0 free)
      call(2, 1, [BLOB, LEN, (0, 0)]) +              # mgr2 creates: slot 0
      call(2, 3, [(0, 3), (0, 0), (0, 0)]) +
      call(2, 4, [(0, 3), (0, 0), (0, 0)]))          # destroy mgr's VM 3


# ---- arm64_mmio: ops (low 3 bits: kind, high nibble: vCPU)
def mmio(which, off, val, size_log2, vcpu=0):
    return bytes([vcpu << 4 | 0, which]) + struct.pack('<IQ', off, val) + bytes([size_log2])


def dabt(which, off, iss, vcpu=0, regs=()):
    b = bytes([vcpu << 4 | 2, which]) + struct.pack('<II', off, iss)
    for i in range(31):
        b += (b'\x01' + struct.pack('<Q', regs[i])) if i < len(regs) else b'\x00'
    return b


ISV, WNR, SF, SSE = 1 << 24, 1 << 6, 1 << 15, 1 << 21


def iss(size_log2, rt, write=False, sf=False, sse=False):
    return (ISV | size_log2 << 22 | rt << 16 | (WNR if write else 0) | (SF if sf else 0) |
            (SSE if sse else 0))


GICD, IROUTER, GICR, UART = 0, 1, 2, 3
gic_init = (mmio(GICD, 0x0, 3, 2) +                      # CTLR = EnableGrp0|1 (odd: write)
            mmio(GICD, 0x4, 0, 2) +                      # TYPER read
            mmio(GICD, 0x104, 0xffffffff, 2) +           # ISENABLER1
            mmio(GICD, 0x420, 0xa0a0a0a1, 2) +           # IPRIORITYR 32..35
            mmio(IROUTER, 0x108, 0x1, 3) +               # IROUTER(33) = vCPU 1
            mmio(GICR, 0x20000 + 0x14, 0, 2, 1) +         # GICR1 WAKER read
            mmio(GICR, 0x10100, 0xffff0001, 2) +          # GICR0 ISENABLER0
            mmio(GICR, 0x8, 0, 2) + mmio(GICR, 0x8, 0, 3) +  # GICR_TYPER 32 and 64 bits
            bytes([3]) + struct.pack('<Q', (1 << 24) | 0x6) +  # SGI1R: INTID 1 to vCPUs 1, 2
            bytes([0x15, 1]) + bytes([0x25, 0]) +         # vCPU 1, 2 flush/save
            bytes([6, 33, 5, 0]))                         # inject SPI 33, vCPU 0 flush
write('arm64_mmio', 'gic_init', gic_init)
uart = (mmio(UART, 0x38, 0x51, 2) +                      # IMSC = RX|RT (odd: write)
        dabt(UART, 0x0, iss(2, 1, write=True), regs=[0, 0x41]) +  # str w1 -> DR
        bytes([4, ord('x'), 4, ord('y')]) +                # console input
        dabt(UART, 0x18, iss(2, 3)) +                      # ldr w3 <- FR
        dabt(UART, 0x0, iss(0, 4, sse=True, sf=True)) +    # ldrsb x4 <- DR
        dabt(UART, 0x44, iss(2, 5, write=True), regs=[0] * 5 + [0x20]) +  # ICR = TX
        dabt(UART, 0xfe0, iss(2, 6)) +                     # PeriphID0
        dabt(GICD, 0x4, iss(2, 31)) +                      # ldr wzr <- TYPER
        dabt(GICR, 0x8, iss(2, 7, sse=True, sf=True)) +    # ldrsw x7 <- GICR_TYPER
        dabt(GICD, 0x204, iss(2, 8, write=True)) +         # ISPENDR1 from x8
        dabt(0, 0x1000, iss(3, 9)) +                       # nothing there: abort
        dabt(GICD, 0x0, 0))                               # no ISV: abort
write('arm64_mmio', 'uart_dabt', uart)


# ---- sbi: caps byte, then calls (vCPU, pc, ext index, fid, 5 x (mode, u32), henvcfg flag)
BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN, FWFT, PUTC, GETC, KEEL = range(11)
SMALL, RAM, RAMEND, MINUS1, WIDE, RAW = range(6)


def sbi(ext, fid, args=(), vcpu=0, env=0):
    b = bytes([vcpu, 0, ext, 0, fid])
    args = list(args) + [(SMALL, 0)] * (5 - len(args))
    for mode, v in args:
        b += bytes([mode]) + struct.pack('<I', v)
        if mode == WIDE:
            b += struct.pack('<I', 0)
    return b + bytes([env])


calls = b''.join([
    sbi(BASE, 0), sbi(BASE, 3, [(RAW, 0x48534d)]), sbi(BASE, 3, [(RAW, 0x46574654)]),
    sbi(HSM, 0, [(SMALL, 1), (RAM, 0x100), (RAW, 0x1234)]),      # HART_START 1
    sbi(HSM, 2, [(SMALL, 1)]), sbi(HSM, 2, [(SMALL, 7)]),           # GET_STATUS
    sbi(HSM, 1, [], vcpu=1),                                       # HART_STOP on 1
    sbi(HSM, 3, [(SMALL, 0)]),                                     # retentive suspend
    sbi(HSM, 3, [(RAW, 0x80000000), (RAM, 0x200), (SMALL, 5)]),   # non-retentive
    sbi(IPI, 0, [(SMALL, 3), (SMALL, 0)]), sbi(IPI, 0, [(SMALL, 0), (MINUS1, 0)]),
    sbi(RFENCE, 0, [(SMALL, 1), (SMALL, 0)]), sbi(RFENCE, 1, [(SMALL, 0), (MINUS1, 0)]),
    sbi(RFENCE, 4, [(SMALL, 1), (SMALL, 0)]),
    sbi(DBCN, 0, [(SMALL, 5), (RAM, 0x10), (SMALL, 0)]), sbi(DBCN, 1, [(SMALL, 7), (RAMEND, 4)]),
    sbi(DBCN, 2, [(RAW, 0x41)]),
    sbi(FWFT, 0, [(SMALL, 0), (SMALL, 1), (SMALL, 0)]), sbi(FWFT, 0, [(SMALL, 5), (RAW, 7)]),
    sbi(FWFT, 0, [(SMALL, 4), (SMALL, 1), (SMALL, 1)]), sbi(FWFT, 1, [(SMALL, 4)]),
    sbi(FWFT, 1, [(RAW, 0x40000000)]), sbi(FWFT, 0, [(SMALL, 1), (SMALL, 1)], env=1),
    sbi(TIME, 0, [(RAW, 0x10000)]), sbi(PUTC, 0, [(RAW, 0x42)]), sbi(GETC, 0),
    sbi(KEEL, 0), sbi(KEEL, 5, [(RAW, 0xffffffff), (SMALL, 0), (RAM, 0x400)]),
])
write('sbi', 'all_caps', b'\xff' + calls)
write('sbi', 'no_caps', b'\x00' + calls + sbi(SRST, 0, [(SMALL, 1), (SMALL, 0)]))
write('sbi', 'shutdown', b'\x05' + sbi(SRST, 0, [(SMALL, 0), (SMALL, 0)]) + calls)


# ---- riscv_mmio: ops (low bits: kind, high nibble: vCPU)
def rvfault(which, off, cause, insn, regs=(), vcpu=0):
    b = bytes([vcpu << 4 | 0, which]) + struct.pack('<I', off) + bytes([0, cause])
    b += struct.pack('<I', insn)
    for i in range(1, 32):
        b += (b'\x01' + struct.pack('<Q', regs[i - 1])) if i - 1 < len(regs) else b'\x00'
    return b + b'\x00\x00'


def rvmmio(which, off, val, size_log2, vcpu=0):
    return bytes([vcpu << 4 | 2, which]) + struct.pack('<IQ', off, val) + bytes([size_log2])


PRIO, PLIC, CTX, RVUART = 0, 1, 2, 3
LOAD, STORE, INST = 0, 1, 2
lw_a0 = 0x00052503      # lw a0, 0(a0)
sw_a1 = 0x00b52023      # sw a1, 0(a0)
lbu_t0 = 0x00054283     # lbu t0, 0(a0)
c_lw = 0x4108           # c.lw a0, 0(a0)
c_sw = 0xc10c           # c.sw a1, 0(a0)
ld_t1 = 0x00053303      # ld t1, 0(a0)
plic = b''.join([
    rvmmio(PRIO, 40, 7, 2),                       # priority 10 = 7 (val odd: write)
    rvmmio(PLIC, 0x1000, 0x401, 2),               # enable ctx 0 (0x2000 - 0x1000)
    rvmmio(CTX, 0, 0, 2),                         # threshold read
    bytes([5, 10, 1]),                            # source 10 level up
    rvfault(CTX, 8, LOAD, lw_a0),                 # claim through a trapped lw
    rvfault(CTX, 8, STORE, sw_a1, regs=[0] * 10 + [10]),  # complete 10
    rvfault(PRIO, 4, STORE, c_sw, regs=[0] * 10 + [3]),
    rvfault(PRIO, 4, LOAD, c_lw),
    rvfault(PRIO, 0x1000, LOAD, ld_t1),           # pending word
    rvfault(PRIO, 4, INST, lw_a0),                # fetch: never emulated
    rvfault(0, 0x800000, LOAD, lw_a0),            # nothing there
])
write('riscv_mmio', 'plic', plic)
uart = b''.join([
    rvmmio(RVUART, 1, 3, 0),                      # IER = RDA|THRE
    rvmmio(RVUART, 3, 0x83, 0), rvmmio(RVUART, 0, 1, 0), rvmmio(RVUART, 3, 3, 0),
    bytes([4, ord('a')]),
    rvfault(RVUART, 5, LOAD, lbu_t0),             # LSR
    rvfault(RVUART, 2, LOAD, lbu_t0),             # IIR
    rvfault(RVUART, 0, LOAD, lbu_t0),             # RBR
    rvfault(RVUART, 0, STORE, 0x00b50023, regs=[0] * 10 + [0x68]),  # sb a1, 0(a0)
    rvmmio(RVUART, 7, 0x55, 0), rvmmio(RVUART, 6, 0, 0),
])
write('riscv_mmio', 'uart', uart)


# ---- x86: ops (kind in bits 0-2, write in bit 3, vCPU in the high nibble)
MSRS = [0x802, 0x803, 0x808, 0x80a, 0x80b, 0x80d, 0x80f, 0x810, 0x817, 0x818, 0x820, 0x827,
        0x828, 0x82f, 0x830, 0x832, 0x833, 0x834, 0x835, 0x836, 0x837, 0x838, 0x839, 0x83e,
        0x83f, 0xc0010138]


def wrmsr(msr, mode, *vals, vcpu=0):
    b = bytes([vcpu << 4 | 8, MSRS.index(msr), mode])
    fmt = {0: '<B', 1: '<IB', 2: '<BB', 3: '<B', 4: '<Q', 5: '<I'}[mode]
    return b + struct.pack(fmt, *vals)


def rdmsr(msr, vcpu=0):
    return bytes([vcpu << 4, MSRS.index(msr), 0, 0])


def run(vcpu=0, flags=5):
    return bytes([vcpu << 4 | 4, flags])


def port(off, size_log2, val, write, vcpu=0):
    return bytes([vcpu << 4 | 6 | (8 if write else 0), 0, off, size_log2]) + struct.pack('<I', val)


apic = b''.join([
    wrmsr(0x80f, 3, 0xff), wrmsr(0x80f, 3, 0xff, vcpu=1), wrmsr(0x808, 0, 0),
    wrmsr(0x83e, 0, 0xb), wrmsr(0x832, 0, 0x30), wrmsr(0x838, 0, 100),
    bytes([5]) + struct.pack('<I', 1000), run(),
    rdmsr(0x810), rdmsr(0x80a), wrmsr(0x80b, 0, 0),
    wrmsr(0x830, 1, 0x4041, 1), run(1), rdmsr(0x820, vcpu=1),       # fixed IPI 0x41 to 1
    wrmsr(0x830, 1, 0x000c4042, 0),                               # all excluding self
    wrmsr(0x830, 1, 0x4500, 2), wrmsr(0x830, 1, 0x4608, 2),       # INIT, SIPI to 2
    wrmsr(0x830, 1, 0x4400, 3),                                   # NMI to 3
    run(3), rdmsr(0x802, vcpu=3), rdmsr(0x80d), rdmsr(0x839), rdmsr(0x803),
    wrmsr(0x83f, 0, 0x55),                                        # SELF_IPI
    wrmsr(0x828, 0, 0), rdmsr(0x828), run(flags=0), run(flags=1),
])
write('x86', 'x2apic', apic)
savic = b''.join([
    bytes([2, 0]) + struct.pack('<H', 8) + bytes([0]),            # register RAM + 0x4000
    wrmsr(0xc0010138, 2, 4, 3),                                   # SAVIC_CONTROL: page 4, EN|NMI
    bytes([3]) + struct.pack('<HI', 0x204, 0xffffffff),           # ALLOWED_IRR words
    bytes([3]) + struct.pack('<HI', 0x214, 0xffffffff),
    wrmsr(0x80f, 3, 0xff), wrmsr(0x83f, 0, 0x61), run(), wrmsr(0x80b, 0, 0),
    wrmsr(0x830, 1, 0x4062, 0), wrmsr(0x830, 1, 0x4400, 0),
    bytes([3]) + struct.pack('<HI', 0x080, 0x20),                 # TPR in the page
    run(flags=1), run(flags=5),
    bytes([0x12, 0]) + struct.pack('<H', 20) + bytes([0]),        # vCPU 1: page 10
    bytes([2, 1, 1]),                                             # vCPU 0: unregister
    bytes([2, 1, 2]),                                             # bad op
])
write('x86', 'savic', savic)
com1 = b''.join([
    port(1, 0, 3, True), port(3, 0, 0x83, True), port(0, 0, 1, True), port(3, 0, 3, True),
    port(0, 0, ord('h'), True), port(0, 0, ord('\n'), True), bytes([7, ord('q')]),
    port(5, 0, 0, False), port(2, 0, 0, False), port(0, 0, 0, False), port(0, 1, 0, False),
    port(7, 2, 0x12345678, True), port(7, 0, 0, False), port(6, 0, 0, False),
])
write('x86', 'com1', com1)


# ---- guest_fdt, guest_fdt_riscv: flags, name, vCPUs, regions, boot count, console, ...
def vmdesc(flags, name, vcpus, regions, boot=1, console=0, initrd=None, buf=None, args=None):
    b = bytes([flags]) + name + b'\0' + bytes([vcpus - 1, len(regions) - 1])
    for ipa, size in regions:
        b += struct.pack('<Q', ipa) if flags & 1 else struct.pack('<I', ipa >> 12)
        b += struct.pack('<Q', size) if flags & 2 else struct.pack('<H', size >> 12)
    b += struct.pack('<I', boot) + bytes([console])
    if flags & 4:
        b += struct.pack('<QQ', *initrd)
    if flags & 8:
        b += struct.pack('<H', buf)
    if flags & 16:
        b += args + b'\0'
    return b


for h in ('guest_fdt', 'guest_fdt_riscv'):
    write(h, 'linux', vmdesc(4 | 16, b'linux', 2, [(0x40000000, 0x8000000)], initrd=(0x47000000, 0x123456),
                             args=b'console=ttyAMA0 earlycon root=/dev/ram0'))
    write(h, 'wide', vmdesc(3, b'wide', 8, [(0x40000000, 0x1000000), (0x100000000, 0x40000000),
                                            (0x80000000, 0x1000), (0xffff0000000, 0x2000000)],
                            boot=7, console=2))
    write(h, 'small_buf', vmdesc(8 | 16, b'tight', 4, [(0x80000000, 0x200000)], buf=600, args=b'x' * 200))


# ---- arm64_trap: cfg byte, hw byte, u64 ID-register seed, then exits
# cfg: bits 0-1 vCPUs (2 + n % 3), bit 2 manager, bits 3-4 / 5-6 sve / sme cap index, bit 7 eager FP
# hw: bits 0-1 / 2-3 SVE / SME maximum index, bit 4 SME2, bit 5 FA64
FN = ['VERSION', 'SUSPEND32', 'SUSPEND', 'OFF', 'ON32', 'ON', 'AFF32', 'AFF', 'MIGRATE', 'MIT',
      'MIUP', 'SYSOFF', 'SYSRESET', 'FEATURES', 'SYSSUSPEND', 'RESET2', 'SMCCC_VERSION',
      'ARCH_FEATURES', 'WORKAROUND1', 'KVERSION', 'KINFO', 'KTERM', 'KFF', 'K100', 'VEND32']
A_SMALL, A_RAM, A_END, A_START, A_WIDE, A_HIGHJUNK, A_AFF, A_RAW = range(8)


def a64_exit(kind, vcpu=0, mode=0, pc=0x10):
    return bytes([vcpu << 3 | kind, mode]) + struct.pack('<H', pc)


def a64_call(fn, args=(), smc=False, vcpu=0, mode=0, upper=None):
    b = a64_exit(1 if smc else 0, vcpu, mode) + bytes([FN.index(fn)])
    b += b'\x01' + struct.pack('<I', upper) if upper is not None else b'\x00'
    args = list(args) + [(A_SMALL, 0)] * (5 - len(args))
    for m, v in args:
        b += bytes([m]) + struct.pack('<I', v & 0xffffffff)
        if m % 8 == A_WIDE:
            b += struct.pack('<I', v >> 32)
    return b


def a64_sys(sel, rt, val=None, iss=None, vcpu=0, mode=0):
    b = a64_exit(2, vcpu, mode) + bytes([sel, rt])
    if sel >> 6 == 1:
        b += struct.pack('<Q', val or 0)
    if sel >> 6 == 3:
        b += struct.pack('<I', iss)
    return b


def a64_id(crm, op2, rt=3):  # MRS Xrt, S3_0_C0_C<crm>_<op2>
    return a64_sys((op2 << 3) | (crm - 1), rt)


def a64_other(ec, iss=0, vcpu=0, mode=0):
    return a64_exit(5, vcpu, mode) + bytes([ec]) + struct.pack('<I', iss)


RAMB = 0x40000000
psci = b''.join([
    a64_call('VERSION'), a64_call('SMCCC_VERSION', smc=True),
    a64_call('FEATURES', [(A_RAW, 0x84000002)]), a64_call('FEATURES', [(A_RAW, 0xc4000003)]),
    a64_call('FEATURES', [(A_RAW, 0x8400000e)]), a64_call('FEATURES', [(A_RAW, 0x80000000)]),
    a64_call('ARCH_FEATURES', [(A_RAW, 0x80000001)]), a64_call('ARCH_FEATURES', [(A_RAW, 0x80008000)]),
    a64_call('ON', [(A_SMALL, 1), (A_RAM, 0x1000), (A_RAW, 0x1234)]),          # vCPU 1 on
    a64_call('ON', [(A_SMALL, 1), (A_RAM, 0x1000), (A_RAW, 0)]),               # ALREADY_ON
    a64_call('ON', [(A_SMALL, 5), (A_RAM, 0x1000)], smc=True),                 # no such vCPU
    a64_call('ON', [(A_SMALL, 2), (A_END, 3)]),                                # entry past the end
    a64_call('ON', [(A_SMALL, 2), (A_START, 0)]),                              # entry before RAM
    a64_call('ON32', [(A_HIGHJUNK | 2 << 3, 7), (A_RAM, 0x40), (A_RAW, 9)]),   # W1 = 2
    a64_call('AFF', [(A_SMALL, 1), (A_SMALL, 0)]), a64_call('AFF', [(A_SMALL, 1), (A_SMALL, 1)]),
    a64_call('AFF32', [(A_SMALL, 3), (A_SMALL, 0)], smc=True),
    a64_call('AFF', [(A_AFF | 1 << 3, 1), (A_SMALL, 0)]),                      # Aff2 set
    a64_call('SUSPEND', [(A_RAW, 0x10000), (A_RAM, 0x100)]), a64_call('MIT'),
    a64_call('MIGRATE'), a64_call('MIUP'), a64_call('SYSSUSPEND', [(A_RAM, 0)]),
    a64_call('RESET2'), a64_call('WORKAROUND1'), a64_call('VEND32'),
    a64_call('KVERSION'), a64_call('KVERSION', smc=True), a64_call('KFF'), a64_call('K100'),
    a64_call('KINFO', [(A_RAW, 0xffffffff), (A_SMALL, 0), (A_RAM, 0x400)]),
    a64_call('VERSION', upper=0xdeadbeef), a64_call('ON', [(A_SMALL, 1)], upper=0x1),
    a64_call('OFF', vcpu=1),                                                   # vCPU 1 off again
    a64_call('AFF', [(A_SMALL, 1), (A_SMALL, 0)]),
])
write('arm64_trap', 'psci', b'\x02\x00' + b'\0' * 8 + psci)
write('arm64_trap', 'psci_smc_reset', b'\x01\x00' + b'\x11' * 8 + b''.join([
    a64_call('ON', [(A_SMALL, 1), (A_RAM, 0x2000), (A_RAW, 5)], smc=True),
    a64_call('SYSRESET', smc=True, vcpu=1),
    a64_call('AFF', [(A_SMALL, 1), (A_SMALL, 0)]),
    a64_call('SYSOFF', smc=True)]))
write('arm64_trap', 'manager_terminate', b'\x04\x00' + b'\x22' * 8 + b''.join([
    a64_call('KINFO', [(A_SMALL, 1), (A_SMALL, 0), (A_SMALL, 0)]),
    a64_call('KTERM', [(A_SMALL, 1)]), a64_call('SYSOFF')]))
# ID registers: every row, with and without SVE/SME in the VM and the hardware
ids = b''.join(a64_id(crm, op2, rt=(crm + op2) % 31) for crm in range(1, 8) for op2 in range(8))
ids += a64_id(4, 0, 31) + a64_id(4, 0, 1, ) + a64_id(4, 1, 2)
for name, c, h in (('ids_all', 2 | 3 << 3 | 3 << 5, 3 | 3 << 2 | 0x30),
                   ('ids_capped_off', 2, 3 | 3 << 2 | 0x30),
                   ('ids_sme_only', 1 | 2 << 5, 2 << 2 | 0x10),
                   ('ids_no_hw', 1 | 3 << 3 | 3 << 5, 0)):
    write('arm64_trap', name, bytes([c, h]) + struct.pack('<Q', 0x0123456789abcdef) + ids)
# other system registers, WFx, FP/SVE/SME traps, UNDEFINED ECs, aborts
traps = b''.join([
    a64_sys(0x40 | 1, 4, val=(1 << 40) | 0x6),             # msr ICC_SGI1R_EL1: all but self
    a64_sys(0x40, 5, val=(2 << 16) | 0x1),                # mrs ICC_SGI1R_EL1 (read)
    a64_sys(0x80, 7), a64_sys(0x81, 8), a64_sys(0x82, 31),  # dc isw, csw, cisw
    a64_sys(0xc0, 9, iss=3 << 20 | 3 << 14 | 9 << 10 | 12 << 1 | 1),   # PMCR_EL0 read
    a64_sys(0xc0, 10, iss=3 << 20 | 0 << 14 | 15 << 10 | 2 << 1 | 1),  # IMPDEF read
    a64_sys(0xc0, 11, iss=2 << 20 | 0 << 14 | 0 << 10 | 2 << 1),       # MDSCR_EL1 write
    a64_exit(3) + b'\x00', a64_exit(3, mode=1) + b'\x01',              # WFI, WFE
    a64_exit(4) + b'\x00', a64_exit(4) + b'\x01', a64_exit(4) + b'\x02',  # FP, SVE, SME
    a64_exit(4, vcpu=1) + b'\x01', a64_exit(4) + b'\x12',              # SME with SMTC 1
    a64_exit(4, mode=2) + b'\x00',                                     # from EL0
    a64_other(0x00), a64_other(0x0e, 0, mode=2), a64_other(0x3f, 0x1ffffff, mode=1),
    a64_other(0x20, 0x10), a64_other(0x24, 1 << 24 | 2 << 22 | 3 << 16, mode=2),
    a64_other(0x24, 0x40, mode=0x20 | 0x40),              # SPAN set, DSSBS set
    a64_other(0x31, 0, mode=0x10),                        # PAN and DIT kept
])
write('arm64_trap', 'traps', bytes([2 | 3 << 3 | 1 << 5, 3 | 1 << 2]) + b'\x33' * 8 + traps)
write('arm64_trap', 'traps_eager_nofp', bytes([0x80 | 1, 3 | 1 << 2]) + b'\x44' * 8 + traps)
# regressions: an UNDEFINED entered with SPAN 0, DSSBS 1 and NZCV set (PSTATE as TakeException
# builds it); AFFINITY_INFO_32 with junk above W1 and W2
write('arm64_trap', 'undef_pstate', b'\x02\x00' + b'\0' * 8 +
      a64_other(0x00, 0, mode=0x40 | 0x0c | 1) + a64_other(0x2f, 0, mode=0x10 | 0x20 | 2))
write('arm64_trap', 'aff32_high_junk', b'\x02\x00' + b'\0' * 8 +
      a64_call('AFF32', [(A_HIGHJUNK | 1 << 3, 0x1234), (A_HIGHJUNK, 0x5678)]) +
      a64_call('AFF32', [(A_HIGHJUNK | 0 << 3, 0xff), (A_HIGHJUNK, 0x1)], smc=True))
