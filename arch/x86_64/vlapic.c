// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Software x2APIC for one vCPU (see asm/vlapic.h). Register semantics as in
 * the SDM's x2APIC chapter: the high 32 bits of every MSR but ICR must be
 * zero, reserved bits must be zero, EOI and ESR take only 0, and read-only
 * bits (delivery status, remote IRR) are ignored on write.
 */
#include <asm/vlapic.h>

/* Writable bits of each LVT, and read-only bits a write may carry */
#define LVTT_BITS (APIC_VECTOR_MASK | APIC_LVT_MASKED | APIC_LVTT_MODE_MASK)
#define LVT_DM_BITS (APIC_VECTOR_MASK | APIC_DM_MASK | APIC_LVT_MASKED)
#define LVT_LINT_BITS (LVT_DM_BITS | APIC_INPUT_POLARITY | APIC_TRIGGER_LEVEL)
#define LVTERR_BITS (APIC_VECTOR_MASK | APIC_LVT_MASKED)
#define LVT_RO_BITS APIC_DELIVERY_STATUS
#define LVT_LINT_RO_BITS (APIC_DELIVERY_STATUS | APIC_LEVEL_ASSERT)
#define SPIV_BITS 0x3ffU /* vector, APIC enable, focus check; no EOI-broadcast suppression */
#define TDCR_BITS 0xbU
#define APIC_DM_RESERVED 3U /* ICR delivery modes 3 and 7 (ExtINT) are reserved */
/* x2APIC ICR: bits 31:20, 17:16 and 13 reserved; 12 (delivery status) ignored */
#define ICR_RSVD_BITS 0xfff32000U

static const uint32_t lvt_regs[] = { APIC_REG_LVTT, APIC_REG_LVTTHMR, APIC_REG_LVTPC,
				     APIC_REG_LVT0, APIC_REG_LVT1,    APIC_REG_LVTERR };

static uint32_t reg(const struct vlapic *v, uint32_t offset)
{
	return apic_reg_read(v->regs, offset);
}

static void set_reg(struct vlapic *v, uint32_t offset, uint32_t val)
{
	apic_reg_write(v->regs, offset, val);
}

static bool sw_enabled(const struct vlapic *v)
{
	return (reg(v, APIC_REG_SPIV) & APIC_SPIV_ENABLE) != 0;
}

static uint32_t x2apic_ldr(uint32_t id)
{
	return ((id >> 4) << 16) | (1U << (id & 0xfU));
}

/* Latches @bits for the next ESR write and raises the error interrupt. */
static void apic_error(struct vlapic *v, uint32_t bits)
{
	uint32_t lvterr = reg(v, APIC_REG_LVTERR);
	uint32_t vec = lvterr & APIC_VECTOR_MASK;

	__atomic_fetch_or(&v->esr_pending, bits, __ATOMIC_RELAXED);
	if (!(lvterr & APIC_LVT_MASKED) && sw_enabled(v) && vec >= APIC_FIRST_LEGAL_VECTOR)
		apic_vec_set(v->regs, APIC_REG_IRR, vec);
}

void vlapic_reset(struct vlapic *v)
{
	for (uint32_t off = 0; off < APIC_PAGE_SIZE; off += 4)
		set_reg(v, off, 0);
	set_reg(v, APIC_REG_ID, v->id);
	set_reg(v, APIC_REG_LVR, VLAPIC_VERSION);
	set_reg(v, APIC_REG_LDR, x2apic_ldr(v->id));
	set_reg(v, APIC_REG_SPIV, 0xffU);
	for (size_t i = 0; i < sizeof(lvt_regs) / sizeof(lvt_regs[0]); i++)
		set_reg(v, lvt_regs[i], APIC_LVT_MASKED);
	v->esr_pending = 0;
	__atomic_store_n(&v->nmi_pending, false, __ATOMIC_SEQ_CST);
	v->deadline = VLAPIC_TIMER_OFF;
	v->period = 0;
}

void vlapic_init(struct vlapic *v, uint32_t *page, uint32_t id, uint32_t nr_vcpus)
{
	v->regs = page;
	v->id = id;
	v->nr_vcpus = nr_vcpus > VLAPIC_MAX_VCPUS ? VLAPIC_MAX_VCPUS : nr_vcpus;
	vlapic_reset(v);
}

/* ------------------------------------------------------------------ delivery */

bool vlapic_accept(struct vlapic *v, uint8_t vector)
{
	if (vector < APIC_FIRST_LEGAL_VECTOR) {
		apic_error(v, APIC_ESR_RECV_ILLEGAL);
		return false;
	}
	if (!sw_enabled(v))
		return false;
	apic_vec_set(v->regs, APIC_REG_IRR, vector);
	return true;
}

