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
