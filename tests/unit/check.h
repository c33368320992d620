/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimal unit-test helpers. Each test program prints one "PASS name" or
 * "FAIL name: why" line per check group; tests/run.sh counts them.
 */
#ifndef KEEL_TEST_CHECK_H
#define KEEL_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed;

/* Fails the current test with an expected/saw message; keeps going. */
#define CHECK(cond, ...)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			printf("  %s:%d: check '%s' failed: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);                                               \
			printf("\n");                                                      \
			check_failed++;                                                    \
		}                                                                          \
	} while (0)

#define CHECK_EQ_U64(saw, expected)                                          \
	CHECK((unsigned long long)(saw) == (unsigned long long)(expected),   \
	      "expected 0x%llx, saw 0x%llx", (unsigned long long)(expected), \
	      (unsigned long long)(saw))

#define CHECK_STR_CONTAINS(saw, needle)                                                            \
	CHECK(strstr((saw), (needle)) != NULL, "expected a message containing \"%s\", saw \"%s\"", \
	      (needle), (saw))

/* Runs one named test function and prints its verdict line. */
#define RUN(fn)                                                                               \
	do {                                                                                  \
		int before_ = check_failed;                                                   \
		fn();                                                                         \
		if (check_failed == before_)                                                  \
			printf("PASS %s\n", #fn);                                             \
		else                                                                          \
			printf("FAIL %s: %d check(s) failed\n", #fn, check_failed - before_); \
		fflush(stdout); /* keep the verdicts if a sanitizer ends the program */       \
	} while (0)

#define CHECK_EXIT() return check_failed ? 1 : 0

#endif
