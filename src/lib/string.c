// SPDX-License-Identifier: GPL-2.0-or-later
/* Freestanding string functions for keel (the host build uses libc's). */
#include <string.h>
#include <stdint.h>
#include <stdbool.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if ((((uintptr_t)d | (uintptr_t)s | n) & 7) == 0) {
		uint64_t *d8 = dst;
		const uint64_t *s8 = src;

		for (size_t i = 0; i < n / 8; i++)
			d8[i] = s8[i];
		return dst;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	if (c == 0 && (((uintptr_t)d | n) & 7) == 0) {
		uint64_t *d8 = dst;

		for (size_t i = 0; i < n / 8; i++)
			d8[i] = 0;
		return dst;
	}
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

/*
 * Word-at-a-time scanning: libfdt validates every string it looks up with
 * memchr/strnlen over the rest of the strings block, so these are hot at boot.
 */
#define ONES 0x0101010101010101UL
#define HIGHS 0x8080808080808080UL

static inline bool word_has_zero(uint64_t w)
{
	return ((w - ONES) & ~w & HIGHS) != 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const uint8_t *p = s;
	uint8_t ch = (uint8_t)c;
	uint64_t pattern = ONES * ch;

	while (n && ((uintptr_t)p & 7)) {
		if (*p == ch)
			return (void *)p;
		p++;
		n--;
	}
	while (n >= 8 && !word_has_zero(*(const uint64_t *)p ^ pattern)) {
		p += 8;
		n -= 8;
	}
	for (; n; p++, n--)
		if (*p == ch)
			return (void *)p;
	return NULL;
}

size_t strnlen(const char *s, size_t max)
{
	const char *z = memchr(s, 0, max);

	return z ? (size_t)(z - s) : max;
}

size_t strlen(const char *s)
{
	return strnlen(s, SIZE_MAX);
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i])
			return (uint8_t)a[i] - (uint8_t)b[i];
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *r = NULL;

	for (;; s++) {
		if (*s == (char)c)
			r = s;
		if (!*s)
			return (char *)r;
	}
}
