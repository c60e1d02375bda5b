// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sema_impl.h"
#include "suggest.h"

/* Each probe is a program to load and attach: beyond this, a mistake more than a plan. */
#define MAX_PROBES 1024

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
	[BUILTIN_ELAPSED] = { "elapsed", { .kind = TYPE_INT } },
	[BUILTIN_PROBE] = { "probe", { .kind = TYPE_STR } },
};
#define NBUILTINS (sizeof(builtins) / sizeof(*builtins))

const char *builtin_name(enum builtin b)
{
	return builtins[b].name;
}

const char *sema_builtin_at(size_t i)
{
	return i < NBUILTINS ? builtins[i].name : NULL;
}

const char *type_name(const struct type *t)
{
	switch (t->kind) {
	case TYPE_INT:
		return "an integer";
	case TYPE_STR:
		return "a string";
	case TYPE_TUPLE:
		return "a tuple";
	case TYPE_NONE:
		break;
	}
	return "nothing";
}

int tuple_make(struct sema *s, const struct type *elems, size_t n, struct type *out)
{
	struct program *prog = s->c->prog;
	struct tuple_type *t = prog_alloc(prog, sizeof(*t));
	unsigned int off = 0;

	if (!t || !(t->elems = prog_alloc(prog, n * sizeof(*t->elems))) ||
	    !(t->offsets = prog_alloc(prog, n * sizeof(*t->offsets)))) {
		s->nomem = 1;
		return -ENOMEM;
	}
	t->n = n;
	for (size_t i = 0; i < n; i++) {
		t->elems[i] = elems[i];
		t->offsets[i] = off;
		off += elems[i].kind == TYPE_STR ? (elems[i].size + 7) & ~7u : 8;
	}
	*out = (struct type){ .kind = TYPE_TUPLE, .size = off, .tuple = t };
	return 0;
}

int type_unify(struct sema *s, const struct type *a, const struct type *b, struct type *out)
{
	struct type elems[64];

	if (a->kind != b->kind)
		return -EINVAL;
	*out = *a;
	switch (a->kind) {
	case TYPE_STR:
		out->size = a->size > b->size ? a->size : b->size;
		return 0;
	case TYPE_INT:
		out->is_signed = a->is_signed || b->is_signed;
		out->strptr = a->strptr == b->strptr ? a->strptr : AS_NONE;
		out->is_syscall = a->is_syscall && b->is_syscall;
		return 0;
	case TYPE_TUPLE:
		if (a->tuple->n != b->tuple->n || a->tuple->n > 64)
			return -EINVAL;
		for (size_t i = 0; i < a->tuple->n; i++) {
			if (type_unify(s, &a->tuple->elems[i], &b->tuple->elems[i], &elems[i]))
				return -EINVAL;
		}
		return tuple_make(s, elems, a->tuple->n, out);
	case TYPE_NONE:
		break;
	}
	return 0;
}

static int check_tuple(struct sema *s, struct ast *n)
{
	struct ast_list *l = &n->u.tuple;
	struct type elems[64];
	int err = 0;

	if (l->n > 64) {
		diag_error(s->d, n->loc, "a tuple has at most 64 elements");
		return -EINVAL;
	}
	for (size_t i = 0; i < l->n; i++) {
		err = check_expr(s, &l->v[i]) ?: err;
		if (err)
			continue;
		if (l->v[i]->type.kind != TYPE_INT && l->v[i]->type.kind != TYPE_STR) {
			diag_error(s->d, l->v[i]->loc, "a tuple holds integers and strings, not %s",
				   type_name(&l->v[i]->type));
			err = -EINVAL;
		}
		elems[i] = l->v[i]->type;
	}
	return err ?: tuple_make(s, elems, l->n, &n->type);
}

