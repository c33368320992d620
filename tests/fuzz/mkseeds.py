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


# ---- multiboot: u32 window base, u32 information block address, then the window's bytes
MBI_MMAP, MBI_MODS, MBI_CMDLINE, MBI_MEM = 1 << 6, 1 << 3, 1 << 2, 1


def mb_entry(base, length, typ, size=20):
    return struct.pack('<IQQI', size, base, length, typ) + bytes(size - 20)


def mb_image(flags, mmap, mods, wsize=0x1800, mbi_at=0x100, map_at=0x200, mods_at=0x400,
             base=0, map_len=None, mods_count=None):
    win = bytearray(wsize)
    n = len(mods) if mods_count is None else mods_count
    mbi = struct.pack('<7I', flags, 639, 0x7fe00, 0, 0x600, n, mods_at) + bytes(16)
    mbi += struct.pack('<II', len(mmap) if map_len is None else map_len, map_at)
    win[mbi_at:mbi_at + len(mbi)] = mbi
    win[map_at:map_at + len(mmap)] = mmap
    for i, (s, e) in enumerate(mods):
        win[mods_at + 16 * i:mods_at + 16 * i + 16] = struct.pack('<4I', s, e, 0x600, 0)
    return struct.pack('<II', base, base + mbi_at) + bytes(win)


QEMU_MAP = (mb_entry(0, 0x9fc00, 1) + mb_entry(0x9fc00, 0x400, 2) + mb_entry(0xf0000, 0x10000, 2) +
            mb_entry(0x100000, 0x7fee0000, 1) + mb_entry(0xfffc0000, 0x40000, 2))
ALL = MBI_MEM | MBI_CMDLINE | MBI_MODS | MBI_MMAP
write('multiboot', 'qemu', mb_image(ALL, QEMU_MAP, [(0x1000, 0x1700)]))
write('multiboot', 'grub_two_modules', mb_image(ALL, QEMU_MAP + mb_entry(0x100000000, 0x80000000, 1, 24),
                                                [(0x1000, 0x1400), (0x1400, 0x1600)]))
write('multiboot', 'module_outside', mb_image(ALL, QEMU_MAP, [(0x1000, 0x2800)]))
write('multiboot', 'module_reversed', mb_image(ALL, QEMU_MAP, [(0x1700, 0x1000)]))
write('multiboot', 'module_not_ram', mb_image(ALL, mb_entry(0, 0x1000, 1) + mb_entry(0x1000, 0x1000, 2),
                                              [(0x1000, 0x1700)]))
write('multiboot', 'mods_list_outside', mb_image(ALL, QEMU_MAP, [(0x1000, 0x1700)], mods_count=0x10000000))
write('multiboot', 'map_outside', mb_image(ALL, QEMU_MAP, [], map_len=0xfffffff0))
write('multiboot', 'ram_wraps', mb_image(ALL, mb_entry(0xfffffffffffff000, 0x2000, 1) + mb_entry(0, 0x9fc00, 1),
                                         [(0x1000, 0x1700)]))
write('multiboot', 'no_map', mb_image(MBI_MEM | MBI_MODS, QEMU_MAP, [(0x1000, 0x1700)]))
write('multiboot', 'high_window', mb_image(ALL, mb_entry(0xfffff000, 0x1000, 1), [(0xfffff900, 0xfffffa00)],
                                           wsize=0x1000, base=0xfffff000, mbi_at=0x10, map_at=0x80, mods_at=0xc0))
many = b''.join(mb_entry(0x1000000 * i, 0x1000, 1 + (i % 3 == 2)) for i in range(14))
write('multiboot', 'many_entries', mb_image(ALL, many + mb_entry(0, 0x2000, 1), [(0x1000, 0x1100)]))


# ---- x86_exit: ops (bit 0 vCPU, bits 1-2 kind: 0 IOIO, 2 MSR, 3 guest state; MSR bit 3 write)
X86_PORTS = [0x3f8, 0x3f9, 0x3fb, 0x3fd, 0x604, 0xcf9, 0x64, 0x70, 0x80, 0xcf8, 0xffff, 0xfffe,
             0x3ff, 0x2f8, 0x510]


