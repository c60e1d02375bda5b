/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The grammar of ptrace1 programs: one or more actions, each
 *   PROBE[, PROBE...] [/PREDICATE/] { STATEMENTS }    (bpftrace's syntax)
 *   PROBE[, PROBE...] [/PREDICATE/] < STATEMENTS >    (the short syntax)
 * The lexer decides which '/' ends a predicate and which '>' ends an action.
 */
%define api.pure full
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%define api.location.type {struct loc}
%param {yyscan_t scanner}
%parse-param {struct lex_state *st}
%initial-action { @$ = (struct loc){ 1, 1, 1, 0 }; }

%code requires {
#include "grammar.h"
}

%code {
#include <stdlib.h>
#include <string.h>

#include "lexer.h"

static void yyerror(struct loc *loc, yyscan_t scanner, struct lex_state *st, const char *msg);

/* Allocation failures abort the parse; the lexer's own failures set nomem too. */
#define NEW(var, kind, loc) do {				\
		(var) = ast_new(st->prog, (kind), (loc));	\
		if (!(var)) {					\
			st->nomem = 1;				\
			YYABORT;				\
		}						\
	} while (0)
#define PUSH(list, node) do {					\
		if (ast_list_push(st->prog, &(list), (node))) {	\
			st->nomem = 1;				\
			YYABORT;				\
		}						\
	} while (0)
#define BINARY(res, op_, l, r, loc) do {			\
		NEW((res), AST_BINARY, (loc));			\
		(res)->u.op.op = (op_);				\
		(res)->u.op.lhs = (l);				\
		(res)->u.op.rhs = (r);				\
	} while (0)
}

%union {
	char *str;
	struct {
		char *bytes;
		size_t len;
	} sval;
	int64_t ival;
	int op;
	struct ast *node;
	struct ast_list list;
	struct action *action;
}

%token <str> PROBE "probe name" IDENT "identifier" VAR "variable" MAP "map"
%token <sval> STRING "string"
%token <ival> INT "integer" POSPARAM "positional parameter" TYPE "type name"
%token <op> ASSIGN_OP "compound assignment"
%token PRED_OPEN "'/' (start of predicate)" PRED_CLOSE "'/' (end of predicate)"
%token ACT_OPEN "'<' (start of action)" ACT_CLOSE "'>' (end of action)"
%token EQ "==" NE "!=" LE "<=" GE ">=" AND "&&" OR "||" SHL "<<" SHR ">>"
%token INC "++" DEC "--" ARROW "->" IF "if" ELSE "else"

%type <node> expr unary postfix primary simple_stmt if_stmt
%type <list> stmts stmt_list block exprs call_args
%type <action> action probes

/* No destructors: everything lives in the program's arena. */

%right '?' ':'
%left OR
%left AND
%left '|'
%left '^'
%left '&'
%left EQ NE
%left '<' '>' LE GE
%left SHL SHR
%left '+' '-'
%left '*' '/' '%'

%%

program:
	  %empty
	| program action {
		if (program_add_action(st->prog, $2)) {
			st->nomem = 1;
			YYABORT;
		}
	  }
	;

action:
	  probes '{' stmts '}' {
		$$ = $1;
		$$->body = $3;
		$$->loc.last_line = @4.last_line;
		$$->loc.last_column = @4.last_column;
	  }
	| probes ACT_OPEN stmts ACT_CLOSE {
		$$ = $1;
		$$->body = $3;
		$$->angle = true;
		$$->loc.last_line = @4.last_line;
		$$->loc.last_column = @4.last_column;
	  }
	| probes PRED_OPEN expr PRED_CLOSE '{' stmts '}' {
		$$ = $1;
		$$->pred = $3;
		$$->body = $6;
		$$->loc.last_line = @7.last_line;
		$$->loc.last_column = @7.last_column;
	  }
	| probes PRED_OPEN expr PRED_CLOSE ACT_OPEN stmts ACT_CLOSE {
		$$ = $1;
		$$->pred = $3;
		$$->body = $6;
		$$->angle = true;
		$$->loc.last_line = @7.last_line;
		$$->loc.last_column = @7.last_column;
	  }
	;

probes:
	  PROBE {
		$$ = prog_alloc(st->prog, sizeof(*$$));
		if (!$$ || action_add_probe(st->prog, $$, $1, @1)) {
			st->nomem = 1;
			YYABORT;
		}
		$$->loc = @1;
	  }
	| probes ',' PROBE {
		$$ = $1;
		if (action_add_probe(st->prog, $$, $3, @3)) {
			st->nomem = 1;
			YYABORT;
		}
	  }
	;

/* Simple statements are separated by ';'; an if needs none after it. */
stmts:
	  stmt_list			{ $$ = $1; }
	| stmt_list simple_stmt		{ $$ = $1; PUSH($$, $2); }
	;

stmt_list:
	  %empty			{ memset(&$$, 0, sizeof($$)); }
	| stmt_list simple_stmt ';'	{ $$ = $1; PUSH($$, $2); }
	| stmt_list if_stmt		{ $$ = $1; PUSH($$, $2); }
	| stmt_list if_stmt ';'		{ $$ = $1; PUSH($$, $2); }
	;

