// SPDX-License-Identifier: GPL-2.0
/* lower: expressions, as C expressions (integers) or statements filling a buffer (strings). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lower_impl.h"

static const struct tp_field *probe_field(struct lower *l, const struct ast *n)
{
	const char *name = n->kind == AST_FIELD ? n->u.field.name : n->u.ident.name;

	return tpfmt_field(l->probe->fmt, name);
}

static enum addr_space probe_addr_space(struct lower *l)
{
	return !strcmp(l->probe->probe.cat, "syscalls") ? AS_USER : AS_KERNEL;
}

/* Lower @n's string into a fresh stack buffer; returns its name's number. */
static int lower_str_tmp(struct lower *l, const struct ast *n)
{
	char dst[32];
	int t = l->ntmp++;

	snprintf(dst, sizeof(dst), "__s%d", t);
	decl_buf(l, "char", dst, n->type.size);
	lower_str_into(l, n, dst, n->type.size);
	return t;
}

static void lower_streq(struct lower *l, const struct ast *a, const struct ast *b,
			struct strbuf *e)
{
	int ta, tb;

	if (a->kind == AST_STR || b->kind == AST_STR) {
		const struct ast *lit = a->kind == AST_STR ? a : b, *other = lit == a ? b : a;

		if (other->kind == AST_STR) {
			sb_printf(e, "%d", lit->u.str.len == other->u.str.len &&
				  !memcmp(lit->u.str.bytes, other->u.str.bytes, lit->u.str.len));
			return;
		}
		ta = lower_str_tmp(l, other);
		sb_printf(e, "pt_streq(__s%d, %u, ", ta, other->type.size);
		c_string(e, lit->u.str.bytes, lit->u.str.len);
		sb_printf(e, ", %zu)", lit->u.str.len + 1);
		return;
	}
	ta = lower_str_tmp(l, a);
	tb = lower_str_tmp(l, b);
	sb_printf(e, "pt_strbufeq(__s%d, __s%d, %u)", ta, tb,
		  a->type.size < b->type.size ? a->type.size : b->type.size);
}

static void lower_builtin(const struct ast *n, struct strbuf *e)
{
	switch ((enum builtin)n->u.ident.builtin) {
	case BUILTIN_PID:
		sb_puts(e, "(bpf_get_current_pid_tgid() >> 32)");
		break;
	case BUILTIN_TID:
		sb_puts(e, "(__u64)(__u32)bpf_get_current_pid_tgid()");
		break;
	case BUILTIN_UID:
		sb_puts(e, "(__u64)(__u32)bpf_get_current_uid_gid()");
		break;
	case BUILTIN_GID:
		sb_puts(e, "(bpf_get_current_uid_gid() >> 32)");
		break;
	case BUILTIN_CPU:
		sb_puts(e, "(__u64)bpf_get_smp_processor_id()");
		break;
	case BUILTIN_NSECS:
		sb_puts(e, "bpf_ktime_get_ns()");
		break;
	case BUILTIN_CPID:
		sb_puts(e, "pt_cpid()");
		break;
	case BUILTIN_ELAPSED:
		sb_puts(e, "pt_elapsed()");
		break;
	case BUILTIN_COMM:
	case BUILTIN_PROBE:
		break;	/* strings: lower_str_into */
	}
}

/*
 * The right side of && || ?: may need statements (string reads); those
 * must run only when the right side is evaluated, so it gets its own block.
 */
static unsigned int tuple_elem(struct lower *l, const struct ast *n, char *expr, size_t len);

static void lower_lazy(struct lower *l, const struct ast *n, struct strbuf *e, bool *needs_block,
		       struct strbuf *pre)
{
	struct strbuf *saved = l->body;

	sb_init(pre);
	l->body = pre;
	l->depth++;
	lower_int(l, n, e);
	l->depth--;
	l->body = saved;
	*needs_block = pre->len > 0;
}

static void lower_logical(struct lower *l, const struct ast *n, struct strbuf *e)
{
	struct strbuf lhs, rhs, pre;
	bool block;
	int t;

	sb_init(&lhs);
	sb_init(&rhs);
	lower_int(l, n->u.op.lhs, &lhs);
	lower_lazy(l, n->u.op.rhs, &rhs, &block, &pre);
	if (!block) {
		sb_printf(e, "(__s64)(%s %s %s)", lhs.buf, n->u.op.op == OP_AND ? "&&" : "||",
			  rhs.buf);
	} else {
		t = l->ntmp++;
		line(l, "__s64 __t%d = !!(%s);", t, lhs.buf);
		line(l, "if (%s__t%d) {", n->u.op.op == OP_AND ? "" : "!", t);
		sb_add(l->body, pre.buf, pre.len);
		line(l, "\t__t%d = !!(%s);", t, rhs.buf);
		line(l, "}");
		sb_printf(e, "__t%d", t);
	}
	sb_free(&lhs);
	sb_free(&rhs);
	sb_free(&pre);
}

