// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

void *prog_alloc(struct program *p, size_t size)
{
	struct arena_chunk *c = p->arena;
	void *mem;

	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!c || c->size - c->used < size) {
		size_t chunk = size > 16384 ? size : 16384;

		c = malloc(sizeof(*c) + chunk);
		if (!c)
			return NULL;
		c->size = chunk;
		c->used = 0;
		c->next = p->arena;
		p->arena = c;
	}
	mem = (char *)c->data + c->used;
	c->used += size;
	memset(mem, 0, size);
	return mem;
}

char *prog_strndup(struct program *p, const char *s, size_t len)
{
	char *d = prog_alloc(p, len + 1);

	if (d)
		memcpy(d, s, len);
	return d;
}

struct ast *ast_new(struct program *p, enum ast_kind kind, struct loc loc)
{
	struct ast *n = prog_alloc(p, sizeof(*n));

	if (!n)
		return NULL;
	n->kind = kind;
	n->loc = loc;
	p->nnodes++;
	return n;
}

/* Grow by doubling; the old arrays stay in the arena until the program goes. */
static void *grow(struct program *p, void *v, size_t n, size_t *cap, size_t elem)
{
	void *nv;

	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 4;
	nv = prog_alloc(p, *cap * elem);
	if (nv && n)
		memcpy(nv, v, n * elem);
	return nv;
}

int ast_list_push(struct program *p, struct ast_list *l, struct ast *n)
{
	struct ast **v = grow(p, l->v, l->n, &l->cap, sizeof(*v));

	if (!v)
		return -ENOMEM;
	l->v = v;
	l->v[l->n++] = n;
	return 0;
}

int program_add_action(struct program *p, struct action *a)
{
	struct action **v = grow(p, p->actions, p->nactions, &p->actions_cap, sizeof(*v));

	if (!v)
		return -ENOMEM;
	p->actions = v;
	p->actions[p->nactions++] = a;
	return 0;
}

int action_add_probe(struct program *p, struct action *a, char *text, struct loc loc)
{
	struct probe_spec *v = grow(p, a->probes, a->nprobes, &a->probes_cap, sizeof(*v));

	if (!v)
		return -ENOMEM;
	a->probes = v;
	a->probes[a->nprobes].text = text;
	a->probes[a->nprobes].loc = loc;
	a->nprobes++;
	return 0;
}

void program_free(struct program *p)
{
	while (p->arena) {
		struct arena_chunk *next = p->arena->next;

		free(p->arena);
		p->arena = next;
	}
	memset(p, 0, sizeof(*p));
}

static void visit_list(const struct ast_list *l, void (*fn)(const struct ast *, void *),
		       void *arg)
{
	for (size_t i = 0; i < l->n; i++)
		ast_visit(l->v[i], fn, arg);
}

void ast_visit(const struct ast *n, void (*fn)(const struct ast *n, void *arg), void *arg)
{
	if (!n)
		return;
	fn(n, arg);
	switch (n->kind) {
	case AST_MAP:
		visit_list(&n->u.map.keys, fn, arg);
		break;
	case AST_CALL:
		visit_list(&n->u.call.args, fn, arg);
		break;
	case AST_FIELD:
		ast_visit(n->u.field.base, fn, arg);
		break;
	case AST_UNARY:
	case AST_BINARY:
	case AST_INCDEC:
		ast_visit(n->u.op.lhs, fn, arg);
		ast_visit(n->u.op.rhs, fn, arg);
		break;
	case AST_TERNARY:
	case AST_IF:
		ast_visit(n->u.cond.cond, fn, arg);
		ast_visit(n->u.cond.then, fn, arg);
		ast_visit(n->u.cond.els, fn, arg);
		visit_list(&n->u.cond.then_body, fn, arg);
		visit_list(&n->u.cond.else_body, fn, arg);
		break;
	case AST_CAST:
		ast_visit(n->u.cast.expr, fn, arg);
		break;
	case AST_TUPLE:
		visit_list(&n->u.tuple, fn, arg);
		break;
	case AST_EXPR_STMT:
		ast_visit(n->u.expr, fn, arg);
		break;
	case AST_ASSIGN:
		ast_visit(n->u.assign.lhs, fn, arg);
		ast_visit(n->u.assign.rhs, fn, arg);
		break;
	default:
		break;
	}
}

static const char *op_name(int op)
{
	static char one[2];

	switch (op) {
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	case OP_LE: return "<=";
	case OP_GE: return ">=";
	case OP_AND: return "&&";
	case OP_OR: return "||";
	case OP_SHL: return "<<";
	case OP_SHR: return ">>";
	case OP_INC: return "++";
	case OP_DEC: return "--";
	}
	one[0] = (char)op;
	return one;
}

static void dump_str(const char *s, size_t len, FILE *out)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (isprint(c))
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
	fputc('"', out);
}

static void dump_list(const struct ast_list *l, const char *sep, bool typed, FILE *out);

