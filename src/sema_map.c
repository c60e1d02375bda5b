// SPDX-License-Identifier: GPL-2.0
/*
 * sema: maps.  A map's kind (plain values or an aggregation), its key and its
 * value types are fixed by its uses; every use must agree with the others.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sema_impl.h"
#include "suggest.h"

/* The kernel's own limit on maps per program is 64; three are ptrace1's. */
#define MAX_MAPS 60

static const char *const kind_names[] = {
	[MAP_VALUE] = "assigned values",
	[MAP_COUNT] = "count()",
	[MAP_SUM] = "sum()",
	[MAP_MIN] = "min()",
	[MAP_MAX] = "max()",
	[MAP_AVG] = "avg()",
	[MAP_STATS] = "stats()",
	[MAP_HIST] = "hist()",
	[MAP_LHIST] = "lhist()",
};

struct map_desc *map_lookup(struct sema *s, struct ast *n)
{
	struct checked *c = s->c;
	struct map_desc *m;
	void *v;

	for (size_t i = 0; i < c->nmaps; i++) {
		if (!strcmp(c->maps[i].name, n->u.map.name)) {
			n->u.map.id = (int)i;
			return &c->maps[i];
		}
	}
	if (c->nmaps == MAX_MAPS) {
		if (!s->too_many_maps)
			diag_error(s->d, n->loc, "a program has at most %d maps", MAX_MAPS);
		s->too_many_maps = s->final;
		return NULL;
	}
	v = realloc(c->maps, (c->nmaps + 1) * sizeof(*c->maps));
	if (!v)
		goto nomem;
	c->maps = v;
	v = realloc(s->mstate, (c->nmaps + 1) * sizeof(*s->mstate));
	if (!v)
		goto nomem;
	s->mstate = v;
	memset(&s->mstate[c->nmaps], 0, sizeof(*s->mstate));
	m = &c->maps[c->nmaps];
	memset(m, 0, sizeof(*m));
	m->name = n->u.map.name;
	m->max_entries = c->opts.map_keys_max;
	n->u.map.id = (int)c->nmaps++;
	return m;
nomem:
	s->nomem = 1;
	return NULL;
}

/* "did you mean" among the maps that are assigned. */
static void suggest_map(struct sema *s, const char *name)
{
	const char *cands[256], *best;
	size_t n = 0;

	for (size_t i = 0; i < s->c->nmaps && n < 256; i++) {
		if (s->mstate[i].kind_set)
			cands[n++] = s->c->maps[i].name;
	}
	best = suggest_best(name, cands, n);
	if (best)
		diag_hint(s->d, "did you mean @%s?", best);
}

static void map_label(const struct map_desc *m, char *buf, size_t len)
{
	snprintf(buf, len, "@%s", m->name);
}

