// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Intel TDX backend: a stub (a partition node with keel,tdx is refused by the
 * parser). Where a real one would hook into keel's teardown, following the
 * order KVM_TDX_TERMINATE_VM established (facts.md 5.2):
 *
 *   vm_terminate() stops every vCPU, then arch_vm_release_id() (vm_release_id):
 *     TDH.VP.FLUSH on each vCPU, TDH.MNG.VPFLUSHDONE, TDH.PHYMEM.CACHE.WB
 *     once per package (retrying on TDX_INTERRUPTED_RESUMABLE), then
 *     TDH.MNG.KEY.FREEID: the HKID goes back to the pool and the TD is in
 *     TD_TEARDOWN, so no hardware walker can use its tables any more.
 *   vm_destroy() then calls arch_vm_destroy() (vm_destroy): every private page and S-EPT
 *     page is reclaimed directly (TDH.PHYMEM.PAGE.RECLAIM, clear, free) with
 *     no per-page blocking, tracking or TLB shoot-down (that is what the early
 *     HKID release buys), control pages (TDCX, TDVPR, TDCS) next, the TDR last
 *     (RECLAIM, then TDH.PHYMEM.PAGE.WBINVD under the global KeyID).
 *
 * keel's SVM and arm64/riscv64 backends follow the same two-step order: the
 * VM's hardware ID (ASID/VMID) is released with one TLB invalidation, then its
 * tables and memory are freed as whole runs.
 */
#include <asm/virt.h>

const struct virt_backend tdx_backend = {
	.name = "Intel TDX",
	VIRT_STUB_HOOKS,
};
