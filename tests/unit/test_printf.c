// SPDX-License-Identifier: GPL-2.0-or-later
/* ksnprintf / kvsnprintf (src/lib/printf.c). */
#include <stdint.h>
#include <limits.h>
#include <keel/printf.h>
#include "check.h"

#define GUARD 0x5a

/* Formats into a 128-byte buffer and compares text and return value. */
#define CHECK_FMT(want, ...)                                                                       \
	do {                                                                                       \
		char buf_[128];                                                                    \
		int n_;                                                                            \
		memset(buf_, GUARD, sizeof(buf_));                                                 \
		n_ = ksnprintf(buf_, sizeof(buf_), __VA_ARGS__);                                   \
		CHECK(!strcmp(buf_, want), "format %s: expected \"%s\", saw \"%s\"", #__VA_ARGS__, \
		      want, buf_);                                                                 \
		CHECK(n_ == (int)strlen(want), "format %s: expected length %d, saw %d",            \
		      #__VA_ARGS__, (int)strlen(want), n_);                                        \
	} while (0)

/* kvsnprintf without format checking, for formats the compiler would reject. */
static int wrap_unchecked(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_conversions(void)
{
	CHECK_FMT("hello", "hello");
	CHECK_FMT("[keel]", "[%s]", "keel");
	CHECK_FMT("", "%s", "");
	CHECK_FMT("42 -17 0", "%d %d %d", 42, -17, 0);
	CHECK_FMT("7", "%i", 7);
	CHECK_FMT("4294967295", "%u", UINT_MAX);
	CHECK_FMT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	CHECK_FMT("0", "%x", 0u);
	CHECK_FMT("ffffffff", "%x", -1);
	CHECK_FMT("123456789abcdef0", "%lx", 0x123456789abcdef0UL);
	CHECK_FMT("fedcba9876543210", "%llx", 0xfedcba9876543210ULL);
	CHECK_FMT("18446744073709551615", "%lu", UINT64_MAX);
	CHECK_FMT("18446744073709551615", "%llu", 0xffffffffffffffffULL);
	CHECK_FMT("4096", "%zu", (size_t)4096);
	CHECK_FMT("0x1000", "%p", (void *)0x1000);
	CHECK_FMT("0xffff800012345678", "%p", (void *)0xffff800012345678UL);
	CHECK_FMT("0x0", "%p", (void *)0);
	CHECK_FMT("a!Z", "%c%c%c", 'a', '!', 'Z');
	CHECK_FMT("100%", "100%%");
	CHECK_FMT("%d", "%%d");
	CHECK_FMT("x=1, s=two, c=3, %", "x=%d, s=%s, c=%c, %%", 1, "two", '3');
}

static void test_signed(void)
{
	CHECK_FMT("-1", "%d", -1);
	CHECK_FMT("2147483647", "%d", INT_MAX);
	CHECK_FMT("-2147483648", "%d", INT_MIN);
	CHECK_FMT("-9223372036854775808", "%ld", (long)INT64_MIN);
	CHECK_FMT("9223372036854775807", "%ld", (long)INT64_MAX);
	CHECK_FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	CHECK_FMT("-1", "%ld", -1L);
	/* an int argument is sign-extended, not read as 64 bits */
	CHECK_FMT("-5 5", "%d %u", -5, 5u);
}

static void test_width(void)
{
	CHECK_FMT("   42", "%5d", 42);
	CHECK_FMT("00042", "%05d", 42);
	CHECK_FMT("  -42", "%5d", -42);
	CHECK_FMT("-0042", "%05d", -42);
	CHECK_FMT("42", "%1d", 42);
	CHECK_FMT("-42", "%2d", -42);
	CHECK_FMT("0000beef", "%08x", 0xbeefu);
	CHECK_FMT("    beef", "%8x", 0xbeefu);
	CHECK_FMT("00000000deadbeef", "%016lx", 0xdeadbeefUL);
	CHECK_FMT("   ab", "%5s", "ab");
	CHECK_FMT("ab   |", "%-5s|", "ab");
	CHECK_FMT("abcdef", "%3s", "abcdef");
	CHECK_FMT("0000000000000000000000000000001", "%031u", 1u);
	CHECK_FMT("-9223372036854775808", "%05ld", (long)INT64_MIN);
	CHECK_FMT("  -9223372036854775808", "%22ld", (long)INT64_MIN);
	CHECK_FMT("-009223372036854775808", "%022ld", (long)INT64_MIN);
}

static void test_truncation(void)
{
	char buf[16];
	int n;

	/* every size from 1 to past the end: prefix, NUL, untruncated length, nothing beyond */
	for (size_t size = 1; size <= 14; size++) {
		memset(buf, GUARD, sizeof(buf));
		n = ksnprintf(buf, size, "abc%d-%s", 12345, "xyz");
		CHECK(n == 12, "size %zu: expected length 12, saw %d", size, n);
		size_t want = size - 1 < 12 ? size - 1 : 12;

		CHECK(strlen(buf) == want, "size %zu: expected %zu chars, saw \"%s\"", size, want,
		      buf);
		CHECK(!strncmp(buf, "abc12345-xyz", want), "size %zu: saw \"%s\"", size, buf);
		for (size_t i = size; i < sizeof(buf); i++)
			CHECK((unsigned char)buf[i] == GUARD, "size %zu: byte %zu written (0x%02x)",
			      size, i, (unsigned char)buf[i]);
	}

	/* the cut can fall inside padding and numbers */
	memset(buf, GUARD, sizeof(buf));
	n = ksnprintf(buf, 4, "%08x", 0x1234u);
	CHECK(n == 8 && !strcmp(buf, "000"), "expected \"000\"/8, saw \"%s\"/%d", buf, n);
	memset(buf, GUARD, sizeof(buf));
	n = ksnprintf(buf, 3, "%ld", (long)INT64_MIN);
	CHECK(n == 20 && !strcmp(buf, "-9"), "expected \"-9\"/20, saw \"%s\"/%d", buf, n);

	/* size 1: only the terminator */
	memset(buf, GUARD, sizeof(buf));
	n = ksnprintf(buf, 1, "%s", "long string");
	CHECK(n == 11 && buf[0] == '\0' && (unsigned char)buf[1] == GUARD,
	      "size 1: saw len %d, buf[0] 0x%02x buf[1] 0x%02x", n, (unsigned char)buf[0],
	      (unsigned char)buf[1]);
}

static void test_size_zero(void)
{
	char buf[8];
	int n;

	memset(buf, GUARD, sizeof(buf));
	n = ksnprintf(buf, 0, "%s %d", "abc", 123);
	CHECK(n == 7, "expected length 7, saw %d", n);
	for (size_t i = 0; i < sizeof(buf); i++)
		CHECK((unsigned char)buf[i] == GUARD, "byte %zu written (0x%02x)", i,
		      (unsigned char)buf[i]);
	/* with no buffer at all, it still measures */
	n = ksnprintf(NULL, 0, "%05d|%s", 42, "measure me");
	CHECK(n == 16, "expected length 16, saw %d", n);
}

static int wrap(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int wrap(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_vsnprintf(void)
{
	char buf[32];
	int n = wrap(buf, sizeof(buf), "%s:%u:%c", "file.c", 42u, 'x');

	CHECK(n == 11 && !strcmp(buf, "file.c:42:x"), "saw \"%s\"/%d", buf, n);
	/* a NULL string (the compiler refuses it in a checked format) */
	n = wrap_unchecked(buf, sizeof(buf), "%s", (const char *)NULL);
	CHECK(n == 6 && !strcmp(buf, "(null)"), "NULL %%s: saw \"%s\"/%d", buf, n);
	/* a lone '%' at the end of the format does not run past it */
	memset(buf, GUARD, sizeof(buf));
	n = wrap_unchecked(buf, sizeof(buf), "end%");
	CHECK(n == 3 && !strcmp(buf, "end"), "saw \"%s\"/%d", buf, n);
	n = wrap_unchecked(buf, sizeof(buf), "%05");
	CHECK(n == 0 && !strcmp(buf, ""), "saw \"%s\"/%d", buf, n);
}

int main(void)
{
	RUN(test_conversions);
	RUN(test_signed);
	RUN(test_width);
	RUN(test_truncation);
	RUN(test_size_zero);
	RUN(test_vsnprintf);
	CHECK_EXIT();
}
