// SPDX-License-Identifier: GPL-2.0
/*
 * aot_edit: a test tool, not part of ptrace1.  It reads an artifact, changes
 * one thing the way another kernel, another ptrace1 or a damaged compiler
 * would have made it, and writes it again with the artifact's own writer, so
 * that its checksum is right and only the check that matters can refuse it.
 * Or it writes the artifact of a program file (checked as with -c), or of a
 * C file's object with --set values, with a stub for the object, without
 * the compiler: the fuzzer's seeds.
 *
 *   aot_edit new PROGRAM OUT
 *   aot_edit new-c FILE.c OUT [NAME=VALUE...]
 *   aot_edit IN OUT field NAME OFFSET   the stored offset of tracepoint field NAME
 *   aot_edit IN OUT tracepoint EV       the first tracepoint's event name
 *   aot_edit IN OUT version V           the ptrace1 version that compiled it
 *   aot_edit IN OUT keysize MAP N       the size of map MAP's first key, a string
 *   aot_edit IN OUT object BYTES        the BPF object
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "artifact.h"
#include "lower.h"
#include "parse.h"

static int edit(struct artifact *a, char **argv)
{
	if (!strcmp(argv[0], "field") && argv[1] && argv[2]) {
		for (size_t i = 0; i < a->c.nfmts; i++) {
			struct tp_field *f = (struct tp_field *)tpfmt_field(a->c.fmts[i], argv[1]);

			if (f) {
				f->offset = (unsigned int)strtoul(argv[2], NULL, 0);
				return 0;
			}
		}
	} else if (!strcmp(argv[0], "tracepoint") && argv[1] && a->c.nfmts) {
		free(a->c.fmts[0]->ev);
		a->c.fmts[0]->ev = strdup(argv[1]);
		return a->c.fmts[0]->ev ? 0 : -ENOMEM;
	} else if (!strcmp(argv[0], "version") && argv[1]) {
		snprintf(a->origin.version, sizeof(a->origin.version), "%s", argv[1]);
		return 0;
	} else if (!strcmp(argv[0], "object") && argv[1]) {
		free(a->obj);
		a->obj_len = strlen(argv[1]);
		a->obj = strdup(argv[1]);
		return a->obj ? 0 : -ENOMEM;
	} else if (!strcmp(argv[0], "keysize") && argv[1] && argv[2]) {
		for (size_t i = 0; i < a->c.nmaps; i++) {
			struct map_desc *m = &a->c.maps[i];

			if (!strcmp(m->name, argv[1]) && m->nkeys && m->keys[0].type.kind == TYPE_STR) {
				m->keys[0].type.size = (unsigned int)strtoul(argv[2], NULL, 0);
				return 0;
			}
		}
	}
	return -EINVAL;
}

/* Not an ELF file, but all the reader looks at of one. */
static const char stub[] = "\177ELF";

static int write_new(const char *text, size_t len, const char *name, const char *out_path)
{
	struct source src = { .name = name, .text = text, .len = len };
	struct sema_opts so = { .strlen = 64, .have_cpid = true, .map_keys_max = 4096 };
	struct artifact a = { .obj = (void *)stub, .obj_len = sizeof(stub) - 1 };
	struct program prog = { 0 };
	struct diag d;
	int ret;

	diag_init(&d, &src, stderr);
	ret = parse_program(&src, &d, &prog);
	if (!ret)
		ret = sema_check(&prog, &so, &d, &a.c);
	if (ret)
		diag_finish(&d);
	if (!ret)
		ret = lower_attach_specs(&a.c, &a.specs);
	if (!ret)
		ret = artifact_write(out_path, name, &a);
	free(a.specs);
	checked_free(&a.c);
	program_free(&prog);
	return ret ? 1 : 0;
}

static int write_new_c(const char *name, const char *out_path, char **sets, size_t nsets)
{
	struct artifact a = { .is_c = true, .sets = sets, .nsets = nsets, .obj = (void *)stub,
			      .obj_len = sizeof(stub) - 1 };

	return artifact_write(out_path, name, &a) ? 1 : 0;
}

int main(int argc, char **argv)
{
	static char buf[1 << 24];
	struct artifact_error err;
	struct artifact a;
	struct strbuf out;
	const char *path;
	size_t len;
	FILE *f;
	int ret;

	if (argc >= 4 && !strcmp(argv[1], "new-c"))
		return write_new_c(argv[2], argv[3], argv + 4, (size_t)(argc - 4));
	if (argc < 4 || (argc < 5 && strcmp(argv[1], "new"))) {
		fprintf(stderr, "usage: aot_edit IN OUT field|tracepoint|version|keysize|object ARG...\n"
			"       aot_edit new PROGRAM OUT\n"
			"       aot_edit new-c FILE.c OUT [NAME=VALUE...]\n");
		return 2;
	}
	path = !strcmp(argv[1], "new") ? argv[2] : argv[1];
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (!strcmp(argv[1], "new"))
		return write_new(buf, len, argv[2], argv[3]);
	ret = artifact_decode(buf, len, &a, &err);
	if (ret) {
		fprintf(stderr, "aot_edit: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	if (edit(&a, argv + 3)) {
		fprintf(stderr, "aot_edit: %s: nothing to edit as asked\n", argv[1]);
		artifact_free(&a);
		return 1;
	}
	sb_init(&out);
	ret = artifact_encode(&a, &out);
	if (!ret)
		ret = artifact_save(argv[2], out.buf, out.len);
	if (ret)
		fprintf(stderr, "aot_edit: %s: %s\n", argv[2], strerror(-ret));
	sb_free(&out);
	artifact_free(&a);
	return ret ? 1 : 0;
}
