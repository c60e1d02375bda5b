// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpfmt.h"
#include "tracefs.h"

/*
 * The C types of tracepoint fields whose width and signedness the format
 * file does not tell reliably: syscall arguments occupy 8-byte slots whatever
 * their type, zero-extended, and say signed:0 even for `int dfd`.  Reading
 * such a field as its C type gives -100 for AT_FDCWD, not 4294967196.
 */
static const struct {
	const char *name;
	unsigned char size;
	bool is_signed;
} c_types[] = {
	{ "char", 1, true }, { "signed char", 1, true }, { "unsigned char", 1, false },
	{ "bool", 1, false }, { "_Bool", 1, false },
	{ "short", 2, true }, { "unsigned short", 2, false }, { "umode_t", 2, false },
	{ "int", 4, true }, { "unsigned int", 4, false }, { "unsigned", 4, false },
	{ "long", 8, true }, { "unsigned long", 8, false },
	{ "long long", 8, true }, { "unsigned long long", 8, false },
	{ "s8", 1, true }, { "u8", 1, false }, { "__s8", 1, true }, { "__u8", 1, false },
	{ "s16", 2, true }, { "u16", 2, false }, { "__s16", 2, true }, { "__u16", 2, false },
	{ "s32", 4, true }, { "u32", 4, false }, { "__s32", 4, true }, { "__u32", 4, false },
	{ "s64", 8, true }, { "u64", 8, false }, { "__s64", 8, true }, { "__u64", 8, false },
	{ "int8_t", 1, true }, { "uint8_t", 1, false }, { "int16_t", 2, true },
	{ "uint16_t", 2, false }, { "int32_t", 4, true }, { "uint32_t", 4, false },
	{ "int64_t", 8, true }, { "uint64_t", 8, false },
	{ "pid_t", 4, true }, { "uid_t", 4, false }, { "gid_t", 4, false },
	{ "qid_t", 4, false }, { "key_serial_t", 4, true }, { "clockid_t", 4, true },
	{ "mqd_t", 4, true }, { "timer_t", 4, true }, { "rwf_t", 4, true },
	{ "key_t", 4, true }, { "__kernel_timer_t", 4, true },
	{ "size_t", 8, false }, { "ssize_t", 8, true }, { "loff_t", 8, true },
	{ "off_t", 8, true }, { "time_t", 8, true }, { "__kernel_old_time_t", 8, true },
	{ "aio_context_t", 8, false },
};

static const char *skip_qualifiers(const char *t)
{
	for (;;) {
		if (!strncmp(t, "const ", 6))
			t += 6;
		else if (!strncmp(t, "volatile ", 9))
			t += 9;
		else if (!strncmp(t, "__user ", 7))
			t += 7;
		else
			return t;
	}
}

/* The width and signedness of a scalar field: its C type's where known. */
static void scalar_type(struct tp_field *f, bool signed_flag)
{
	const char *t = skip_qualifiers(f->ctype);

	f->value_size = f->size;
	f->is_signed = signed_flag;
	if (f->is_pointer) {
		f->is_signed = false;
		return;
	}
	for (size_t i = 0; i < sizeof(c_types) / sizeof(*c_types); i++) {
		if (strcmp(t, c_types[i].name))
			continue;
		f->is_signed = c_types[i].is_signed;
		if (c_types[i].size < f->size)
			f->value_size = c_types[i].size;
		return;
	}
	if (!strncmp(t, "unsigned", 8))
		f->is_signed = false;
}

/* "field:const char * filename;" -> type "const char *", name "filename", [N] */
static int split_decl(char *decl, struct tp_field *f)
{
	char *end = decl + strlen(decl), *name, *br;

	while (end > decl && end[-1] == ' ')
		*--end = '\0';
	br = strchr(decl, '[');
	if (br) {
		/* "char prev_comm[16]" or "__data_loc char[] name" */
		if (!strncmp(decl, "__data_loc ", 11)) {
			f->data_loc = true;
		} else {
			f->array_len = (unsigned int)strtoul(br + 1, NULL, 0);
			*br = '\0';
			end = br;
		}
	}
	name = end;
	while (name > decl && (name[-1] == '_' || (name[-1] >= 'a' && name[-1] <= 'z') ||
			       (name[-1] >= 'A' && name[-1] <= 'Z') ||
			       (name[-1] >= '0' && name[-1] <= '9')))
		name--;
	if (name == end || name == decl)
		return -EINVAL;
	f->name = strdup(name);
	while (name > decl && name[-1] == ' ')
		name--;
	*name = '\0';
	if (f->data_loc) {
		f->ctype = strdup(decl + 11);
	} else {
		f->ctype = strdup(decl);
	}
	if (!f->name || !f->ctype)
		return -ENOMEM;
	f->is_pointer = strchr(f->ctype, '*') != NULL;
	if (f->data_loc || f->array_len) {
		const char *t = skip_qualifiers(f->ctype);

		f->is_char_array = !strncmp(t, "char", 4) &&
			(t[4] == '\0' || t[4] == '[' || t[4] == ' ');
	}
	return 0;
}

