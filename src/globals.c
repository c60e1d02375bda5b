// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btfprint.h"
#include "globals.h"
#include "strbuf.h"
#include "suggest.h"

/* A global of a .rodata section, and the copy of its section being changed. */
struct global {
	const char *name;
	__u32 type;		/* the variable's type, qualifiers included */
	__u32 offset;
	__u32 size;
	size_t sec;		/* index in struct globals.secs */
};

struct section {
	struct bpf_map *map;
	char *data;		/* its initial value, with the --set values */
	size_t size;
	bool changed;
};

struct globals {
	const struct btf *btf;
	struct global *v;
	size_t n;
	struct section *secs;
	size_t nsecs;
};

/*
 * Only a volatile one is read by the program at run time: a const one is
 * folded in.  An array's qualifiers are its elements'.
 */
static bool is_volatile(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t) || btf_is_array(t))) {
		if (btf_is_volatile(t))
			return true;
		t = btf__type_by_id(btf, btf_is_array(t) ? btf_array(t)->type : t->type);
	}
	return false;
}

/* The type's name as C writes it, for messages: pid_t, unsigned int, char[16]. */
static void type_name(const struct btf *btf, __u32 id, struct strbuf *out)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name;

	while (t && btf_is_mod(t))
		t = btf__type_by_id(btf, t->type);
	if (!t) {
		sb_puts(out, "?");
		return;
	}
	name = btf__name_by_offset(btf, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_ARRAY:
		type_name(btf, btf_array(t)->type, out);
		sb_printf(out, "[%u]", btf_array(t)->nelems);
		return;
	case BTF_KIND_PTR:
		type_name(btf, t->type, out);
		sb_puts(out, " *");
		return;
	case BTF_KIND_STRUCT:
		sb_puts(out, "struct ");
		break;
	case BTF_KIND_UNION:
		sb_puts(out, "union ");
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		sb_puts(out, "enum ");
		break;
	default:
		break;
	}
	sb_puts(out, name && *name ? name : "(anonymous)");
}

/* "pid_t pid_filter", "char comm[16]": the declaration, for a hint. */
static void declaration(const struct btf *btf, __u32 id, const char *name, struct strbuf *out)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && btf_is_mod(t)) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (t && btf_is_array(t)) {
		type_name(btf, btf_array(t)->type, out);
		sb_printf(out, " %s[%u]", name, btf_array(t)->nelems);
		return;
	}
	type_name(btf, id, out);
	sb_printf(out, " %s", name);
}

/* "-12", "42", "0x2a": the sign and the magnitude. */
static int parse_number(const char *s, bool *neg, unsigned long long *mag)
{
	char *end;
	int base = 10;

	*neg = *s == '-';
	if (*neg)
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	*mag = strtoull(s, &end, base);
	return errno || *end ? -EINVAL : 0;
}

/* An integer of @size bytes into @buf, in range for its signedness. */
static int parse_int(const char *text, size_t size, bool is_signed, void *buf, char *why,
		     size_t why_len)
{
	unsigned long long mag, umax = size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
	unsigned long long smax = umax >> 1;
	__u64 v;
	bool neg;

	if (is_signed)
		snprintf(why, why_len, "an integer from %lld to %lld", -(long long)smax - 1,
			 (long long)smax);
	else
		snprintf(why, why_len, "an integer from 0 to %llu", umax);
	if (parse_number(text, &neg, &mag))
		return -EINVAL;
	if (!is_signed && neg && mag)
		return -EINVAL;
	if (is_signed && (neg ? mag > smax + 1 : mag > smax))
		return -EINVAL;
	if (!is_signed && mag > umax)
		return -EINVAL;
	v = neg ? -(__u64)mag : (__u64)mag;
	memcpy(buf, &v, size);	/* little endian: the low bytes */
	return 0;
}

