// SPDX-License-Identifier: GPL-2.0-or-later
/* Line-at-a-time console multiplexing keel's log and every VM's UART. */
#include <keel/console.h>
#include <keel/arch.h>
#include <keel/spinlock.h>
#include <keel/vm.h>
#include <keel/printf.h>

static spinlock_t console_lock = SPINLOCK_INIT;
static unsigned focus; /* index of the VM that gets console input */
/* VM whose unfinished line is on screen, the cursor right after it (console_lock) */
static struct vm *open_vm;

static void put_raw(const char *s, unsigned len)
{
	for (unsigned i = 0; i < len; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
}

static void put_str(const char *s)
{
	unsigned n = 0;

	while (s[n])
		n++;
	put_raw(s, n);
}

/* Another line is about to be printed: end the unfinished one on screen (console_lock). */
static void close_open_line(void)
{
	if (open_vm) {
		put_raw("\n", 1);
		open_vm = NULL; /* the rest of its line comes later, with its prefix again */
	}
}

void console_write_line(const char *prefix, const char *text, unsigned len)
{
	spin_lock(&console_lock);
	close_open_line();
	put_str(prefix);
	put_raw(text, len);
	put_raw("\n", 1);
	spin_unlock(&console_lock);
}

void console_puts_unlocked(const char *s)
{
	put_str(s);
}

static void vm_prefix(struct vm *vm, char *prefix)
{
	unsigned n = 0;

	prefix[n++] = '[';
	for (const char *p = vm->name; *p; p++)
		prefix[n++] = *p;
	prefix[n++] = ']';
	prefix[n++] = ' ';
	prefix[n] = '\0';
}

/* Print the part of vm's line not yet on screen (vm->lock and console_lock held). */
static void show_rest(struct vm *vm)
{
	char prefix[KEEL_NAME_MAX + 4];

	if (open_vm != vm) {
		close_open_line();
		vm_prefix(vm, prefix);
		put_str(prefix);
	}
	put_raw(vm->con.line + vm->con.shown, vm->con.len - vm->con.shown);
	vm->con.shown = vm->con.len;
}

/* Called with vm->lock held. */
void vm_console_flush(struct vm *vm)
{
	if (!vm->con.len)
		return;
	spin_lock(&console_lock);
	if (open_vm != vm && vm->con.shown == vm->con.len) {
		/* all of it was shown before another line cut in: nothing to repeat */
	} else {
		show_rest(vm);
		put_raw("\n", 1);
		open_vm = NULL;
	}
	vm->con.len = 0;
	vm->con.shown = 0;
	spin_unlock(&console_lock);
}

void vm_console_tx_idle(struct vm *vm)
{
	unsigned n = vm_count();

	if (!n || vm_by_index(focus % n) != vm)
		return;
	spin_lock(&vm->lock);
	spin_lock(&console_lock);
	if (vm->con.len > vm->con.shown) {
		show_rest(vm);
		open_vm = vm;
	}
	spin_unlock(&console_lock);
	spin_unlock(&vm->lock);
}

void vm_console_putc(struct vm *vm, char c)
{
	if (vm->cfg->console == CONSOLE_NONE)
		return;
	spin_lock(&vm->lock);
	if (c == '\n') {
		vm_console_flush(vm);
	} else if (c != '\r') {
		vm->con.line[vm->con.len++] = c;
		if (vm->con.len == CONSOLE_LINE_MAX)
			vm_console_flush(vm);
	}
	spin_unlock(&vm->lock);
}

/* Give the input focus to the next VM that is not stopped. */
static void move_focus(unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct vm *next = vm_by_index((focus + i) % n);

		/* destroyed slots are NULL; stopped and never-started VMs take no input */
		if (next && (next->state == VM_RUNNING || next->state == VM_STOPPING)) {
			focus = (focus + i) % n;
			log_info("console input now goes to VM %s", next->name);
			return;
		}
	}
}

void console_input(char c)
{
	unsigned n = vm_count();
	struct vm *vm;

	if (!n)
		return;
	if (c == CONSOLE_FOCUS_KEY) {
		move_focus(n);
		vm = vm_by_index(focus % n);
		if (vm)
			vm_console_tx_idle(vm); /* show the prompt it is waiting at */
		return;
	}
	if (c == CONSOLE_STATS_KEY) {
		vcpu_stats_report_all();
		return;
	}
	vm = vm_by_index(focus % n);
	if (!vm)
		return; /* the focused VM was destroyed: input is dropped until the focus moves */
	spin_lock(&vm->lock);
	unsigned next = (vm->con.rx_head + 1) % sizeof(vm->con.rx);

	if (next != vm->con.rx_tail) { /* a full buffer drops input */
		vm->con.rx[vm->con.rx_head] = c;
		vm->con.rx_head = next;
	}
	spin_unlock(&vm->lock);
	if (vm->con.rx_notify)
		vm->con.rx_notify(vm);
}

/* A stopped VM keeps no input focus: hand it to the next running VM. */
void console_vm_stopped(struct vm *vm)
{
	unsigned n = vm_count();

	if (n && vm_by_index(focus % n) == vm)
		move_focus(n);
}

bool vm_console_getc(struct vm *vm, char *c)
{
	bool ok = false;

	spin_lock(&vm->lock);
	if (vm->con.rx_tail != vm->con.rx_head) {
		*c = vm->con.rx[vm->con.rx_tail];
		vm->con.rx_tail = (vm->con.rx_tail + 1) % sizeof(vm->con.rx);
		ok = true;
	}
	spin_unlock(&vm->lock);
	return ok;
}

bool vm_console_rx_ready(struct vm *vm)
{
	return vm->con.rx_tail != vm->con.rx_head;
}

void console_printf_unlocked(const char *fmt, ...)
{
	char buf[CONSOLE_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_puts_unlocked(buf);
}
