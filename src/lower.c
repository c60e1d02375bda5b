// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lower.h"
#include "runtime.h"

struct lower {
	const struct checked *c;
	const struct sema_probe *probe;
	struct strbuf *body;	/* statements of the function being written */
	int depth;		/* indentation, in tabs */
	int ntmp;
};

static void line(struct lower *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void line(struct lower *l, const char *fmt, ...)
{
	va_list ap;

	for (int i = 0; i < l->depth; i++)
		sb_putc(l->body, '\t');
	va_start(ap, fmt);
	sb_vprintf(l->body, fmt, ap);
	va_end(ap);
	sb_putc(l->body, '\n');
}

/* A C string literal for any bytes: nothing the user wrote can end it early. */
static void c_string(struct strbuf *out, const char *s, size_t len)
{
	sb_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = s[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr(" _-.,:;/=+()[]{}<>!@#$%^&*~|", ch))
			sb_putc(out, (char)ch);
		else
			sb_printf(out, "\\%03o", ch);
	}
	sb_putc(out, '"');
}

static const char *int_ctype(unsigned int size, bool is_signed)
{
	switch (size) {
	case 1: return is_signed ? "__s8" : "__u8";
	case 2: return is_signed ? "__s16" : "__u16";
	case 4: return is_signed ? "__s32" : "__u32";
	}
	return is_signed ? "__s64" : "__u64";
}

static const char *val_ctype(const struct type *t)
{
	return t->is_signed ? "__s64" : "__u64";
}

/* --- tracepoint context structs --------------------------------------- */

static void ctx_struct_name(struct strbuf *out, const struct tp_format *f)
{
	sb_printf(out, "pt_tp_%s__%s", f->cat, f->ev);
}

/* The record as the format file lays it out, padding made explicit. */
static void lower_ctx_struct(struct strbuf *out, const struct tp_format *f)
{
	unsigned int at = 0, npad = 0;

	sb_puts(out, "struct ");
	ctx_struct_name(out, f);
	sb_puts(out, " {\n");
	for (size_t i = 0; i < f->nfields; i++) {
		const struct tp_field *fd = &f->fields[i];

		if (fd->offset < at)
			continue;	/* overlapping fields: keep the first */
		if (fd->offset > at)
			sb_printf(out, "\t__u8 __pad%u[%u];\n", npad++, fd->offset - at);
		if (fd->data_loc)
			sb_printf(out, "\t__u32 %s;\t/* __data_loc: length << 16 | offset */\n",
				  fd->name);
		else if (fd->is_char_array)
			sb_printf(out, "\tchar %s[%u];\n", fd->name, fd->size);
		else if (fd->array_len && fd->size % fd->array_len == 0)
			sb_printf(out, "\t%s %s[%u];\n",
				  int_ctype(fd->size / fd->array_len, fd->is_signed), fd->name,
				  fd->array_len);
		else if (fd->value_size == 1 || fd->value_size == 2 || fd->value_size == 4 ||
			 fd->value_size == 8) {
			sb_printf(out, "\t%s %s;\n", int_ctype(fd->value_size, fd->is_signed),
				  fd->name);
			/* The rest of a syscall argument's 8-byte slot (little-endian). */
			if (fd->value_size < fd->size)
				sb_printf(out, "\t__u8 __pad%u[%u];\n", npad++,
					  fd->size - fd->value_size);
		} else
			sb_printf(out, "\t__u8 %s[%u];\n", fd->name, fd->size);
		at = fd->offset + fd->size;
	}
	sb_puts(out, "} __attribute__((aligned(8)));\n");
	/* The compiler checks that the struct is the record the kernel writes. */
	at = 0;
	for (size_t i = 0; i < f->nfields; i++) {
		if (f->fields[i].offset < at)
			continue;
		at = f->fields[i].offset + f->fields[i].size;
		sb_printf(out, "_Static_assert(__builtin_offsetof(struct ");
		ctx_struct_name(out, f);
		sb_printf(out, ", %s) == %u, \"format\");\n", f->fields[i].name,
			  f->fields[i].offset);
	}
}

/* --- expressions ------------------------------------------------------ */

static void lower_int(struct lower *l, const struct ast *n, struct strbuf *e);
static void lower_str_into(struct lower *l, const struct ast *n, const char *dst,
			   unsigned int size);

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
	line(l, "char %s[%u];", dst, n->type.size);
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
	case BUILTIN_COMM:
		break;	/* a string: lower_str_into */
	}
}

/*
 * The right side of && || ?: may need statements (string reads); those
 * must run only when the right side is evaluated, so it gets its own block.
 */
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

static void lower_int(struct lower *l, const struct ast *n, struct strbuf *e)
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
	case AST_IDENT:
		if (n->u.ident.kind == IDENT_BUILTIN) {
			lower_builtin(n, e);
			return;
		}
		__attribute__((fallthrough));	/* a bare field name */
	case AST_FIELD:
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
	default:
		break;	/* sema let through only the kinds above */
	}
}

static void lower_str_into(struct lower *l, const struct ast *n, const char *dst,
			   unsigned int size)
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
		if (n->u.ident.kind == IDENT_BUILTIN) {	/* comm */
			line(l, "bpf_get_current_comm(%s, %u);", dst, size);
			return;
		}
		__attribute__((fallthrough));	/* a field */
	case AST_FIELD:
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

