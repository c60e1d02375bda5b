// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "grammar.h"
#include "parser.h"
#include "lexer.h"
#include "parse.h"

/* A scanner over @src's text, its state in @st. */
static int scan_open(const struct source *src, struct diag *d, struct program *prog,
		     struct lex_state *st, yyscan_t *scanner)
{
	memset(st, 0, sizeof(*st));
	st->diag = d;
	st->prog = prog;
	if (yylex_init_extra(st, scanner))
		return -ENOMEM;
	if (!yy_scan_bytes(src->text, (int)src->len, *scanner)) {
		yylex_destroy(*scanner);
		return -ENOMEM;
	}
	return 0;
}

static void scan_close(struct lex_state *st, yyscan_t scanner)
{
	/* Destroying the scanner frees the buffer it scans. */
	yylex_destroy(scanner);
	sb_free(&st->str);
}

/* Parse @src; the lexer state tells where it stopped. */
static int parse(const struct source *src, struct diag *d, struct program *prog,
		 struct lex_state *st)
{
	yyscan_t scanner;
	int errors = d->errors;
	int rc;

	if (src->len > MAX_PROGRAM_BYTES) {
		diag_error(d, (struct loc){ 0 }, "the program is %zu bytes; at most %u are allowed",
			   src->len, MAX_PROGRAM_BYTES);
		return -EINVAL;
	}
	rc = scan_open(src, d, prog, st, &scanner);
	if (rc)
		return rc;
	rc = yyparse(scanner, st);
	scan_close(st, scanner);
	/* rc 2 without nomem is bison's stack, already reported as nesting. */
	if (st->nomem)
		return -ENOMEM;
	if (rc || d->errors > errors)
		return -EINVAL;
	return 0;
}

int parse_program(const struct source *src, struct diag *d, struct program *prog)
{
	struct lex_state st;
	int err;

	err = parse(src, d, prog, &st);
	if (err)
		return err;
	/* Past this, compiling and verifying take minutes and then fail anyway. */
	if (prog->nnodes > MAX_PROGRAM_NODES) {
		diag_error(d, (struct loc){ 0 }, "the program has %zu expressions and statements; at most %d are allowed",
			   prog->nnodes, MAX_PROGRAM_NODES);
		return -EINVAL;
	}
	return 0;
}

enum parse_extent parse_extent(const struct source *src)
{
	struct program prog = { 0 };
	struct lex_state st;
	struct diag d;
	enum parse_extent ext = PARSE_WHOLE;
	int err;

	diag_init(&d, src, NULL);
	d.muted = true;
	err = parse(src, &d, &prog, &st);
	if (!err && !prog.nactions)
		ext = PARSE_EMPTY;
	/* The one error is that the text ended: more of it may mend that. */
	else if (err == -EINVAL && st.at_end && d.errors == 1)
		ext = PARSE_PARTIAL;
	program_free(&prog);
	return ext;
}

int parse_point(const struct source *src, struct program *prog, struct parse_point *pt)
{
	struct lex_state st;
	struct diag d;
	yyscan_t scanner;
	YYSTYPE val;
	YYLTYPE loc = { 1, 1, 1, 0 };
	struct ast *map;
	bool in_probes = false;
	int tok, err;

	memset(pt, 0, sizeof(*pt));
	diag_init(&d, src, NULL);
	d.muted = true;
	err = scan_open(src, &d, prog, &st, &scanner);
	if (err)
		return err;
	/* Lexing goes on past errors: only where the text ends matters. */
	while ((tok = yylex(&val, &loc, scanner)) != YYEOF && !st.nomem && !st.at_end) {
		if (tok == YYerror && lex_context(scanner) == PARSE_CTX_STRING)
			break;
		if (tok == PROBE) {
			/* A probe after anything but a ',' begins the next action. */
			if (!in_probes)
				memset(&pt->action, 0, sizeof(pt->action));
			in_probes = true;
			err = action_add_probe(prog, &pt->action, val.str, loc);
		} else if (tok != ',' || !in_probes) {
			in_probes = false;
		}
		if (tok == MAP && val.str[0]) {
			map = ast_new(prog, AST_MAP, loc);
			if (!map)
				err = -ENOMEM;
			else
				map->u.map.name = val.str;
			err = err ? err : ast_list_push(prog, &pt->maps, map);
		}
		if (err)
			break;
	}
	pt->ctx = st.at_end ? PARSE_CTX_STRING : lex_context(scanner);
	scan_close(&st, scanner);
	return st.nomem ? -ENOMEM : err;
}
