/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keel's console: its own log lines and every VM's emulated UART output, one
 * whole line at a time ("[name] text" for VMs), so lines never interleave.
 * Input goes to the focused VM; CONSOLE_FOCUS_KEY moves focus to the next VM,
 * CONSOLE_STATS_KEY prints every vCPU's accounting.
 */
#ifndef KEEL_CONSOLE_H
#define KEEL_CONSOLE_H

#include <keel/partition.h>

#define CONSOLE_FOCUS_KEY 0x1d /* Ctrl-] */
#define CONSOLE_STATS_KEY 0x14 /* Ctrl-T (BSD's status key): per-vCPU figures of every VM */
#define CONSOLE_LINE_MAX 160

struct vm;

void console_write_line(const char *prefix, const char *text, unsigned len);
/* Raw output used only by the panic path (no lock: the machine is going down). */
void console_puts_unlocked(const char *s);
void console_printf_unlocked(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void log_set_level(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_err(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* Per-VM line buffer behind each emulated UART. */
struct vm_console {
	unsigned len;
	unsigned shown; /* bytes of line already on screen (a prompt: see vm_console_tx_idle) */
	char line[CONSOLE_LINE_MAX];
	/* input for the focused VM */
	unsigned rx_head, rx_tail;
	char rx[64];
	void (*rx_notify)(struct vm *vm); /* set by the VM's UART model */
};
void vm_console_putc(struct vm *vm, char c);
void vm_console_flush(struct vm *vm);
/*
 * The VM's UART driver has nothing more to send (it masked its transmit
 * interrupt). If the VM has the input focus, the unfinished line it ends on
 * (a shell prompt, echoed keys) is shown at once instead of at its newline.
 */
void vm_console_tx_idle(struct vm *vm);
/* Byte typed on keel's console: focus key or input for the focused VM. */
void console_input(char c);
bool vm_console_getc(struct vm *vm, char *c);
void console_vm_stopped(struct vm *vm);
bool vm_console_rx_ready(struct vm *vm);

#endif
