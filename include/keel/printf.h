/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Freestanding formatted output (also built on the host; k-prefixed names). */
#ifndef KEEL_PRINTF_H
#define KEEL_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Supports %s %c %d %i %u %x %X %p %% with optional '0' flag, width and the
 * l, ll, z length modifiers. Always NUL-terminates when size > 0. Returns the
 * number of characters that would have been written.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