void vlapic_accept_nmi(struct vlapic *v)
{
	__atomic_store_n(&v->nmi_pending, true, __ATOMIC_SEQ_CST);
}

bool vlapic_take_nmi(struct vlapic *v)
{
	return __atomic_exchange_n(&v->nmi_pending, false, __ATOMIC_SEQ_CST);
}

uint32_t vlapic_ppr(const struct vlapic *v)
{
	return apic_ppr(reg(v, APIC_REG_TPR), apic_vec_highest(v->regs, APIC_REG_ISR));
}

int vlapic_pending_vector(const struct vlapic *v)
{
	return apic_deliverable(v->regs, APIC_REG_IRR, vlapic_ppr(v));
}

void vlapic_ack(struct vlapic *v, uint8_t vector)
{
	apic_vec_clear(v->regs, APIC_REG_IRR, vector);
	apic_vec_set(v->regs, APIC_REG_ISR, vector);
}

/* ------------------------------------------------------------------ timer */

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	uint64_t r = a + b;

	return (r < a || r == VLAPIC_TIMER_OFF) ? VLAPIC_TIMER_OFF - 1 : r;
}

/* TDCR bits 3,1:0 = 0..7 -> divide by 2, 4, 8, 16, 32, 64, 128, 1 */
static uint32_t tdcr_divisor(uint32_t tdcr)
{
	uint32_t e = ((tdcr & 8U) >> 1) | (tdcr & 3U);

	return 1U << ((e + 1U) & 7U);
}

static uint32_t timer_mode(const struct vlapic *v)
{
	return (reg(v, APIC_REG_LVTT) & APIC_LVTT_MODE_MASK) >> APIC_LVTT_MODE_SHIFT;
}

static void timer_arm(struct vlapic *v, uint64_t now)
{
	uint32_t tmict = reg(v, APIC_REG_TMICT);

	v->period = (uint64_t)tmict * tdcr_divisor(reg(v, APIC_REG_TDCR));
	v->deadline = tmict ? add_sat(now, v->period) : VLAPIC_TIMER_OFF;
}

/* TMCCT: counts left, one count per divisor ticks, never above TMICT */
static uint32_t timer_count(const struct vlapic *v, uint64_t now)
{
	uint32_t tmict = reg(v, APIC_REG_TMICT);
	uint64_t div = tdcr_divisor(reg(v, APIC_REG_TDCR));
	uint64_t left, count;

	if (v->deadline == VLAPIC_TIMER_OFF || !v->period)
		return 0;
	if (now < v->deadline)
		left = v->deadline - now;
	else if (timer_mode(v) == APIC_LVTT_PERIODIC)
		left = v->period - (now - v->deadline) % v->period;
	else
		return 0;
	count = (left + div - 1) / div;
	return count > tmict ? tmict : (uint32_t)count;
}

uint64_t vlapic_timer_deadline(const struct vlapic *v)
{
	return v->deadline;
}

int vlapic_timer_tick(struct vlapic *v, uint64_t now)
{
	uint32_t lvtt = reg(v, APIC_REG_LVTT);
	uint32_t vec = lvtt & APIC_VECTOR_MASK;

	if (v->deadline == VLAPIC_TIMER_OFF || now < v->deadline)
		return -1;
	if (timer_mode(v) == APIC_LVTT_PERIODIC && v->period) {
		uint64_t missed = (now - v->deadline) / v->period;

		v->deadline = add_sat(v->deadline, v->period * (missed + 1));
	} else {
		v->deadline = VLAPIC_TIMER_OFF;
	}
	if ((lvtt & APIC_LVT_MASKED) || !sw_enabled(v))
		return -1;
	if (vec < APIC_FIRST_LEGAL_VECTOR) {
		apic_error(v, APIC_ESR_RECV_ILLEGAL);
		return -1;
	}
	return (int)vec;
}

bool vlapic_timer_expire(struct vlapic *v, uint64_t now)
{
	int vec = vlapic_timer_tick(v, now);

	if (vec < 0)
		return false;
	apic_vec_set(v->regs, APIC_REG_IRR, (unsigned int)vec);
	return true;
}

/* ------------------------------------------------------------------ MSRs */

