// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The gcc "smoke" driver every harness but fuzz_partition links instead of
 * libFuzzer (make test runs it under ASan/UBSan):
 *   fuzz_X_smoke [N]             the seeds of FUZZ_SEED_DIR, then N deterministic
 *                                mutations of them (default FUZZ_SMOKE_N)
 *   fuzz_X_smoke --dir DIR [N]   seeds from DIR instead
 *   fuzz_X_smoke FILE...         replay inputs (e.g. a libFuzzer crash-* file)
 */
#include "fuzz.h"
#include <dirent.h>
#include <signal.h>
#include <unistd.h>
#include <sanitizer/common_interface_defs.h>

#ifndef FUZZ_SMOKE_N
#define FUZZ_SMOKE_N 20000
#endif
#define MAX_SEEDS 64
#define MAX_LEN 8192

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static const uint8_t *cur;
static size_t cur_len;

/* A broken promise or a sanitizer report: keep the input as crash-FUZZ_NAME to replay. */
static void dump(void)
{
	FILE *f = cur ? fopen("crash-" FUZZ_NAME, "wb") : NULL;

	if (f) {
		fwrite(cur, 1, cur_len, f);
		fclose(f);
		fprintf(stderr, "%s: input written to crash-%s\n", FUZZ_NAME, FUZZ_NAME);
	}
	cur = NULL;
}

static void on_abort(int sig)
{
	dump();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void run(const uint8_t *data, size_t n)
{
	cur = data;
	cur_len = n;
	LLVMFuzzerTestOneInput(data, n);
	cur = NULL;
}

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint8_t *load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(MAX_LEN);

	if (!f || !buf) {
		perror(path);
		exit(2);
	}
	*n = fread(buf, 1, MAX_LEN, f);
	fclose(f);
	return buf;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned load_dir(const char *dir, uint8_t **seed, size_t *len)
{
	char *names[MAX_SEEDS], path[4096];
	unsigned n = 0;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < MAX_SEEDS)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name); /* the same order on every machine */
	for (unsigned i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		seed[i] = load(path, &len[i]);
		free(names[i]);
	}
	return n;
}

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* One random edit of buf[0..*n) (room for MAX_LEN bytes); other seeds feed splices. */
static void mutate(uint8_t *buf, size_t *n, uint8_t **seed, const size_t *len, unsigned nr)
{
	static const uint64_t interesting[] = {
		0,	    1,	   2,	       3,	   4,	  7,	  8,	      0x10,
		0x7f,	    0x80,  0xff,       0x100,	   0xfff, 0x1000, 0x7fffffff, 0x80000000,
		0xffffffff, ~0ULL, 1ULL << 32, 1ULL << 63, 0x800, 0x80b,  0x830,      0x83f
	};
	size_t at = *n ? rnd() % *n : 0;

	switch (rnd() % 8) {
	case 0:
		if (*n)
			buf[at] ^= (uint8_t)(1u << (rnd() % 8));
		break;
	case 1:
		if (*n)
			buf[at] = (uint8_t)rnd();
		break;
	case 2: {
		unsigned w = 1u << (rnd() % 4);

		if (*n >= w)
			put_le(buf + (at + w > *n ? *n - w : at),
			       interesting[rnd() % (sizeof(interesting) / sizeof(interesting[0]))],
			       w);
		break;
	}
	case 3:
		if (*n)
			buf[at] = (uint8_t)(buf[at] + 1 + rnd() % 4);
		break;
	case 4: /* insert random bytes */
		for (unsigned k = 1 + rnd() % 8; k && *n < MAX_LEN; k--) {
			memmove(buf + at + 1, buf + at, *n - at);
			buf[at] = (uint8_t)rnd();
			(*n)++;
		}
		break;
	case 5: /* delete a chunk */
		if (*n > 1) {
			size_t k = 1 + rnd() % 16;

			k = k > *n - at ? *n - at : k;
			memmove(buf + at, buf + at + k, *n - at - k);
			*n -= k;
		}
		break;
	case 6: /* copy a chunk over another place */
		if (*n >= 8) {
			size_t k = 1 + rnd() % 16, from = rnd() % *n;

			if (from + k <= *n && at + k <= *n)
				memmove(buf + at, buf + from, k);
		}
		break;
	default: { /* splice: a chunk of another seed appended or overwritten */
		unsigned s = (unsigned)(rnd() % nr);
		size_t from = len[s] ? rnd() % len[s] : 0, k = 1 + rnd() % 64;

		if (from + k > len[s])
			k = len[s] - from;
		if (at + k > MAX_LEN)
			k = MAX_LEN - at;
		memcpy(buf + at, seed[s] + from, k);
		if (at + k > *n)
			*n = at + k;
		break;
	}
	}
}

int main(int argc, char **argv)
{
	static uint8_t *seed[MAX_SEEDS];
	static size_t len[MAX_SEEDS];
	static uint8_t work[MAX_LEN];
	const char *dir = FUZZ_SEED_DIR;
	unsigned long n = FUZZ_SMOKE_N;
	unsigned nr;
	char *end;
	int a = 1;

	if (argc > 2 && !strcmp(argv[1], "--dir")) {
		dir = argv[2];
		a = 3;
	}
	if (argc > a) {
		n = strtoul(argv[a], &end, 0);
		if (*end || argc > a + 1) { /* replay files */
			for (int i = a; i < argc; i++) {
				size_t k;
				uint8_t *buf = load(argv[i], &k);

				LLVMFuzzerTestOneInput(buf, k);
				printf("replayed %s (%zu bytes)\n", argv[i], k);
				free(buf);
			}
			return 0;
		}
	}
	nr = load_dir(dir, seed, len);
	if (!nr) {
		printf("FAIL %s: no seed corpus in %s\n", FUZZ_NAME, dir);
		return 1;
	}
	signal(SIGABRT, on_abort);
	__sanitizer_set_death_callback(dump);
	for (unsigned s = 0; s < nr; s++)
		run(seed[s], len[s]);
	for (unsigned long i = 0; i < n; i++) {
		unsigned s = (unsigned)(rnd() % nr);
		size_t k = len[s];

		memcpy(work, seed[s], k);
		for (int edits = 1 + (int)(rnd() % 8); edits; edits--)
			mutate(work, &k, seed, len, nr);
		run(work, k);
	}
	printf("PASS %s (%u seeds, %lu mutations)\n", FUZZ_NAME, nr, n);
	return 0;
}