void type_dump(const struct type *t, FILE *out)
{
	switch (t->kind) {
	case TYPE_INT:
		fputs(t->is_signed ? "int64" : "uint64", out);
		if (t->strptr)
			fprintf(out, " (%s string address)", t->strptr == AS_USER ? "user" : "kernel");
		if (t->is_syscall)
			fputs(" (syscall number)", out);
		break;
	case TYPE_STR:
		fprintf(out, "string[%u]", t->size);
		break;
	case TYPE_TUPLE:
		fputc('(', out);
		for (size_t i = 0; i < t->tuple->n; i++) {
			if (i)
				fputs(", ", out);
			type_dump(&t->tuple->elems[i], out);
		}
		fputc(')', out);
		break;
	case TYPE_NONE:
		fputs("none", out);
		break;
	}
}

static void dump(const struct ast *n, bool typed, FILE *out);

/* S-expressions: compact enough to pin in tests, unambiguous about structure. */
static void dump_node(const struct ast *n, bool typed, FILE *out)
{
	switch (n->kind) {
	case AST_INT:
		fprintf(out, "%lld", (long long)n->u.ival);
		break;
	case AST_STR:
		dump_str(n->u.str.bytes, n->u.str.len, out);
		break;
	case AST_IDENT:
	case AST_VAR:
		fputs(n->u.ident.name, out);
		break;
	case AST_POSPARAM:
		fprintf(out, "$%lld", (long long)n->u.ival);
		break;
	case AST_MAP:
		fprintf(out, "@%s", n->u.map.name);
		if (n->u.map.indexed) {
			fputc('[', out);
			dump_list(&n->u.map.keys, ", ", typed, out);
			fputc(']', out);
		}
		break;
	case AST_CALL:
		fprintf(out, "%s(", n->u.call.name);
		dump_list(&n->u.call.args, ", ", typed, out);
		fputc(')', out);
		break;
	case AST_FIELD:
		dump(n->u.field.base, typed, out);
		fprintf(out, "%s%s", n->u.field.arrow ? "->" : ".", n->u.field.name);
		break;
	case AST_UNARY:
		fprintf(out, "(%s ", op_name(n->u.op.op));
		dump(n->u.op.lhs, typed, out);
		fputc(')', out);
		break;
	case AST_BINARY:
		fprintf(out, "(%s ", op_name(n->u.op.op));
		dump(n->u.op.lhs, typed, out);
		fputc(' ', out);
		dump(n->u.op.rhs, typed, out);
		fputc(')', out);
		break;
	case AST_INCDEC:
		fprintf(out, "(%s%s ", n->u.op.post ? "post" : "pre", op_name(n->u.op.op));
		dump(n->u.op.lhs, typed, out);
		fputc(')', out);
		break;
	case AST_TERNARY:
		fputs("(? ", out);
		dump(n->u.cond.cond, typed, out);
		fputc(' ', out);
		dump(n->u.cond.then, typed, out);
		fputc(' ', out);
		dump(n->u.cond.els, typed, out);
		fputc(')', out);
		break;
	case AST_CAST:
		fprintf(out, "(cast %sint%u ", n->u.cast.is_signed ? "" : "u", n->u.cast.bits);
		dump(n->u.cast.expr, typed, out);
		fputc(')', out);
		break;
	case AST_TUPLE:
		fputs("(tuple ", out);
		dump_list(&n->u.tuple, " ", typed, out);
		fputc(')', out);
		break;
	case AST_EXPR_STMT:
		dump(n->u.expr, typed, out);
		break;
	case AST_ASSIGN:
		fprintf(out, "(%s%s ", n->u.assign.op == '=' ? "" : op_name(n->u.assign.op), "=");
		dump(n->u.assign.lhs, typed, out);
		fputc(' ', out);
		dump(n->u.assign.rhs, typed, out);
		fputc(')', out);
		break;
	case AST_IF:
		fputs("(if ", out);
		dump(n->u.cond.cond, typed, out);
		fputs(" {", out);
		dump_list(&n->u.cond.then_body, "; ", typed, out);
		fputc('}', out);
		if (n->u.cond.else_body.n || n->u.cond.els) {
			fputs(" else {", out);
			dump_list(&n->u.cond.else_body, "; ", typed, out);
			fputc('}', out);
		}
		fputc(')', out);
		break;
	}
}

/* With types, each expression is written [expr : type]. */
static void dump(const struct ast *n, bool typed, FILE *out)
{
	bool wrap = typed && n->kind < AST_EXPR_STMT && n->type.kind != TYPE_NONE;

	if (wrap)
		fputc('[', out);
	dump_node(n, typed, out);
	if (wrap) {
		fputs(" : ", out);
		type_dump(&n->type, out);
		fputc(']', out);
	}
}

static void dump_list(const struct ast_list *l, const char *sep, bool typed, FILE *out)
{
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			fputs(sep, out);
		dump(l->v[i], typed, out);
	}
}

void ast_dump_program(const struct program *p, bool typed, FILE *out)
{
	for (size_t i = 0; i < p->nactions; i++) {
		const struct action *a = p->actions[i];

		for (size_t j = 0; j < a->nprobes; j++)
			fprintf(out, "%s%s", j ? ", " : "", a->probes[j].text);
		if (a->pred) {
			fputs(" /", out);
			dump(a->pred, typed, out);
			fputc('/', out);
		}
		fputs(a->angle ? " < " : " { ", out);
		dump_list(&a->body, "; ", typed, out);
		fputs(a->angle ? " >\n" : " }\n", out);
	}
}
