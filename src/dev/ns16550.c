// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Emulated NS16550A UART (register shift 0), enough for Linux's 8250 driver
 * and earlycon: transmit goes to the VM's console line, receive comes from
 * keel's console while the VM has input focus, with the receive-data and
 * transmitter-empty interrupts. Transmit never backs up: THR is always empty.
 */
#include <keel/vm.h>
#include <keel/arch.h>

#define RBR_THR 0
#define IER 1
#define IIR_FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7
#define LCR_DLAB (1u << 7)
#define IER_RDA (1u << 0)
#define IER_THRE (1u << 1)
#define LSR_DR (1u << 0)
#define LSR_THRE (1u << 5)
#define LSR_TEMT (1u << 6)
#define IIR_NONE 0x01
#define IIR_THRE 0x02
#define IIR_RDA 0x04
#define IIR_FIFO 0xc0

struct ns16550 {
	struct vm *vm;
	unsigned irq;
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thre_pending; /* transmitter-empty interrupt not yet acknowledged */
	spinlock_t lock; /* level is updated from the console pCPU and the guest's (see pl011.c) */
	bool level;
};

static struct ns16550 uarts[KEEL_MAX_VMS];

static bool line(void *dev)
{
	struct ns16550 *u = dev;

	return ((u->ier & IER_RDA) && vm_console_rx_ready(u->vm)) ||
	       ((u->ier & IER_THRE) && u->thre_pending);
}

/* Raise the interrupt on a rising edge; the PLIC samples line() again on complete. */
static void update(struct ns16550 *u)
{
	bool level, rise;

	spin_lock(&u->lock);
	level = line(u);
	rise = level && !u->level;
	u->level = level;
	spin_unlock(&u->lock);
	if (rise)
		arch_vm_irq_line(u->vm, u->irq, true);
}

static void rx_notify(struct vm *vm)
{
	update(&uarts[vm->id]);
}

KEEL_NO_STACK_PROTECTOR static bool uart_read(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off,
					      unsigned size, uint64_t *val)
{
	struct ns16550 *u = dev->priv;
	char c;

	(void)vcpu;
	(void)size;
	switch (off) {
	case RBR_THR:
		*val = (u->lcr & LCR_DLAB) ? u->dll : vm_console_getc(u->vm, &c) ? (uint8_t)c : 0;
		break;
	case IER:
		*val = (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
		break;
	case IIR_FCR:
		if ((u->ier & IER_RDA) && vm_console_rx_ready(u->vm)) {
			*val = IIR_RDA;
		} else if ((u->ier & IER_THRE) && u->thre_pending) {
			*val = IIR_THRE;
			u->thre_pending = false; /* reading IIR acknowledges THRE */
		} else {
			*val = IIR_NONE;
		}
		*val |= (u->fcr & 1) ? IIR_FIFO : 0;
		break;
	case LCR:
		*val = u->lcr;
		break;
	case MCR:
		*val = u->mcr;
		break;
	case LSR:
		*val = LSR_THRE | LSR_TEMT | (vm_console_rx_ready(u->vm) ? LSR_DR : 0);
		return true; /* the hot polling register changes no state */
	case MSR:
		*val = 0xb0; /* DCD, DSR, CTS */
		break;
	case SCR:
		*val = u->scr;
		break;
	default:
		*val = 0;
	}
	update(u);
	return true;
}

static bool uart_write(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off, unsigned size,
		       uint64_t val)
{
	struct ns16550 *u = dev->priv;

	(void)vcpu;
	(void)size;
	switch (off) {
	case RBR_THR:
		if (u->lcr & LCR_DLAB) {
			u->dll = (uint8_t)val;
		} else {
			vm_console_putc(u->vm, (char)val);
			u->thre_pending = true; /* sent at once: empty again */
		}
		break;
	case IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = (uint8_t)val;
		} else {
			if ((val & IER_THRE) && !(u->ier & IER_THRE))
				u->thre_pending = true;
			u->ier = (uint8_t)val & 0x0f;
		}
		break;
	case IIR_FCR:
		u->fcr = (uint8_t)val;
		break;
	case LCR:
		u->lcr = (uint8_t)val;
		break;
	case MCR:
		u->mcr = (uint8_t)val;
		break;
	case SCR:
		u->scr = (uint8_t)val;
		break;
	}
	update(u);
	return true;
}

void ns16550_register(struct vm *vm, uint64_t base, unsigned irq)
{
	struct ns16550 *u = &uarts[vm->id];
	struct mmio_dev *d = &vm->devs[vm->nr_devs++];

	*u = (struct ns16550){ .vm = vm, .irq = irq };
	d->name = "ns16550";
	d->base = base;
	d->size = 0x100;
	d->read = uart_read;
	d->write = uart_write;
	d->priv = u;
	vm->con.rx_notify = rx_notify;
	arch_vm_irq_source(vm, irq, line, u);
}
