// SPDX-License-Identifier: GPL-2.0
/*
 * lower: maps.  Each map is a BTF-defined map named AT_<name> (bpftrace's
 * names), with key and value structs laid out as src/mapdesc.h says, so
 * the map printer can read them back.
 */
#include <stdlib.h>
#include <string.h>

#include "lower_impl.h"

static const char *value_ctype(const struct map_desc *m, char *buf, size_t len)
{
	switch (m->kind) {
	case MAP_VALUE:
		snprintf(buf, len, "struct AT_%s_val", m->name);
		break;
	case MAP_MIN:
	case MAP_MAX:
		snprintf(buf, len, "struct pt_minmax");
		break;
	case MAP_AVG:
	case MAP_STATS:
		snprintf(buf, len, "struct pt_avg");
		break;
	default:
		snprintf(buf, len, "__u64");
		break;
	}
	return buf;
}

/* Fields as struct members: ints 8 bytes, strings padded to 8. */
static void struct_fields(struct strbuf *out, const char *prefix, const struct map_field *f,
			  size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (f[i].type.kind != TYPE_STR) {
			sb_printf(out, "\t%s %s%zu;\n", val_ctype(&f[i].type), prefix, i);
			continue;
		}
		sb_printf(out, "\tchar %s%zu[%u];\n", prefix, i, f[i].size);
		if (f[i].size % 8)
			sb_printf(out, "\tchar %s%zu_pad[%u];\n", prefix, i, 8 - f[i].size % 8);
	}
}

void lower_map_defs(const struct checked *c, struct strbuf *out)
{
	char vt[96];

	for (size_t i = 0; i < c->nmaps; i++) {
		const struct map_desc *m = &c->maps[i];

		sb_printf(out, "\n/* @%s: %s */\nstruct AT_%s_key {\n", m->name,
			  m->kind == MAP_VALUE ? "values" : m->percpu ? "an aggregation, per CPU" : "",
			  m->name);
		if (m->nkeys)
			struct_fields(out, "k", m->keys, m->nkeys);
		else
			sb_puts(out, "\t__u64 k0;\t/* no key: always 0 */\n");
		if (m->kind == MAP_HIST || m->kind == MAP_LHIST)
			sb_puts(out, "\t__u64 bucket;\n");
		sb_puts(out, "};\n");
		if (m->kind == MAP_VALUE) {
			sb_printf(out, "struct AT_%s_val {\n", m->name);
			struct_fields(out, "v", m->values, m->nvalues);
			sb_puts(out, "};\n");
		}
		sb_printf(out, "_Static_assert(sizeof(struct AT_%s_key) == %u, \"key layout\");\n",
			  m->name, m->key_size);
		sb_printf(out, "struct {\n\t__uint(type, BPF_MAP_TYPE_%s);\n\t__uint(max_entries, %u);\n"
			  "\t__type(key, struct AT_%s_key);\n\t__type(value, %s);\n} AT_%s SEC(\".maps\");\n",
			  m->percpu ? "PERCPU_HASH" : "HASH", m->max_entries, m->name,
			  value_ctype(m, vt, sizeof(vt)), m->name);
	}
}

/* Declare and fill key __k<N> for the element @mapn names; returns N. */
static int lower_key(struct lower *l, const struct ast *mapn)
{
	const struct map_desc *m = &l->c->maps[mapn->u.map.id];
	const struct ast_list *keys = &mapn->u.map.keys;
	struct strbuf x;
	char dst[48], type[96];
	int k = lower_tmp(l);

	/* Values of keys are computed first: they may need statements of their own. */
	snprintf(dst, sizeof(dst), "__k%d", k);
	snprintf(type, sizeof(type), "struct AT_%s_key", m->name);
	decl_buf(l, type, dst, m->key_size);
	line(l, "__builtin_memset(__k%d, 0, %u);", k, m->key_size);
	for (size_t i = 0; i < keys->n; i++) {
		if (m->keys[i].type.kind == TYPE_STR) {
			snprintf(dst, sizeof(dst), "__k%d->k%zu", k, i);
			lower_str_into(l, keys->v[i], dst, m->keys[i].size);
			continue;
		}
		sb_init(&x);
		lower_int(l, keys->v[i], &x);
		line(l, "__k%d->k%zu = %s;", k, i, x.buf);
		sb_free(&x);
	}
	return k;
}

