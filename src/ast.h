/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ast: the parsed program.  Every node carries its source span; sema fills
 * in the types and resolutions, lower reads them.
 */
#ifndef PTRACE1_AST_H
#define PTRACE1_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "types.h"

enum ast_kind {
	/* expressions */
	AST_INT,	/* 42 */
	AST_STR,	/* "text" */
	AST_IDENT,	/* pid, comm, filename: a builtin or an arg field */
	AST_VAR,	/* $x */
	AST_POSPARAM,	/* $1 */
	AST_MAP,	/* @m, @m[k, ...] */
	AST_CALL,	/* f(a, ...) */
	AST_FIELD,	/* args->f, args.f, x.0 */
	AST_UNARY,
	AST_BINARY,
	AST_TERNARY,
	AST_CAST,	/* (uint32)x */
	AST_TUPLE,	/* (a, b) */
	/* statements */
	AST_EXPR_STMT,
	AST_ASSIGN,	/* lhs op= rhs */
	AST_INCDEC,	/* x++, --x as a statement or expression */
	AST_IF,
};

/* Operators: single-character ones are their character. */
enum ast_op {
	OP_EQ = 256, OP_NE, OP_LE, OP_GE, OP_AND, OP_OR, OP_SHL, OP_SHR,
	OP_INC, OP_DEC,
};

/* What sema resolved an identifier to. */
enum ident_kind {
	IDENT_UNRESOLVED,
	IDENT_BUILTIN,
	IDENT_ARG,	/* a tracepoint field, by name */
	IDENT_ARGS,	/* the `args` struct itself, base of AST_FIELD */
};

struct ast_list {
	struct ast **v;
	size_t n;
	size_t cap;
};

struct ast {
	enum ast_kind kind;
	struct loc loc;
	struct type type;	/* set by sema */
	union {
		int64_t ival;			/* AST_INT, AST_POSPARAM (index) */
		struct {			/* AST_STR */
			char *bytes;
			size_t len;
		} str;
		struct {			/* AST_IDENT, AST_VAR */
			char *name;
			enum ident_kind kind;
			int builtin;		/* enum builtin, for IDENT_BUILTIN */
		} ident;
		struct {			/* AST_MAP */
			char *name;		/* "" for the anonymous @ */
			struct ast_list keys;
			bool indexed;
			int id;			/* index in the checked program's maps */
		} map;
		struct {			/* AST_CALL */
			char *name;
			struct ast_list args;
			int func;		/* enum func, set by sema */
			int event_id;		/* printf/print: output format index */
		} call;
		struct {			/* AST_FIELD */
			struct ast *base;
			char *name;
			bool arrow;		/* -> rather than . */
		} field;
		struct {			/* AST_UNARY, AST_BINARY, AST_INCDEC */
			int op;
			struct ast *lhs;
			struct ast *rhs;	/* NULL for unary */
			bool post;		/* AST_INCDEC: x++ */
		} op;
		struct {			/* AST_TERNARY, AST_IF */
			struct ast *cond;
			struct ast *then;	/* expr, or AST_IF: unused */
			struct ast *els;
			struct ast_list then_body;	/* AST_IF */
			struct ast_list else_body;	/* AST_IF */
		} cond;
		struct {			/* AST_CAST */
			struct ast *expr;
			bool is_signed;
			unsigned int bits;
		} cast;
		struct ast_list tuple;		/* AST_TUPLE */
		struct ast *expr;		/* AST_EXPR_STMT */
		struct {			/* AST_ASSIGN */
			int op;			/* '=' or the compound operator */
			struct ast *lhs;
			struct ast *rhs;
		} assign;
	} u;
};

struct probe_spec {
	char *text;
	struct loc loc;
};

struct action {
	struct probe_spec *probes;
	size_t nprobes;
	size_t probes_cap;
	struct ast *pred;		/* NULL when absent */
	struct ast_list body;
	struct loc loc;
	bool angle;			/* written < ... > */
};

struct arena_chunk;

/* Every node, string and list of a program lives in its arena. */
struct program {
	struct action **actions;
	size_t nactions;
	size_t actions_cap;
	struct arena_chunk *arena;
	size_t nnodes;		/* AST nodes made, for the size limit */
};

/* Allocation from the program's arena: zeroed, freed with the program. */
void *prog_alloc(struct program *p, size_t size);
char *prog_strndup(struct program *p, const char *s, size_t len);
struct ast *ast_new(struct program *p, enum ast_kind kind, struct loc loc);
/* These return 0 or -ENOMEM. */
int ast_list_push(struct program *p, struct ast_list *l, struct ast *n);
int program_add_action(struct program *p, struct action *a);
int action_add_probe(struct program *p, struct action *a, char *text, struct loc loc);
void program_free(struct program *p);
/* Call @fn on @n (may be NULL) and on every node below it, parents first. */
void ast_visit(const struct ast *n, void (*fn)(const struct ast *n, void *arg), void *arg);
/* Human-readable dump for the parser tests, and with each expression's type for -d. */
void ast_dump_program(const struct program *p, bool typed, FILE *out);
void type_dump(const struct type *t, FILE *out);

#endif
