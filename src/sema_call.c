// SPDX-License-Identifier: GPL-2.0
/* sema: function calls, and the events that carry their output to user space. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sema_impl.h"
#include "suggest.h"

static const char *const func_names[] = {
	[FUNC_PRINTF] = "printf",
	[FUNC_PRINT] = "print",
	[FUNC_STR] = "str",
	[FUNC_EXIT] = "exit",
	[FUNC_TIME] = "time",
	[FUNC_JOIN] = "join",
	[FUNC_DELETE] = "delete",
	[FUNC_CLEAR] = "clear",
	[FUNC_ZERO] = "zero",
	[FUNC_SYSCALL_NAME] = "syscall_name",
	[FUNC_COUNT] = "count",
	[FUNC_SUM] = "sum",
	[FUNC_AVG] = "avg",
	[FUNC_MIN] = "min",
	[FUNC_MAX] = "max",
	[FUNC_STATS] = "stats",
	[FUNC_HIST] = "hist",
	[FUNC_LHIST] = "lhist",
};
#define NFUNCS (sizeof(func_names) / sizeof(*func_names))

const char *sema_function_at(size_t i)
{
	return i < NFUNCS ? func_names[i] : NULL;
}

int add_event(struct sema *s, struct ast *call, enum event_kind kind, struct ast_list *args,
	      size_t first)
{
	struct checked *c = s->c;
	struct event_desc *e;
	unsigned int off = EVENT_HDR_SIZE;
	size_t nargs = args ? args->n - first : 0;
	void *v;

	v = realloc(c->events, (c->nevents + 1) * sizeof(*c->events));
	if (!v) {
		s->nomem = 1;
		return -ENOMEM;
	}
	c->events = v;
	e = &c->events[c->nevents];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->nargs = nargs;
	e->args = calloc(nargs ? nargs : 1, sizeof(*e->args));
	if (!e->args) {
		s->nomem = 1;
		return -ENOMEM;
	}
	for (size_t i = 0; i < nargs; i++) {
		const struct type *t = &args->v[first + i]->type;

		e->args[i].type = *t;
		e->args[i].offset = off;
		e->args[i].size = t->kind == TYPE_INT ? 8 : t->size;
		off += (e->args[i].size + 7) & ~7u;
	}
	e->size = off;
	call->u.call.event_id = (int)c->nevents++;
	return 0;
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

/* A string literal argument, copied into the event's text. */
static int literal_text(struct sema *s, struct ast *arg, const char *what, struct fmt *f)
{
	if (arg->kind != AST_STR) {
		diag_error(s->d, arg->loc, "%s must be a string literal", what);
		return -EINVAL;
	}
	f->text = malloc(arg->u.str.len + 1);
	if (!f->text) {
		s->nomem = 1;
		return -ENOMEM;
	}
	memcpy(f->text, arg->u.str.bytes, arg->u.str.len);
	f->text[arg->u.str.len] = '\0';
	f->len = arg->u.str.len;
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
	if (err == -ENOMEM) {
		s->nomem = 1;
		return err;
	}
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
			if ((*a)->type.is_syscall) {
				continue;
			} else if ((*a)->type.kind == TYPE_INT && (*a)->type.strptr != AS_NONE) {
				err = wrap_str(s, a) ?: err;
			} else if ((*a)->type.kind != TYPE_STR) {
				diag_error(s->d, (*a)->loc, "%s expects a string, but argument %zu is %s",
					   what, i + 1, type_name(&(*a)->type));
				diag_hint(s->d, "str(ADDRESS) reads the string at an address");
				err = -EINVAL;
			}
		} else if ((*a)->type.kind != TYPE_INT) {
			diag_error(s->d, (*a)->loc, "%s expects an integer, but argument %zu is %s",
				   what, i + 1, type_name(&(*a)->type));
			err = -EINVAL;
		}
	}
	if (!err)
		err = add_event(s, n, EVENT_PRINTF, args, 1);
	if (err) {
		fmt_free(&fmt);
		return err;
	}
	s->c->events[n->u.call.event_id].fmt = fmt;
	return 0;
}

