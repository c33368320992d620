// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Physical GICv3 at EL2. keel keeps interrupts masked while it runs, so
 * interrupts arrive as exits from a guest (HCR_EL2.IMO) or are polled while
 * a pCPU idles. EOImode = 1: keel drops priority itself and deactivates what
 * it handled; a timer interrupt forwarded to a guest stays active until the
 * guest's virtual EOI deactivates it through the list register's HW link.
 */
#include <asm/gic.h>
#include <asm/sysreg.h>
#include <keel/vcpu.h>
#include <keel/vm.h>
#include <keel/console.h>
#include <platform.h>

#define GICD_CTLR 0x0
#define GICD_IGROUPR 0x80
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_IROUTER 0x6000
#define GICR_TYPER 0x8
#define GICR_WAKER 0x14
#define GICR_SGI 0x10000
#define UART_IMSC 0x38

static inline volatile uint32_t *reg32(uint64_t a)
{
	return (volatile uint32_t *)a;
}

void uart_poll_input(void);
void irq_guest_timer(unsigned intid);
void irq_hyp_timer(void);

static uint64_t gicr_of(unsigned cpu)
{
	uint64_t aff = pcpus[cpu].hwid;

	for (uint64_t r = PLAT_GICR_BASE;; r += PLAT_GICR_STRIDE) {
		uint64_t typer = *(volatile uint64_t *)(r + GICR_TYPER);

		if ((typer >> 32) == (((aff >> 8) & 0xff0000) | (aff & 0xffff)))
			return r;
		if (typer & (1u << 4)) /* Last */
			return 0;
	}
}

static void dist_init(void)
{
	*reg32(PLAT_GICD_BASE + GICD_CTLR) = 0x13; /* ARE, Group 1, Group 0 */
	while (*reg32(PLAT_GICD_BASE + GICD_CTLR) & (1u << 31))
		;
	/* console UART input: group 1, to CPU 0 */
	*reg32(PLAT_GICD_BASE + GICD_IGROUPR + 4) |= 1u << (PLAT_UART_INTID - 32);
	*((volatile uint8_t *)(PLAT_GICD_BASE + GICD_IPRIORITYR + PLAT_UART_INTID)) = 0xa0;
	*(volatile uint64_t *)(PLAT_GICD_BASE + GICD_IROUTER + 8 * PLAT_UART_INTID) =
		((pcpus[0].hwid & 0xff00000000UL)) | (pcpus[0].hwid & 0xffffff);
	*reg32(PLAT_GICD_BASE + GICD_ISENABLER + 4) = 1u << (PLAT_UART_INTID - 32);
	*reg32(PLAT_UART_BASE + UART_IMSC) = (1u << 4) | (1u << 6); /* RX, RX timeout */
}

void gic_cpu_init(unsigned cpu)
{
	uint64_t r;

	if (cpu == 0)
		dist_init();
	r = gicr_of(cpu);
	if (r) {
		*reg32(r + GICR_WAKER) &= ~(1u << 1);
		while (*reg32(r + GICR_WAKER) & (1u << 2))
			;
		*reg32(r + GICR_SGI + GICD_IGROUPR) = 0xffffffff;
		for (unsigned i = 0; i < 32; i++)
			*((volatile uint8_t *)(r + GICR_SGI + GICD_IPRIORITYR + i)) = 0xa0;
		*reg32(r + GICR_SGI + GICD_ISENABLER) = (1u << INTID_KICK) | (1u << INTID_HTIMER) |
							(1u << INTID_VTIMER) |
							(1u << INTID_PTIMER) | (1u << 25);
	} else {
		log_err("CPU %u: no GIC redistributor matches its affinity", cpu);
	}
	write_sysreg(S3_4_C12_C9_5, 0xf); /* ICC_SRE_EL2: SRE, DFB, DIB, Enable */
	isb();
	write_sysreg(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
	write_sysreg(S3_0_C12_C12_4, 1u << 1); /* ICC_CTLR_EL1: EOImode = 1 */
	write_sysreg(S3_0_C12_C12_7, 1); /* ICC_IGRPEN1_EL1 */
	write_sysreg(S3_4_C12_C11_0, 1); /* ICH_HCR_EL2.En */
	isb();
}

void gic_send_sgi(unsigned cpu, unsigned intid)
{
	uint64_t aff = pcpus[cpu].hwid;
	uint64_t v = ((aff >> 32) & 0xff) << 48 | ((aff >> 16) & 0xff) << 32 |
		     ((aff >> 8) & 0xff) << 16 | (uint64_t)intid << 24 | (1u << (aff & 0xf));

	dsb(ishst);
	write_sysreg(S3_0_C12_C11_5, v); /* ICC_SGI1R_EL1 */
	isb();
}

void gic_deactivate(unsigned intid)
{
	write_sysreg(S3_0_C12_C11_1, intid); /* ICC_DIR_EL1 */
}

bool gic_handle_one(void)
{
	unsigned intid = (unsigned)read_sysreg(S3_0_C12_C12_0) & 0xffffff; /* ICC_IAR1_EL1 */
	struct pcpu *p = this_pcpu();

	if (intid >= 1020)
		return false;
	write_sysreg(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1: priority drop */
	switch (intid) {
	case INTID_VTIMER:
	case INTID_PTIMER:
		if (p->cur) {
			vgic_inject(p->cur, intid); /* deactivated by the guest's EOI */
			return true;
		}
		break;
	case INTID_HTIMER:
		irq_hyp_timer();
		break;
	case PLAT_UART_INTID:
		uart_poll_input();
		break;
	case 25: /* maintenance: list registers drained */
		break;
	default: /* INTID_KICK: requests are looked at on the way back */
		break;
	}
	gic_deactivate(intid);
	return true;
}

void gic_poll(void)
{
	while (gic_handle_one())
		;
}
