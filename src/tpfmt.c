// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpfmt.h"
#include "tracefs.h"

/*
 * Syscall tracepoints declare every argument with signed:0, even `int dfd`,
 * so signedness comes from the type name when it is a known one.
 */
static const char *const signed_types[] = {
	"char", "short", "int", "long", "long long", "signed char",
	"s8", "s16", "s32", "s64", "__s8", "__s16", "__s32", "__s64",
	"int8_t", "int16_t", "int32_t", "int64_t",
	"pid_t", "ssize_t", "loff_t", "off_t", "time_t", "clockid_t",
	"key_serial_t", "mqd_t", "timer_t", "__kernel_old_time_t", "qid_t",
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

static bool type_is_signed(const char *ctype, bool flag)
{
	const char *t = skip_qualifiers(ctype);

	if (!strncmp(t, "unsigned", 8))
		return false;
	if (!strncmp(t, "signed", 6))
		return true;
	for (size_t i = 0; i < sizeof(signed_types) / sizeof(*signed_types); i++) {
		if (!strcmp(t, signed_types[i]))
			return true;
	}
	return flag;
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
	err = split_decl(decl, f);
	if (err)
		return err;
	f->is_common = !strncmp(f->name, "common_", 7);
	f->is_signed = !f->is_pointer && !f->data_loc && type_is_signed(f->ctype, sgn);
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

static bool is_name(const char *s)
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
	if (!is_name(cat) || !is_name(ev))
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
		free(fmt->fields[i].name);
		free(fmt->fields[i].ctype);
	}
	free(fmt->fields);
	free(fmt->cat);
	free(fmt->ev);
	free(fmt);
}
