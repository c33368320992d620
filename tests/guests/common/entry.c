// SPDX-License-Identifier: GPL-2.0-or-later
/* The VM make bench creates at run time: prints the counter at its first instruction, powers off. */
#include "guest.h"

void guest_main(void)
{
	char b[21];

	gprintf("BENCH child_entry_counter %s\n", u64_str(guest_start_counter, b));
}