static void lower_ternary_int(struct lower *l, const struct ast *n, struct strbuf *e)
{
	struct strbuf c, a, b, pa, pb;
	bool ba, bb;
	int t;

	sb_init(&c);
	sb_init(&a);
	sb_init(&b);
	lower_int(l, n->u.cond.cond, &c);
	lower_lazy(l, n->u.cond.then, &a, &ba, &pa);
	lower_lazy(l, n->u.cond.els, &b, &bb, &pb);
	if (!ba && !bb) {
		sb_printf(e, "(%s)((%s) ? (%s) : (%s))", val_ctype(&n->type), c.buf, a.buf, b.buf);
	} else {
		t = l->ntmp++;
		line(l, "%s __t%d;", val_ctype(&n->type), t);
		line(l, "if (%s) {", c.buf);
		sb_add(l->body, pa.buf, pa.len);
		line(l, "\t__t%d = %s;", t, a.buf);
		line(l, "} else {");
		sb_add(l->body, pb.buf, pb.len);
		line(l, "\t__t%d = %s;", t, b.buf);
		line(l, "}");
		sb_printf(e, "__t%d", t);
	}
	sb_free(&c);
	sb_free(&a);
	sb_free(&b);
	sb_free(&pa);
	sb_free(&pb);
}

static void lower_binary(struct lower *l, const struct ast *n, struct strbuf *e)
{
	const struct ast *a = n->u.op.lhs, *b = n->u.op.rhs;
	bool sgn = a->type.is_signed && b->type.is_signed;
	const char *ct = sgn ? "__s64" : "__u64";
	struct strbuf x, y;
	const char *op;
	int o = n->u.op.op;

	if ((o == OP_EQ || o == OP_NE) && a->type.kind == TYPE_STR) {
		if (o == OP_NE)
			sb_puts(e, "!");
		lower_streq(l, a, b, e);
		return;
	}
	if (o == OP_AND || o == OP_OR) {
		lower_logical(l, n, e);
		return;
	}
	sb_init(&x);
	sb_init(&y);
	lower_int(l, a, &x);
	lower_int(l, b, &y);
	switch (o) {
	case OP_EQ: op = "=="; break;
	case OP_NE: op = "!="; break;
	case OP_LE: op = "<="; break;
	case OP_GE: op = ">="; break;
	case OP_SHL: op = "<<"; break;
	case OP_SHR: op = ">>"; ct = val_ctype(&a->type); break;
	case '/':
	case '%':
		if (sgn) {
			sb_printf(e, "pt_s%s(%s, %s)", o == '/' ? "div" : "mod", x.buf, y.buf);
			goto out;
		}
		op = o == '/' ? "/" : "%";
		break;
	default: {
		static char one[2];

		one[0] = (char)o;
		op = one;
		break;
	}
	}
	if (o == OP_SHL || o == OP_SHR)
		sb_printf(e, "(%s)((%s)(%s) %s ((%s) & 63))", val_ctype(&n->type), ct, x.buf, op,
			  y.buf);
	else
		sb_printf(e, "(%s)((%s)(%s) %s (%s)(%s))", val_ctype(&n->type), ct, x.buf, op, ct,
			  y.buf);
out:
	sb_free(&x);
	sb_free(&y);
}

