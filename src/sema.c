// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sema.h"
#include "suggest.h"

struct sema {
	struct diag *d;
	struct checked *c;
	struct sema_probe *probes;	/* the current action's, in c->probes */
	size_t nprobes;
	int nomem;
};

static const struct {
	const char *name;
	struct type type;
} builtins[] = {
	[BUILTIN_PID] = { "pid", { .kind = TYPE_INT } },
	[BUILTIN_TID] = { "tid", { .kind = TYPE_INT } },
	[BUILTIN_UID] = { "uid", { .kind = TYPE_INT } },
	[BUILTIN_GID] = { "gid", { .kind = TYPE_INT } },
	[BUILTIN_COMM] = { "comm", { .kind = TYPE_STR, .size = 16 } },
	[BUILTIN_CPU] = { "cpu", { .kind = TYPE_INT } },
	[BUILTIN_NSECS] = { "nsecs", { .kind = TYPE_INT } },
	[BUILTIN_CPID] = { "cpid", { .kind = TYPE_INT } },
};
#define NBUILTINS (sizeof(builtins) / sizeof(*builtins))

static const char *const func_names[] = {
	[FUNC_PRINTF] = "printf",
	[FUNC_PRINT] = "print",
	[FUNC_STR] = "str",
};
#define NFUNCS (sizeof(func_names) / sizeof(*func_names))

const char *builtin_name(enum builtin b)
{
	return builtins[b].name;
}

static const char *type_name(const struct type *t)
{
	switch (t->kind) {
	case TYPE_INT:
		return "an integer";
	case TYPE_STR:
		return "a string";
	case TYPE_NONE:
		break;
	}
	return "nothing";
}

static const char *probe_label(const struct sema_probe *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s", p->probe.cat, p->probe.ev);
	return buf;
}

/* --- probes ------------------------------------------------------------ */

static struct tp_format *find_format(struct sema *s, const struct probe *p)
{
	for (size_t i = 0; i < s->c->nfmts; i++) {
		if (!strcmp(s->c->fmts[i]->cat, p->cat) && !strcmp(s->c->fmts[i]->ev, p->ev))
			return s->c->fmts[i];
	}
	return NULL;
}

static int add_probe(struct sema *s, const struct probe *p, size_t action, struct loc loc)
{
	struct checked *c = s->c;
	struct tp_format *fmt = find_format(s, p);
	void *v;
	int err;

	if (!fmt) {
		err = tpfmt_load(p->cat, p->ev, &fmt);
		if (err == -ENOMEM)
			return err;
		if (err) {
			diag_error(s->d, loc, "cannot read the format of tracepoint %s:%s: %s",
				   p->cat, p->ev, strerror(-err));
			return 0;
		}
		v = realloc(c->fmts, (c->nfmts + 1) * sizeof(*c->fmts));
		if (!v) {
			tpfmt_free(fmt);
			return -ENOMEM;
		}
		c->fmts = v;
		c->fmts[c->nfmts++] = fmt;
	}
	v = realloc(c->probes, (c->nprobes + 1) * sizeof(*c->probes));
	if (!v)
		return -ENOMEM;
	c->probes = v;
	c->probes[c->nprobes].probe = *p;
	c->probes[c->nprobes].fmt = fmt;
	c->probes[c->nprobes].action = action;
	c->nprobes++;
	return 0;
}

static int resolve_probes(struct sema *s, struct action *a, size_t action)
{
	size_t first = s->c->nprobes;
	struct probe_error perr;
	struct probe *v;
	size_t n;
	int err;

	for (size_t i = 0; i < a->nprobes; i++) {
		err = probe_resolve(a->probes[i].text, &v, &n, &perr);
		if (err == -ENOMEM)
			return err;
		if (err) {
			diag_error(s->d, a->probes[i].loc, "%s", perr.msg);
			if (perr.hint[0])
				diag_hint(s->d, "%s", perr.hint);
			continue;
		}
		for (size_t j = 0; j < n && !err; j++) {
			bool dup = false;

			/* The same tracepoint twice in one action runs it once. */
			for (size_t k = first; k < s->c->nprobes; k++)
				dup |= !strcmp(s->c->probes[k].probe.cat, v[j].cat) &&
				       !strcmp(s->c->probes[k].probe.ev, v[j].ev);
			if (!dup)
				err = add_probe(s, &v[j], action, a->probes[i].loc);
		}
		free(v);
		if (err)
			return err;
	}
	s->probes = s->c->probes + first;
	s->nprobes = s->c->nprobes - first;
	return 0;
}

