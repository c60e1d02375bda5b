/* SPDX-License-Identifier: GPL-2.0 */
/* The value types of the language, shared by sema, lower and output. */
#ifndef PTRACE1_TYPES_H
#define PTRACE1_TYPES_H

#include <stdbool.h>

enum type_kind {
	TYPE_NONE,	/* not yet known, or a statement */
	TYPE_INT,	/* 64-bit integer, signed or not */
	TYPE_STR,	/* NUL-terminated bytes in a buffer of `size` */
	TYPE_TUPLE,	/* `size` bytes laid out as `tuple` says */
};

struct tuple_type;

/* Where an integer that holds a string's address points. */
enum addr_space {
	AS_NONE,	/* not a string pointer */
	AS_USER,	/* syscall `char *` args: read with the user-string helper */
	AS_KERNEL,
};

struct type {
	enum type_kind kind;
	bool is_signed;		/* TYPE_INT */
	enum addr_space strptr;	/* TYPE_INT: a string's address */
	bool is_syscall;	/* TYPE_INT: a syscall number, shown as its name (syscall_name()) */
	unsigned int size;	/* TYPE_STR: buffer bytes, NUL included; TYPE_TUPLE: all of it */
	const struct tuple_type *tuple;	/* TYPE_TUPLE; lives as long as the program */
};

/* Elements laid out as map fields are: ints 8 bytes, strings rounded up to 8. */
struct tuple_type {
	size_t n;
	struct type *elems;
	unsigned int *offsets;
};

#endif
