/* SPDX-License-Identifier: GPL-2.0 */
/* parse: program text -> AST (grammar/lexer.l, grammar/parser.y). */
#ifndef PTRACE1_PARSE_H
#define PTRACE1_PARSE_H

#include "ast.h"
#include "diag.h"

/*
 * Parse @src into @prog.  Syntax errors are reported through @d.
 * Returns 0, -EINVAL after reporting errors, or -ENOMEM.
 */
int parse_program(const struct source *src, struct diag *d, struct program *prog);

#endif
