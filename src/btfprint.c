// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>

#include <bpf/btf.h>

#include "btfprint.h"
#include "json.h"

const struct btf_type *btfprint_resolve(const struct btf *btf, __u32 *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

/* `char`: an array of it is a string. */
static bool is_char(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btfprint_resolve(btf, &id);

	return t && btf_is_int(t) && t->size == 1 &&
	       ((btf_int_encoding(t) & BTF_INT_CHAR) ||
		!strcmp(btf__name_by_offset(btf, t->name_off), "char"));
}

/* An integer of @size bytes (at most 8) at @p, sign-extended if @is_signed. */
static __u64 load_int(const void *p, size_t size, bool is_signed)
{
	__u64 v = 0;

	memcpy(&v, p, size);
	if (is_signed && size < 8 && (v >> (size * 8 - 1)) & 1)
		v |= ~0ull << (size * 8);
	return v;
}

/* A bitfield: @bits bits from bit @off of @p, an integer of type @t (little endian). */
static __u64 load_bits(const struct btf_type *t, const void *p, __u32 off, __u32 bits)
{
	__u64 v = 0;
	size_t n = (off % 8 + bits + 7) / 8;

	memcpy(&v, (const char *)p + off / 8, n > 8 ? 8 : n);
	v >>= off % 8;
	if (bits < 64)
		v &= (1ull << bits) - 1;
	if (btf_int_encoding(t) & BTF_INT_SIGNED && bits < 64 && (v >> (bits - 1)) & 1)
		v |= ~0ull << bits;
	return v;
}

static void print_int(struct strbuf *out, const struct btf_type *t, __u64 v)
{
	__u8 enc = btf_int_encoding(t);

	if (enc & BTF_INT_BOOL)
		sb_puts(out, v ? "true" : "false");
	else if (enc & BTF_INT_SIGNED)
		sb_printf(out, "%" PRId64, (int64_t)v);
	else
		sb_printf(out, "%" PRIu64, (uint64_t)v);
}

/* An enumerator's name when one has value @v, else the number. */
static void print_enum(struct strbuf *out, const struct btf *btf, const struct btf_type *t,
		       __u64 v, bool json)
{
	__u64 mask = t->size < 8 ? (1ull << (t->size * 8)) - 1 : ~0ull, ev;
	const char *name = NULL;
	__u32 name_off;

	for (__u16 i = 0; i < btf_vlen(t) && !name; i++) {
		if (btf_is_enum64(t)) {
			ev = btf_enum64_value(&btf_enum64(t)[i]);
			name_off = btf_enum64(t)[i].name_off;
		} else {
			ev = (__u64)(__s64)btf_enum(t)[i].val;
			name_off = btf_enum(t)[i].name_off;
		}
		if ((ev & mask) == (v & mask))
			name = btf__name_by_offset(btf, name_off);
	}
	if (name && json)
		json_string(out, name, strlen(name));
	else if (name)
		sb_puts(out, name);
	else if (btf_kflag(t))
		sb_printf(out, "%" PRId64, (int64_t)v);
	else
		sb_printf(out, "%" PRIu64, (uint64_t)v);
}

void btfprint_string(struct strbuf *out, const char *s, size_t len, bool json)
{
	if (json) {
		json_string(out, s, len);
		return;
	}
	sb_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			sb_printf(out, "\\%c", c);
		else if (c == '\n')
			sb_puts(out, "\\n");
		else if (c == '\t')
			sb_puts(out, "\\t");
		/* Bytes >= 0x80 pass as the UTF-8 they may be. */
		else if (c < 0x20 || c == 0x7f)
			sb_printf(out, "\\x%02x", c);
		else
			sb_putc(out, (char)c);
	}
	sb_putc(out, '"');
}

void btfprint_bytes(struct strbuf *out, const void *data, size_t size, bool json)
{
	const unsigned char *p = data;

	if (json)
		sb_putc(out, '"');
	for (size_t i = 0; i < size; i++)
		sb_printf(out, json || !i ? "%02x" : " %02x", p[i]);
	if (json)
		sb_putc(out, '"');
}

static void print_members(struct strbuf *out, const struct btf *btf, const struct btf_type *t,
			  const char *data, bool json, bool *first);