block:
	  '{' stmts '}'			{ $$ = $2; }
	;

if_stmt:
	  IF '(' expr ')' block {
		NEW($$, AST_IF, @$);
		$$->u.cond.cond = $3;
		$$->u.cond.then_body = $5;
	  }
	| IF '(' expr ')' block ELSE block {
		NEW($$, AST_IF, @$);
		$$->u.cond.cond = $3;
		$$->u.cond.then_body = $5;
		$$->u.cond.else_body = $7;
	  }
	| IF '(' expr ')' block ELSE if_stmt {
		NEW($$, AST_IF, @$);
		$$->u.cond.cond = $3;
		$$->u.cond.then_body = $5;
		PUSH($$->u.cond.else_body, $7);
	  }
	;

/* Whether the left side can be assigned to is sema's question. */
simple_stmt:
	  expr {
		NEW($$, AST_EXPR_STMT, @$);
		$$->u.expr = $1;
	  }
	| postfix '=' expr {
		NEW($$, AST_ASSIGN, @$);
		$$->u.assign.op = '=';
		$$->u.assign.lhs = $1;
		$$->u.assign.rhs = $3;
	  }
	| postfix ASSIGN_OP expr {
		NEW($$, AST_ASSIGN, @$);
		$$->u.assign.op = $2;
		$$->u.assign.lhs = $1;
		$$->u.assign.rhs = $3;
	  }
	;

expr:
	  unary				{ $$ = $1; }
	| expr '?' expr ':' expr {
		NEW($$, AST_TERNARY, @$);
		$$->u.cond.cond = $1;
		$$->u.cond.then = $3;
		$$->u.cond.els = $5;
	  }
	| expr OR expr			{ BINARY($$, OP_OR, $1, $3, @$); }
	| expr AND expr			{ BINARY($$, OP_AND, $1, $3, @$); }
	| expr '|' expr			{ BINARY($$, '|', $1, $3, @$); }
	| expr '^' expr			{ BINARY($$, '^', $1, $3, @$); }
	| expr '&' expr			{ BINARY($$, '&', $1, $3, @$); }
	| expr EQ expr			{ BINARY($$, OP_EQ, $1, $3, @$); }
	| expr NE expr			{ BINARY($$, OP_NE, $1, $3, @$); }
	| expr '<' expr			{ BINARY($$, '<', $1, $3, @$); }
	| expr '>' expr			{ BINARY($$, '>', $1, $3, @$); }
	| expr LE expr			{ BINARY($$, OP_LE, $1, $3, @$); }
	| expr GE expr			{ BINARY($$, OP_GE, $1, $3, @$); }
	| expr SHL expr			{ BINARY($$, OP_SHL, $1, $3, @$); }
	| expr SHR expr			{ BINARY($$, OP_SHR, $1, $3, @$); }
	| expr '+' expr			{ BINARY($$, '+', $1, $3, @$); }
	| expr '-' expr			{ BINARY($$, '-', $1, $3, @$); }
	| expr '*' expr			{ BINARY($$, '*', $1, $3, @$); }
	| expr '/' expr			{ BINARY($$, '/', $1, $3, @$); }
	| expr '%' expr			{ BINARY($$, '%', $1, $3, @$); }
	;

unary:
	  postfix			{ $$ = $1; }
	| '-' unary			{ NEW($$, AST_UNARY, @$); $$->u.op.op = '-'; $$->u.op.lhs = $2; }
	| '+' unary			{ NEW($$, AST_UNARY, @$); $$->u.op.op = '+'; $$->u.op.lhs = $2; }
	| '!' unary			{ NEW($$, AST_UNARY, @$); $$->u.op.op = '!'; $$->u.op.lhs = $2; }
	| '~' unary			{ NEW($$, AST_UNARY, @$); $$->u.op.op = '~'; $$->u.op.lhs = $2; }
	| INC unary			{ NEW($$, AST_INCDEC, @$); $$->u.op.op = OP_INC; $$->u.op.lhs = $2; }
	| DEC unary			{ NEW($$, AST_INCDEC, @$); $$->u.op.op = OP_DEC; $$->u.op.lhs = $2; }
	| '(' TYPE ')' unary {
		NEW($$, AST_CAST, @$);
		$$->u.cast.expr = $4;
		$$->u.cast.is_signed = $2 > 0;
		$$->u.cast.bits = (unsigned int)($2 > 0 ? $2 : -$2);
	  }
	;