/* --- expressions ------------------------------------------------------- */

static int check_expr(struct sema *s, struct ast **slot);

static struct type int_type(bool is_signed)
{
	return (struct type){ .kind = TYPE_INT, .is_signed = is_signed };
}

/* Wrap *@slot in str(): a string's address used where a string is wanted. */
static int wrap_str(struct sema *s, struct ast **slot)
{
	struct ast *n = ast_new(s->c->prog, AST_CALL, (*slot)->loc);

	if (!n || ast_list_push(s->c->prog, &n->u.call.args, *slot)) {
		s->nomem = 1;
		return -ENOMEM;
	}
	n->u.call.name = "str";
	n->u.call.func = FUNC_STR;
	n->type = (struct type){ .kind = TYPE_STR, .size = s->c->opts.strlen };
	*slot = n;
	return 0;
}

static int want_int(struct sema *s, struct ast **slot, const char *what)
{
	int err = check_expr(s, slot);

	if (err)
		return err;
	if ((*slot)->type.kind == TYPE_INT)
		return 0;
	if ((*slot)->type.kind == TYPE_STR)
		diag_error(s->d, (*slot)->loc, "%s expects an integer, but this is a string", what);
	return -EINVAL;
}

static int field_type(const struct sema_probe *p, const struct tp_field *f, struct type *t,
		      unsigned int strlen)
{
	memset(t, 0, sizeof(*t));
	if (f->is_char_array) {
		t->kind = TYPE_STR;
		t->size = f->data_loc || f->array_len > strlen ? strlen : f->array_len;
		return 0;
	}
	if (f->data_loc || f->array_len || f->size > 8)
		return -ENOTSUP;
	t->kind = TYPE_INT;
	t->is_signed = f->is_signed;
	if (f->is_pointer && strstr(f->ctype, "char") && !strstr(f->ctype, "**"))
		t->strptr = !strcmp(p->probe.cat, "syscalls") ? AS_USER : AS_KERNEL;
	return 0;
}

static void list_fields(struct sema *s, const struct sema_probe *p, const char *name)
{
	const char *cands[256];
	struct strbuf sb;
	size_t n = 0;
	const char *best;

	for (size_t i = 0; i < p->fmt->nfields && n < 256; i++) {
		if (!p->fmt->fields[i].is_common)
			cands[n++] = p->fmt->fields[i].name;
	}
	best = suggest_best(name, cands, n);
	if (best) {
		diag_hint(s->d, "did you mean '%s'?", best);
		return;
	}
	sb_init(&sb);
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", cands[i]);
	if (!sb.err)
		diag_hint(s->d, "the fields of %s:%s are: %s", p->probe.cat, p->probe.ev,
			  n ? sb.buf : "(none)");
	sb_free(&sb);
}