/* The update of one aggregation's per-CPU value *__v<v> with the value __x<x>. */
static void agg_update(struct lower *l, const struct map_desc *m, int v, int x)
{
	switch (m->kind) {
	case MAP_COUNT:
	case MAP_HIST:
	case MAP_LHIST:
		line(l, "*__v%d += 1;", v);
		break;
	case MAP_SUM:
		line(l, "*__v%d += __x%d;", v, x);
		break;
	case MAP_MIN:
	case MAP_MAX:
		line(l, "if (!__v%d->set || __x%d %c __v%d->value) {", v, x,
		     m->kind == MAP_MIN ? '<' : '>', v);
		line(l, "\t__v%d->value = __x%d;", v, x);
		line(l, "\t__v%d->set = 1;", v);
		line(l, "}");
		break;
	case MAP_AVG:
	case MAP_STATS:
		line(l, "__v%d->total += __x%d;", v, x);
		line(l, "__v%d->count += 1;", v);
		break;
	case MAP_VALUE:
		break;
	}
}

static void lower_agg(struct lower *l, const struct ast *stmt)
{
	const struct ast *lhs = stmt->u.assign.lhs, *call = stmt->u.assign.rhs;
	const struct map_desc *m = &l->c->maps[lhs->u.map.id];
	struct strbuf x;
	char vt[96];
	int k, v, xi = -1;

	line(l, "{");
	l->depth++;
	if (call->u.call.args.n) {
		sb_init(&x);
		lower_int(l, call->u.call.args.v[0], &x);
		xi = lower_tmp(l);
		line(l, "__s64 __x%d = %s;", xi, x.buf);
		sb_free(&x);
	}
	k = lower_key(l, lhs);
	if (m->kind == MAP_HIST)
		line(l, "__k%d->bucket = pt_hist_bucket(__x%d);", k, xi);
	else if (m->kind == MAP_LHIST)
		line(l, "__k%d->bucket = pt_lhist_bucket(__x%d, %lldLL, %lldLL, %lldLL);", k, xi,
		     (long long)m->lhist_min, (long long)m->lhist_max, (long long)m->lhist_step);
	v = lower_tmp(l);
	value_ctype(m, vt, sizeof(vt));
	line(l, "%s *__v%d = bpf_map_lookup_elem(&AT_%s, __k%d);", vt, v, m->name, k);
	line(l, "if (!__v%d) {", v);
	line(l, "\t%s __z%d;", vt, v);
	line(l, "\t__builtin_memset(&__z%d, 0, sizeof(__z%d));", v, v);
	line(l, "\tpt_map_insert(&AT_%s, __k%d, &__z%d, %d);", m->name, k, v, lhs->u.map.id);
	line(l, "\t__v%d = bpf_map_lookup_elem(&AT_%s, __k%d);", v, m->name, k);
	line(l, "}");
	line(l, "if (__v%d) {", v);
	l->depth++;
	agg_update(l, m, v, xi);
	l->depth--;
	line(l, "}");
	l->depth--;
	line(l, "}");
}

/* The current integer value of an element into __r<N>, 0 when missing; returns N. */
static int read_int(struct lower *l, const struct ast *mapn, int k)
{
	const struct map_desc *m = &l->c->maps[mapn->u.map.id];
	int r = lower_tmp(l);

	line(l, "struct AT_%s_val *__p%d = bpf_map_lookup_elem(&AT_%s, __k%d);", m->name, r,
	     m->name, k);
	line(l, "%s __r%d = __p%d ? __p%d->v0 : 0;", val_ctype(&m->values[0].type), r, r, r);
	return r;
}

static void write_int(struct lower *l, const struct ast *mapn, int k, const char *val)
{
	const struct map_desc *m = &l->c->maps[mapn->u.map.id];
	int w = lower_tmp(l);

	line(l, "struct AT_%s_val __w%d = { .v0 = %s };", m->name, w, val);
	line(l, "pt_map_update(&AT_%s, __k%d, &__w%d, %d);", m->name, k, w, mapn->u.map.id);
}

static const char *op_c(int op)
{
	static char one[2];

	if (op == OP_SHL)
		return "<<";
	if (op == OP_SHR)
		return ">>";
	one[0] = (char)op;
	return one;
}

