// SPDX-License-Identifier: GPL-2.0
/*
 * mode: which of ptrace1's jobs a command line selects, and the options
 * that do not go with it, checked before anything runs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "artifact.h"
#include "cfile.h"
#include "mode.h"

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ptrace1: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t cap = 4096, n = 0, got;
	char *buf, *p;
	struct stat st;
	int err = 0;

	if (!f)
		return -errno;
	/* fopen opens a directory; reading it would say EIO. */
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		fclose(f);
		return -EISDIR;
	}
	buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			p = realloc(buf, cap *= 2);
			if (!p) {
				free(buf);
				buf = NULL;
			}
			buf = p;
		}
	}
	if (!buf)
		err = -ENOMEM;
	else if (ferror(f))
		err = -EIO;
	if (f != stdin)
		fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	*text = buf;
	*len = n;
	return 0;
}

/* Whether paths @a and @b name one file (both existing). */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Options that cannot go together, or with an artifact. */
static int check_options(const struct run_opts *o, const char *run_only, const struct mode *m)
{
	const char *why = NULL;

	if (o->cmd && o->pid)
		return usage_error("-c and -p cannot be used together");
	if (o->aot && (o->dump_ast || o->emit_c || o->list))
		return usage_error("--aot, -l, -d and --emit-c each stop before running: give one");
	if (o->aot && run_only)
		return usage_error("--aot writes no trace: %s", run_only[1] == 'o' ?
				   "-o names the trace's output file when the artifact runs" :
				   "-f and -B apply when the artifact runs");
	if (m->kind != MODE_ARTIFACT)
		return 0;
	if (o->aot || o->dump_ast || o->emit_c || o->list)
		why = "it is already compiled: --aot, -l, -d and --emit-c need a program's text";
	else if (o->nparams)
		why = "its $1, $2... were given when it was compiled: it takes no ARGs";
	return why ? usage_error("%s is an artifact: %s", m->src.name, why) : 0;
}

/* The program's text: -e's, or its file's, which may be a C file or an artifact. */
static int read_program(const struct mode_args *a, struct mode *m)
{
	const char *path = a->words[0];
	int err;

	if (a->prog) {
		m->src.name = "-e";
		m->src.text = a->prog;
		m->src.len = strlen(a->prog);
		return 0;
	}
	err = read_file(path, &m->text, &m->src.len);
	if (err)
		return usage_error("cannot read %s: %s", path, strerror(-err));
	m->src.name = strcmp(path, "-") ? path : "stdin";
	m->src.text = m->text;
	if (artifact_is(m->src.name, m->src.text, m->src.len))
		m->kind = MODE_ARTIFACT;
	else if (cfile_is_c(m->src.name))
		m->kind = MODE_C_FILE;
	return 0;
}

static int select_kind(const struct mode_args *a, struct run_opts *o, struct mode *m)
{
	const char *word = a->nwords ? a->words[0] : NULL;

	if (o->list && (o->cmd || o->pid || o->dump_ast || o->emit_c))
		return usage_error("-l lists probes: it takes no -c, -p, -d or --emit-c");
	if (a->interactive && (a->prog || o->list))
		return usage_error("-i reads programs at a prompt: it takes no -e or -l");
	/* -l's word is a program file when one exists by that name, as in bpftrace. */
	if (o->list && !a->prog && (!word || (strcmp(word, "-") && access(word, F_OK)))) {
		if (a->nwords > 1)
			return -E2BIG;
		m->kind = MODE_LIST;
		m->glob = word;
		return 0;
	}
	if (a->interactive || (!a->prog && !word)) {
		if (o->cmd || o->aot)
			return usage_error("%s needs a program: -e PROGRAM or a FILE",
					   o->cmd ? "-c" : "--aot");
		m->kind = MODE_PROMPT;
	} else {
		m->kind = MODE_PROGRAM;
	}
	/* The words after the program (-e), its file or -i are $1, $2, ... */
	if (a->prog || a->interactive) {
		o->params = a->words;
		o->nparams = a->nwords;
	} else if (word) {
		o->params = a->words + 1;
		o->nparams = a->nwords - 1;
	}
	return m->kind == MODE_PROGRAM ? read_program(a, m) : 0;
}

int mode_select(const struct mode_args *a, struct run_opts *o, struct mode *m)
{
	int err;

	*m = (struct mode){ 0 };
	err = select_kind(a, o, m);
	if (!err)
		err = check_options(o, a->run_only, m);
	if (!err && o->aot && !a->prog && m->kind != MODE_PROMPT && m->kind != MODE_LIST &&
	    same_file(o->aot, a->words[0]))
		err = usage_error("--aot %s would write over the program it compiles", o->aot);
	if (!err && o->nsets && m->kind != MODE_C_FILE && m->kind != MODE_ARTIFACT)
		err = usage_error("--set applies to a C file's globals; a program takes $1, $2... after it");
	if (err)
		mode_free(m);
	return err;
}

void mode_free(struct mode *m)
{
	free(m->text);
	m->text = NULL;
}