static int parse_enum(const struct btf *btf, const struct btf_type *t, const char *text,
		      void *buf, char *why, size_t why_len)
{
	struct strbuf names;
	__u64 v;
	int err;

	for (__u16 i = 0; i < btf_vlen(t); i++) {
		__u32 off = btf_is_enum64(t) ? btf_enum64(t)[i].name_off : btf_enum(t)[i].name_off;

		if (strcmp(btf__name_by_offset(btf, off), text))
			continue;
		v = btf_is_enum64(t) ? btf_enum64_value(&btf_enum64(t)[i])
				     : (__u64)(__s64)btf_enum(t)[i].val;
		memcpy(buf, &v, t->size);
		return 0;
	}
	err = parse_int(text, t->size, btf_kflag(t), buf, why, why_len);
	if (!err)
		return 0;
	sb_init(&names);
	for (__u16 i = 0; i < btf_vlen(t); i++) {
		__u32 off = btf_is_enum64(t) ? btf_enum64(t)[i].name_off : btf_enum(t)[i].name_off;

		sb_printf(&names, "%s%s", i ? ", " : "", btf__name_by_offset(btf, off));
	}
	snprintf(why, why_len, "one of %s, or a number", names.buf ? names.buf : "");
	sb_free(&names);
	return err;
}