void lower_int(struct lower *l, const struct ast *n, struct strbuf *e)
{
	const struct tp_field *f;
	struct strbuf x;

	switch (n->kind) {
	case AST_INT:
		if (n->u.ival < 0)
			sb_printf(e, "(__s64)0x%" PRIx64 "ULL", (uint64_t)n->u.ival);
		else
			sb_printf(e, "%" PRId64 "LL", n->u.ival);
		return;
	case AST_FIELD:
		if (n->u.field.base->type.kind == TYPE_TUPLE) {
			char bytes[64];
			unsigned int off = tuple_elem(l, n, bytes, sizeof(bytes));

			sb_printf(e, "*(%s *)(%s + %u)", val_ctype(&n->type), bytes, off);
			return;
		}
		__attribute__((fallthrough));	/* args.f */
	case AST_IDENT:
		if (n->kind == AST_IDENT && n->u.ident.kind == IDENT_BUILTIN) {
			lower_builtin(n, e);
			return;
		}
		f = probe_field(l, n);
		sb_printf(e, "(%s)ctx->%s", val_ctype(&n->type), f->name);
		return;
	case AST_UNARY:
		sb_init(&x);
		lower_int(l, n->u.op.lhs, &x);
		if (n->u.op.op == '+')
			sb_printf(e, "(%s)", x.buf);
		else
			sb_printf(e, "(%s)%c(%s)", val_ctype(&n->type), n->u.op.op, x.buf);
		sb_free(&x);
		return;
	case AST_BINARY:
		lower_binary(l, n, e);
		return;
	case AST_TERNARY:
		lower_ternary_int(l, n, e);
		return;
	case AST_CAST:
		sb_init(&x);
		lower_int(l, n->u.cast.expr, &x);
		sb_printf(e, "(%s)(%s)(%s)", val_ctype(&n->type),
			  int_ctype(n->u.cast.bits / 8, n->u.cast.is_signed), x.buf);
		sb_free(&x);
		return;
	case AST_VAR:
		sb_printf(e, "v_%s", n->u.ident.name + 1);
		return;
	case AST_CALL:	/* syscall_name(): the number; user space names it */
		lower_int(l, n->u.call.args.v[0], e);
		return;
	case AST_MAP:
		lower_map_read_int(l, n, e);
		return;
	case AST_INCDEC:
		if (n->u.op.lhs->kind == AST_MAP) {
			lower_map_incdec(l, n, e);
			return;
		}
		sb_printf(e, "(%s%sv_%s%s)", val_ctype(&n->type),
			  n->u.op.post ? "" : n->u.op.op == OP_INC ? "++" : "--",
			  n->u.op.lhs->u.ident.name + 1,
			  !n->u.op.post ? "" : n->u.op.op == OP_INC ? "++" : "--");
		return;
	default:
		break;	/* sema let through only the kinds above */
	}
}

void lower_str_into(struct lower *l, const struct ast *n, const char *dst, unsigned int size)
{
	const struct tp_field *f;
	const struct ast *arg;
	enum addr_space as;
	struct strbuf x;

	switch (n->kind) {
	case AST_STR:
		sb_init(&x);
		c_string(&x, n->u.str.bytes, n->u.str.len);
		line(l, "__builtin_memcpy(%s, %s, %zu);", dst, x.buf,
		     n->u.str.len + 1 < size ? n->u.str.len + 1 : size);
		sb_free(&x);
		return;
	case AST_IDENT:
		if (n->u.ident.kind == IDENT_BUILTIN && n->u.ident.builtin == BUILTIN_PROBE) {
			const char *name = l->probe->probe.name;
			size_t len = strlen(name) + 1;

			if (l->probe_table) {
				line(l, "if (probe < sizeof(pt_probe_names) / sizeof(*pt_probe_names))");
				line(l, "\t__builtin_memcpy(%s, pt_probe_names[probe], "
				     "sizeof(*pt_probe_names) < %u ? sizeof(*pt_probe_names) : %u);",
				     dst, size, size);
				return;
			}
			sb_init(&x);
			c_string(&x, name, len - 1);
			line(l, "__builtin_memcpy(%s, %s, %zu);", dst, x.buf, len < size ? len : size);
			sb_free(&x);
			return;
		}
		if (n->u.ident.kind == IDENT_BUILTIN) {	/* comm */
			line(l, "bpf_get_current_comm(%s, %u);", dst, size);
			return;
		}
		__attribute__((fallthrough));	/* a field */
	case AST_FIELD:
		if (n->kind == AST_FIELD && n->u.field.base->type.kind == TYPE_TUPLE) {
			char bytes[64];
			unsigned int off = tuple_elem(l, n, bytes, sizeof(bytes));

			line(l, "__builtin_memcpy(%s, %s + %u, %u);", dst, bytes, off,
			     size < n->type.size ? size : n->type.size);
			return;
		}
		f = probe_field(l, n);
		if (f->data_loc)
			line(l, "bpf_probe_read_kernel_str(%s, %u, (char *)ctx + (ctx->%s & 0xffff));",
			     dst, size, f->name);
		else
			line(l, "bpf_probe_read_kernel_str(%s, %u, ctx->%s);", dst,
			     size < f->size ? size : f->size, f->name);
		return;
	case AST_CALL:	/* str() */
		arg = n->u.call.args.v[0];
		if (arg->type.kind == TYPE_STR) {
			lower_str_into(l, arg, dst, size);
			return;
		}
		as = arg->type.strptr != AS_NONE ? arg->type.strptr : probe_addr_space(l);
		sb_init(&x);
		lower_int(l, arg, &x);
		line(l, "bpf_probe_read_%s_str(%s, %u, (const void *)(%s));",
		     as == AS_USER ? "user" : "kernel", dst, size, x.buf);
		sb_free(&x);
		return;
	case AST_VAR:
		line(l, "__builtin_memcpy(%s, v_%s, %u);", dst, n->u.ident.name + 1,
		     size < n->type.size ? size : n->type.size);
		return;
	case AST_MAP:
		lower_map_read_str(l, n, dst, size);
		return;
	case AST_TERNARY:
		sb_init(&x);
		lower_int(l, n->u.cond.cond, &x);
		line(l, "if (%s) {", x.buf);
		l->depth++;
		lower_str_into(l, n->u.cond.then, dst, size);
		l->depth--;
		line(l, "} else {");
		l->depth++;
		lower_str_into(l, n->u.cond.els, dst, size);
		l->depth--;
		line(l, "}");
		sb_free(&x);
		return;
	default:
		return;
	}
}