def ioio(port, size_log2, is_in, rax=0, nrip=0x1002, rip=0x1000, string=False, rep=False,
         spy=None, vcpu=0):
    how = X86_PORTS.index(port) | (0x40 if is_in else 0)
    how |= 0x30 if string else (0x20 if rep else 0)
    b = bytes([vcpu | 0, how, size_log2, 1])
    if string:
        b += bytes([8 if rep else 0, 3])
    b += struct.pack('<IQI', nrip, rax, rip)
    if spy is not None:  # the spy device's answer to a read: value, accepted
        b += struct.pack('<QB', spy[0], spy[1])
    return b


def ioio_raw(info1, rax=0, vcpu=0):
    return bytes([vcpu, 0xe0]) + struct.pack('<QIQI', info1, 0x2000, rax, 0x1ffe)


def msr(n, write, val=0, vcpu=0, info1=None):
    idx = {0xc0000080: 0, 0x277: 1, 0x1b: 2, 0xc0010131: 3, 0x802: 4, 0x830: 9, 0x83f: 13,
           0x8ff: 14, 0xc0010138: 17, 0xc0010117: 18, 0xc0010114: 19, 0xc0010010: 20, 0x10: 26}
    op = vcpu | 4 | (8 if write else 0) | (0x80 if info1 is not None else 0)
    b = bytes([op, idx[n]])
    if info1 is not None:
        b += struct.pack('<Q', info1)
    return b + bytes([0xff]) + struct.pack('<QI', val, 0x3000)


def guest_state(pg, lma=0, vcpu=0, pke=0):
    return bytes([vcpu | 6, pg, lma]) + bytes(14) + bytes([pke])


write('x86_exit', 'com1', ioio(0x3fd, 0, True, rax=0x1234567890abcd00) +
      ioio(0x3f8, 0, False, rax=ord('h')) + ioio(0x3f8, 0, False, rax=ord('\n')) +
      ioio(0x3fb, 1, True, rax=~0 & 0xffffffffffffffff))
write('x86_exit', 'ports', ioio(0x70, 0, False, rax=0x8f) + ioio(0x70, 0, True, spy=(0xffffff12, 1)) +
      ioio(0xcf8, 2, False, rax=0xdead80000000) +
      ioio(0xcf8, 2, True, rax=0xffffffff00000000, spy=(0x1122334455667788, 1)) +
      ioio(0x80, 1, True, rax=0x5555555555555555, spy=(0, 0)) + ioio(0xffff, 2, True, spy=(1, 1)) +
      ioio(0x510, 1, False, rax=0xabcd, vcpu=1))
write('x86_exit', 'power_reset', ioio(0x604, 1, False, rax=0x2000) + ioio(0x64, 0, False, rax=0xfe) +
      ioio(0xcf9, 0, False, rax=0x6) + ioio(0x604, 1, True, spy=(0x2000, 1)) +
      ioio(0x64, 0, False, rax=0xff))
write('x86_exit', 'string_rep', ioio(0x3f8, 0, False, string=True) +
      ioio(0x3f8, 0, True, string=True, rep=True) + ioio(0x70, 0, False, rax=1, rep=True) +
      ioio(0x80, 2, True, rep=True, spy=(7, 1)))
# REP on a plain IN, no size, two sizes, reserved bits 63:32 above a good OUT, a 16-bit IN
write('x86_exit', 'raw_info', ioio_raw(0x3fd0019) + ioio_raw(0x3fd0001) + ioio_raw(0x700000031) +
      ioio_raw(0xffffffff00700010, rax=0x99) + ioio_raw(0x10021, rax=0x42))
write('x86_exit', 'msrs', msr(0xc0000080, False) + msr(0xc0000080, True, 0x801) +
      msr(0xc0000080, False) + msr(0xc0000080, True, 1 << 13) + msr(0xc0000080, True, 1 << 12) +
      msr(0x277, False) + msr(0x277, True, 0x0007010600070106) + msr(0x277, True, 0x0007010600070206) +
      msr(0x1b, False) + msr(0x1b, False, vcpu=1) + msr(0x1b, True, 0) + msr(0xc0010131, False) +
      msr(0xc0010131, True, 1) + msr(0xc0010117, False) + msr(0xc0010117, True, 0x1000) +
      msr(0xc0010114, True, 0x10) + msr(0xc0010010, False) + msr(0x10, True, 5) +
      msr(0x802, False) + msr(0x830, False) + msr(0x83f, True, 0x30) + msr(0x8ff, False) +
      msr(0xc0010138, True, 0x1000001) + msr(0xc0000080, False, info1=2))