int globals_parse(const struct btf *btf, __u32 id, const char *text, void *buf, char *why,
		  size_t why_len)
{
	const struct btf_type *t = btfprint_resolve(btf, &id), *et;
	const struct btf_array *a;
	__u32 eid;
	size_t len;

	if (!t)
		return -EOPNOTSUPP;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		if (btf_int_encoding(t) & BTF_INT_BOOL) {
			snprintf(why, why_len, "true or false");
			if (strcmp(text, "true") && strcmp(text, "1") && strcmp(text, "false") &&
			    strcmp(text, "0"))
				return -EINVAL;
			memset(buf, 0, t->size);
			*(__u8 *)buf = !strcmp(text, "true") || !strcmp(text, "1");
			return 0;
		}
		if (t->size > 8)
			return -EOPNOTSUPP;
		return parse_int(text, t->size, btf_int_encoding(t) & BTF_INT_SIGNED, buf, why,
				 why_len);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return parse_enum(btf, t, text, buf, why, why_len);
	case BTF_KIND_ARRAY:
		a = btf_array(t);
		eid = a->type;
		et = btfprint_resolve(btf, &eid);
		if (!et || !btf_is_int(et) || et->size != 1)
			return -EOPNOTSUPP;
		/* Room for the NUL that ends a C string. */
		snprintf(why, why_len, "a string of at most %u bytes", a->nelems ? a->nelems - 1 : 0);
		len = strlen(text);
		if (len >= a->nelems)
			return -EINVAL;
		memset(buf, 0, a->nelems);
		memcpy(buf, text, len);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int add_section(struct globals *g, struct bpf_map *map)
{
	const struct btf_type *sec = btf__type_by_id(g->btf, bpf_map__btf_value_type_id(map));
	const char *name = sec ? btf__name_by_offset(g->btf, sec->name_off) : NULL;
	const struct btf_var_secinfo *vs;
	struct section *s;
	struct global *v;
	const void *init;
	size_t size;

	/* const globals are in .rodata (and .rodata.*): .data and .bss the program writes. */
	if (!sec || !btf_is_datasec(sec) || strncmp(name, ".rodata", 7))
		return 0;
	init = bpf_map__initial_value(map, &size);
	if (!init)
		return 0;
	s = realloc(g->secs, (g->nsecs + 1) * sizeof(*s));
	v = realloc(g->v, (g->n + btf_vlen(sec)) * sizeof(*v));
	if (s)
		g->secs = s;
	if (v)
		g->v = v;
	if (!s || !v)
		return -ENOMEM;
	s = &g->secs[g->nsecs];
	*s = (struct section){ .map = map, .size = size, .data = malloc(size ? size : 1) };
	if (!s->data)
		return -ENOMEM;
	memcpy(s->data, init, size);
	vs = btf_var_secinfos(sec);
	for (__u16 i = 0; i < btf_vlen(sec); i++) {
		const struct btf_type *var = btf__type_by_id(g->btf, vs[i].type);

		if (!var || !btf_is_var(var) || vs[i].offset + vs[i].size > size)
			continue;
		g->v[g->n++] = (struct global){
			.name = btf__name_by_offset(g->btf, var->name_off),
			.type = var->type,
			.offset = vs[i].offset,
			.size = vs[i].size,
			.sec = g->nsecs,
		};
	}
	g->nsecs++;
	return 0;
}

static int collect(struct globals *g, struct bpf_object *obj)
{
	struct bpf_map *map;
	int err;

	g->btf = bpf_object__btf(obj);
	if (!g->btf)
		return 0;
	bpf_object__for_each_map(map, obj) {
		if (!bpf_map__is_internal(map))
			continue;
		err = add_section(g, map);
		if (err)
			return err;
	}
	return 0;
}

/* The settable ones, and the closest to @name, for an unknown name. */
static void unknown(const struct globals *g, const char *file, const char *name, const char *set)
{
	const char **cands = calloc(g->n ? g->n : 1, sizeof(*cands));
	const char *best;
	struct strbuf list;
	size_t n = 0;

	sb_init(&list);
	for (size_t i = 0; i < g->n; i++) {
		if (!is_volatile(g->btf, g->v[i].type))
			continue;
		sb_printf(&list, "%s%s", n ? ", " : "", g->v[i].name);
		if (cands)
			cands[n] = g->v[i].name;
		n++;
	}
	fprintf(stderr, "ptrace1: --set %s: %s has no settable global '%s'\n", set, file, name);
	best = cands ? suggest_best(name, cands, n) : NULL;
	if (best)
		fprintf(stderr, "hint: did you mean '%s'?\n", best);
	if (n)
		fprintf(stderr, "hint: its const volatile globals: %s\n", list.buf ? list.buf : "");
	else
		fprintf(stderr, "hint: %s has no const volatile globals: declare one as\n"
			"      const volatile int %s = 0;\n", file, name);
	sb_free(&list);
	free(cands);
}

/* One NAME=VALUE; returns 0 or -EINVAL after saying why. */
static int set_one(struct globals *g, const char *file, const char *set)
{
	const char *eq = strchr(set, '='), *value;
	char name[256], why[512];
	struct strbuf tn;
	struct global *v = NULL;
	char *buf;
	int err;

	if (!eq || eq == set || (size_t)(eq - set) >= sizeof(name)) {
		fprintf(stderr, "ptrace1: --set takes NAME=VALUE, not '%s'\n", set);
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(eq - set), set);
	value = eq + 1;
	for (size_t i = 0; i < g->n && !v; i++) {
		if (!strcmp(g->v[i].name, name))
			v = &g->v[i];
	}
	if (!v) {
		unknown(g, file, name, set);
		return -EINVAL;
	}
	sb_init(&tn);
	err = -EINVAL;
	if (!is_volatile(g->btf, v->type)) {
		declaration(g->btf, v->type, name, &tn);
		fprintf(stderr, "ptrace1: --set %s: %s is const but not volatile, so the compiler "
			"has already used its value\n"
			"hint: declare it const volatile %s\n", set, name, tn.buf ? tn.buf : "");
		goto out;
	}
	type_name(g->btf, v->type, &tn);
	buf = g->secs[v->sec].data + v->offset;
	why[0] = '\0';
	err = globals_parse(g->btf, v->type, value, buf, why, sizeof(why));
	if (err == -EOPNOTSUPP)
		fprintf(stderr, "ptrace1: --set %s: %s is a %s: only integers, bools, enums and "
			"char arrays can be set\n", set, name, tn.buf ? tn.buf : "");
	else if (err)
		fprintf(stderr, "ptrace1: --set %s: %s (%s) takes %s, not '%s'\n", set, name,
			tn.buf ? tn.buf : "", why, value);
	else
		g->secs[v->sec].changed = true;
	if (err)
		err = -EINVAL;
out:
	sb_free(&tn);
	return err;
}

int globals_set(struct bpf_object *obj, const char *file, char *const *sets, size_t n)
{
	struct globals g = { 0 };
	int err, bad = 0;

	if (!n)
		return 0;
	err = collect(&g, obj);
	for (size_t i = 0; i < n && !err; i++) {
		if (set_one(&g, file, sets[i]))
			bad++;
	}
	for (size_t i = 0; i < g.nsecs && !err && !bad; i++) {
		if (g.secs[i].changed)
			err = bpf_map__set_initial_value(g.secs[i].map, g.secs[i].data,
							 g.secs[i].size);
	}
	if (err)
		fprintf(stderr, "ptrace1: --set: %s\n", strerror(-err));
	for (size_t i = 0; i < g.nsecs; i++)
		free(g.secs[i].data);
	free(g.secs);
	free(g.v);
	return err || bad ? -EINVAL : 0;
}