/* print(@m [, top [, div]]) prints a map; print(expr) a value. */
static int check_print(struct sema *s, struct ast *n)
{
	struct ast_list *args = &n->u.call.args;
	struct ast *m = args->n ? args->v[0] : NULL;
	struct event_desc *e;
	int64_t v[2] = { 0, 0 };
	int err;

	if (check_arity(s, n, 1, 3))
		return -EINVAL;
	if (m->kind == AST_MAP && !m->u.map.indexed) {
		if (!map_lookup(s, m))
			return s->nomem ? -ENOMEM : -EINVAL;
		for (size_t i = 1; i < args->n; i++) {
			if (const_int(args->v[i], &v[i - 1]) || v[i - 1] < 0) {
				diag_error(s->d, args->v[i]->loc,
					   "print()'s %s must be a non-negative integer literal",
					   i == 1 ? "top" : "divisor");
				return -EINVAL;
			}
		}
		err = add_event(s, n, EVENT_MAP_PRINT, NULL, 0);
		if (err)
			return err;
		e = &s->c->events[n->u.call.event_id];
		e->map = (size_t)m->u.map.id;
		e->top = (uint64_t)v[0];
		e->div = (uint64_t)v[1];
		return 0;
	}
	if (check_arity(s, n, 1, 1))
		return -EINVAL;
	err = check_expr(s, &args->v[0]);
	if (err)
		return err;
	if (args->v[0]->type.kind == TYPE_NONE) {
		diag_error(s->d, args->v[0]->loc, "this has no value to print");
		return -EINVAL;
	}
	if (args->v[0]->kind == AST_MAP && args->v[0]->type.kind == TYPE_TUPLE &&
	    !args->v[0]->u.map.indexed) {
		diag_error(s->d, args->v[0]->loc, "print(@m) prints the map");
		return -EINVAL;
	}
	/* print(filename) prints the string a `char *` arg points at. */
	if (args->v[0]->type.strptr != AS_NONE)
		err = wrap_str(s, &args->v[0]);
	return err ?: add_event(s, n, EVENT_PRINT, args, 0);
}

static int check_str(struct sema *s, struct ast *n)
{
	struct ast_list *args = &n->u.call.args;
	int64_t len;
	int err;

	if (check_arity(s, n, 1, 2))
		return -EINVAL;
	err = check_expr(s, &args->v[0]);
	if (err)
		return err;
	if (args->v[0]->type.kind == TYPE_NONE) {
		diag_error(s->d, args->v[0]->loc, "str() needs an address or a string");
		return -EINVAL;
	}
	n->type = (struct type){ .kind = TYPE_STR, .size = s->c->opts.strlen };
	if (args->v[0]->type.kind == TYPE_STR)
		n->type.size = args->v[0]->type.size;
	if (args->n == 2) {
		if (const_int(args->v[1], &len) || len < 1) {
			diag_error(s->d, args->v[1]->loc, "str()'s length must be a positive integer literal");
			return -EINVAL;
		}
		/* The length counts the NUL, as in bpftrace. */
		if ((uint64_t)len < n->type.size)
			n->type.size = (unsigned int)len;
		args->v[1]->type = int_type(true);
	}
	return 0;
}

/* clear(@m), zero(@m): done by user space, in order with the other output. */
static int check_map_op(struct sema *s, struct ast *n, enum event_kind kind)
{
	struct ast *m;
	int err;

	if (check_arity(s, n, 1, 1))
		return -EINVAL;
	m = n->u.call.args.v[0];
	if (m->kind != AST_MAP || m->u.map.indexed) {
		diag_error(s->d, m->loc, "%s() takes a map, as in %s(@name)", n->u.call.name,
			   n->u.call.name);
		return -EINVAL;
	}
	if (!map_lookup(s, m))
		return s->nomem ? -ENOMEM : -EINVAL;
	err = add_event(s, n, kind, NULL, 0);
	if (!err)
		s->c->events[n->u.call.event_id].map = (size_t)m->u.map.id;
	return err;
}

static int check_delete(struct sema *s, struct ast *n)
{
	struct ast *m;

	if (check_arity(s, n, 1, 1))
		return -EINVAL;
	m = n->u.call.args.v[0];
	if (m->kind != AST_MAP) {
		diag_error(s->d, m->loc, "delete() takes a map element, as in delete(@name[key])");
		return -EINVAL;
	}
	return check_map_keys(s, m);
}