/* A tracepoint field by name: it must exist, with one type, in every probe. */
static int check_field(struct sema *s, struct ast *n, const char *name, bool bare)
{
	char a[160], b[160];
	struct type t, first = { 0 };

	for (size_t i = 0; i < s->nprobes; i++) {
		const struct sema_probe *p = &s->probes[i];
		const struct tp_field *f = tpfmt_field(p->fmt, name);

		if (!f) {
			if (bare && s->nprobes == 1)
				diag_error(s->d, n->loc, "unknown identifier '%s': not a builtin nor a field of %s",
					   name, probe_label(p, a, sizeof(a)));
			else if (s->nprobes == 1)
				diag_error(s->d, n->loc, "%s has no field '%s'",
					   probe_label(p, a, sizeof(a)), name);
			else
				diag_error(s->d, n->loc, "field '%s' is not in every probe of this action: %s has none",
					   name, probe_label(p, a, sizeof(a)));
			list_fields(s, p, name);
			return -EINVAL;
		}
		if (field_type(p, f, &t, s->c->opts.strlen)) {
			diag_error(s->d, n->loc, "field '%s' of %s has type '%s', which is not supported yet",
				   name, probe_label(p, a, sizeof(a)), f->ctype);
			return -EINVAL;
		}
		if (i == 0) {
			first = t;
		} else if (t.kind != first.kind) {
			diag_error(s->d, n->loc, "field '%s' is %s in %s but %s in %s", name,
				   type_name(&first), probe_label(&s->probes[0], a, sizeof(a)),
				   type_name(&t), probe_label(p, b, sizeof(b)));
			return -EINVAL;
		} else if (t.kind == TYPE_STR && t.size > first.size) {
			first.size = t.size;
		}
	}
	n->type = first;
	return 0;
}

static int check_ident(struct sema *s, struct ast *n)
{
	const char *name = n->u.ident.name;

	/* Builtins win over fields: args.pid reaches a field named pid. */
	for (size_t i = 0; i < NBUILTINS; i++) {
		if (strcmp(name, builtins[i].name))
			continue;
		if (i == BUILTIN_CPID && !s->c->opts.have_cpid) {
			diag_error(s->d, n->loc, "cpid needs a child process");
			diag_hint(s->d, "run a command with -c 'COMMAND'");
			return -EINVAL;
		}
		n->u.ident.kind = IDENT_BUILTIN;
		n->u.ident.builtin = (int)i;
		n->type = builtins[i].type;
		return 0;
	}
	if (!strcmp(name, "args")) {
		diag_error(s->d, n->loc, "args is a structure: use one of its fields, as args.NAME");
		return -EINVAL;
	}
	n->u.ident.kind = IDENT_ARG;
	return check_field(s, n, name, true);
}

static int check_field_access(struct sema *s, struct ast *n)
{
	struct ast *base = n->u.field.base;

	if (base->kind == AST_IDENT && !strcmp(base->u.ident.name, "args")) {
		base->u.ident.kind = IDENT_ARGS;
		return check_field(s, n, n->u.field.name, false);
	}
	diag_error(s->d, n->loc, "only args has fields");
	diag_hint(s->d, "write args.%s or args->%s for the tracepoint's field", n->u.field.name,
		  n->u.field.name);
	return -EINVAL;
}

static const char *op_text(int op)
{
	static const char *const names[] = {
		[OP_EQ - OP_EQ] = "==", [OP_NE - OP_EQ] = "!=", [OP_LE - OP_EQ] = "<=",
		[OP_GE - OP_EQ] = ">=", [OP_AND - OP_EQ] = "&&", [OP_OR - OP_EQ] = "||",
		[OP_SHL - OP_EQ] = "<<", [OP_SHR - OP_EQ] = ">>",
	};
	static char one[2];

	if (op >= OP_EQ && op <= OP_SHR)
		return names[op - OP_EQ];
	one[0] = (char)op;
	return one;
}

static int check_binary(struct sema *s, struct ast *n)
{
	struct ast **l = &n->u.op.lhs, **r = &n->u.op.rhs;
	int op = n->u.op.op, err;
	char what[32];

	err = check_expr(s, l);
	err = check_expr(s, r) ?: err;
	if (err)
		return err;
	if (op == OP_EQ || op == OP_NE) {
		bool ls = (*l)->type.kind == TYPE_STR, rs = (*r)->type.kind == TYPE_STR;

		/* A string compared with a `char *` arg reads the arg. */
		if (ls != rs) {
			struct ast **p = ls ? r : l;

			if ((*p)->type.strptr == AS_NONE) {
				diag_error(s->d, n->loc, "cannot compare %s with %s",
					   type_name(&(*l)->type), type_name(&(*r)->type));
				return -EINVAL;
			}
			err = wrap_str(s, p);
			if (err)
				return err;
		}
		n->type = int_type(true);
		return 0;
	}
	snprintf(what, sizeof(what), "'%s'", op_text(op));
	if ((*l)->type.kind != TYPE_INT || (*r)->type.kind != TYPE_INT) {
		diag_error(s->d, n->loc, "%s expects integers, but %s is a string", what,
			   (*l)->type.kind != TYPE_INT ? "the left side" : "the right side");
		return -EINVAL;
	}
	switch (op) {
	case '<': case '>': case OP_LE: case OP_GE: case OP_AND: case OP_OR:
		n->type = int_type(true);
		break;
	case OP_SHL: case OP_SHR:
		n->type = int_type((*l)->type.is_signed);
		break;
	default:
		n->type = int_type((*l)->type.is_signed && (*r)->type.is_signed);
		break;
	}
	if ((op == '/' || op == '%') && (*r)->kind == AST_INT && (*r)->u.ival == 0) {
		diag_error(s->d, (*r)->loc, "division by zero");
		return -EINVAL;
	}
	return 0;
}

