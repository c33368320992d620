/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keel's freestanding stdlib.h: libfdt includes it but needs nothing from it. */
#ifndef KEEL_LIB_STDLIB_H
#define KEEL_LIB_STDLIB_H
#include <stddef.h>
#endif