void lower_map_assign(struct lower *l, const struct ast *stmt)
{
	const struct ast *lhs = stmt->u.assign.lhs, *rhs = stmt->u.assign.rhs;
	const struct map_desc *m = &l->c->maps[lhs->u.map.id];
	struct strbuf x, val;
	char dst[48], type[96];
	int k, r, w;

	if (m->kind != MAP_VALUE) {
		lower_agg(l, stmt);
		return;
	}
	line(l, "{");
	l->depth++;
	sb_init(&x);
	if (!m->tuple && m->values[0].type.kind == TYPE_INT)
		lower_int(l, rhs, &x);
	k = lower_key(l, lhs);
	if (stmt->u.assign.op != '=') {
		sb_init(&val);
		r = read_int(l, lhs, k);
		/* Compound assignment follows the operators' own lowering for / and %. */
		if ((stmt->u.assign.op == '/' || stmt->u.assign.op == '%') &&
		    m->values[0].type.is_signed)
			sb_printf(&val, "pt_s%s(__r%d, %s)", stmt->u.assign.op == '/' ? "div" : "mod",
				  r, x.buf);
		else
			sb_printf(&val, "__r%d %s (%s)", r, op_c(stmt->u.assign.op), x.buf);
		write_int(l, lhs, k, val.buf);
		sb_free(&val);
	} else if (!m->tuple && m->values[0].type.kind == TYPE_INT) {
		write_int(l, lhs, k, x.buf);
	} else {
		/* Strings and tuples are filled into a zeroed value. */
		w = lower_tmp(l);
		snprintf(dst, sizeof(dst), "__w%d", w);
		snprintf(type, sizeof(type), "struct AT_%s_val", m->name);
		decl_buf(l, type, dst, m->value_size);
		line(l, "__builtin_memset(__w%d, 0, %u);", w, m->value_size);
		if (m->tuple) {
			snprintf(dst, sizeof(dst), "(char *)__w%d", w);
			lower_tuple_into(l, rhs, dst, &m->tuple_type);
		} else {
			snprintf(dst, sizeof(dst), "__w%d->v0", w);
			lower_str_into(l, rhs, dst, m->values[0].size);
		}
		line(l, "pt_map_update(&AT_%s, __k%d, __w%d, %d);", m->name, k, w, lhs->u.map.id);
	}
	sb_free(&x);
	l->depth--;
	line(l, "}");
}

void lower_map_incdec(struct lower *l, const struct ast *n, struct strbuf *e)
{
	const struct ast *mapn = n->u.op.lhs;
	char val[48];
	int k, r;

	k = lower_key(l, mapn);
	r = read_int(l, mapn, k);
	snprintf(val, sizeof(val), "__r%d %c 1", r, n->u.op.op == OP_INC ? '+' : '-');
	write_int(l, mapn, k, val);
	if (n->u.op.post)
		sb_printf(e, "__r%d", r);
	else
		sb_printf(e, "(__r%d %c 1)", r, n->u.op.op == OP_INC ? '+' : '-');
}

void lower_map_read_int(struct lower *l, const struct ast *n, struct strbuf *e)
{
	int r = read_int(l, n, lower_key(l, n));

	sb_printf(e, "__r%d", r);
}

int lower_map_lookup(struct lower *l, const struct ast *n)
{
	const struct map_desc *m = &l->c->maps[n->u.map.id];
	int k = lower_key(l, n), r = lower_tmp(l);

	line(l, "struct AT_%s_val *__p%d = bpf_map_lookup_elem(&AT_%s, __k%d);", m->name, r,
	     m->name, k);
	return r;
}

void lower_map_read_str(struct lower *l, const struct ast *n, const char *dst, unsigned int size)
{
	const struct map_desc *m = &l->c->maps[n->u.map.id];
	int k = lower_key(l, n), r = lower_tmp(l);
	unsigned int fsize = m->values[0].size;

	line(l, "struct AT_%s_val *__p%d = bpf_map_lookup_elem(&AT_%s, __k%d);", m->name, r,
	     m->name, k);
	line(l, "if (__p%d)", r);
	line(l, "\t__builtin_memcpy(%s, __p%d->v0, %u);", dst, r, size < fsize ? size : fsize);
	line(l, "else");
	line(l, "\t%s[0] = 0;", dst);
}

void lower_map_delete(struct lower *l, const struct ast *mapn)
{
	int k;

	line(l, "{");
	l->depth++;
	k = lower_key(l, mapn);
	line(l, "bpf_map_delete_elem(&AT_%s, __k%d);", l->c->maps[mapn->u.map.id].name, k);
	l->depth--;
	line(l, "}");
}
