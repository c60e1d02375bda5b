// SPDX-License-Identifier: GPL-2.0
/* lower: the program's structure: context structs, one function per probe, statements, events. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lower_impl.h"
#include "runtime.h"

void line(struct lower *l, const char *fmt, ...)
{
	va_list ap;

	for (int i = 0; i < l->depth; i++)
		sb_putc(l->body, '\t');
	va_start(ap, fmt);
	sb_vprintf(l->body, fmt, ap);
	va_end(ap);
	sb_putc(l->body, '\n');
}

void c_string(struct strbuf *out, const char *s, size_t len)
{
	sb_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = s[i];

		/* ch != 0: strchr() finds every string's terminating NUL. */
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || (ch && strchr(" _-.,:;=+()[]{}<>!@#$%^&~|", ch)))
			sb_putc(out, (char)ch);
		else
			sb_printf(out, "\\%03o", ch);
	}
	sb_putc(out, '"');
}

const char *int_ctype(unsigned int size, bool is_signed)
{
	switch (size) {
	case 1: return is_signed ? "__s8" : "__u8";
	case 2: return is_signed ? "__s16" : "__u16";
	case 4: return is_signed ? "__s32" : "__u32";
	}
	return is_signed ? "__s64" : "__u64";
}

const char *val_ctype(const struct type *t)
{
	return t->is_signed ? "__s64" : "__u64";
}

int lower_tmp(struct lower *l)
{
	return l->ntmp++;
}