static const char *probe_label(const struct sema_probe *p, char *buf, size_t len)
{
	if (p->probe.kind == PROBE_TRACEPOINT)
		snprintf(buf, len, "%s:%s", p->probe.cat, p->probe.ev);
	else
		snprintf(buf, len, "%s", p->probe.name);
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
	struct tp_format *fmt = p->kind == PROBE_TRACEPOINT ? find_format(s, p) : NULL;
	void *v;
	int err;

	if (!fmt && p->kind == PROBE_TRACEPOINT) {
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
	/* Doubling: a glob adds thousands of probes one at a time. */
	if (c->nprobes == c->probes_cap) {
		size_t cap = c->probes_cap ? c->probes_cap * 2 : 16;

		v = realloc(c->probes, cap * sizeof(*c->probes));
		if (!v)
			return -ENOMEM;
		c->probes = v;
		c->probes_cap = cap;
	}
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
				dup |= !strcmp(s->c->probes[k].probe.name, v[j].name);
			if (!dup)
				err = add_probe(s, &v[j], action, a->probes[i].loc);
		}
		free(v);
		if (err)
			return err;
	}
	/* No probe resolved at all leaves c->probes NULL: no arithmetic on it. */
	s->probes = s->c->probes ? s->c->probes + first : NULL;
	s->nprobes = s->c->nprobes - first;
	return 0;
}

/* --- expressions ------------------------------------------------------- */

struct type int_type(bool is_signed)
{
	return (struct type){ .kind = TYPE_INT, .is_signed = is_signed };
}

int wrap_str(struct sema *s, struct ast **slot)
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

int want_int(struct sema *s, struct ast **slot, const char *what)
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

