// SPDX-License-Identifier: GPL-2.0-or-later
#include <keel/console.h>
#include <keel/printf.h>

static enum log_level log_level = LOG_INFO;
static const char *const level_prefix[] = { "keel: error: ", "keel: warning: ", "keel: ",
					    "keel: debug: " };

void log_set_level(enum log_level level)
{
	log_level = level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char buf[CONSOLE_LINE_MAX];
	va_list ap;
	int n;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write_line(level_prefix[level], buf, (unsigned)n);
}
