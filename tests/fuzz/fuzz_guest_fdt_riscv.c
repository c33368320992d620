// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_guest_fdt with arch/riscv64/board.c's nodes (cpus with ISA strings, PLIC, NS16550). */
#define FUZZ_RISCV 1
#include "fuzz_guest_fdt.c"
