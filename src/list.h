/* SPDX-License-Identifier: GPL-2.0 */
/*
 * list: the probes ptrace1 -l prints, in bpftrace's layout: one name a line,
 * sorted, and with -v each tracepoint's fields as its format file declares
 * them, indented by four spaces:
 *   tracepoint:syscalls:sys_enter_openat
 *       int __syscall_nr
 *       const char * filename
 */
#ifndef PTRACE1_LIST_H
#define PTRACE1_LIST_H

#include <stdbool.h>
#include <stdio.h>

#include "sema.h"

/* Print the tracepoints matching glob (NULL: all), one per line as tracepoint:CAT:EV;
 * with fields, each followed by its fields as bpftrace -lv prints them. 0 or -errno.
 * The glob takes the forms of a probe (tracepoint:CAT:EV, t:CAT:EV, EV, globs
 * anywhere).  Errors go to stderr as "ptrace1: ..." lines: -ENOENT when nothing
 * matches, -EINVAL for a glob that names no tracepoint, -EPIPE unreported. */
int list_tracepoints(FILE *out, const char *glob, bool fields);

/* The probes of checked program @c, in program order, each once; BEGIN, END
 * and intervals by name, without fields.  Errors as list_tracepoints. */
int list_program(FILE *out, const struct checked *c, bool fields);

#endif
