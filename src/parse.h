/* SPDX-License-Identifier: GPL-2.0 */
/* parse: program text -> AST (grammar/lexer.l, grammar/parser.y). */
#ifndef PTRACE1_PARSE_H
#define PTRACE1_PARSE_H

#include "ast.h"
#include "diag.h"

/* Limits on what a program may be: past them, a clear error. */
#define MAX_PROGRAM_BYTES (1u << 20)
#define MAX_PROGRAM_NODES 10000

/*
 * Parse @src into @prog.  Syntax errors are reported through @d.
 * Returns 0, -EINVAL after reporting errors, or -ENOMEM.
 */
int parse_program(const struct source *src, struct diag *d, struct program *prog);

/* How much of a program text typed line by line is (the interactive prompt). */
enum parse_extent {
	PARSE_EMPTY,	/* blanks and comments */
	PARSE_PARTIAL,	/* the start of a program: it ends inside an action, a predicate... */
	PARSE_WHOLE,	/* a program, or an error before its end: parse_program reports it */
};

/* Parses silently: nothing is reported. */
enum parse_extent parse_extent(const struct source *src);

/* What the lexer reads at a point of the text. */
enum parse_ctx {
	PARSE_CTX_PROBES,	/* between actions: probe names */
	PARSE_CTX_EXPR,		/* in a predicate or an action */
	PARSE_CTX_STRING,	/* in a string literal or a comment */
};

/* Where the text typed so far ends: for completing what comes next. */
struct parse_point {
	enum parse_ctx ctx;
	struct action action;	/* its probes: those of the last action begun */
	struct ast_list maps;	/* AST_MAP nodes: every named map, in order */
};

/*
 * Lex @src (not parse: it may stop anywhere) into @pt; names and lists
 * live in @prog's arena.  Returns 0 or -ENOMEM.
 */
int parse_point(const struct source *src, struct program *prog, struct parse_point *pt);

#endif