int vlapic_rdmsr(struct vlapic *v, uint32_t msr, uint64_t now, uint64_t *val)
{
	if (!apic_msr_is_x2apic(msr))
		return VLAPIC_GP;
	if (msr >= X2APIC_MSR_ISR0 && msr < X2APIC_MSR_IRR0 + APIC_VEC_WORDS) {
		*val = reg(v, apic_msr_to_offset(msr)); /* ISR, TMR, IRR */
		return 0;
	}
	switch (msr) {
	case X2APIC_MSR_ID:
	case X2APIC_MSR_LVR:
	case X2APIC_MSR_TPR:
	case X2APIC_MSR_LDR:
	case X2APIC_MSR_SPIV:
	case X2APIC_MSR_ESR:
	case X2APIC_MSR_LVTT:
	case X2APIC_MSR_LVTTHMR:
	case X2APIC_MSR_LVTPC:
	case X2APIC_MSR_LVT0:
	case X2APIC_MSR_LVT1:
	case X2APIC_MSR_LVTERR:
	case X2APIC_MSR_TMICT:
	case X2APIC_MSR_TDCR:
		*val = reg(v, apic_msr_to_offset(msr));
		return 0;
	case X2APIC_MSR_PPR:
		*val = vlapic_ppr(v);
		return 0;
	case X2APIC_MSR_ICR:
		*val = reg(v, APIC_REG_ICR) | (uint64_t)reg(v, APIC_REG_ICR + 4) << 32;
		return 0;
	case X2APIC_MSR_TMCCT:
		*val = timer_count(v, now);
		return 0;
	default: /* EOI and SELF_IPI are write-only; the rest does not exist */
		return VLAPIC_GP;
	}
}

/* Bit i set for every vCPU i a (non-shorthand) x2APIC destination names */
static uint64_t dest_targets(const struct vlapic *v, uint32_t dest, bool logical)
{
	uint64_t all = v->nr_vcpus >= 64 ? ~0ULL : (1ULL << v->nr_vcpus) - 1;
	uint64_t t = 0;

	if (dest == X2APIC_BROADCAST)
		return all;
	if (!logical)
		return dest < v->nr_vcpus ? 1ULL << dest : 0;
	/* logical: cluster in 31:16, one bit per member (ID & 0xf) in 15:0 */
	for (uint32_t i = 0; i < v->nr_vcpus; i++) {
		if ((i >> 4) == (dest >> 16) && (dest & (1U << (i & 0xfU))))
			t |= 1ULL << i;
	}
	return t;
}

static int icr_write(struct vlapic *v, uint64_t val, struct vlapic_action *act)
{
	uint32_t lo = (uint32_t)val;
	uint32_t mode = (lo & APIC_DM_MASK) >> APIC_DM_SHIFT;
	uint32_t sh = (lo & APIC_SH_MASK) >> APIC_SH_SHIFT;
	uint32_t vec = lo & APIC_VECTOR_MASK;
	uint64_t all = v->nr_vcpus >= 64 ? ~0ULL : (1ULL << v->nr_vcpus) - 1;
	uint64_t self = v->id < v->nr_vcpus ? 1ULL << v->id : 0;
	uint64_t targets;

	if ((lo & ICR_RSVD_BITS) || mode == APIC_DM_RESERVED || mode == APIC_DM_EXTINT)
		return VLAPIC_GP;
	lo &= ~APIC_DELIVERY_STATUS;
	set_reg(v, APIC_REG_ICR, lo);
	set_reg(v, APIC_REG_ICR + 4, (uint32_t)(val >> 32));

	if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) && vec < APIC_FIRST_LEGAL_VECTOR) {
		apic_error(v, APIC_ESR_SEND_ILLEGAL);
		return 0;
	}
	if (mode == APIC_DM_SMI) /* no SMM in keel's guests */
		return 0;
	if (mode == APIC_DM_INIT && !(lo & APIC_LEVEL_ASSERT) && (lo & APIC_TRIGGER_LEVEL))
		return 0; /* INIT level de-assert: ignored since the Pentium 4 */

	switch (sh) {
	case APIC_SH_SELF:
		targets = self;
		break;
	case APIC_SH_ALL:
		targets = all;
		break;
	case APIC_SH_OTHERS:
		targets = all & ~self;
		break;
	default:
		targets = dest_targets(v, (uint32_t)(val >> 32), (lo & APIC_DEST_LOGICAL) != 0);
		break;
	}
	if (mode == APIC_DM_LOWEST) {
		targets &= ~targets + 1; /* lowest-numbered */
		mode = APIC_DM_FIXED;
	}
	if (!targets)
		return 0;
	act->kind = VLAPIC_ACT_IPI;
	act->mode = (uint8_t)mode;
	act->vector = (uint8_t)vec;
	act->shorthand = (uint8_t)sh;
	act->targets = targets;
	return 0;
}

