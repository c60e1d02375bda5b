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

#endif
