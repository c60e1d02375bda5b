/* SPDX-License-Identifier: GPL-2.0 */
/* tracefs: where it is (mounting it if need be), its files, its event list. */
#ifndef PTRACE1_TRACEFS_H
#define PTRACE1_TRACEFS_H

#include <stddef.h>

#include "fault.h"

struct tp_name {
	char *cat;
	char *ev;
};

/*
 * Find tracefs: /sys/kernel/tracing, else /sys/kernel/debug/tracing; mount
 * it at the first when neither has it.  Returns 0, or -errno with @f saying
 * why.  The other functions find it the same way.
 */
int tracefs_check(struct fault *f);

/* The directory tracefs_check() found, for paths of one's own.  0 or -errno. */
int tracefs_root(const char **root);

/* Read tracefs file @rel ("events/syscalls/sys_enter_openat/format"). */
int tracefs_read(const char *rel, char **text, size_t *len);

/* Every tracepoint of the running kernel, sorted by category then event;
 * read once per process.  The list belongs to tracefs. */
int tracefs_events(const struct tp_name **list, size_t *n);

#endif