/* LVT write: reserved bits -> #GP, read-only bits dropped, forced masked while disabled */
static int lvt_write(struct vlapic *v, uint32_t offset, uint32_t val, uint32_t bits, uint32_t ro)
{
	if (val & ~(bits | ro))
		return VLAPIC_GP;
	val &= bits;
	if (!sw_enabled(v))
		val |= APIC_LVT_MASKED;
	set_reg(v, offset, val);
	return 0;
}

int vlapic_wrmsr(struct vlapic *v, uint32_t msr, uint64_t val, uint64_t now,
		 struct vlapic_action *act)
{
	uint32_t lo = (uint32_t)val;
	int isrv;

	*act = (struct vlapic_action){ .kind = VLAPIC_ACT_NONE };
	if (!apic_msr_is_x2apic(msr))
		return VLAPIC_GP;
	if (msr == X2APIC_MSR_ICR)
		return icr_write(v, val, act);
	if (val >> 32)
		return VLAPIC_GP;

	switch (msr) {
	case X2APIC_MSR_TPR:
		if (lo & ~APIC_VECTOR_MASK)
			return VLAPIC_GP;
		set_reg(v, APIC_REG_TPR, lo);
		return 0;
	case X2APIC_MSR_EOI:
		if (lo)
			return VLAPIC_GP;
		isrv = apic_vec_highest(v->regs, APIC_REG_ISR);
		if (isrv >= 0) {
			apic_vec_clear(v->regs, APIC_REG_ISR, (unsigned int)isrv);
			act->kind = VLAPIC_ACT_EOI;
			act->vector = (uint8_t)isrv;
		}
		return 0;
	case X2APIC_MSR_SPIV:
		if (lo & ~SPIV_BITS)
			return VLAPIC_GP;
		set_reg(v, APIC_REG_SPIV, lo);
		if (!(lo & APIC_SPIV_ENABLE)) {
			for (size_t i = 0; i < sizeof(lvt_regs) / sizeof(lvt_regs[0]); i++)
				set_reg(v, lvt_regs[i], reg(v, lvt_regs[i]) | APIC_LVT_MASKED);
		}
		return 0;
	case X2APIC_MSR_ESR:
		if (lo)
			return VLAPIC_GP;
		set_reg(v, APIC_REG_ESR, __atomic_exchange_n(&v->esr_pending, 0, __ATOMIC_RELAXED));
		return 0;
	case X2APIC_MSR_LVTT:
		if (((lo & APIC_LVTT_MODE_MASK) >> APIC_LVTT_MODE_SHIFT) == 3)
			return VLAPIC_GP;
		return lvt_write(v, APIC_REG_LVTT, lo, LVTT_BITS, LVT_RO_BITS);
	case X2APIC_MSR_LVTTHMR:
	case X2APIC_MSR_LVTPC:
		return lvt_write(v, apic_msr_to_offset(msr), lo, LVT_DM_BITS, LVT_RO_BITS);
	case X2APIC_MSR_LVT0:
	case X2APIC_MSR_LVT1:
		return lvt_write(v, apic_msr_to_offset(msr), lo, LVT_LINT_BITS, LVT_LINT_RO_BITS);
	case X2APIC_MSR_LVTERR:
		return lvt_write(v, APIC_REG_LVTERR, lo, LVTERR_BITS, LVT_RO_BITS);
	case X2APIC_MSR_TMICT:
		set_reg(v, APIC_REG_TMICT, lo);
		timer_arm(v, now);
		return 0;
	case X2APIC_MSR_TDCR: {
		uint32_t count;

		if (lo & ~TDCR_BITS)
			return VLAPIC_GP;
		count = timer_count(v, now); /* at the old rate */
		set_reg(v, APIC_REG_TDCR, lo);
		v->period = (uint64_t)reg(v, APIC_REG_TMICT) * tdcr_divisor(lo);
		/* a running count goes on from where it is, at the new rate */
		if (v->deadline != VLAPIC_TIMER_OFF && now < v->deadline)
			v->deadline = add_sat(now, (uint64_t)count * tdcr_divisor(lo));
		return 0;
	}
	case X2APIC_MSR_SELF_IPI:
		if (lo & ~APIC_VECTOR_MASK)
			return VLAPIC_GP;
		vlapic_accept(v, (uint8_t)lo); /* 0..15 latch "receive illegal vector" */
		return 0;
	default: /* read-only or not an x2APIC register */
		return VLAPIC_GP;
	}
}
