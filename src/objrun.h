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
 * Run ELF object @obj (@len bytes), named @name in messages (its file).
 * Uses o->cmd, out, json, buffering, quiet, verbose and sets.  Returns the
 * exit status: 0, 1 for an error in the program or the run, 2 for a bad
 * --set.
 */
int objrun(const char *name, const void *obj, size_t len, const struct run_opts *o);

#endif