/* Check the key expressions of @n and make them agree with the map's key. */
int check_map_keys(struct sema *s, struct ast *n)
{
	struct map_desc *m = map_lookup(s, n);
	struct ast_list *keys = &n->u.map.keys;
	struct map_state *st;
	struct map_field *f;
	char name[80];
	int err = 0;

	if (!m)
		return s->nomem ? -ENOMEM : -EINVAL;
	st = &s->mstate[n->u.map.id];
	/* @m[(a, b)] is @m[a, b]. */
	if (keys->n == 1 && keys->v[0]->kind == AST_TUPLE)
		*keys = keys->v[0]->u.tuple;
	for (size_t i = 0; i < keys->n; i++) {
		err = check_expr(s, &keys->v[i]) ?: err;
		if (!err && keys->v[i]->type.kind != TYPE_INT && keys->v[i]->type.kind != TYPE_STR) {
			diag_error(s->d, keys->v[i]->loc, "a key is an integer or a string, not %s",
				   type_name(&keys->v[i]->type));
			err = -EINVAL;
		}
	}
	if (err)
		return err;
	map_label(m, name, sizeof(name));
	if (!st->keys_set) {
		m->keys = calloc(keys->n ? keys->n : 1, sizeof(*m->keys));
		if (!m->keys) {
			s->nomem = 1;
			return -ENOMEM;
		}
		m->nkeys = keys->n;
		for (size_t i = 0; i < keys->n; i++)
			m->keys[i].type = keys->v[i]->type;
		st->keys_set = true;
		return 0;
	}
	if (keys->n != m->nkeys) {
		if (!m->nkeys)
			diag_error(s->d, n->loc, "%s was used without a key; here it has %zu", name,
				   keys->n);
		else
			diag_error(s->d, n->loc, "%s was used with %zu key%s; here it has %zu", name,
				   m->nkeys, m->nkeys == 1 ? "" : "s", keys->n);
		return -EINVAL;
	}
	for (size_t i = 0; i < keys->n; i++) {
		const struct type *t = &keys->v[i]->type;

		f = &m->keys[i];
		if (t->kind != f->type.kind) {
			diag_error(s->d, keys->v[i]->loc, "%s's key%s%.0zu is %s, but here it is %s",
				   name, m->nkeys > 1 ? " " : "", m->nkeys > 1 ? i + 1 : 0,
				   type_name(&f->type), type_name(t));
			return -EINVAL;
		}
		if (t->kind == TYPE_STR && t->size > f->type.size)
			f->type.size = t->size;
	}
	return 0;
}

/*
 * The map's value: one field, or a tuple's elements as fields.  tuple_type
 * keeps the whole value type (a plain int or string too), so that later
 * assignments unify with it.
 */
