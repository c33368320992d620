// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Threads for race_sched.c, in a file of their own: <pthread.h> brings
 * <sched.h>, whose sched_yield() is not keel's.
 */
#include <pthread.h>
#include <stdlib.h>

_Static_assert(sizeof(pthread_t) <= sizeof(unsigned long), "pthread_t fits");

unsigned long race_spawn(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, arg))
		abort();
	return (unsigned long)t;
}

void race_join(unsigned long t)
{
	if (pthread_join((pthread_t)t, NULL))
		abort();
}