static void print_member(struct strbuf *out, const struct btf *btf, const struct btf_type *t,
			 __u16 i, const char *data, bool json, bool *first)
{
	const struct btf_member *m = &btf_members(t)[i];
	const char *name = btf__name_by_offset(btf, m->name_off);
	__u32 off = btf_member_bit_offset(t, i), bits = btf_member_bitfield_size(t, i);
	__u32 id = m->type;
	const struct btf_type *mt = btfprint_resolve(btf, &id);

	/* An anonymous struct or union: its members are the parent's, as in C. */
	if ((!name || !*name) && mt && btf_is_composite(mt)) {
		print_members(out, btf, mt, data + off / 8, json, first);
		return;
	}
	if (!*first)
		sb_puts(out, ", ");
	*first = false;
	if (json)
		json_string(out, name ? name : "", name ? strlen(name) : 0);
	else
		sb_puts(out, name && *name ? name : "?");
	sb_puts(out, ": ");
	if (!bits) {
		btfprint_value(out, btf, m->type, data + off / 8, json);
		return;
	}
	if (mt && btf_is_int(mt))
		print_int(out, mt, load_bits(mt, data, off, bits));
	else if (mt && btf_is_any_enum(mt))
		print_enum(out, btf, mt, load_bits(mt, data, off, bits), json);
	else
		sb_puts(out, "?");
}

static void print_members(struct strbuf *out, const struct btf *btf, const struct btf_type *t,
			  const char *data, bool json, bool *first)
{
	for (__u16 i = 0; i < btf_vlen(t); i++)
		print_member(out, btf, t, i, data, json, first);
}

static void print_array(struct strbuf *out, const struct btf *btf, const struct btf_array *a,
			const char *data, bool json)
{
	__s64 esize = btf__resolve_size(btf, a->type);
	const char *nul;

	if (is_char(btf, a->type)) {
		nul = memchr(data, '\0', a->nelems);
		btfprint_string(out, data, nul ? (size_t)(nul - data) : a->nelems, json);
		return;
	}
	sb_putc(out, '[');
	for (__u32 i = 0; i < a->nelems && esize > 0; i++) {
		if (i)
			sb_puts(out, ", ");
		btfprint_value(out, btf, a->type, data + i * esize, json);
	}
	sb_putc(out, ']');
}

void btfprint_value(struct strbuf *out, const struct btf *btf, __u32 id, const void *data,
		    bool json)
{
	const struct btf_type *t = btfprint_resolve(btf, &id);
	bool first = true;
	double d;
	float f;

	if (!t) {
		sb_puts(out, json ? "null" : "?");
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		if (t->size <= 8)
			print_int(out, t, load_int(data, t->size, btf_int_encoding(t) & BTF_INT_SIGNED));
		else
			btfprint_bytes(out, data, t->size, json);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		print_enum(out, btf, t, load_int(data, t->size, btf_kflag(t)), json);
		break;
	case BTF_KIND_PTR:
		sb_printf(out, json ? "\"0x%" PRIx64 "\"" : "0x%" PRIx64,
			  (uint64_t)load_int(data, sizeof(__u64), false));
		break;
	case BTF_KIND_FLOAT:
		if (t->size == sizeof(float)) {
			memcpy(&f, data, sizeof(f));
			sb_printf(out, "%g", (double)f);
		} else if (t->size == sizeof(double)) {
			memcpy(&d, data, sizeof(d));
			sb_printf(out, "%g", d);
		} else {
			btfprint_bytes(out, data, t->size, json);
		}
		break;
	case BTF_KIND_ARRAY:
		print_array(out, btf, btf_array(t), data, json);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		sb_putc(out, '{');
		print_members(out, btf, t, data, json, &first);
		sb_putc(out, '}');
		break;
	default:
		sb_puts(out, json ? "null" : "?");
	}
}

static int cmp_u64(__u64 a, __u64 b)
{
	return a < b ? -1 : a > b;
}

static int cmp_s64(__s64 a, __s64 b)
{
	return a < b ? -1 : a > b;
}

