// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>

#include "syscalls.h"

const char *syscall_name_of(long nr)
{
	size_t lo = 0, hi = syscall_table_len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (syscall_table[mid].nr == nr)
			return syscall_table[mid].name;
		if (syscall_table[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
