// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>

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

/*
 * Tracepoints are named after the kernel's SYSCALL_DEFINE, which for a few
 * syscalls is not the name of their number.
 */
static const struct {
	const char *tracepoint, *syscall;
} tracepoint_aliases[] = {
	{ "newfstat", "fstat" },
	{ "newlstat", "lstat" },
	{ "newstat", "stat" },
	{ "newuname", "uname" },
	{ "sendfile64", "sendfile" },
	{ "umount", "umount2" },
};

/*
 * Syscalls newer than some C libraries' headers.  Since 424 a new syscall
 * has the same number on every architecture.
 */
static const struct syscall_entry newer_syscalls[] = {
	{ 451, "cachestat" }, { 452, "fchmodat2" }, { 453, "map_shadow_stack" },
	{ 454, "futex_wake" }, { 455, "futex_wait" }, { 456, "futex_requeue" },
	{ 457, "statmount" }, { 458, "listmount" }, { 459, "lsm_get_self_attr" },
	{ 460, "lsm_set_self_attr" }, { 461, "lsm_list_modules" }, { 462, "mseal" },
	{ 463, "setxattrat" }, { 464, "getxattrat" }, { 465, "listxattrat" },
	{ 466, "removexattrat" }, { 467, "open_tree_attr" }, { 468, "file_getattr" },
	{ 469, "file_setattr" },
};

static long nr_in(const struct syscall_entry *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(t[i].name, name))
			return t[i].nr;
	}
	return -1;
}

long syscall_tracepoint_nr(const char *ev)
{
	long nr;

	const char *name;

	if (!strncmp(ev, "sys_enter_", 10))
		name = ev + 10;
	else if (!strncmp(ev, "sys_exit_", 9))
		name = ev + 9;
	else
		return -1;
	for (size_t i = 0; i < sizeof(tracepoint_aliases) / sizeof(*tracepoint_aliases); i++) {
		if (!strcmp(name, tracepoint_aliases[i].tracepoint)) {
			name = tracepoint_aliases[i].syscall;
			break;
		}
	}
	nr = nr_in(syscall_table, syscall_table_len, name);
	if (nr < 0)
		nr = nr_in(newer_syscalls, sizeof(newer_syscalls) / sizeof(*newer_syscalls), name);
	return nr;
}