/* --- statements ------------------------------------------------------- */

static void lower_stmts(struct lower *l, const struct ast_list *stmts);

/* One ring-buffer record: ints are evaluated first, strings read in place. */
static void lower_event(struct lower *l, const struct ast *call, size_t first)
{
	const struct event_desc *ev = &l->c->events[call->u.call.event_id];
	const struct ast_list *args = &call->u.call.args;
	struct strbuf *vals = calloc(ev->nargs ? ev->nargs : 1, sizeof(*vals));
	char dst[32];
	int e = l->ntmp++;

	if (!vals) {
		l->body->err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < ev->nargs; i++) {
		sb_init(&vals[i]);
		if (ev->args[i].type.kind == TYPE_INT)
			lower_int(l, args->v[first + i], &vals[i]);
	}
	line(l, "struct {");
	line(l, "\tstruct pt_event_hdr hdr;");
	for (size_t i = 0; i < ev->nargs; i++) {
		const struct event_arg *a = &ev->args[i];

		if (a->type.kind == TYPE_INT) {
			line(l, "\t__u64 a%zu;", i);
			continue;
		}
		line(l, "\tchar a%zu[%u];", i, a->size);
		if (a->size % 8)
			line(l, "\tchar a%zu_pad[%u];", i, 8 - a->size % 8);
	}
	line(l, "} *__e%d = pt_event_reserve(%u, %d);", e, ev->size, call->u.call.event_id);
	line(l, "if (__e%d) {", e);
	l->depth++;
	for (size_t i = 0; i < ev->nargs; i++) {
		if (ev->args[i].type.kind == TYPE_INT) {
			line(l, "__e%d->a%zu = %s;", e, i, vals[i].buf);
		} else {
			snprintf(dst, sizeof(dst), "__e%d->a%zu", e, i);
			lower_str_into(l, args->v[first + i], dst, ev->args[i].size);
		}
		sb_free(&vals[i]);
	}
	line(l, "bpf_ringbuf_submit(__e%d, 0);", e);
	l->depth--;
	line(l, "}");
	free(vals);
}

static void lower_call_stmt(struct lower *l, const struct ast *n)
{
	switch ((enum func)n->u.call.func) {
	case FUNC_PRINTF:
		lower_event(l, n, 1);
		break;
	case FUNC_PRINT:
		lower_event(l, n, 0);
		break;
	case FUNC_STR:
		break;	/* no effect */
	}
}

static void lower_stmts(struct lower *l, const struct ast_list *stmts)
{
	struct strbuf x;

	for (size_t i = 0; i < stmts->n; i++) {
		const struct ast *n = stmts->v[i];

		switch (n->kind) {
		case AST_EXPR_STMT:
			if (n->u.expr->kind == AST_CALL) {
				lower_call_stmt(l, n->u.expr);
			} else if (n->u.expr->type.kind == TYPE_INT) {
				sb_init(&x);
				lower_int(l, n->u.expr, &x);
				line(l, "(void)(%s);", x.buf);
				sb_free(&x);
			}
			break;
		case AST_IF:
			sb_init(&x);
			lower_int(l, n->u.cond.cond, &x);
			line(l, "if (%s) {", x.buf);
			sb_free(&x);
			l->depth++;
			lower_stmts(l, &n->u.cond.then_body);
			l->depth--;
			if (n->u.cond.else_body.n) {
				line(l, "} else {");
				l->depth++;
				lower_stmts(l, &n->u.cond.else_body);
				l->depth--;
			}
			line(l, "}");
			break;
		default:
			break;
		}
	}
}

/* --- programs --------------------------------------------------------- */

static void lower_probe(const struct checked *c, size_t idx, struct strbuf *out)
{
	const struct sema_probe *p = &c->probes[idx];
	const struct action *a = c->prog->actions[p->action];
	struct strbuf body, cond;
	struct lower l = { .c = c, .probe = p, .body = &body, .depth = 1 };

	sb_init(&body);
	if (a->pred) {
		sb_init(&cond);
		lower_int(&l, a->pred, &cond);
		line(&l, "if (!(%s))", cond.buf);
		line(&l, "\treturn 0;");
		sb_free(&cond);
	}
	lower_stmts(&l, &a->body);
	sb_printf(out, "\n/* action %zu, probe tracepoint:%s:%s */\n", p->action + 1,
		  p->probe.cat, p->probe.ev);
	sb_printf(out, "SEC(\"tracepoint/%s/%s\")\nint pt_%zu_%s(struct ", p->probe.cat,
		  p->probe.ev, idx, p->probe.ev);
	ctx_struct_name(out, p->fmt);
	sb_puts(out, " *ctx)\n{\n");
	sb_add(out, body.buf ? body.buf : "", body.len);
	sb_puts(out, "\treturn 0;\n}\n");
	if (body.err)
		out->err = body.err;
	sb_free(&body);
}

int lower_program(const struct checked *c, struct strbuf *out)
{
	sb_puts(out, "/* Generated by ptrace1. */\n");
	sb_add(out, runtime_header, runtime_header_len);
	for (size_t i = 0; i < c->nfmts; i++) {
		sb_puts(out, "\n");
		lower_ctx_struct(out, c->fmts[i]);
	}
	for (size_t i = 0; i < c->nprobes; i++)
		lower_probe(c, i, out);
	return out->err;
}
