/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfile: a BPF C file on the command line (a name ending in ".c").
 * Compiled in process with the system's headers, then run: as the ptrace1
 * program it was generated from when it carries one (--emit-c, progsec.h),
 * else as the libbpf-style object it is (objrun.h).
 */
#ifndef PTRACE1_CFILE_H
#define PTRACE1_CFILE_H

#include <stdbool.h>

#include "diag.h"
#include "run.h"

/* Whether the file named @name is C rather than a ptrace1 program. */
bool cfile_is_c(const char *name);
/* Returns the exit status: 0, 1 for an error in the file or the run, 2 for usage. */
int cfile_run(const struct source *src, const struct run_opts *o);

#endif
