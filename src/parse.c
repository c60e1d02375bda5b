// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "grammar.h"
#include "parser.h"
#include "lexer.h"
#include "parse.h"

int parse_program(const struct source *src, struct diag *d, struct program *prog)
{
	struct lex_state st;
	YY_BUFFER_STATE buf;
	yyscan_t scanner;
	int errors = d->errors;
	int rc;

	if (src->len > MAX_PROGRAM_BYTES) {
		diag_error(d, (struct loc){ 0 }, "the program is %zu bytes; at most %u are allowed",
			   src->len, MAX_PROGRAM_BYTES);
		return -EINVAL;
	}
	memset(&st, 0, sizeof(st));
	st.diag = d;
	st.prog = prog;
	if (yylex_init_extra(&st, &scanner))
		return -ENOMEM;
	buf = yy_scan_bytes(src->text, (int)src->len, scanner);
	if (!buf) {
		yylex_destroy(scanner);
		return -ENOMEM;
	}
	rc = yyparse(scanner, &st);
	yy_delete_buffer(buf, scanner);
	yylex_destroy(scanner);
	sb_free(&st.str);
	/* rc 2 without nomem is bison's stack, already reported as nesting. */
	if (st.nomem)
		return -ENOMEM;
	if (rc || d->errors > errors)
		return -EINVAL;
	/* Past this, compiling and verifying take minutes and then fail anyway. */
	if (prog->nnodes > MAX_PROGRAM_NODES) {
		diag_error(d, (struct loc){ 0 }, "the program has %zu expressions and statements; at most %d are allowed",
			   prog->nnodes, MAX_PROGRAM_NODES);
		return -EINVAL;
	}
	return 0;
}