int btfprint_compare(const struct btf *btf, __u32 id, const void *a, const void *b)
{
	const struct btf_type *t = btfprint_resolve(btf, &id);
	const struct btf_array *arr;
	__s64 size, esize;
	int c = 0;

	size = btf__resolve_size(btf, id);
	if (!t || size <= 0)
		return 0;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (size > 8)
			break;
		if (btf_is_int(t) ? btf_int_encoding(t) & BTF_INT_SIGNED : btf_kflag(t))
			return cmp_s64((__s64)load_int(a, size, true), (__s64)load_int(b, size, true));
		return cmp_u64(load_int(a, size, false), load_int(b, size, false));
	case BTF_KIND_PTR:
		return cmp_u64(load_int(a, 8, false), load_int(b, 8, false));
	case BTF_KIND_ARRAY:
		arr = btf_array(t);
		if (is_char(btf, arr->type))
			return strncmp(a, b, arr->nelems);
		esize = btf__resolve_size(btf, arr->type);
		for (__u32 i = 0; i < arr->nelems && !c && esize > 0; i++)
			c = btfprint_compare(btf, arr->type, (const char *)a + i * esize,
					     (const char *)b + i * esize);
		return c;
	case BTF_KIND_STRUCT:
		for (__u16 i = 0; i < btf_vlen(t) && !c; i++) {
			const struct btf_member *m = &btf_members(t)[i];
			__u32 off = btf_member_bit_offset(t, i);

			/* Bitfields sort by their bytes' order: good enough for a key. */
			if (btf_member_bitfield_size(t, i))
				continue;
			c = btfprint_compare(btf, m->type, (const char *)a + off / 8,
					     (const char *)b + off / 8);
		}
		return c ? c : memcmp(a, b, size);
	default:
		break;
	}
	return memcmp(a, b, size);
}

bool btfprint_summable(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btfprint_resolve(btf, &id);

	if (!t)
		return false;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		return t->size <= 8 && !(btf_int_encoding(t) & BTF_INT_BOOL) && !is_char(btf, id);
	case BTF_KIND_FLOAT:
		return t->size == sizeof(float) || t->size == sizeof(double);
	case BTF_KIND_ARRAY:
		return btfprint_summable(btf, btf_array(t)->type);
	case BTF_KIND_STRUCT:
		for (__u16 i = 0; i < btf_vlen(t); i++) {
			if (btf_member_bitfield_size(t, i) ||
			    !btfprint_summable(btf, btf_members(t)[i].type))
				return false;
		}
		return true;
	default:
		return false;
	}
}

void btfprint_add(const struct btf *btf, __u32 id, void *acc, const void *v)
{
	const struct btf_type *t = btfprint_resolve(btf, &id);
	__u64 x, y;
	__s64 esize;
	double dx, dy;
	float fx, fy;

	if (!t)
		return;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		x = load_int(acc, t->size, false);
		y = load_int(v, t->size, false);
		/* Two's complement: the same addition for signed values. */
		x += y;
		memcpy(acc, &x, t->size);
		break;
	case BTF_KIND_FLOAT:
		if (t->size == sizeof(float)) {
			memcpy(&fx, acc, sizeof(fx));
			memcpy(&fy, v, sizeof(fy));
			fx += fy;
			memcpy(acc, &fx, sizeof(fx));
		} else {
			memcpy(&dx, acc, sizeof(dx));
			memcpy(&dy, v, sizeof(dy));
			dx += dy;
			memcpy(acc, &dx, sizeof(dx));
		}
		break;
	case BTF_KIND_ARRAY:
		esize = btf__resolve_size(btf, btf_array(t)->type);
		for (__u32 i = 0; i < btf_array(t)->nelems && esize > 0; i++)
			btfprint_add(btf, btf_array(t)->type, (char *)acc + i * esize,
				     (const char *)v + i * esize);
		break;
	case BTF_KIND_STRUCT:
		for (__u16 i = 0; i < btf_vlen(t); i++) {
			__u32 off = btf_member_bit_offset(t, i) / 8;

			btfprint_add(btf, btf_members(t)[i].type, (char *)acc + off,
				     (const char *)v + off);
		}
		break;
	default:
		break;
	}
}
