// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Emulated PL011 UART, enough for Linux's amba-pl011 driver and earlycon:
 * transmit goes to the VM's console line, receive comes from keel's console
 * while the VM has input focus, interrupts for RX/RX-timeout/TX.
 * Transmit never backs up, so TXFE is always set and TXFF never.
 */
#include <keel/vm.h>
#include <keel/arch.h>

#define DR 0x00
#define FR 0x18
#define IBRD 0x24
#define FBRD 0x28
#define LCR_H 0x2c
#define CR 0x30
#define IFLS 0x34
#define IMSC 0x38
#define RIS 0x3c
#define MIS 0x40
#define ICR 0x44
#define FR_TXFE (1u << 7)
#define FR_RXFE (1u << 4)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)

struct pl011 {
	unsigned intid;
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc;
	uint32_t tx_cleared; /* TX interrupt acknowledged through ICR */
	/*
	 * The line level as last computed. Input arrives on keel's console pCPU
	 * while the guest reads registers on its own: without the lock a stale
	 * store of level could hide the next rising edge (lost input).
	 */
	spinlock_t lock;
	bool level;
};

static struct pl011 uarts[KEEL_MAX_VMS];

/* PeriphID0-3 and CellID0-3, as QEMU's pl011 reports them */
static const uint8_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static uint32_t ris(struct vm *vm, struct pl011 *u)
{
	uint32_t r = u->tx_cleared ? 0 : INT_TX;

	return vm_console_rx_ready(vm) ? r | INT_RX | INT_RT : r;
}

static void update_line(struct vm *vm, struct pl011 *u)
{
	bool level, rise;

	spin_lock(&u->lock);
	level = (ris(vm, u) & u->imsc) != 0;
	rise = level && !u->level;
	u->level = level;
	spin_unlock(&u->lock);
	if (rise)
		arch_vm_irq_line(vm, u->intid, true);
}

static void rx_notify(struct vm *vm)
{
	update_line(vm, &uarts[vm->id]);
}

KEEL_NO_STACK_PROTECTOR static bool uart_read(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off,
					      unsigned size, uint64_t *val)
{
	struct vm *vm = vcpu->vm;
	struct pl011 *u = dev->priv;
	char c;

	(void)size;
	switch (off) {
	case DR:
		*val = vm_console_getc(vm, &c) ? (uint8_t)c : 0;
		update_line(vm, u); /* the only read that changes state */
		break;
	case FR:
		*val = FR_TXFE | (vm_console_rx_ready(vm) ? 0 : FR_RXFE);
		break;
	case IBRD:
		*val = u->ibrd;
		break;
	case FBRD:
		*val = u->fbrd;
		break;
	case LCR_H:
		*val = u->lcr_h;
		break;
	case CR:
		*val = u->cr;
		break;
	case IFLS:
		*val = u->ifls;
		break;
	case IMSC:
		*val = u->imsc;
		break;
	case RIS:
		*val = ris(vm, u);
		break;
	case MIS:
		*val = ris(vm, u) & u->imsc;
		break;
	default:
		*val = off >= 0xfe0 && off < 0x1000 ? ids[(off - 0xfe0) / 4] : 0;
		break;
	}
	return true;
}

static bool uart_write(struct vcpu *vcpu, struct mmio_dev *dev, uint64_t off, unsigned size,
		       uint64_t val)
{
	struct vm *vm = vcpu->vm;
	struct pl011 *u = dev->priv;

	(void)size;
	switch (off) {
	case DR:
		vm_console_putc(vm, (char)val);
		u->tx_cleared = 0; /* FIFO drained at once: TX interrupt condition again */
		break;
	case IBRD:
		u->ibrd = (uint32_t)val;
		break;
	case FBRD:
		u->fbrd = (uint32_t)val;
		break;
	case LCR_H:
		u->lcr_h = (uint32_t)val;
		break;
	case CR:
		u->cr = (uint32_t)val;
		break;
	case IFLS:
		u->ifls = (uint32_t)val;
		break;
	case IMSC:
		u->imsc = (uint32_t)val & 0x7ff;
		break;
	case ICR:
		if (val & INT_TX)
			u->tx_cleared = 1;
		break;
	default:
		break; /* read-only or unimplemented: ignored */
	}
	update_line(vm, u);
	return true;
}

void pl011_register(struct vm *vm, uint64_t base, unsigned intid)
{
	struct pl011 *u = &uarts[vm->id];
	struct mmio_dev *d = &vm->devs[vm->nr_devs++];

	*u = (struct pl011){ .intid = intid, .cr = 0x300, .lcr_h = 0, .imsc = 0 };
	d->name = "pl011";
	d->base = base;
	d->size = 0x1000;
	d->read = uart_read;
	d->write = uart_write;
	d->priv = u;
	vm->con.rx_notify = rx_notify;
}
