/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diag: compiler-style messages about the user's program:
 *   -e:1:17: error: unknown field 'fname' of syscalls:sys_enter_openat
 *   sys_enter_openat < print(fname) >
 *                          ^~~~~
 *   hint: did you mean 'filename'?
 */
#ifndef PTRACE1_DIAG_H
#define PTRACE1_DIAG_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

/* A span of source; lines and columns count from 1, last_column is inclusive. */
struct loc {
	int first_line;
	int first_column;
	int last_line;
	int last_column;
};

struct source {
	const char *name;	/* "-e", a file name, or "stdin" */
	const char *text;
	size_t len;
};

struct diag {
	const struct source *src;
	FILE *out;
	int errors;
	int warnings;
	bool muted;		/* count, but print nothing: a trial pass */
};

void diag_init(struct diag *d, const struct source *src, FILE *out);

__attribute__((format(printf, 3, 4)))
void diag_error(struct diag *d, struct loc loc, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void diag_warning(struct diag *d, struct loc loc, const char *fmt, ...);
/* A hint or note belonging to the message printed just before. */
__attribute__((format(printf, 2, 3)))
void diag_hint(struct diag *d, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void diag_note(struct diag *d, struct loc loc, const char *fmt, ...);
/* "N errors generated." when there were any; returns the error count. */
int diag_finish(struct diag *d);

#endif
