/* SPDX-License-Identifier: GPL-2.0 */
/* sema's own: shared by sema.c, sema_call.c and sema_map.c, and nothing else. */
#ifndef PTRACE1_SEMA_IMPL_H
#define PTRACE1_SEMA_IMPL_H

#include "sema.h"

struct sema_var {
	const char *name;
	struct type type;
};

/* What sema has learned of a map so far. */
struct map_state {
	bool kind_set;
	bool keys_set;
	struct loc first;	/* where the kind was set */
};

struct sema {
	struct diag *d;
	struct checked *c;
	struct sema_probe *probes;	/* the current action's, in c->probes */
	size_t nprobes;
	struct sema_var *vars;		/* the current action's $variables */
	size_t nvars;
	struct map_state *mstate;	/* one per c->maps */
	bool final;			/* the second pass: every map's kind is known */
	bool too_many_maps;		/* said once */
	int nomem;
};

struct type int_type(bool is_signed);
const char *type_name(const struct type *t);
int check_expr(struct sema *s, struct ast **slot);
int want_int(struct sema *s, struct ast **slot, const char *what);
/* Wrap *@slot in str(): a string's address used where a string is wanted. */
int wrap_str(struct sema *s, struct ast **slot);
/* A tuple type of @n elements, in the program's arena. */
int tuple_make(struct sema *s, const struct type *elems, size_t n, struct type *out);
/* The type that holds values of @a and of @b (wider strings), or -EINVAL. */
int type_unify(struct sema *s, const struct type *a, const struct type *b, struct type *out);
/* An integer literal, after folding unary minus: 0 and *@v, or -EINVAL. */
int const_int(const struct ast *n, int64_t *v);

int check_call(struct sema *s, struct ast *n, bool stmt);
/* Append an event for @call with the types of @args from index @first. */
int add_event(struct sema *s, struct ast *call, enum event_kind kind, struct ast_list *args,
	      size_t first);

/* The map @n names (created on first sight; NULL past the limit or out of memory). */
struct map_desc *map_lookup(struct sema *s, struct ast *n);
int check_map_keys(struct sema *s, struct ast *n);
int check_map_read(struct sema *s, struct ast *n);
int check_map_assign(struct sema *s, struct ast *stmt);
int check_map_incdec(struct sema *s, struct ast *n);

#endif
