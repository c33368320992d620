// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Secure AVIC model for one vCPU (see asm/savic.h). The backing page is
 * guest memory: every read goes through the masked accessors of
 * asm/apic_regs.h, and nothing read from it is used as an index unmasked.
 */
#include <asm/savic.h>

#define SAVIC_NMI_REQ_BIT 1U

void savic_init(struct savic *s)
{
	s->page = NULL;
	s->gpa = SAVIC_NO_GPA;
	s->ctl = 0;
	s->dropped = 0;
}

int savic_register(struct savic *s, uint64_t gpa, savic_map_fn map, void *ctx)
{
	uint32_t *page;

	if (gpa & (APIC_PAGE_SIZE - 1U))
		return SAVIC_ERR;
	if (savic_active(s) && gpa != s->gpa)
		return SAVIC_ERR; /* the enabled page must stay where it is */
	page = map(ctx, gpa, APIC_PAGE_SIZE);
	if (!page || ((uintptr_t)page & 3U))
		return SAVIC_ERR;
	s->page = page;
	s->gpa = gpa;
	return 0;
}

int savic_unregister(struct savic *s)
{
	if (!s->page)
		return SAVIC_ERR;
	s->ctl &= ~SAVIC_CTL_EN;
	s->page = NULL;
	s->gpa = SAVIC_NO_GPA;
	return 0;
}

int savic_ctl_write(struct savic *s, uint64_t val)
{
	if (val & SAVIC_CTL_RSVD)
		return SAVIC_ERR;
	if ((val & SAVIC_CTL_EN) && (!s->page || (val & SAVIC_CTL_GPA_MASK) != s->gpa))
		return SAVIC_ERR;
	s->ctl = val;
	return 0;
}

uint64_t savic_ctl_read(const struct savic *s)
{
	return s->ctl;
}

bool savic_active(const struct savic *s)
{
	return s->page && (s->ctl & SAVIC_CTL_EN);
}

bool savic_allowed_nmi(const struct savic *s)
{
	return (s->ctl & SAVIC_CTL_ALLOWEDNMI) != 0;
}

static enum savic_result dropped(struct savic *s)
{
	__atomic_fetch_add(&s->dropped, 1, __ATOMIC_RELAXED);
	return SAVIC_DROPPED;
}

static void request_nmi(struct savic *s)
{
	__atomic_fetch_or(apic_reg_ptr(s->page, APIC_REG_NMI_REQ), SAVIC_NMI_REQ_BIT,
			  __ATOMIC_SEQ_CST);
}

enum savic_result savic_deliver(struct savic *s, uint8_t vector)
{
	if (!savic_active(s))
		return SAVIC_INACTIVE;
	if (vector < APIC_FIRST_LEGAL_VECTOR ||
	    !apic_vec_test(s->page, APIC_REG_ALLOWED_IRR, vector))
		return dropped(s);
	apic_vec_set(s->page, APIC_REG_IRR, vector);
	return SAVIC_DELIVERED;
}

enum savic_result savic_deliver_nmi(struct savic *s)
{
	if (!savic_active(s))
		return SAVIC_INACTIVE;
	if (!savic_allowed_nmi(s))
		return dropped(s);
	request_nmi(s);
	return SAVIC_DELIVERED;
}

enum savic_result savic_self_ipi(struct savic *s, uint8_t vector)
{
	if (!savic_active(s))
		return SAVIC_INACTIVE;
	if (vector < APIC_FIRST_LEGAL_VECTOR)
		return dropped(s);
	apic_vec_set(s->page, APIC_REG_IRR, vector);
	return SAVIC_DELIVERED;
}

enum savic_result savic_self_nmi(struct savic *s)
{
	if (!savic_active(s))
		return SAVIC_INACTIVE;
	request_nmi(s);
	return SAVIC_DELIVERED;
}

uint8_t savic_tpr(const struct savic *s)
{
	if (!s->page)
		return 0;
	return (uint8_t)(apic_reg_read(s->page, APIC_REG_TPR) & APIC_VECTOR_MASK);
}

/* PPR as the guest reads it from the page: its own TPR and ISR */
static void sync_ppr(struct savic *s)
{
	apic_reg_write(s->page, APIC_REG_PPR,
		       apic_ppr(savic_tpr(s), apic_vec_highest(s->page, APIC_REG_ISR)));
}

int savic_eoi(struct savic *s)
{
	int isrv;

	if (!savic_active(s))
		return -1;
	isrv = apic_vec_highest(s->page, APIC_REG_ISR);
	if (isrv >= 0)
		apic_vec_clear(s->page, APIC_REG_ISR, (unsigned int)isrv);
	sync_ppr(s);
	return isrv;
}

int savic_pick(struct savic *s, uint8_t tpr)
{
	uint32_t ppr;

	if (!savic_active(s))
		return -1;
	ppr = apic_ppr(tpr, apic_vec_highest(s->page, APIC_REG_ISR));
	sync_ppr(s);
	return apic_deliverable(s->page, APIC_REG_IRR, ppr);
}

void savic_ack(struct savic *s, uint8_t vector)
{
	if (!savic_active(s))
		return;
	apic_vec_clear(s->page, APIC_REG_IRR, vector);
	apic_vec_set(s->page, APIC_REG_ISR, vector);
	sync_ppr(s);
}

bool savic_nmi_pick(struct savic *s)
{
	if (!savic_active(s))
		return false;
	return (__atomic_fetch_and(apic_reg_ptr(s->page, APIC_REG_NMI_REQ), ~SAVIC_NMI_REQ_BIT,
				   __ATOMIC_SEQ_CST) &
		SAVIC_NMI_REQ_BIT) != 0;
}
