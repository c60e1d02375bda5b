/* SPDX-License-Identifier: GPL-2.0 */
/* fault: why this system cannot trace, in the words ptrace1 says it. */
#ifndef PTRACE1_FAULT_H
#define PTRACE1_FAULT_H

struct fault {
	char msg[256];		/* one line, printed after "ptrace1: " */
	char hint[256];		/* what to do about it, or "" */
};

#endif