static int parse_field(char *line, struct tp_field *f)
{
	char *decl, *p;
	int sgn = 0, err;

	decl = strstr(line, "field:");
	if (!decl)
		return -EINVAL;
	decl += 6;
	p = strchr(decl, ';');
	if (!p)
		return -EINVAL;
	*p++ = '\0';
	if (sscanf(p, " offset:%u; size:%u; signed:%d;", &f->offset, &f->size, &sgn) != 3)
		return -EINVAL;
	f->decl = strdup(decl);
	if (!f->decl)
		return -ENOMEM;
	err = split_decl(decl, f);
	if (err)
		return err;
	f->is_common = !strncmp(f->name, "common_", 7);
	if (f->data_loc || f->array_len)
		f->value_size = f->size;
	else
		scalar_type(f, sgn);
	return 0;
}

int tpfmt_parse(const char *cat, const char *ev, const char *text, struct tp_format **out)
{
	struct tp_format *fmt;
	char *copy, *line, *next;
	size_t cap = 0;
	int err = 0;

	fmt = calloc(1, sizeof(*fmt));
	copy = strdup(text);
	if (!fmt || !copy) {
		err = -ENOMEM;
		goto fail;
	}
	fmt->cat = strdup(cat);
	fmt->ev = strdup(ev);
	if (!fmt->cat || !fmt->ev) {
		err = -ENOMEM;
		goto fail;
	}
	for (line = copy; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "ID:", 3)) {
			fmt->id = (unsigned int)strtoul(line + 3, NULL, 10);
			continue;
		}
		if (!strstr(line, "field:"))
			continue;
		if (fmt->nfields == cap) {
			struct tp_field *v;

			cap = cap ? cap * 2 : 16;
			v = realloc(fmt->fields, cap * sizeof(*v));
			if (!v) {
				err = -ENOMEM;
				goto fail;
			}
			fmt->fields = v;
		}
		memset(&fmt->fields[fmt->nfields], 0, sizeof(*fmt->fields));
		err = parse_field(line, &fmt->fields[fmt->nfields]);
		fmt->nfields++;
		if (err)
			goto fail;
		if (fmt->fields[fmt->nfields - 1].offset + fmt->fields[fmt->nfields - 1].size > fmt->size)
			fmt->size = fmt->fields[fmt->nfields - 1].offset +
				    fmt->fields[fmt->nfields - 1].size;
	}
	if (!fmt->nfields) {
		err = -EINVAL;
		goto fail;
	}
	free(copy);
	*out = fmt;
	return 0;
fail:
	free(copy);
	tpfmt_free(fmt);
	return err;
}

bool tpfmt_is_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	}
	return true;
}

int tpfmt_load(const char *cat, const char *ev, struct tp_format **out)
{
	char rel[512], *text;
	size_t len;
	int err;

	/* Never build a path from anything but a plain name. */
	if (!tpfmt_is_name(cat) || !tpfmt_is_name(ev))
		return -EINVAL;
	if ((size_t)snprintf(rel, sizeof(rel), "events/%s/%s/format", cat, ev) >= sizeof(rel))
		return -ENAMETOOLONG;
	err = tracefs_read(rel, &text, &len);
	if (err)
		return err;
	err = tpfmt_parse(cat, ev, text, out);
	free(text);
	return err;
}

const struct tp_field *tpfmt_field(const struct tp_format *fmt, const char *name)
{
	for (size_t i = 0; i < fmt->nfields; i++) {
		if (!strcmp(fmt->fields[i].name, name))
			return &fmt->fields[i];
	}
	return NULL;
}

void tpfmt_free(struct tp_format *fmt)
{
	if (!fmt)
		return;
	for (size_t i = 0; i < fmt->nfields; i++) {
		free(fmt->fields[i].decl);
		free(fmt->fields[i].name);
		free(fmt->fields[i].ctype);
	}
	free(fmt->fields);
	free(fmt->cat);
	free(fmt->ev);
	free(fmt);
}

bool tpfmt_same_layout(const struct tp_field *a, const struct tp_field *b)
{
	return a->offset == b->offset && a->size == b->size && a->value_size == b->value_size &&
	       a->is_signed == b->is_signed && a->data_loc == b->data_loc &&
	       a->is_pointer == b->is_pointer && a->is_char_array == b->is_char_array &&
	       a->array_len == b->array_len;
}
