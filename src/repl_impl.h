/* SPDX-License-Identifier: GPL-2.0 */
/* The interactive prompt's state, shared by its loop (repl.c) and its dot-commands (repl_cmd.c). */
#ifndef PTRACE1_REPL_IMPL_H
#define PTRACE1_REPL_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "complete.h"
#include "run.h"
#include "strbuf.h"

struct repl {
	struct run_opts o;	/* .set and .format change it */
	bool tty;		/* stdin is a terminal: readline, prompts, history */
	struct strbuf entry;	/* the lines of the program being typed, each with its '\n' */
	char *last;		/* the last program entered, for .last and .emit */
	struct completer comp;
	char *history;		/* the history file; NULL when there is no home */
	int sig_fd;
	struct strbuf in;	/* from a pipe: what is read but not yet a line */
	bool failed;		/* a program or a command failed: exit 1 */
	bool quit;
};

/* Run program @text with @o; a failure makes the session's exit status 1. */
void repl_run_program(struct repl *r, const char *text, const struct run_opts *o);

/* Run dot-command @line (".set strlen 128", no blanks at either end). */
void repl_command(struct repl *r, const char *line);
/* The i-th dot-command, NULL past the last: for completion. */
const struct complete_command *repl_command_at(size_t i);

#endif