void decl_buf(struct lower *l, const char *type, const char *name, unsigned int size)
{
	unsigned int off = l->buf_bytes;

	l->buf_bytes += (size + 7) & ~7u;
	if (l->scratch) {
		line(l, "%s *%s = (void *)(__scratch + %u);", type, name, off);
	} else if (!strcmp(type, "char")) {
		line(l, "char %s_buf[%u];", name, size);
		line(l, "char *%s = %s_buf;", name, name);
	} else {
		line(l, "%s %s_buf;", type, name);
		line(l, "%s *%s = &%s_buf;", type, name, name);
	}
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
		} else if (ev->args[i].type.kind == TYPE_TUPLE) {
			snprintf(dst, sizeof(dst), "__e%d->a%zu", e, i);
			lower_tuple_into(l, args->v[first + i], dst, &ev->args[i].type);
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

/* A record with nothing but its header: exit(), time(), clear(@m)... */
static void lower_bare_event(struct lower *l, const struct ast *call)
{
	line(l, "{");
	line(l, "\tstruct pt_event_hdr *__h = pt_event_reserve(sizeof(*__h), %d);",
	     call->u.call.event_id);
	line(l, "\tif (__h)");
	line(l, "\t\tbpf_ringbuf_submit(__h, 0);");
	line(l, "}");
}

/* join(argv, sep): up to JOIN_MAX_ARGS strings read through the pointer array. */
static void lower_join(struct lower *l, const struct ast *call)
{
	const struct event_desc *ev = &l->c->events[call->u.call.event_id];
	unsigned int slot = (l->c->opts.strlen + 7) & ~7u;
	const char *as = !strcmp(l->probe->probe.cat ? l->probe->probe.cat : "", "syscalls") ?
			 "user" : "kernel";
	struct strbuf argv;
	int e = lower_tmp(l);

	sb_init(&argv);
	lower_int(l, call->u.call.args.v[0], &argv);
	line(l, "{");
	l->depth++;
	line(l, "__u64 __argv%d = %s;", e, argv.buf);
	line(l, "struct {");
	line(l, "\tstruct pt_event_hdr hdr;");
	line(l, "\t__u64 n;");
	line(l, "\tchar a[%d][%u];", JOIN_MAX_ARGS, slot);
	line(l, "} *__e%d = pt_event_reserve(%u, %d);", e, ev->size, call->u.call.event_id);
	line(l, "if (__e%d) {", e);
	line(l, "\t__e%d->n = 0;", e);
	line(l, "\tfor (int __i = 0; __i < %d; __i++) {", JOIN_MAX_ARGS);
	line(l, "\t\tconst char *__a = 0;");
	line(l, "\t\tif (bpf_probe_read_%s(&__a, sizeof(__a), (const void *)(__argv%d + __i * 8)) || !__a)",
	     as, e);
	line(l, "\t\t\tbreak;");
	line(l, "\t\tbpf_probe_read_%s_str(__e%d->a[__i], %u, __a);", as, e, slot);
	line(l, "\t\t__e%d->n = __i + 1;", e);
	line(l, "\t}");
	/* n one past the slots tells user space that argv went on. */
	line(l, "\tif (__e%d->n == %d) {", e, JOIN_MAX_ARGS);
	line(l, "\t\tconst char *__a = 0;");
	line(l, "\t\tif (!bpf_probe_read_%s(&__a, sizeof(__a), (const void *)(__argv%d + %d)) && __a)",
	     as, e, JOIN_MAX_ARGS * 8);
	line(l, "\t\t\t__e%d->n++;", e);
	line(l, "\t}");
	line(l, "\tbpf_ringbuf_submit(__e%d, 0);", e);
	line(l, "}");
	l->depth--;
	line(l, "}");
	sb_free(&argv);
}

static void lower_call_stmt(struct lower *l, const struct ast *n)
{
	switch ((enum func)n->u.call.func) {
	case FUNC_PRINTF:
		lower_event(l, n, 1);
		break;
	case FUNC_PRINT:
		if (l->c->events[n->u.call.event_id].kind == EVENT_MAP_PRINT)
			lower_bare_event(l, n);
		else
			lower_event(l, n, 0);
		break;
	case FUNC_EXIT:
	case FUNC_TIME:
	case FUNC_CLEAR:
	case FUNC_ZERO:
		lower_bare_event(l, n);
		break;
	case FUNC_JOIN:
		lower_join(l, n);
		break;
	case FUNC_DELETE:
		lower_map_delete(l, n->u.call.args.v[0]);
		break;
	default:
		break;	/* str() alone does nothing; aggregations come as assignments */
	}
}

static void lower_assign(struct lower *l, const struct ast *n)
{
	const struct ast *lhs = n->u.assign.lhs, *rhs = n->u.assign.rhs;
	const char *var = lhs->u.ident.name + 1;
	char dst[80];
	struct strbuf x;

	if (lhs->kind == AST_MAP) {
		lower_map_assign(l, n);
		return;
	}
	if (lhs->type.kind == TYPE_TUPLE) {
		snprintf(dst, sizeof(dst), "v_%s", var);
		lower_tuple_into(l, rhs, dst, &lhs->type);
		return;
	}
	if (lhs->type.kind == TYPE_STR) {
		snprintf(dst, sizeof(dst), "v_%s", var);
		lower_str_into(l, rhs, dst, rhs->type.size < lhs->type.size ? rhs->type.size :
			       lhs->type.size);
		return;
	}
	sb_init(&x);
	lower_int(l, rhs, &x);
	if (n->u.assign.op == '=')
		line(l, "v_%s = %s;", var, x.buf);
	else if ((n->u.assign.op == '/' || n->u.assign.op == '%') && lhs->type.is_signed)
		line(l, "v_%s = pt_s%s(v_%s, %s);", var, n->u.assign.op == '/' ? "div" : "mod", var,
		     x.buf);
	else
		line(l, "v_%s %s= %s;", var, n->u.assign.op == OP_SHL ? "<<" :
		     n->u.assign.op == OP_SHR ? ">>" : (char[2]){ (char)n->u.assign.op, 0 }, x.buf);
	sb_free(&x);
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
		case AST_ASSIGN:
			lower_assign(l, n);
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

struct var_list {
	const struct ast *v[256];
	size_t n;
};

/* Every $variable of an action, declared once at the top with its widest type. */
static void collect_var(const struct ast *n, void *arg)
{
	struct var_list *vars = arg;

	if (n->kind != AST_VAR)
		return;
	for (size_t i = 0; i < vars->n; i++) {
		if (!strcmp(vars->v[i]->u.ident.name, n->u.ident.name)) {
			if (n->type.kind == TYPE_STR && n->type.size > vars->v[i]->type.size)
				vars->v[i] = n;
			return;
		}
	}
	if (vars->n < sizeof(vars->v) / sizeof(*vars->v))
		vars->v[vars->n++] = n;
}

static void declare_vars(struct lower *l, const struct action *a)
{
	struct var_list vars = { .n = 0 };
	const struct ast *v;
	char name[80];

	for (size_t i = 0; i < a->body.n; i++)
		ast_visit(a->body.v[i], collect_var, &vars);
	for (size_t i = 0; i < vars.n; i++) {
		v = vars.v[i];
		if (v->type.kind == TYPE_STR || v->type.kind == TYPE_TUPLE) {
			snprintf(name, sizeof(name), "v_%s", v->u.ident.name + 1);
			decl_buf(l, "char", name, v->type.size);
			line(l, "__builtin_memset(%s, 0, %u);", name, v->type.size);
		} else
			line(l, "%s v_%s = 0;", val_ctype(&v->type), v->u.ident.name + 1);
	}
}

void lower_prog_name(const struct checked *c, size_t idx, char *buf, size_t len)
{
	const struct probe *p = &c->probes[idx].probe;

	switch (p->kind) {
	case PROBE_TRACEPOINT:
		snprintf(buf, len, "pt_%zu_%s", idx, p->ev);
		break;
	case PROBE_BEGIN:
		snprintf(buf, len, "pt_%zu_BEGIN", idx);
		break;
	case PROBE_END:
		snprintf(buf, len, "pt_%zu_END", idx);
		break;
	case PROBE_INTERVAL:
		snprintf(buf, len, "pt_%zu_interval", idx);
		break;
	}
}

int lower_attach_specs(const struct checked *c, struct attach_spec **out)
{
	struct attach_spec *specs = calloc(c->nprobes ? c->nprobes : 1, sizeof(*specs));
	size_t *leaders = calloc(c->nprobes ? c->nprobes : 1, sizeof(*leaders));
	bool is_exit;
	long nr;

	if (!specs || !leaders || lower_leaders(c, leaders)) {
		free(specs);
		free(leaders);
		return -ENOMEM;
	}
	for (size_t i = 0; i < c->nprobes; i++) {
		if (lower_syscall_nr(&c->probes[i], &nr, &is_exit))
			snprintf(specs[i].prog, sizeof(specs[i].prog), "%s",
				 lower_syscall_prog(is_exit));
		else
			lower_prog_name(c, leaders[i], specs[i].prog, sizeof(specs[i].prog));
		specs[i].kind = c->probes[i].probe.kind;
		specs[i].period_ns = c->probes[i].probe.period_ns;
		specs[i].cat = c->probes[i].probe.cat;
		specs[i].ev = c->probes[i].probe.ev;
	}
	free(leaders);
	*out = specs;
	return 0;
}

/* The statements of probe @idx's function, with its buffers where @scratch says. */
static void lower_body(const struct checked *c, size_t idx, bool scratch, bool table,
		       struct strbuf *body, unsigned int *buf_bytes)
{
	const struct sema_probe *p = &c->probes[idx];
	const struct action *a = c->prog->actions[p->action];
	struct lower l = { .c = c, .probe = p, .body = body, .depth = 1, .scratch = scratch,
			   .probe_table = table };
	struct strbuf cond;

	if (scratch) {
		line(&l, "__u32 __zero = 0;");
		line(&l, "char *__scratch = bpf_map_lookup_elem(&ptrace1_scratch, &__zero);");
		line(&l, "if (!__scratch)");
		line(&l, "\treturn 0;");
	}
	declare_vars(&l, a);
	/* -p: before the predicate, which may cost more. */
	if (c->opts.filter_pid && p->probe.kind == PROBE_TRACEPOINT) {
		line(&l, "if (!pt_pid_match())");
		line(&l, "\treturn 0;");
	}
	if (a->pred) {
		sb_init(&cond);
		lower_int(&l, a->pred, &cond);
		line(&l, "if (!(%s))", cond.buf);
		line(&l, "\treturn 0;");
		sb_free(&cond);
	}
	lower_stmts(&l, &a->body);
	*buf_bytes = l.buf_bytes;
}

/*
 * Buffers (strings, keys) live on the 512-byte BPF stack while they are
 * small; past STACK_BUFS bytes a function keeps them in a per-CPU scratch
 * area instead.  Tracing programs do not nest on a CPU, so one area per CPU
 * is enough.  A function a syscall dispatcher calls shares the stack with
 * the dispatcher's frame (the record, 80 bytes).
 */
#define STACK_BUFS 256
#define STACK_BUFS_CALLED 160

/*
 * The function of probe @idx; a probe whose leader is another shares the
 * leader's, which learns the probe's number for `probe`: a syscall
 * dispatcher passes it, a perf-attached program's link has it as its cookie.
 */
static void lower_probe(const struct checked *c, size_t idx, const size_t *leaders,
			struct strbuf *out, unsigned int *scratch_bytes)
{
	const struct sema_probe *p = &c->probes[idx];
	bool called, is_exit, shared = false;
	struct strbuf body;
	unsigned int bytes;
	char name[192];
	long nr;

	called = lower_syscall_nr(p, &nr, &is_exit);
	if (leaders[idx] != idx)
		return;
	for (size_t i = idx + 1; i < c->nprobes && !shared; i++)
		shared = leaders[i] == idx;
	sb_init(&body);
	lower_body(c, idx, false, shared, &body, &bytes);
	if (bytes > (called ? STACK_BUFS_CALLED : STACK_BUFS)) {
		sb_free(&body);
		lower_body(c, idx, true, shared, &body, &bytes);
		if (bytes > *scratch_bytes)
			*scratch_bytes = bytes;
	}
	lower_prog_name(c, idx, name, sizeof(name));
	sb_printf(out, "\n/* action %zu, probe %s%s */\n", p->action + 1, p->probe.name,
		  shared ? " and others alike" : "");
	switch (p->probe.kind) {
	case PROBE_TRACEPOINT:
		if (called)
			sb_printf(out, "static __attribute__((noinline)) int %s(struct ", name);
		else
			sb_printf(out, "SEC(\"tracepoint/%s/%s\")\nint %s(struct ", p->probe.cat,
				  p->probe.ev, name);
		ctx_struct_name(out, p->fmt);
		sb_puts(out, " *ctx __attribute__((unused))");
		sb_puts(out, called ? ", __u32 probe __attribute__((unused)))\n{\n" : ")\n{\n");
		if (!called && shared)
			sb_puts(out, "\t__u32 probe __attribute__((unused)) = "
				"bpf_get_attach_cookie(ctx);\n");
		break;
	case PROBE_BEGIN:
	case PROBE_END:
		/* Run once by ptrace1 through BPF_PROG_TEST_RUN, never attached. */
		sb_printf(out, "SEC(\"raw_tp\")\nint %s(void *ctx __attribute__((unused)))\n{\n", name);
		break;
	case PROBE_INTERVAL:
		sb_printf(out, "SEC(\"perf_event\")\nint %s(void *ctx __attribute__((unused)))\n{\n",
			  name);
		break;
	}
	sb_add(out, body.buf ? body.buf : "", body.len);
	sb_puts(out, "\treturn 0;\n}\n");
	if (body.err)
		out->err = body.err;
	sb_free(&body);
}

/* Per-CPU map values are limited (PCPU_MIN_UNIT_SIZE). */
#define MAX_SCRATCH 32768

/* `probe` in a function several probes share: their names by number. */
static void lower_probe_names(const struct checked *c, const size_t *leaders, struct strbuf *out)
{
	size_t width = 0, len;
	bool shared = false;

	for (size_t i = 0; i < c->nprobes; i++) {
		shared |= leaders[i] != i;
		len = strlen(c->probes[i].probe.name) + 1;
		if (len > width)
			width = len;
	}
	if (!shared)
		return;
	sb_printf(out, "\nstatic const char pt_probe_names[%zu][%zu] __attribute__((unused)) = {\n",
		  c->nprobes, width);
	for (size_t i = 0; i < c->nprobes; i++) {
		sb_puts(out, "\t");
		c_string(out, c->probes[i].probe.name, strlen(c->probes[i].probe.name));
		sb_puts(out, ",\n");
	}
	sb_puts(out, "};\n");
}

/* Whether a function is written for a probe of format @f: probes served by another's are not. */
static bool fmt_used(const struct checked *c, const size_t *leaders, const struct tp_format *f)
{
	for (size_t i = 0; i < c->nprobes; i++) {
		if (leaders[i] == i && c->probes[i].fmt == f)
			return true;
	}
	return false;
}

int lower_program(const struct checked *c, struct strbuf *out)
{
	size_t *leaders = calloc(c->nprobes ? c->nprobes : 1, sizeof(*leaders));
	unsigned int scratch = 0;
	struct strbuf funcs;
	int err;

	if (!leaders)
		return -ENOMEM;
	err = lower_leaders(c, leaders);
	if (err) {
		free(leaders);
		return err;
	}
	/* The functions first: the scratch area must fit the largest. */
	sb_init(&funcs);
	for (size_t i = 0; i < c->nprobes; i++)
		lower_probe(c, i, leaders, &funcs, &scratch);
	sb_puts(out, "/* Generated by ptrace1. */\n");
	sb_add(out, runtime_header, runtime_header_len);
	for (size_t i = 0; i < c->nfmts; i++) {
		if (!fmt_used(c, leaders, c->fmts[i]))
			continue;
		sb_puts(out, "\n");
		lower_ctx_struct(out, c->fmts[i]);
	}
	lower_map_defs(c, out);
	lower_probe_names(c, leaders, out);
	if (scratch)
		sb_printf(out, "\n/* Buffers too large for the BPF stack. */\n"
			  "struct pt_scratch {\n\tchar b[%u];\n};\n"
			  "struct {\n\t__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);\n\t__uint(max_entries, 1);\n"
			  "\t__type(key, __u32);\n\t__type(value, struct pt_scratch);\n"
			  "} ptrace1_scratch SEC(\".maps\");\n", scratch);
	sb_add(out, funcs.buf ? funcs.buf : "", funcs.len);
	lower_syscall_dispatch(c, leaders, out);
	if (funcs.err)
		out->err = funcs.err;
	sb_free(&funcs);
	free(leaders);
	if (scratch > MAX_SCRATCH)
		return -E2BIG;
	return out->err;
}