# LME set with paging off, paging on (toggled), LME cleared under paging (#GP), LMA set by the CPU,
# LMA written (ignored), NXE, paging off again, LME cleared
write('x86_exit', 'efer_lme', msr(0xc0000080, True, 0x100) + guest_state(1) + msr(0xc0000080, True, 0) +
      guest_state(0, 1) + msr(0xc0000080, True, 0x100) + msr(0xc0000080, False) +
      msr(0xc0000080, True, 0x900) + guest_state(1) + msr(0xc0000080, True, 0x800))

# CPUID (op bit 3 clear) and VMMCALL (op bit 3 set), kind 1
X86_LEAVES = [0, 1, 7, 0xb, 0xd, 0x1f, 0x40000000, 0x40000001, 0x40000002, 0x400000ff, 0x40000100,
              0x3fffffff, 0x80000000, 0x80000001, 0x80000008, 0x8000000a, 0x8000001e, 0x8000001f,
              0xffffffff, 4, 0x1d, 0x1e, 0x24]


def cpuid(leaf, sub=0, vcpu=0, rax_hi=None, rcx_hi=None, rip=0x4000):
    op = vcpu | 2 | (0x10 if rax_hi is not None else 0) | (0x20 if rcx_hi is not None else 0)
    b = bytes([op])
    b += bytes([X86_LEAVES.index(leaf)]) if leaf in X86_LEAVES else bytes([0xe0]) + struct.pack('<I', leaf)
    b += bytes([0, sub]) if sub < 4 else bytes([1]) + struct.pack('<I', sub)
    b += struct.pack('<I', rip)
    for hi in (rax_hi, rcx_hi):
        if hi is not None:
            b += struct.pack('<I', hi)
    return b


def unoffered(xsetbv, vcpu=0, info1=None, rax=0, rip=0x4000):
    """XSETBV or RDTSCP exit: #UD"""
    b = bytes([vcpu | 2 | 0xc0, 0 if xsetbv else 1])
    b += bytes([1]) + struct.pack('<I', info1) if info1 is not None else bytes([0])
    return b + struct.pack('<III', rax >> 32, rax & 0xffffffff, rip)


SAVIC = 0x8000001a
MODE_64, MODE_COMPAT, MODE_LEGACY = 1, 2, 3


def vmmcall(n, args=(0, 0, 0, 0, 0), mode=0, vcpu=0, n_hi=None, upper_clear=False, savic=None,
            answer=None, rip=0x5000):
    """savic: (op, RAM page (0xf0 up: twice that, outside), offset); answer: the spy's status, v0-v3"""
    if n == 0:
        kind, nb = 0, b''
    elif n <= 5:
        kind, nb = 1, bytes([n])
    elif n == SAVIC:
        kind, nb = 2, b''
    elif n <= 0xff:
        kind, nb = 4, bytes([n])
    elif n <= 0x1ff:
        kind, nb = 5, bytes([n - 0x100])
    else:
        kind, nb = 6, bytes([1]) + struct.pack('<Q', n)
    how = mode | kind << 2 | (0x40 if upper_clear else 0) | (0x80 if n_hi is not None else 0)
    b = bytes([vcpu | 2 | 8, how]) + nb
    if n_hi is not None:
        b += struct.pack('<I', n_hi)
    for a in args:
        b += bytes([0, a]) if a < 256 else bytes([1]) + struct.pack('<Q', a)
    if savic is not None:
        op, page, off = savic
        b += bytes([op, page, 1 if off else 0]) + (bytes([off]) if off else b'')
    b += struct.pack('<I', rip)
    if answer is not None:
        b += bytes([answer[0] & 0xff])
        for v in answer[1:]:
            b += bytes([0]) if v == 0 else bytes([1]) + struct.pack('<Q', v)
    return b


write('x86_exit', 'cpuid', cpuid(0x40000000) + cpuid(0x40000001, 3) + cpuid(0x400000ff) +
      cpuid(0x40000100) + cpuid(0x3fffffff) + cpuid(0) + cpuid(1, vcpu=1) + cpuid(1, rax_hi=0x40000000) +
      cpuid(7, 1, rcx_hi=0xffffffff) + cpuid(0xd, 0x12345678) + cpuid(0x80000001) +
      cpuid(0x8000000a) + cpuid(0x8000001f) + cpuid(0xffffffff) + cpuid(0x12345, 2, vcpu=1))
