/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keel's hypercalls, arch-neutral: each arch moves its registers in and out
 * (include/keel/hypercall.h has the per-arch register use) and calls
 * keel_hypercall(). Only a keel,manager VM may act on other VMs.
 */
#ifndef KEEL_HCALL_H
#define KEEL_HCALL_H

#include <stdint.h>

struct vcpu;

struct hc_result {
	int64_t status; /* KEEL_OK or a KEEL_E* code */
	uint64_t v[4];
};

void keel_hypercall(struct vcpu *caller, unsigned n, const uint64_t a[5], struct hc_result *r);

#endif
