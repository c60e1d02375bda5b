/* SPDX-License-Identifier: GPL-2.0 */
/* State shared by the lexer and the parser; private to grammar/ and parse.c. */
#ifndef PTRACE1_GRAMMAR_H
#define PTRACE1_GRAMMAR_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"
#include "parse.h"
#include "strbuf.h"

typedef void *yyscan_t;

struct lex_state {
	struct diag *diag;
	struct program *prog;
	int depth;		/* ( [ { open inside the current action or predicate */
	bool angle;		/* the current action is written < ... > */
	struct loc angle_close;	/* where a '>' last closed a < ... > action */
	bool after_close;	/* no action has opened since */
	struct strbuf str;	/* the string literal being read */
	struct loc str_loc;
	int str_return;		/* the start condition a string literal began in */
	int nomem;
	bool at_end;		/* an error at the end of the text: more text could mend it */
};

/*
 * An error soon after a '>' closed a < ... > action may mean the '>' was
 * meant as a comparison: say where the action ended.
 */
void lex_note_angle_close(struct lex_state *st);

/* What the lexer is reading at this point: probe names, an expression, a string. */
enum parse_ctx lex_context(yyscan_t scanner);

#endif
