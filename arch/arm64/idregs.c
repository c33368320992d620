// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ID registers as guests see them (HCR_EL2.TID3 traps the AArch64 and
 * AArch32 feature registers, op0 3, op1 0, CRn 0, CRm 1..7). Features keel
 * traps or does not switch are hidden: MTE, PMU, SPE, trace buffer, AMU,
 * SME2 (ZT0 is not switched); SVE and SME show only when the VM may use
 * them (sve-max-vl / sme-max-vl not 0). Pointer authentication is hidden
 * too: keel leaves HCR_EL2.API/APK clear and does not switch the PAC keys,
 * so a guest that saw PAuth (Linux does) would trap on its first PACIASP;
 * hidden, Linux leaves SCTLR_EL1.EnIA clear and its PAC hints are NOPs.
 */
#include <keel/vm.h>
#include <asm/arm64.h>
#include <asm/sysreg.h>
#include <stdint.h>

#define F(hi, lo) (((1UL << ((hi) - (lo) + 1)) - 1) << (lo))

#define RD(crm, op2)          \
	case (crm)*8 + (op2): \
		return read_sysreg(S3_0_C0_C##crm##_##op2)
#define RD_ROW(crm) \
	RD(crm, 0); \
	RD(crm, 1); \
	RD(crm, 2); \
	RD(crm, 3); \
	RD(crm, 4); \
	RD(crm, 5); \
	RD(crm, 6); \
	RD(crm, 7)

static uint64_t read_id(unsigned crm, unsigned op2)
{
	switch (crm * 8 + op2) {
		RD_ROW(1);
		RD_ROW(2);
		RD_ROW(3);
		RD_ROW(4);
		RD_ROW(5);
		RD_ROW(6);
		RD_ROW(7);
	}
	return 0;
}

/* A 4-bit field capped at max. */
static uint64_t cap_field(uint64_t v, unsigned lo, uint64_t max)
{
	return ((v >> lo) & 0xf) > max ? (v & ~F(lo + 3, lo)) | (max << lo) : v;
}

uint64_t guest_id_reg(const struct vcpu *vcpu, unsigned crm, unsigned op2)
{
	uint64_t v = read_id(crm, op2);
	bool sve = vcpu->arch.fpu.sve_vl, sme = vcpu->arch.fpu.sme_vl;

	switch (crm * 8 + op2) {
	case 4 * 8 + 0: /* ID_AA64PFR0_EL1: SVE, AMU */
		return v & ~((sve ? 0 : F(35, 32)) | F(47, 44));
	case 4 * 8 + 1: /* ID_AA64PFR1_EL1: SME (SME2 shown as SME), MTE */
		v = sme ? cap_field(v, 24, 1) : v & ~F(27, 24);
		return v & ~F(11, 8);
	case 4 * 8 + 4: /* ID_AA64ZFR0_EL1: SVE features, also those of streaming mode */
		return sve || sme ? v : 0;
	case 4 * 8 + 5: /* ID_AA64SMFR0_EL1: SMEver 0 (no SME2: ZT0 is not switched) */
		return sme ? v & ~F(59, 56) : 0;
	case 6 * 8 + 1: /* ID_AA64ISAR1_EL1: GPI, GPA, API, APA */
		return v & ~(F(31, 24) | F(11, 4));
	case 6 * 8 + 2: /* ID_AA64ISAR2_EL1: APA3, GPA3 */
		return v & ~F(15, 8);
	case 5 * 8 + 0: /* ID_AA64DFR0_EL1: PMUVer, PMSVer (SPE), TraceBuffer */
		return v & ~(F(11, 8) | F(35, 32) | F(47, 44));
	case 1 * 8 + 2: /* ID_DFR0_EL1: PerfMon */
		return v & ~F(27, 24);
	}
	return v;
}