/* Copy a tuple laid out as @st at @src to @dst laid out as @dt (wider strings maybe). */
static void copy_tuple(struct lower *l, const char *src, const struct type *st, const char *dst,
		       const struct type *dt)
{
	for (size_t i = 0; i < dt->tuple->n; i++) {
		const struct type *e = &dt->tuple->elems[i];
		unsigned int so = st->tuple->offsets[i], d = dt->tuple->offsets[i];

		if (e->kind == TYPE_INT) {
			line(l, "*(__u64 *)((char *)(%s) + %u) = *(__u64 *)((char *)(%s) + %u);", dst, d,
			     src, so);
			continue;
		}
		line(l, "__builtin_memcpy((char *)(%s) + %u, (char *)(%s) + %u, %u);", dst, d, src, so,
		     e->size < st->tuple->elems[i].size ? e->size : st->tuple->elems[i].size);
	}
}

void lower_tuple_into(struct lower *l, const struct ast *n, const char *dst, const struct type *dt)
{
	char at[96];
	struct strbuf x;
	int p;

	switch (n->kind) {
	case AST_TUPLE:
		for (size_t i = 0; i < n->u.tuple.n; i++) {
			const struct type *e = &dt->tuple->elems[i];

			snprintf(at, sizeof(at), "((char *)(%s) + %u)", dst, dt->tuple->offsets[i]);
			if (e->kind == TYPE_STR) {
				lower_str_into(l, n->u.tuple.v[i], at, e->size);
				continue;
			}
			sb_init(&x);
			lower_int(l, n->u.tuple.v[i], &x);
			line(l, "*(__u64 *)%s = %s;", at, x.buf);
			sb_free(&x);
		}
		return;
	case AST_VAR:
		snprintf(at, sizeof(at), "v_%s", n->u.ident.name + 1);
		copy_tuple(l, at, &n->type, dst, dt);
		return;
	case AST_MAP:
		p = lower_map_lookup(l, n);
		line(l, "if (__p%d) {", p);
		l->depth++;
		snprintf(at, sizeof(at), "__p%d", p);
		copy_tuple(l, at, &n->type, dst, dt);
		l->depth--;
		line(l, "} else {");
		line(l, "\t__builtin_memset(%s, 0, %u);", dst, dt->size);
		line(l, "}");
		return;
	default:
		return;
	}
}

/* A char * expression for the bytes of tuple-typed @n (a variable, or a fresh buffer). */
static void tuple_bytes(struct lower *l, const struct ast *n, char *expr, size_t len)
{
	if (n->kind == AST_VAR) {
		snprintf(expr, len, "v_%s", n->u.ident.name + 1);
		return;
	}
	snprintf(expr, len, "__u%d", lower_tmp(l));
	decl_buf(l, "char", expr, n->type.size);
	lower_tuple_into(l, n, expr, &n->type);
}

/* $t.N, @m[k].N, (a, b).N: the element's offset in its tuple, and the bytes. */
static unsigned int tuple_elem(struct lower *l, const struct ast *n, char *expr, size_t len)
{
	const struct ast *base = n->u.field.base;
	unsigned long i = strtoul(n->u.field.name, NULL, 10);

	tuple_bytes(l, base, expr, len);
	return base->type.tuple->offsets[i];
}
