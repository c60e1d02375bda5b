/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mode: what a command line asks ptrace1 to do (list tracepoints, the
 * prompt, a program, a C file, an artifact), the program's text, and the
 * option combinations refused as usage errors.
 */
#ifndef PTRACE1_MODE_H
#define PTRACE1_MODE_H

#include <stdbool.h>

#include "diag.h"
#include "run.h"

enum mode_kind {
	MODE_LIST,	/* -l [GLOB]: tracefs's tracepoints */
	MODE_PROMPT,	/* -i, or no program and no file */
	MODE_PROGRAM,	/* -e or a program file (and -l, -d, --emit-c, --aot on it) */
	MODE_C_FILE,	/* a BPF C file */
	MODE_ARTIFACT,	/* a file --aot wrote */
};

/* What the command line gave besides struct run_opts. */
struct mode_args {
	const char *prog;	/* -e's text, or NULL */
	bool interactive;	/* -i */
	const char *run_only;	/* the last of -o, -f and -B, which only a run uses, or NULL */
	char **words;		/* the words after the options */
	int nwords;
};

struct mode {
	enum mode_kind kind;
	const char *glob;	/* MODE_LIST: the GLOB, or NULL for every tracepoint */
	struct source src;	/* the program's, C file's or artifact's text */
	char *text;		/* src.text when read from a file */
};

/*
 * Decide @m from @a and @o, reading the program's file, and set @o's
 * $1, $2...  Returns 0, -EINVAL after saying why the command line is
 * wrong, or -E2BIG for more than one GLOB after -l (the caller shows the
 * usage).  On success mode_free() frees @m.
 */
int mode_select(const struct mode_args *a, struct run_opts *o, struct mode *m);
void mode_free(struct mode *m);

#endif