/* "did you mean" a field (or, for a bare name, a builtin); else the list of fields. */
static void list_fields(struct sema *s, const struct sema_probe *p, const char *name, bool bare)
{
	const char *cands[256 + NBUILTINS];
	struct strbuf sb;
	size_t n = 0, nfields;
	const char *best;

	for (size_t i = 0; i < p->fmt->nfields && n < 256; i++) {
		if (!p->fmt->fields[i].is_common)
			cands[n++] = p->fmt->fields[i].name;
	}
	nfields = n;
	for (size_t i = 0; bare && i < NBUILTINS; i++)
		cands[n++] = builtins[i].name;
	best = suggest_best(name, cands, n);
	if (best) {
		diag_hint(s->d, "did you mean '%s'?", best);
		return;
	}
	n = nfields;
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
		const struct tp_field *f;

		if (!p->fmt) {
			if (bare)
				diag_error(s->d, n->loc, "unknown identifier '%s'", name);
			else
				diag_error(s->d, n->loc, "%s has no arguments", p->probe.name);
			return -EINVAL;
		}
		f = tpfmt_field(p->fmt, name);
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
			list_fields(s, p, name, bare);
			return -EINVAL;
		}
		if (field_type(p, f, &t, s->c->opts.strlen)) {
			diag_error(s->d, n->loc, "field '%s' of %s has type '%s', which is not supported yet",
				   name, probe_label(p, a, sizeof(a)), f->ctype);
			return -EINVAL;
		}
		/* An artifact checks these against the kernel it runs on. */
		p->fmt->fields[f - p->fmt->fields].used = true;
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
		if (i == BUILTIN_PROBE) {
			/* The longest name of the action's probes: each is a literal. */
			for (size_t j = 0; j < s->nprobes; j++) {
				unsigned int len = (unsigned int)strlen(s->probes[j].probe.name) + 1;

				if (len > n->type.size)
					n->type.size = len;
			}
		}
		return 0;
	}
	if (!strcmp(name, "retval")) {
		/* bpftrace's kretprobe word, for the sys_exit_* tracepoints' ret. */
		for (size_t j = 0; j < s->nprobes; j++) {
			if (!s->probes[j].fmt || !tpfmt_field(s->probes[j].fmt, "ret")) {
				diag_error(s->d, n->loc, "retval is the return value of sys_exit_* tracepoints; %s has none",
					   s->probes[j].probe.name);
				return -EINVAL;
			}
		}
		n->u.ident.name = "ret";
		n->u.ident.kind = IDENT_ARG;
		return check_field(s, n, "ret", true);
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
	int err;

	if (base->kind == AST_IDENT && !strcmp(base->u.ident.name, "args")) {
		base->u.ident.kind = IDENT_ARGS;
		return check_field(s, n, n->u.field.name, false);
	}
	err = check_expr(s, &n->u.field.base);
	if (err)
		return err;
	if (base->type.kind == TYPE_TUPLE && !n->u.field.arrow) {
		char *end;
		unsigned long i = strtoul(n->u.field.name, &end, 10);

		if (*end || i >= base->type.tuple->n) {
			diag_error(s->d, n->loc, "this tuple has elements .0 to .%zu",
				   base->type.tuple->n - 1);
			return -EINVAL;
		}
		n->type = base->type.tuple->elems[i];
		return 0;
	}
	diag_error(s->d, n->loc, "only args and tuples have fields");
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
	if ((op == OP_EQ || op == OP_NE) &&
	    ((*l)->type.kind == TYPE_TUPLE || (*r)->type.kind == TYPE_TUPLE)) {
		diag_error(s->d, n->loc, "'%s' compares integers or strings, not tuples", op_text(op));
		diag_hint(s->d, "compare their elements: $a.0 == $b.0");
		return -EINVAL;
	}
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
		bool left = (*l)->type.kind != TYPE_INT;

		diag_error(s->d, n->loc, "%s expects integers, but %s is %s", what,
			   left ? "the left side" : "the right side",
			   type_name(left ? &(*l)->type : &(*r)->type));
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

int const_int(const struct ast *n, int64_t *v)
{
	if (n->kind == AST_INT) {
		*v = n->u.ival;
		return 0;
	}
	if (n->kind == AST_UNARY && n->u.op.op == '-' && n->u.op.lhs->kind == AST_INT) {
		/* Negated as unsigned: the literal 9223372036854775808 wrapped to INT64_MIN. */
		*v = (int64_t)(0 - (uint64_t)n->u.op.lhs->u.ival);
		return 0;
	}
	return -EINVAL;
}

/* --- variables and parameters ---------------------------------------- */

static struct sema_var *var_find(struct sema *s, const char *name)
{
	for (size_t i = 0; i < s->nvars; i++) {
		if (!strcmp(s->vars[i].name, name))
			return &s->vars[i];
	}
	return NULL;
}

static int check_var_read(struct sema *s, struct ast *n)
{
	struct sema_var *v = var_find(s, n->u.ident.name);

	if (!v) {
		diag_error(s->d, n->loc, "variable %s is used before it is assigned", n->u.ident.name);
		return -EINVAL;
	}
	n->type = v->type;
	return 0;
}

/* $x = e: the first assignment in an action gives $x its type. */
static int check_var_assign(struct sema *s, struct ast *lhs, struct ast *rhs)
{
	struct sema_var *v = var_find(s, lhs->u.ident.name);
	struct type u;
	void *nv;

	if (!v) {
		nv = realloc(s->vars, (s->nvars + 1) * sizeof(*s->vars));
		if (!nv) {
			s->nomem = 1;
			return -ENOMEM;
		}
		s->vars = nv;
		v = &s->vars[s->nvars++];
		v->name = lhs->u.ident.name;
		v->type = rhs->type;
	} else if (type_unify(s, &v->type, &rhs->type, &u) ||
		   /* Reads before this one used the old offsets: a tuple keeps its layout. */
		   (u.kind == TYPE_TUPLE && u.size != v->type.size)) {
		if (s->nomem)
			return -ENOMEM;
		if (v->type.kind == TYPE_TUPLE && rhs->type.kind == TYPE_TUPLE)
			diag_error(s->d, rhs->loc, "%s cannot hold this tuple: its elements differ from those of %s's first value",
				   lhs->u.ident.name, lhs->u.ident.name);
		else
			diag_error(s->d, rhs->loc, "%s holds %s; it cannot be assigned %s",
				   lhs->u.ident.name, type_name(&v->type), type_name(&rhs->type));
		if (u.kind == TYPE_TUPLE)
			diag_hint(s->d, "a tuple variable keeps the kinds of its elements and the sizes of its strings");
		return -EINVAL;
	} else {
		v->type = u;
	}
	lhs->type = v->type;
	return 0;
}

/* $1, $2: the words after the program, numbers as integers, else strings. */
static int check_posparam(struct sema *s, struct ast *n)
{
	int64_t i = n->u.ival;
	const char *w;
	char *end;
	long long v;

	if (i < 1 || (uint64_t)i > s->c->opts.nparams) {
		diag_error(s->d, n->loc, "positional parameter $%lld was not given", (long long)i);
		diag_hint(s->d, "give it after the program: ptrace1 -e 'PROGRAM' VALUE...");
		return -EINVAL;
	}
	w = s->c->opts.params[i - 1];
	errno = 0;
	v = strtoll(w, &end, 0);
	if (*w && !*end && !errno) {
		n->kind = AST_INT;
		n->u.ival = v;
		n->type = int_type(true);
		return 0;
	}
	n->kind = AST_STR;
	n->u.str.bytes = prog_strndup(s->c->prog, w, strlen(w));
	if (!n->u.str.bytes) {
		s->nomem = 1;
		return -ENOMEM;
	}
	n->u.str.len = strlen(w);
	n->type = (struct type){ .kind = TYPE_STR, .size = (unsigned int)n->u.str.len + 1 };
	return 0;
}

int check_expr(struct sema *s, struct ast **slot)
{
	struct ast *n = *slot;
	int err;

	switch (n->kind) {
	case AST_INT:
		n->type = int_type(true);
		return 0;
	case AST_STR:
		n->type = (struct type){ .kind = TYPE_STR, .size = (unsigned int)n->u.str.len + 1 };
		return 0;
	case AST_IDENT:
		return check_ident(s, n);
	case AST_FIELD:
		return check_field_access(s, n);
	case AST_CALL:
		return check_call(s, n, false);
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
		if (n->u.cond.then->type.kind == TYPE_TUPLE) {
			diag_error(s->d, n->loc, "the branches of '?:' must be integers or strings");
			return -EINVAL;
		}
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
		return check_var_read(s, n);
	case AST_POSPARAM:
		return check_posparam(s, n);
	case AST_MAP:
		return check_map_read(s, n);
	case AST_TUPLE:
		return check_tuple(s, n);
	case AST_INCDEC:
		if (n->u.op.lhs->kind == AST_MAP)
			return check_map_incdec(s, n);
		if (n->u.op.lhs->kind != AST_VAR) {
			diag_error(s->d, n->u.op.lhs->loc, "'%s' needs a variable or a map",
				   n->u.op.op == OP_INC ? "++" : "--");
			return -EINVAL;
		}
		err = want_int(s, &n->u.op.lhs, n->u.op.op == OP_INC ? "'++'" : "'--'");
		if (!err)
			n->type = n->u.op.lhs->type;
		return err;
	case AST_EXPR_STMT:
	case AST_ASSIGN:
	case AST_IF:
		break;
	}
	return -EINVAL;
}

/* --- statements -------------------------------------------------------- */

static int check_assign(struct sema *s, struct ast *n)
{
	struct ast *lhs = n->u.assign.lhs;
	int err;

	if (lhs->kind == AST_MAP)
		return check_map_assign(s, n);
	if (lhs->kind != AST_VAR) {
		diag_error(s->d, lhs->loc, "only variables and maps can be assigned to");
		return -EINVAL;
	}
	if (n->u.assign.op != '=') {
		err = check_var_read(s, lhs);
		err = want_int(s, &n->u.assign.rhs, "a compound assignment") ?: err;
		if (!err && lhs->type.kind != TYPE_INT) {
			diag_error(s->d, n->loc, "a compound assignment needs an integer variable");
			err = -EINVAL;
		}
		return err;
	}
	err = check_expr(s, &n->u.assign.rhs);
	if (err)
		return err;
	if (n->u.assign.rhs->type.kind == TYPE_NONE) {
		diag_error(s->d, n->u.assign.rhs->loc, "this has no value to assign");
		return -EINVAL;
	}
	return check_var_assign(s, lhs, n->u.assign.rhs);
}

static int check_stmts(struct sema *s, struct ast_list *l)
{
	int err = 0, e;

	for (size_t i = 0; i < l->n && !s->nomem; i++) {
		struct ast *n = l->v[i];

		switch (n->kind) {
		case AST_EXPR_STMT:
			if (n->u.expr->kind == AST_CALL) {
				e = check_call(s, n->u.expr, true);
				break;
			}
			e = check_expr(s, &n->u.expr);
			if (!e && n->u.expr->kind != AST_INCDEC)
				diag_warning(s->d, n->loc, "this statement has no effect");
			break;
		case AST_IF:
			e = want_int(s, &n->u.cond.cond, "if");
			e = check_stmts(s, &n->u.cond.then_body) ?: e;
			e = check_stmts(s, &n->u.cond.else_body) ?: e;
			break;
		case AST_ASSIGN:
			e = check_assign(s, n);
			break;
		default:
			e = -EINVAL;
			break;
		}
		if (e == -ENOMEM || s->nomem)
			return -ENOMEM;
		err = e ?: err;
	}
	return err;
}

/* The probes of action @i: contiguous in c->probes. */
static void action_probes(struct sema *s, size_t i)
{
	size_t k = 0;

	while (k < s->c->nprobes && s->c->probes[k].action < i)
		k++;
	s->probes = s->c->probes ? s->c->probes + k : NULL;
	for (s->nprobes = 0; k + s->nprobes < s->c->nprobes &&
	     s->c->probes[k + s->nprobes].action == i; s->nprobes++)
		;
}

static int check_actions(struct sema *s)
{
	struct program *prog = s->c->prog;
	int err;

	for (size_t i = 0; i < prog->nactions; i++) {
		struct action *a = prog->actions[i];

		action_probes(s, i);
		if (!s->nprobes)
			continue;
		s->nvars = 0;
		if (a->pred) {
			err = want_int(s, &a->pred, "a predicate");
			if (err == -ENOMEM || s->nomem)
				return -ENOMEM;
		}
		err = check_stmts(s, &a->body);
		if (err == -ENOMEM)
			return err;
	}
	return 0;
}

static void free_events(struct checked *c)
{
	for (size_t i = 0; i < c->nevents; i++) {
		fmt_free(&c->events[i].fmt);
		free(c->events[i].args);
	}
	free(c->events);
	c->events = NULL;
	c->nevents = 0;
}

/*
 * Two passes.  The first, silent, learns every map's kind, keys and value
 * from its assignments, wherever they are: a map read in one action may be
 * assigned in a later one (opensnoop's @filename[tid]).  The second checks
 * and reports with all of that known.  Checking is idempotent: the only
 * rewrites (implicit str(), $N) are checked again as what they became.
 */
int sema_check(struct program *prog, const struct sema_opts *opts, struct diag *d,
	       struct checked *out)
{
	struct diag quiet = *d;
	struct sema s = { .d = &quiet, .c = out };
	int err;

	memset(out, 0, sizeof(*out));
	out->prog = prog;
	out->opts = *opts;
	if (!prog->nactions) {
		diag_error(d, (struct loc){ 0 }, "the program has no probes");
		return -EINVAL;
	}
	s.d = d;
	for (size_t i = 0; i < prog->nactions; i++) {
		err = resolve_probes(&s, prog->actions[i], i);
		if (err)
			goto out;
		if (out->nprobes > MAX_PROBES) {
			diag_error(d, prog->actions[i]->loc, "the program has %zu probes here; at most %d are allowed",
				   out->nprobes, MAX_PROBES);
			diag_hint(d, "narrow the globs, or list the tracepoints you need");
			err = -EINVAL;
			goto out;
		}
	}
	if (d->errors) {
		err = -EINVAL;
		goto out;
	}
	quiet.muted = true;
	s.d = &quiet;
	err = check_actions(&s);
	if (err)
		goto out;
	free_events(out);
	s.d = d;
	s.final = true;
	err = check_actions(&s);
	if (err)
		goto out;
	layout_maps(out);
	err = d->errors ? -EINVAL : 0;
out:
	free(s.vars);
	free(s.mstate);
	return s.nomem ? -ENOMEM : err;
}

void checked_free(struct checked *c)
{
	for (size_t i = 0; i < c->nfmts; i++)
		tpfmt_free(c->fmts[i]);
	free(c->fmts);
	free_events(c);
	for (size_t i = 0; i < c->nmaps; i++) {
		free(c->maps[i].keys);
		free(c->maps[i].values);
	}
	free(c->maps);
	free(c->probes);
	memset(c, 0, sizeof(*c));
}