static int set_values(struct sema *s, struct map_desc *m, const struct type *val)
{
	size_t n = val->kind == TYPE_TUPLE ? val->tuple->n : 1;
	struct map_field *f = calloc(n, sizeof(*f));

	if (!f) {
		s->nomem = 1;
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		f[i].type = val->kind == TYPE_TUPLE ? val->tuple->elems[i] : *val;
	free(m->values);
	m->values = f;
	m->nvalues = n;
	m->tuple = val->kind == TYPE_TUPLE;
	m->tuple_type = *val;
	return 0;
}

/* Fix the map's kind at its first assignment; later ones must agree. */
static int set_kind(struct sema *s, struct ast *mapn, enum map_kind kind, const struct type *val,
		    struct loc loc)
{
	struct map_desc *m = &s->c->maps[mapn->u.map.id];
	struct map_state *st = &s->mstate[mapn->u.map.id];
	struct type u;
	char name[80];

	map_label(m, name, sizeof(name));
	if (!st->kind_set) {
		m->kind = kind;
		m->percpu = kind != MAP_VALUE;
		st->kind_set = true;
		st->first = loc;
		return set_values(s, m, val);
	}
	if (m->kind != kind) {
		diag_error(s->d, loc, "%s holds %s; it cannot also hold %s", name,
			   kind_names[m->kind], kind_names[kind]);
		if (s->final)
			diag_note(s->d, st->first, "%s was first given %s here", name, kind_names[m->kind]);
		return -EINVAL;
	}
	if (kind != MAP_VALUE)
		return 0;
	if (type_unify(s, &m->tuple_type, val, &u)) {
		if (s->nomem)
			return -ENOMEM;
		diag_error(s->d, loc, "%s holds %s; it cannot be assigned %s", name,
			   type_name(&m->tuple_type), type_name(val));
		return -EINVAL;
	}
	return set_values(s, m, &u);
}

int check_map_read(struct sema *s, struct ast *n)
{
	struct map_desc *m;
	char name[80];
	int err;

	err = check_map_keys(s, n);
	if (err)
		return err;
	m = &s->c->maps[n->u.map.id];
	map_label(m, name, sizeof(name));
	if (!s->mstate[n->u.map.id].kind_set) {
		if (s->final) {
			diag_error(s->d, n->loc, "%s is read but never assigned", name);
			suggest_map(s, m->name);
		}
		return -EINVAL;
	}
	if (m->kind != MAP_VALUE) {
		diag_error(s->d, n->loc, "%s holds %s, which is kept per CPU: it is printed, not read",
			   name, kind_names[m->kind]);
		diag_hint(s->d, "print(%s) prints it now; maps are printed at exit too", name);
		return -EINVAL;
	}
	n->type = m->tuple_type;
	return 0;
}

static const struct {
	enum func func;
	enum map_kind kind;
	size_t nargs;
} aggs[] = {
	{ FUNC_COUNT, MAP_COUNT, 0 }, { FUNC_SUM, MAP_SUM, 1 }, { FUNC_AVG, MAP_AVG, 1 },
	{ FUNC_MIN, MAP_MIN, 1 }, { FUNC_MAX, MAP_MAX, 1 }, { FUNC_STATS, MAP_STATS, 1 },
	{ FUNC_HIST, MAP_HIST, 1 }, { FUNC_LHIST, MAP_LHIST, 4 },
};

static const char *const agg_names[] = {
	"count", "sum", "avg", "min", "max", "stats", "hist", "lhist",
};

/* lhist(x, min, max, step): the bounds are literals, as bucket labels need them. */
static int check_lhist(struct sema *s, struct ast *call, struct map_desc *m, bool first)
{
	struct ast_list *args = &call->u.call.args;
	int64_t v[3];

	for (int i = 0; i < 3; i++) {
		if (const_int(args->v[i + 1], &v[i])) {
			diag_error(s->d, args->v[i + 1]->loc, "lhist()'s %s must be an integer literal",
				   i == 0 ? "min" : i == 1 ? "max" : "step");
			return -EINVAL;
		}
		args->v[i + 1]->type = int_type(true);
	}
	switch (lhist_check(v[0], v[1], v[2])) {
	case LHIST_OK:
		break;
	case LHIST_STEP:
		diag_error(s->d, args->v[3]->loc, "lhist()'s step must be positive");
		return -EINVAL;
	case LHIST_ORDER:
		diag_error(s->d, args->v[2]->loc, "lhist()'s max must be greater than its min");
		return -EINVAL;
	case LHIST_BUCKETS:
		diag_error(s->d, call->loc, "lhist() would have %llu buckets; at most %d are allowed",
			   (unsigned long long)lhist_inner_buckets(v[0], v[1], v[2]),
			   MAP_LHIST_MAX_BUCKETS);
		return -EINVAL;
	case LHIST_RANGE:
		diag_error(s->d, call->loc, "lhist()'s max - min is %llu; at most %lld is allowed",
			   (unsigned long long)((uint64_t)v[1] - (uint64_t)v[0]),
			   (long long)INT64_MAX);
		return -EINVAL;
	}
	if (first) {
		m->lhist_min = v[0];
		m->lhist_max = v[1];
		m->lhist_step = v[2];
	} else if (m->lhist_min != v[0] || m->lhist_max != v[1] || m->lhist_step != v[2]) {
		diag_error(s->d, call->loc, "@%s's lhist() bounds differ from its first use (%lld, %lld, %lld)",
			   m->name, (long long)m->lhist_min, (long long)m->lhist_max,
			   (long long)m->lhist_step);
		return -EINVAL;
	}
	return 0;
}

static int check_agg(struct sema *s, struct ast *stmt, struct ast *call, size_t a)
{
	struct ast *lhs = stmt->u.assign.lhs;
	struct ast_list *args = &call->u.call.args;
	struct type val = int_type(aggs[a].func != FUNC_COUNT);
	struct map_desc *m;
	bool first;
	int err;

	call->u.call.func = (int)aggs[a].func;
	if (stmt->u.assign.op != '=') {
		diag_error(s->d, stmt->loc, "%s() is assigned with '=', not a compound assignment",
			   agg_names[a]);
		return -EINVAL;
	}
	if (args->n != aggs[a].nargs) {
		diag_error(s->d, call->loc, "%s() takes %zu argument%s, not %zu", agg_names[a],
			   aggs[a].nargs, aggs[a].nargs == 1 ? "" : "s", args->n);
		return -EINVAL;
	}
	if (aggs[a].nargs) {
		err = want_int(s, &args->v[0], agg_names[a]);
		if (err)
			return err;
		val.is_signed = args->v[0]->type.is_signed || aggs[a].func == FUNC_AVG ||
				aggs[a].func == FUNC_STATS;
	}
	err = check_map_keys(s, lhs);
	if (err)
		return err;
	m = &s->c->maps[lhs->u.map.id];
	first = !s->mstate[lhs->u.map.id].kind_set;
	err = set_kind(s, lhs, aggs[a].kind, &val, stmt->loc);
	if (!err && aggs[a].func == FUNC_LHIST)
		err = check_lhist(s, call, m, first);
	return err;
}

int check_map_assign(struct sema *s, struct ast *stmt)
{
	struct ast *lhs = stmt->u.assign.lhs, **rhs = &stmt->u.assign.rhs;
	struct type val;
	int err;

	if ((*rhs)->kind == AST_CALL) {
		for (size_t a = 0; a < sizeof(aggs) / sizeof(*aggs); a++) {
			if (!strcmp((*rhs)->u.call.name, agg_names[a]))
				return check_agg(s, stmt, *rhs, a);
		}
	}
	if (stmt->u.assign.op != '=')
		err = want_int(s, rhs, "a compound assignment");
	else
		err = check_expr(s, rhs);
	err = check_map_keys(s, lhs) ?: err;
	if (err)
		return err;
	val = (*rhs)->type;
	if (val.kind == TYPE_NONE) {
		diag_error(s->d, (*rhs)->loc, "this has no value to assign");
		return -EINVAL;
	}
	err = set_kind(s, lhs, MAP_VALUE, &val, stmt->loc);
	if (!err)
		lhs->type = s->c->maps[lhs->u.map.id].tuple_type;
	return err;
}

int check_map_incdec(struct sema *s, struct ast *n)
{
	struct ast *lhs = n->u.op.lhs;
	struct type val = int_type(true);
	int err;

	err = check_map_keys(s, lhs);
	if (!err)
		err = set_kind(s, lhs, MAP_VALUE, &val, n->loc);
	if (err)
		return err;
	lhs->type = s->c->maps[lhs->u.map.id].tuple_type;
	if (lhs->type.kind != TYPE_INT) {
		diag_error(s->d, n->loc, "'%s' needs an integer", n->u.op.op == OP_INC ? "++" : "--");
		return -EINVAL;
	}
	n->type = lhs->type;
	return 0;
}

static unsigned int layout_fields(struct map_field *f, size_t n)
{
	unsigned int off = 0;

	for (size_t i = 0; i < n; i++) {
		f[i].offset = off;
		f[i].size = f[i].type.kind == TYPE_STR ? f[i].type.size : 8;
		off += (f[i].size + 7) & ~7u;
	}
	return off;
}

void layout_maps(struct checked *c)
{
	for (size_t i = 0; i < c->nmaps; i++) {
		struct map_desc *m = &c->maps[i];

		m->user_key_size = m->nkeys ? layout_fields(m->keys, m->nkeys) : 8;
		m->key_size = m->user_key_size;
		if (m->kind == MAP_HIST || m->kind == MAP_LHIST)
			m->key_size += 8;
		switch (m->kind) {
		case MAP_VALUE:
			m->value_size = layout_fields(m->values, m->nvalues);
			break;
		case MAP_MIN:
		case MAP_MAX:
			m->value_size = sizeof(struct map_minmax);
			break;
		case MAP_AVG:
		case MAP_STATS:
			m->value_size = sizeof(struct map_avg);
			break;
		default:
			m->value_size = 8;
			break;
		}
		if (m->nvalues)
			layout_fields(m->values, m->nvalues);
	}
}