/* join(argv [, sep]): argv is a user array of string pointers, like execve's. */
static int check_join(struct sema *s, struct ast *n)
{
	struct ast_list *args = &n->u.call.args;
	struct ast *argv;
	int err;

	if (check_arity(s, n, 1, 2))
		return -EINVAL;
	err = check_expr(s, &args->v[0]);
	if (err)
		return err;
	argv = args->v[0];
	if (argv->type.kind != TYPE_INT) {
		diag_error(s->d, argv->loc, "join() takes the address of an array of strings, such as args.argv");
		return -EINVAL;
	}
	err = add_event(s, n, EVENT_JOIN, NULL, 0);
	if (err)
		return err;
	if (args->n == 2) {
		err = literal_text(s, args->v[1], "join()'s separator",
				   &s->c->events[n->u.call.event_id].fmt);
	} else {
		struct ast sp = { .kind = AST_STR, .u.str = { .bytes = " ", .len = 1 } };

		err = literal_text(s, &sp, "", &s->c->events[n->u.call.event_id].fmt);
	}
	/* The record: JOIN_MAX_ARGS strings and a count, laid out by lower. */
	s->c->events[n->u.call.event_id].size = EVENT_HDR_SIZE + 8 +
		JOIN_MAX_ARGS * ((s->c->opts.strlen + 7) & ~7u);
	return err;
}

static int check_time(struct sema *s, struct ast *n)
{
	struct ast_list *args = &n->u.call.args;
	struct ast def = { .kind = AST_STR, .u.str = { .bytes = "%H:%M:%S\n", .len = 9 } };
	int err;

	if (check_arity(s, n, 0, 1))
		return -EINVAL;
	err = add_event(s, n, EVENT_TIME, NULL, 0);
	if (err)
		return err;
	return literal_text(s, args->n ? args->v[0] : &def, "time()'s format",
			    &s->c->events[n->u.call.event_id].fmt);
}

int check_call(struct sema *s, struct ast *n, bool stmt)
{
	const char *name = n->u.call.name, *best;
	size_t f;

	for (f = 0; f < NFUNCS; f++) {
		if (!strcmp(name, func_names[f]))
			break;
	}
	if (f == NFUNCS) {
		diag_error(s->d, n->loc, "unknown function '%s'", name);
		best = suggest_best(name, func_names, NFUNCS);
		if (best)
			diag_hint(s->d, "did you mean '%s'?", best);
		return -EINVAL;
	}
	n->u.call.func = (int)f;
	if (f >= FUNC_COUNT) {
		diag_error(s->d, n->loc, "%s() makes a map's value: write @name = %s(%s)", name,
			   name, f == FUNC_COUNT ? "" : "...");
		return -EINVAL;
	}
	if (!stmt && f != FUNC_STR && f != FUNC_SYSCALL_NAME) {
		diag_error(s->d, n->loc, "%s() has no value", name);
		return -EINVAL;
	}
	switch ((enum func)f) {
	case FUNC_PRINTF:
		return check_printf(s, n);
	case FUNC_PRINT:
		return check_print(s, n);
	case FUNC_STR:
		return check_str(s, n);
	case FUNC_EXIT:
		return check_arity(s, n, 0, 0) ?: add_event(s, n, EVENT_EXIT, NULL, 0);
	case FUNC_TIME:
		return check_time(s, n);
	case FUNC_JOIN:
		return check_join(s, n);
	case FUNC_DELETE:
		return check_delete(s, n);
	case FUNC_CLEAR:
		return check_map_op(s, n, EVENT_MAP_CLEAR);
	case FUNC_ZERO:
		return check_map_op(s, n, EVENT_MAP_ZERO);
	case FUNC_SYSCALL_NAME:
		/* A number in BPF; user space shows the name (src/syscalls.c). */
		if (check_arity(s, n, 1, 1) || want_int(s, &n->u.call.args.v[0], "syscall_name()"))
			return -EINVAL;
		n->type = int_type(true);
		n->type.is_syscall = true;
		return 0;
	default:
		break;
	}
	return 0;
}
