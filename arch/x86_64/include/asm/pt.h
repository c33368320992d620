/* SPDX-License-Identifier: GPL-2.0-or-later */
/* x86 4-level page-table entries for the shared builder (keel's own tables and NPT). */
#ifndef ASM_PT_H
#define ASM_PT_H

#include <keel/pt.h>

#define X86_P (1UL << 0)
#define X86_RW (1UL << 1)
#define X86_US (1UL << 2)
#define X86_PWT (1UL << 3)
#define X86_PCD (1UL << 4)
#define X86_PS (1UL << 7)
#define X86_G (1UL << 8)
#define X86_NX (1UL << 63)
#define X86_ADDR_MASK 0x000ffffffffff000UL

extern const struct pt_format x86_pt_format;

#endif
