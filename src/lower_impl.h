/* SPDX-License-Identifier: GPL-2.0 */
/* lower's own: shared by lower.c, lower_expr.c and lower_map.c, and nothing else. */
#ifndef PTRACE1_LOWER_IMPL_H
#define PTRACE1_LOWER_IMPL_H

#include "lower.h"

struct lower {
	const struct checked *c;
	const struct sema_probe *probe;
	struct strbuf *body;	/* statements of the function being written */
	int depth;		/* indentation, in tabs */
	int ntmp;
	bool scratch;		/* buffers in the per-CPU scratch area, not on the stack */
	bool probe_table;	/* `probe` is pt_probe_names[probe]: a shared function */
	unsigned int buf_bytes;	/* buffers declared so far */
};

/* One indented line of the function body. */
__attribute__((format(printf, 2, 3)))
void line(struct lower *l, const char *fmt, ...);
const char *int_ctype(unsigned int size, bool is_signed);
const char *val_ctype(const struct type *t);

/* Append @n's value as a C expression to @e; statements it needs go to the body first. */
void lower_int(struct lower *l, const struct ast *n, struct strbuf *e);
/* Statements that fill char @dst[@size] with @n's string. */
void lower_str_into(struct lower *l, const struct ast *n, const char *dst, unsigned int size);
/* Statements that fill the bytes at char *@dst with tuple @n, laid out as @dt. */
void lower_tuple_into(struct lower *l, const struct ast *n, const char *dst,
		      const struct type *dt);
/* A fresh temporary's number: __t%d, __s%d, __k%d... */
int lower_tmp(struct lower *l);
/* Declare @name, a pointer to a buffer of @type and @size bytes (type "char": an array). */
void decl_buf(struct lower *l, const char *type, const char *name, unsigned int size);

/* The name of the C function of probe @idx. */
void lower_prog_name(const struct checked *c, size_t idx, char *buf, size_t len);
/*
 * Whether probe @p is served by a raw syscall tracepoint dispatching on
 * its syscall's number, which it sets with whether it is sys_exit's.
 */
bool lower_syscall_nr(const struct sema_probe *p, long *nr, bool *is_exit);
/* The name of the dispatching program. */
const char *lower_syscall_prog(bool is_exit);
/* The dispatching programs of every probe lower_syscall_nr() serves. */
void lower_syscall_dispatch(const struct checked *c, const size_t *leaders, struct strbuf *out);

/*
 * For every probe, the probe whose function serves it (itself, or an
 * earlier tracepoint probe of the same action, attached alike, whose record
 * holds what the action reads alike).  Returns 0 or -ENOMEM.
 */
int lower_leaders(const struct checked *c, size_t *leaders);
/* Whether probe @idx's action reads its record's fields at all. */
bool lower_reads_record(const struct checked *c, size_t idx);

/* Map definitions and their key and value structs. */
void lower_map_defs(const struct checked *c, struct strbuf *out);
/* Statements for an assignment to a map element. */
void lower_map_assign(struct lower *l, const struct ast *stmt);
/* ++/-- of a map element; its value (old or new) as an expression in @e. */
void lower_map_incdec(struct lower *l, const struct ast *n, struct strbuf *e);
void lower_map_read_int(struct lower *l, const struct ast *n, struct strbuf *e);
void lower_map_read_str(struct lower *l, const struct ast *n, const char *dst, unsigned int size);
/* The value of a tuple map's element: its number N, for a pointer __p<N> (NULL when missing). */
int lower_map_lookup(struct lower *l, const struct ast *n);
void lower_map_delete(struct lower *l, const struct ast *mapn);

#endif
