// SPDX-License-Identifier: GPL-2.0
/*
 * The section holds NUL-terminated "key=value" entries (strlen,
 * map_keys_max, one param per $N in order), an empty entry, then the
 * program's text up to the string's own terminating NUL.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lower.h"
#include "progsec.h"
#include "run.h"

static void entry(struct strbuf *out, const char *key, const char *val)
{
	struct strbuf e;

	sb_init(&e);
	sb_printf(&e, "%s=%s", key, val);
	sb_putc(&e, '\0');
	sb_putc(out, '\t');
	c_string(out, e.buf ? e.buf : "", e.len);
	sb_putc(out, '\n');
	if (e.err)
		out->err = e.err;
	sb_free(&e);
}

int progsec_emit(const char *text, size_t len, unsigned int strlen, unsigned int map_keys_max,
		 char *const *params, size_t nparams, struct strbuf *out)
{
	char num[16];
	size_t at, end;

	sb_puts(out, "\n/*\n"
		" * The ptrace1 program this C was generated from, and the options that\n"
		" * shaped its records and maps.  `ptrace1 FILE.bpf.c` reads them back to\n"
		" * print the output as the program did: change them along with the C.\n"
		" */\n"
		"static const char ptrace1_program[] SEC(\"" PROGSEC_NAME "\") =\n");
	snprintf(num, sizeof(num), "%u", strlen);
	entry(out, "strlen", num);
	snprintf(num, sizeof(num), "%u", map_keys_max);
	entry(out, "map_keys_max", num);
	for (size_t i = 0; i < nparams; i++)
		entry(out, "param", params[i]);
	sb_puts(out, "\t\"\\000\"");
	/* One literal a line of the program, so that it reads as it was written. */
	for (at = 0; at < len; at = end) {
		const char *nl = memchr(text + at, '\n', len - at);

		end = nl ? (size_t)(nl - text) + 1 : len;
		sb_puts(out, "\n\t");
		c_string(out, text + at, end - at);
	}
	sb_puts(out, ";\n");
	return out->err;
}

/* The bytes of section @name of the ELF in memory, or NULL. */
static Elf_Data *find_section(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t shstrndx;
	const char *n;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return NULL;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && !strcmp(n, name))
			return sh.sh_type == SHT_PROGBITS ? elf_getdata(scn, NULL) : NULL;
	}
	return NULL;
}

static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

/* The entries of @ps->buf (@size bytes) up to the empty one; then the text. */
static int parse(struct progsec *ps, size_t size)
{
	char *p = ps->buf, *end = ps->buf + size, *nul, **params;
	bool have_strlen = false, have_keys = false;

	/* The literal's own NUL ends the section. */
	if (!size || end[-1] != '\0')
		return -EINVAL;
	end--;
	while ((nul = memchr(p, '\0', (size_t)(end - p))) && nul != p) {
		if (!strncmp(p, "strlen=", 7)) {
			if (parse_uint(p + 7, RUN_STRLEN_MIN, RUN_STRLEN_MAX, &ps->strlen))
				return -EINVAL;
			have_strlen = true;
		} else if (!strncmp(p, "map_keys_max=", 13)) {
			if (parse_uint(p + 13, 1, RUN_MAP_KEYS_MAX, &ps->map_keys_max))
				return -EINVAL;
			have_keys = true;
		} else if (!strncmp(p, "param=", 6)) {
			params = realloc(ps->params, (ps->nparams + 1) * sizeof(*params));
			if (!params)
				return -ENOMEM;
			ps->params = params;
			params[ps->nparams++] = p + 6;
		} else {
			return -EINVAL;
		}
		p = nul + 1;
	}
	if (!nul || !have_strlen || !have_keys)
		return -EINVAL;
	ps->text = nul + 1;
	ps->len = (size_t)(end - ps->text);
	return 0;
}

int progsec_read(const void *obj, size_t len, struct progsec *ps)
{
	Elf_Data *data;
	Elf *elf;
	int err;

	memset(ps, 0, sizeof(*ps));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	elf = elf_memory((char *)obj, len);
	if (!elf)
		return -EINVAL;
	data = find_section(elf, PROGSEC_NAME);
	if (!data || !data->d_buf) {
		elf_end(elf);
		return -ENOENT;
	}
	ps->buf = malloc(data->d_size ? data->d_size : 1);
	if (!ps->buf) {
		elf_end(elf);
		return -ENOMEM;
	}
	memcpy(ps->buf, data->d_buf, data->d_size);
	err = parse(ps, data->d_size);
	elf_end(elf);
	if (err)
		progsec_free(ps);
	return err;
}

void progsec_free(struct progsec *ps)
{
	free(ps->params);
	free(ps->buf);
	memset(ps, 0, sizeof(*ps));
}
