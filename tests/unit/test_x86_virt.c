// SPDX-License-Identifier: GPL-2.0-or-later
/* x86 backend choice from CPUID, and the VMX/TDX stubs refusing work. */
#include "check.h"
#include <asm/virt.h>

static void test_pick(void)
{
	CHECK_EQ_U64(virt_pick(1u << 2, 0), VIRT_SVM);
	CHECK_EQ_U64(virt_pick(1u << 2, 1u << 5), VIRT_SVM); /* both: SVM is implemented */
	CHECK_EQ_U64(virt_pick(0, 1u << 5), VIRT_VMX);
	CHECK_EQ_U64(virt_pick(0, 0), VIRT_NONE);
	CHECK_EQ_U64(virt_pick(~(1u << 2), ~(1u << 5)), VIRT_NONE); /* other bits do not count */
}

static void test_verdicts(void)
{
	CHECK_STR_CONTAINS(virt_verdict(VIRT_VMX), "VMX backend is not implemented");
	CHECK_STR_CONTAINS(virt_verdict(VIRT_VMX), "no guest is started");
	CHECK_STR_CONTAINS(virt_verdict(VIRT_NONE), "neither AMD SVM nor Intel VMX");
	CHECK_STR_CONTAINS(virt_verdict(VIRT_SVM), "SVM");
}

static void test_stubs_refuse(void)
{
	const struct virt_backend *b[] = { &vmx_backend, &tdx_backend };

	for (unsigned i = 0; i < 2; i++) {
		CHECK(!b[i]->implemented, "%s claims to be implemented", b[i]->name);
		CHECK(b[i]->cpu_init(0) < 0, "%s cpu_init did not refuse", b[i]->name);
		CHECK(b[i]->vm_init(NULL) < 0, "%s vm_init did not refuse", b[i]->name);
		CHECK(b[i]->vcpu_init(NULL) < 0, "%s vcpu_init did not refuse", b[i]->name);
		b[i]->vm_release_id(NULL); /* must not crash */
		b[i]->vm_destroy(NULL);
	}
}

int main(void)
{
	RUN(test_pick);
	RUN(test_verdicts);
	RUN(test_stubs_refuse);
	CHECK_EXIT();
}