static int add_event(struct sema *s, struct ast *call, enum event_kind kind, struct fmt *fmt,
		     struct ast_list *args, size_t first)
{
	struct checked *c = s->c;
	struct event_desc *e;
	unsigned int off = EVENT_HDR_SIZE;
	void *v;

	v = realloc(c->events, (c->nevents + 1) * sizeof(*c->events));
	if (!v)
		return -ENOMEM;
	c->events = v;
	e = &c->events[c->nevents];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->nargs = args->n - first;
	e->args = calloc(e->nargs ? e->nargs : 1, sizeof(*e->args));
	if (!e->args)
		return -ENOMEM;
	for (size_t i = 0; i < e->nargs; i++) {
		const struct type *t = &args->v[first + i]->type;

		e->args[i].type = *t;
		e->args[i].offset = off;
		e->args[i].size = t->kind == TYPE_STR ? t->size : 8;
		off += (e->args[i].size + 7) & ~7u;
	}
	e->size = off;
	if (fmt)
		e->fmt = *fmt;
	call->u.call.event_id = (int)c->nevents++;
	return 0;
}

static int check_printf(struct sema *s, struct ast *n)
{
	struct ast_list *args = &n->u.call.args;
	struct fmt_error ferr;
	struct fmt fmt;
	char what[32];
	int err = 0;

	if (!args->n || args->v[0]->kind != AST_STR) {
		diag_error(s->d, args->n ? args->v[0]->loc : n->loc,
			   "printf's first argument must be a string literal");
		return -EINVAL;
	}
	for (size_t i = 1; i < args->n; i++)
		err = check_expr(s, &args->v[i]) ?: err;
	if (err)
		return err;
	err = fmt_parse(args->v[0]->u.str.bytes, args->v[0]->u.str.len, &fmt, &ferr);
	if (err == -ENOMEM)
		return err;
	if (err) {
		diag_error(s->d, args->v[0]->loc, "printf: %s", ferr.msg);
		return -EINVAL;
	}
	if (fmt.nconvs != args->n - 1) {
		diag_error(s->d, n->loc, "printf: the format has %zu conversion%s but %zu argument%s follow%s",
			   fmt.nconvs, fmt.nconvs == 1 ? "" : "s", args->n - 1,
			   args->n == 2 ? "" : "s", args->n == 2 ? "s" : "");
		fmt_free(&fmt);
		return -EINVAL;
	}
	for (size_t i = 0; i < fmt.nconvs; i++) {
		struct ast **a = &args->v[i + 1];

		snprintf(what, sizeof(what), "printf's %%%c", fmt.convs[i].conv);
		if (fmt.convs[i].want == FMT_WANT_STR) {
			if ((*a)->type.kind == TYPE_INT && (*a)->type.strptr != AS_NONE)
				err = wrap_str(s, a) ?: err;
			else if ((*a)->type.kind != TYPE_STR) {
				diag_error(s->d, (*a)->loc, "%s expects a string, but argument %zu is an integer",
					   what, i + 1);
				diag_hint(s->d, "str(ADDRESS) reads the string at an address");
				err = -EINVAL;
			}
		} else if ((*a)->type.kind != TYPE_INT) {
			diag_error(s->d, (*a)->loc, "%s expects an integer, but argument %zu is a string",
				   what, i + 1);
			err = -EINVAL;
		}
	}
	if (!err)
		err = add_event(s, n, EVENT_PRINTF, &fmt, args, 1);
	if (err)
		fmt_free(&fmt);
	return err;
}

