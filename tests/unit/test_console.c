// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Console multiplexing (src/console.c): whole prefixed lines, and the focused
 * VM's unfinished line (a shell prompt) shown when its UART goes idle, with
 * fake VMs and a fake console UART that records what keel prints.
 */
#include <stdarg.h>
#include <keel/console.h>
#include <keel/arch.h>
#include <keel/vm.h>
#include "check.h"

/* ---- fakes: the console UART, the VM table, the log */

static char out[4096];
static unsigned out_len;
static struct vm fake_vms[2];
static struct vm_config fake_cfg[2];

void arch_console_putc(char c)
{
	if (c != '\r' && out_len < sizeof(out) - 1)
		out[out_len++] = c;
	out[out_len] = '\0';
}

unsigned vm_count(void)
{
	return 2;
}

struct vm *vm_by_index(unsigned i)
{
	return i < 2 ? &fake_vms[i] : NULL;
}

static unsigned stats_reports;

void vcpu_stats_report_all(void)
{
	stats_reports++;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[CONSOLE_LINE_MAX];
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	va_end(ap);
	console_write_line("keel: ", line, (unsigned)n);
}

static void reset(void)
{
	static const char *const names[] = { "a", "b" };

	for (unsigned i = 0; i < 2; i++) {
		memset(&fake_vms[i], 0, sizeof(fake_vms[i]));
		fake_cfg[i].console = CONSOLE_EMULATED;
		fake_vms[i].cfg = &fake_cfg[i];
		fake_vms[i].state = VM_RUNNING;
		strcpy(fake_vms[i].name, names[i]);
	}
	out_len = 0;
	out[0] = '\0';
}

static void put(struct vm *vm, const char *s)
{
	while (*s)
		vm_console_putc(vm, *s++);
}

#define CHECK_OUT(expected) \
	CHECK(!strcmp(out, (expected)), "expected \"%s\", saw \"%s\"", (expected), out)

/* VM a has the focus (index 0 after reset). */
static void whole_lines_only_without_idle(void)
{
	reset();
	put(&fake_vms[0], "a$ ");
	put(&fake_vms[1], "one\n");
	CHECK_OUT("[b] one\n");
	put(&fake_vms[0], "ls\n");
	CHECK_OUT("[b] one\n[a] a$ ls\n");
}

static void prompt_shown_on_idle(void)
{
	reset();
	put(&fake_vms[0], "a$ ");
	vm_console_tx_idle(&fake_vms[0]);
	CHECK_OUT("[a] a$ ");
	put(&fake_vms[0], "l"); /* echoed keys continue the line */
	vm_console_tx_idle(&fake_vms[0]);
	put(&fake_vms[0], "s\n");
	CHECK_OUT("[a] a$ ls\n");
	put(&fake_vms[0], "x\n");
	CHECK_OUT("[a] a$ ls\n[a] x\n");
}

static void idle_of_unfocused_vm_waits(void)
{
	reset();
	put(&fake_vms[1], "b$ ");
	vm_console_tx_idle(&fake_vms[1]);
	CHECK_OUT("");
	put(&fake_vms[1], "\n");
	CHECK_OUT("[b] b$ \n");
}

static void other_line_cuts_in(void)
{
	reset();
	put(&fake_vms[0], "a$ ");
	vm_console_tx_idle(&fake_vms[0]);
	put(&fake_vms[1], "hello\n");
	CHECK_OUT("[a] a$ \n[b] hello\n");
	put(&fake_vms[0], "ls\n"); /* the rest on a new prefixed line, nothing repeated */
	CHECK_OUT("[a] a$ \n[b] hello\n[a] ls\n");

	reset();
	put(&fake_vms[0], "a$ ");
	vm_console_tx_idle(&fake_vms[0]);
	console_write_line("keel: ", "log", 3);
	put(&fake_vms[0], "\n"); /* all of it was shown: no empty "[a] " line */
	CHECK_OUT("[a] a$ \nkeel: log\n");
}

static void focus_key_shows_prompt(void)
{
	reset();
	put(&fake_vms[1], "b$ ");
	console_input(CONSOLE_FOCUS_KEY);
	CHECK_OUT("keel: console input now goes to VM b\n[b] b$ ");
	console_input('x');
	char c = 0;

	CHECK(vm_console_getc(&fake_vms[1], &c) && c == 'x', "b got '%c'", c);
	CHECK(!vm_console_rx_ready(&fake_vms[0]), "a got input");
	console_input(CONSOLE_FOCUS_KEY); /* back to a, for the other tests */
}

/* Ctrl-T asks for every vCPU's accounting and is not typed into the focused VM. */
static void stats_key_reports(void)
{
	unsigned before = stats_reports;

	reset();
	console_input(CONSOLE_STATS_KEY);
	CHECK(stats_reports == before + 1, "%u reports, expected 1", stats_reports - before);
	CHECK(!vm_console_rx_ready(&fake_vms[0]) && !vm_console_rx_ready(&fake_vms[1]),
	      "Ctrl-T reached a VM as input");
}

int main(void)
{
	RUN(whole_lines_only_without_idle);
	RUN(prompt_shown_on_idle);
	RUN(idle_of_unfocused_vm_waits);
	RUN(other_line_cuts_in);
	RUN(focus_key_shows_prompt);
	RUN(stats_key_reports);
	CHECK_EXIT();
}
