/* SPDX-License-Identifier: GPL-2.0 */
/* syscalls: this architecture's syscall names by number (for syscall_name()). */
#ifndef PTRACE1_SYSCALLS_H
#define PTRACE1_SYSCALLS_H

struct syscall_entry {
	long nr;
	const char *name;
};

/* Generated at build time by src/syscalls.sh, sorted by number. */
extern const struct syscall_entry syscall_table[];
extern const unsigned long syscall_table_len;

/* The name of syscall @nr, or NULL. */
const char *syscall_name_of(long nr);
/*
 * The number of the syscall that tracepoint syscalls:@ev (sys_enter_NAME or
 * sys_exit_NAME) traces, or -1 when this table does not know it.
 */
long syscall_tracepoint_nr(const char *ev);

#endif