static int check_arity(struct sema *s, struct ast *n, size_t min, size_t max)
{
	size_t got = n->u.call.args.n;

	if (got >= min && got <= max)
		return 0;
	if (min == max)
		diag_error(s->d, n->loc, "%s() takes %zu argument%s, not %zu", n->u.call.name, min,
			   min == 1 ? "" : "s", got);
	else
		diag_error(s->d, n->loc, "%s() takes %zu to %zu arguments, not %zu", n->u.call.name,
			   min, max, got);
	return -EINVAL;
}

static int check_call(struct sema *s, struct ast *n)
{
	struct ast_list *args = &n->u.call.args;
	const char *best;
	size_t f;
	int err;

	for (f = 0; f < NFUNCS; f++) {
		if (!strcmp(n->u.call.name, func_names[f]))
			break;
	}
	if (f == NFUNCS) {
		diag_error(s->d, n->loc, "unknown function '%s'", n->u.call.name);
		best = suggest_best(n->u.call.name, func_names, NFUNCS);
		if (best)
			diag_hint(s->d, "did you mean '%s'?", best);
		return -EINVAL;
	}
	n->u.call.func = (int)f;
	switch ((enum func)f) {
	case FUNC_PRINTF:
		return check_printf(s, n);
	case FUNC_PRINT:
		if (check_arity(s, n, 1, 1))
			return -EINVAL;
		err = check_expr(s, &args->v[0]);
		if (err)
			return err;
		/* print(filename) prints the string a `char *` arg points at. */
		if (args->v[0]->type.strptr != AS_NONE)
			err = wrap_str(s, &args->v[0]);
		return err ?: add_event(s, n, EVENT_PRINT, NULL, args, 0);
	case FUNC_STR:
		if (check_arity(s, n, 1, 2))
			return -EINVAL;
		err = check_expr(s, &args->v[0]);
		if (err)
			return err;
		n->type = (struct type){ .kind = TYPE_STR, .size = s->c->opts.strlen };
		if (args->v[0]->type.kind == TYPE_STR)
			n->type.size = args->v[0]->type.size;
		if (args->n == 2) {
			struct ast *len = args->v[1];

			if (len->kind != AST_INT || len->u.ival < 1) {
				diag_error(s->d, len->loc, "str()'s length must be a positive integer literal");
				return -EINVAL;
			}
			/* The length counts the NUL, as in bpftrace. */
			if ((uint64_t)len->u.ival < n->type.size)
				n->type.size = (unsigned int)len->u.ival;
			len->type = int_type(true);
		}
		return 0;
	}
	return 0;
}

static int not_yet(struct sema *s, struct ast *n, const char *what)
{
	diag_error(s->d, n->loc, "%s are not supported yet", what);
	return -EINVAL;
}

