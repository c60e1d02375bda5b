// SPDX-License-Identifier: GPL-2.0
/*
 * lower: which tracepoint probes one function serves.  A wildcard's probes
 * share an action; when the records hold what it reads alike, one function
 * is compiled, loaded and verified for all of them, and `probe` is looked up
 * by number (pt_probe_names).  A syscall dispatcher passes the number; a
 * perf-attached tracepoint program gets it from its link's BPF cookie.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lower_impl.h"

/* The record fields an action reads: its args.NAME, args->NAME and bare NAMEs. */
struct field_use {
	const char *names[64];
	size_t n;
	bool overflow;
};

static void collect_field(const struct ast *n, void *arg)
{
	struct field_use *u = arg;
	const char *name;

	if (n->kind == AST_IDENT && n->u.ident.kind == IDENT_ARG)
		name = n->u.ident.name;
	else if (n->kind == AST_FIELD && n->u.field.base->kind == AST_IDENT &&
		 n->u.field.base->u.ident.kind == IDENT_ARGS)
		name = n->u.field.name;
	else
		return;
	for (size_t i = 0; i < u->n; i++) {
		if (!strcmp(u->names[i], name))
			return;
	}
	if (u->n < sizeof(u->names) / sizeof(*u->names))
		u->names[u->n++] = name;
	else
		u->overflow = true;
}

static void collect_fields(const struct action *a, struct field_use *u)
{
	ast_visit(a->pred, collect_field, u);
	for (size_t k = 0; k < a->body.n; k++)
		ast_visit(a->body.v[k], collect_field, u);
}

static bool same_field(const struct tp_field *a, const struct tp_field *b)
{
	if (!a || !b)
		return a == b;
	/* The shared function declares the field with one C type. */
	return tpfmt_same_layout(a, b) && !strcmp(a->ctype, b->ctype);
}

/* Whether one function can serve probes @a and @b: what it reads lies alike in both records. */
static bool same_reads(const struct field_use *u, const struct sema_probe *a,
		       const struct sema_probe *b)
{
	if (u->overflow)
		return false;
	for (size_t i = 0; i < u->n; i++) {
		if (!same_field(tpfmt_field(a->fmt, u->names[i]), tpfmt_field(b->fmt, u->names[i])))
			return false;
	}
	return true;
}

bool lower_reads_record(const struct checked *c, size_t idx)
{
	struct field_use u = { .n = 0 };

	collect_fields(c->prog->actions[c->probes[idx].action], &u);
	return u.n || u.overflow;
}

/*
 * Probes one function may serve: the same dispatcher (sys_enter's or
 * sys_exit's), or both perf-attached.  A syscall's pointers are the user's,
 * any other's the kernel's, and the function reads them so.
 */
static int share_class(const struct sema_probe *p)
{
	bool is_exit;
	long nr;

	if (p->probe.kind != PROBE_TRACEPOINT)
		return -1;
	if (lower_syscall_nr(p, &nr, &is_exit))
		return is_exit ? 1 : 0;
	return strcmp(p->probe.cat, "syscalls") ? 2 : 3;
}

int lower_leaders(const struct checked *c, size_t *leader)
{
	struct field_use *u = NULL;
	size_t action = (size_t)-1, first = 0;

	for (size_t i = 0; i < c->nprobes; i++) {
		const struct sema_probe *p = &c->probes[i];
		int class = share_class(p);

		leader[i] = i;
		if (class < 0)
			continue;
		if (p->action != action) {
			free(u);
			u = calloc(1, sizeof(*u));
			if (!u)
				return -ENOMEM;
			action = p->action;
			first = i;
			collect_fields(c->prog->actions[action], u);
		}
		/* The action's probes are together; the first alike leads. */
		for (size_t j = first; j < i; j++) {
			if (leader[j] == j && share_class(&c->probes[j]) == class &&
			    same_reads(u, &c->probes[j], p)) {
				leader[i] = j;
				break;
			}
		}
	}
	free(u);
	return 0;
}
