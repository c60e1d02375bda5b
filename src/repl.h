/* SPDX-License-Identifier: GPL-2.0 */
/*
 * repl: the interactive prompt.  Reads programs (a program may span lines),
 * runs each as soon as it is complete, until Ctrl-D or .quit; dot-commands
 * list probes, show the generated C, change settings.  With a terminal it
 * edits lines with readline; from a pipe it reads them as they come.
 */
#ifndef PTRACE1_REPL_H
#define PTRACE1_REPL_H

#include "run.h"

/* Returns the exit status: 0, or 1 if any program or command failed. */
int repl_run(const struct run_opts *o);

#endif
