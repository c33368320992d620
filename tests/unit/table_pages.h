/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page-table pages for host tests of keel's table builders (kmap, pt): zeroed,
 * page aligned, at most TABLE_PAGES_MAX per test, all freed by table_pages_free().
 */
#ifndef KEEL_TEST_TABLE_PAGES_H
#define KEEL_TEST_TABLE_PAGES_H

#include <stdlib.h>
#include <string.h>

#define TABLE_PAGES_MAX 64
static void *table_pages[TABLE_PAGES_MAX];
static unsigned nr_table_pages;

/* struct pt's alloc_page hook */
static void *alloc_page(void *ctx)
{
	(void)ctx;
	if (nr_table_pages == TABLE_PAGES_MAX)
		return NULL;
	table_pages[nr_table_pages] = aligned_alloc(4096, 4096);
	memset(table_pages[nr_table_pages], 0, 4096);
	return table_pages[nr_table_pages++];
}

static void free_all(void)
{
	while (nr_table_pages)
		free(table_pages[--nr_table_pages]);
}

#endif