static int check_expr(struct sema *s, struct ast **slot)
{
	struct ast *n = *slot;
	int err;

	switch (n->kind) {
	case AST_INT:
		n->type = int_type(n->u.ival >= 0 || true);
		return 0;
	case AST_STR:
		n->type = (struct type){ .kind = TYPE_STR, .size = (unsigned int)n->u.str.len + 1 };
		return 0;
	case AST_IDENT:
		return check_ident(s, n);
	case AST_FIELD:
		return check_field_access(s, n);
	case AST_CALL:
		return check_call(s, n);
	case AST_BINARY:
		return check_binary(s, n);
	case AST_UNARY:
		err = want_int(s, &n->u.op.lhs, n->u.op.op == '!' ? "'!'" :
			       n->u.op.op == '~' ? "'~'" : "unary '-'");
		if (err)
			return err;
		n->type = int_type(n->u.op.op == '!' || n->u.op.op == '-' ||
				   n->u.op.lhs->type.is_signed);
		return 0;
	case AST_TERNARY:
		err = want_int(s, &n->u.cond.cond, "the condition of '?:'");
		err = check_expr(s, &n->u.cond.then) ?: err;
		err = check_expr(s, &n->u.cond.els) ?: err;
		if (err)
			return err;
		if (n->u.cond.then->type.kind != n->u.cond.els->type.kind) {
			diag_error(s->d, n->loc, "the branches of '?:' differ: %s and %s",
				   type_name(&n->u.cond.then->type), type_name(&n->u.cond.els->type));
			return -EINVAL;
		}
		n->type = n->u.cond.then->type;
		if (n->type.kind == TYPE_STR && n->u.cond.els->type.size > n->type.size)
			n->type.size = n->u.cond.els->type.size;
		if (n->type.kind == TYPE_INT)
			n->type.is_signed = n->u.cond.then->type.is_signed &&
					    n->u.cond.els->type.is_signed;
		return 0;
	case AST_CAST:
		err = want_int(s, &n->u.cast.expr, "a cast");
		if (err)
			return err;
		n->type = int_type(n->u.cast.is_signed);
		return 0;
	case AST_VAR:
		return not_yet(s, n, "scratch variables");
	case AST_POSPARAM:
		return not_yet(s, n, "positional parameters");
	case AST_MAP:
		return not_yet(s, n, "maps");
	case AST_TUPLE:
		return not_yet(s, n, "tuples");
	case AST_INCDEC:
		return not_yet(s, n, "'++' and '--'");
	case AST_EXPR_STMT:
	case AST_ASSIGN:
	case AST_IF:
		break;
	}
	return -EINVAL;
}

/* --- statements -------------------------------------------------------- */

static int check_stmts(struct sema *s, struct ast_list *l)
{
	int err = 0, e;

	for (size_t i = 0; i < l->n && !s->nomem; i++) {
		struct ast *n = l->v[i];

		switch (n->kind) {
		case AST_EXPR_STMT:
			e = check_expr(s, &n->u.expr);
			if (!e && n->u.expr->kind != AST_CALL && n->u.expr->kind != AST_INCDEC)
				diag_warning(s->d, n->loc, "this statement has no effect");
			break;
		case AST_IF:
			e = want_int(s, &n->u.cond.cond, "if");
			e = check_stmts(s, &n->u.cond.then_body) ?: e;
			e = check_stmts(s, &n->u.cond.else_body) ?: e;
			break;
		case AST_ASSIGN:
			e = not_yet(s, n, "assignments");
			break;
		default:
			e = -EINVAL;
			break;
		}
		if (e == -ENOMEM)
			return e;
		err = e ?: err;
	}
	return err;
}

int sema_check(struct program *prog, const struct sema_opts *opts, struct diag *d,
	       struct checked *out)
{
	struct sema s = { .d = d, .c = out };
	int err;

	memset(out, 0, sizeof(*out));
	out->prog = prog;
	out->opts = *opts;
	if (!prog->nactions) {
		diag_error(d, (struct loc){ 0 }, "the program has no probes");
		return -EINVAL;
	}
	for (size_t i = 0; i < prog->nactions; i++) {
		struct action *a = prog->actions[i];

		err = resolve_probes(&s, a, i);
		if (err == -ENOMEM)
			return err;
		if (!s.nprobes)
			continue;
		if (a->pred) {
			err = want_int(&s, &a->pred, "a predicate");
			if (err == -ENOMEM || s.nomem)
				return -ENOMEM;
		}
		err = check_stmts(&s, &a->body);
		if (err == -ENOMEM || s.nomem)
			return -ENOMEM;
		s.nprobes = 0;
	}
	return d->errors ? -EINVAL : 0;
}

void checked_free(struct checked *c)
{
	for (size_t i = 0; i < c->nfmts; i++)
		tpfmt_free(c->fmts[i]);
	free(c->fmts);
	for (size_t i = 0; i < c->nevents; i++) {
		fmt_free(&c->events[i].fmt);
		free(c->events[i].args);
	}
	free(c->events);
	free(c->probes);
	memset(c, 0, sizeof(*c));
}