postfix:
	  primary			{ $$ = $1; }
	| postfix INC {
		NEW($$, AST_INCDEC, @$);
		$$->u.op.op = OP_INC;
		$$->u.op.lhs = $1;
		$$->u.op.post = true;
	  }
	| postfix DEC {
		NEW($$, AST_INCDEC, @$);
		$$->u.op.op = OP_DEC;
		$$->u.op.lhs = $1;
		$$->u.op.post = true;
	  }
	| postfix '.' IDENT {
		NEW($$, AST_FIELD, @$);
		$$->u.field.base = $1;
		$$->u.field.name = $3;
	  }
	| postfix '.' INT {
		char num[24];

		snprintf(num, sizeof(num), "%lld", (long long)$3);
		NEW($$, AST_FIELD, @$);
		$$->u.field.base = $1;
		$$->u.field.name = prog_strndup(st->prog, num, strlen(num));
		if (!$$->u.field.name) {
			st->nomem = 1;
			YYABORT;
		}
	  }
	| postfix ARROW IDENT {
		NEW($$, AST_FIELD, @$);
		$$->u.field.base = $1;
		$$->u.field.name = $3;
		$$->u.field.arrow = true;
	  }
	;

primary:
	  INT				{ NEW($$, AST_INT, @$); $$->u.ival = $1; }
	| STRING {
		NEW($$, AST_STR, @$);
		$$->u.str.bytes = $1.bytes;
		$$->u.str.len = $1.len;
	  }
	| IDENT				{ NEW($$, AST_IDENT, @$); $$->u.ident.name = $1; }
	| VAR				{ NEW($$, AST_VAR, @$); $$->u.ident.name = $1; }
	| POSPARAM			{ NEW($$, AST_POSPARAM, @$); $$->u.ival = $1; }
	| MAP				{ NEW($$, AST_MAP, @$); $$->u.map.name = $1; }
	| MAP '[' exprs ']' {
		NEW($$, AST_MAP, @$);
		$$->u.map.name = $1;
		$$->u.map.keys = $3;
		$$->u.map.indexed = true;
	  }
	| IDENT '(' call_args ')' {
		NEW($$, AST_CALL, @$);
		$$->u.call.name = $1;
		$$->u.call.args = $3;
	  }
	| '(' expr ')'			{ $$ = $2; $$->loc = @$; }
	| '(' expr ',' exprs ')' {
		NEW($$, AST_TUPLE, @$);
		PUSH($$->u.tuple, $2);
		for (size_t i = 0; i < $4.n; i++)
			PUSH($$->u.tuple, $4.v[i]);
	  }
	;

call_args:
	  %empty			{ memset(&$$, 0, sizeof($$)); }
	| exprs				{ $$ = $1; }
	;

exprs:
	  expr				{ memset(&$$, 0, sizeof($$)); PUSH($$, $1); }
	| exprs ',' expr		{ $$ = $1; PUSH($$, $3); }
	;

%%

static void yyerror(struct loc *loc, yyscan_t scanner, struct lex_state *st, const char *msg)
{
	(void)scanner;
	/* The lexer has already reported what it rejected. */
	if (st->nomem || st->diag->errors)
		return;
	/* Bison's own stack: a chain of thousands of operators. */
	if (!strcmp(msg, "memory exhausted"))
		msg = "the program nests too deeply";
	diag_error(st->diag, *loc, "%s", msg);
}

/*
 * "unexpected X, expecting ..." naming only what ends or separates
 * something: after `print(pid)` every binary operator could follow, but
 * the useful news is that ';' or '>' was expected.
 */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, struct lex_state *st)
{
	static const char *const closers[] = {
		"';'", "'}'", "'>' (end of action)", "')'", "']'", "'/' (end of predicate)",
		"','", "'{'", "'<' (start of action)", "':'",
	};
	yysymbol_kind_t expected[YYNTOKENS], shown[4];
	int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS), nshown = 0;
	struct strbuf msg;

	(void)scanner;
	if (st->nomem || st->diag->errors)
		return 0;
	st->at_end = yypcontext_token(ctx) == YYSYMBOL_YYEOF;
	for (size_t c = 0; c < sizeof(closers) / sizeof(*closers) && nshown < 4; c++) {
		for (int i = 0; i < n; i++) {
			if (!strcmp(yysymbol_name(expected[i]), closers[c]))
				shown[nshown++] = expected[i];
		}
	}
	sb_init(&msg);
	sb_printf(&msg, "syntax error, unexpected %s", yysymbol_name(yypcontext_token(ctx)));
	for (int i = 0; !nshown && i < n; i++) {
		if (expected[i] == YYSYMBOL_INT) {
			sb_puts(&msg, ", expecting an expression");
			break;
		}
	}
	for (int i = 0; !nshown && n <= 4 && i < n; i++)
		shown[nshown++] = expected[i];
	for (int i = 0; i < nshown; i++)
		sb_printf(&msg, "%s%s", i == 0 ? ", expecting " : i == nshown - 1 ? " or " : ", ",
			  yysymbol_name(shown[i]));
	if (msg.err) {
		st->nomem = 1;
		return YYENOMEM;
	}
	diag_error(st->diag, *yypcontext_location(ctx), "%s", msg.buf);
	sb_free(&msg);
	if (st->after_close && st->angle_close.first_line == yypcontext_location(ctx)->first_line)
		lex_note_angle_close(st);
	return 0;
}
