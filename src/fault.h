/* SPDX-License-Identifier: GPL-2.0 */
/* fault: why this system cannot trace, in the words ptrace1 says it. */
#ifndef PTRACE1_FAULT_H
#define PTRACE1_FAULT_H

#include <stdio.h>

struct fault {
	char msg[256];		/* one line, printed after "ptrace1: " */
	char hint[256];		/* what to do about it, or "" */
};

/* Print @f on stderr; returns the exit status, 1. */
static inline int fault_report(const struct fault *f)
{
	fprintf(stderr, "ptrace1: %s\n", f->msg);
	if (f->hint[0])
		fprintf(stderr, "hint: %s\n", f->hint);
	return 1;
}

#endif
