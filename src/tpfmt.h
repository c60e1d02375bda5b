/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tpfmt: a tracepoint's record layout, from tracefs's events/CAT/EV/format.
 * The format file is exact for the running kernel, so ptrace1 needs no
 * kernel headers and no BTF to read tracepoint arguments.
 */
#ifndef PTRACE1_TPFMT_H
#define PTRACE1_TPFMT_H

#include <stdbool.h>
#include <stddef.h>

struct tp_field {
	char *decl;		/* as the file declares it: "char prev_comm[16]" (for -lv) */
	char *name;
	char *ctype;		/* as the format file writes it: "const char *" */
	unsigned int offset;
	unsigned int size;	/* the slot in the record */
	unsigned int value_size;	/* the C type's width, when narrower than its slot */
	bool is_signed;		/* from the C type where the file's flag is unreliable */
	bool is_common;		/* common_pid and friends */
	bool data_loc;		/* __data_loc: the record holds (len << 16 | offset) */
	bool is_pointer;
	bool is_char_array;	/* char name[N], __data_loc char[] */
	unsigned int array_len;	/* elements of a fixed array, 0 if not one */
	bool used;		/* the program reads it (sema): what an artifact relies on */
};

struct tp_format {
	char *cat;
	char *ev;
	unsigned int id;
	struct tp_field *fields;
	size_t nfields;
	unsigned int size;	/* bytes up to the end of the last field */
};

/* Parse format-file @text; @cat and @ev name it.  Returns 0 or -errno. */
int tpfmt_parse(const char *cat, const char *ev, const char *text, struct tp_format **out);
/* Read and parse the running kernel's format of CAT:EV. */
int tpfmt_load(const char *cat, const char *ev, struct tp_format **out);
const struct tp_field *tpfmt_field(const struct tp_format *fmt, const char *name);
/* Whether a program reading field @a reads @b alike: same place, width and kind. */
bool tpfmt_same_layout(const struct tp_field *a, const struct tp_field *b);
/* Whether @s is a plain name ([A-Za-z0-9_]+), as tracepoints and fields are. */
bool tpfmt_is_name(const char *s);
void tpfmt_free(struct tp_format *fmt);

#endif