# regression (fixed): leaves 0xb/0x1f EDX and 0x8000001e EAX gave the host pCPU's APIC ID
write('x86_exit', 'cpuid_apic_ids', cpuid(0xb, vcpu=1) + cpuid(0xb, 1, vcpu=1) + cpuid(0x1f, 2) +
      cpuid(0x8000001e, vcpu=1) + cpuid(0x8000001e) + cpuid(1, vcpu=1))
# regression (fixed): XSAVE, OSXSAVE, AVX, AVX2/AVX-512, leaf 0xd and RDTSCP were the CPU's
# (keel switches only FXSAVE state); XSETBV and RDTSCP were not intercepted
write('x86_exit', 'xsave_hidden', cpuid(1) + cpuid(7) + cpuid(7, 1) + cpuid(0xd) + cpuid(0xd, 1) +
      cpuid(0xd, 2, vcpu=1) + cpuid(0x1d) + cpuid(0x24) + cpuid(0x80000001, vcpu=1) +
      unoffered(True, rax=7) + unoffered(False, vcpu=1, info1=0x87, rip=0xfffffff0) +
      guest_state(0, pke=1) + cpuid(7) + cpuid(7, vcpu=1))
R = 0x0123456789abcdef
write('x86_exit', 'vmmcalls', vmmcall(0) + vmmcall(0, (R, R, R, R, R), vcpu=1) +
      vmmcall(5, (0xffffffff, 0, 0, 0, 0), answer=(0, 2, 1, 0x100000, 1)) +
      vmmcall(1, (0x1000000, 0x2000, 0, 0, 0), answer=(-4, 0, 0, 0, 0)) +
      vmmcall(4, (3, 0, 0, 0, R), answer=(-6, 0, 0, 0, 0)) + vmmcall(0xff, answer=(-1, 0, 0, 0, 0)) +
      vmmcall(0x100, answer=(-1, 0, 0, 0, 0)) + vmmcall(0x100000001, mode=MODE_64, answer=(-1, 0, 0, 0, 0)) +
      vmmcall(0, mode=MODE_64, n_hi=1, answer=(-1, 0, 0, 0, 0)))
write('x86_exit', 'savic_calls', vmmcall(SAVIC, savic=(0, 3, 0)) + vmmcall(SAVIC, savic=(0, 5, 0)) +
      vmmcall(SAVIC, savic=(1, 0, 0)) + vmmcall(SAVIC, savic=(1, 0, 0), vcpu=1) +
      vmmcall(SAVIC, savic=(0, 7, 0x10)) + vmmcall(SAVIC, savic=(0, 0xf8, 0)) +
      vmmcall(SAVIC, savic=(2, 3, 0)) + vmmcall(SAVIC, savic=(0, 2, 0), mode=MODE_64, vcpu=1))
# regression (fixed): outside 64-bit mode keel read all 64 bits of RAX and the arguments, so a
# 32-bit guest's undefined upper halves turned VERSION or Secure AVIC calls into others
write('x86_exit', 'vmmcall_32bit', vmmcall(0, mode=MODE_LEGACY, n_hi=0xffffffff, answer=(0, 2, 0, 0, 0)) +
      vmmcall(SAVIC, (R, R, 0, 0, 0), mode=MODE_COMPAT, savic=(0, 4, 0)) +
      vmmcall(5, (R, R, R, 0, 0), mode=MODE_LEGACY, n_hi=0xdead, answer=(0, 1, 1, 1, 1)) +
      vmmcall(SAVIC, (R, R, 0, 0, 0), mode=MODE_LEGACY, n_hi=0xffffffff, savic=(1, 0, 0)))

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
# regression: ESR_EL2 with ISS2 (bits 55:32) set must still be classified by its EC alone
write('arm64_trap', 'iss2_set', b'\x02\x00' + b'\0' * 8 +
      a64_call('KINFO', [(A_RAW, 0xffffffff), (A_SMALL, 0), (A_RAM, 0x400)], mode=0x80) +
      a64_sys(0x80, 7, mode=0x80) + a64_id(1, 0) + a64_exit(3, mode=0x80) + b'\x00' +
      a64_other(0x24, 0x40, mode=0x80) + a64_call('SMCCC_VERSION', smc=True, mode=0x80))
