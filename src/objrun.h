/* SPDX-License-Identifier: GPL-2.0 */
/*
 * objrun: a libbpf-style BPF object from load to exit.  Its const volatile
 * globals set (--set), every program loaded and attached by its section
 * name as libbpf does, its ring buffers, perf buffers and bpf_printk lines
 * shown as they come, its maps printed at exit.  The session is run.c's:
 * the -c command, the event loop, the clean detach.
 */
#ifndef PTRACE1_OBJRUN_H
#define PTRACE1_OBJRUN_H

#include <stddef.h>

#include "run.h"

/*
 * Run ELF object @obj (@len bytes), compiled from C file @file (whose base
 * name libbpf's internal maps take) and named @name in messages (that file,
 * or its artifact).  Uses o->cmd, out, json, buffering, quiet, verbose and
 * sets.  Returns the exit status: 0, 1 for an error in the program or the
 * run, 2 for a bad --set.
 */
int objrun(const char *name, const char *file, const void *obj, size_t len,
	   const struct run_opts *o);
/*
 * Whether o->sets fit the globals of @obj, as objrun() would set them, for
 * --aot: 0, 1 when the object does not open, 2 after saying what is wrong.
 */
int objrun_check_sets(const char *file, const void *obj, size_t len, const struct run_opts *o);

#endif
