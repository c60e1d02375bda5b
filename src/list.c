// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "probe.h"
#include "tpfmt.h"

/* A tracepoint's fields but the common ones, as `bpftrace -lv` shows them. */
static void print_fields(FILE *out, const struct tp_format *fmt)
{
	for (size_t i = 0; i < fmt->nfields; i++) {
		if (!fmt->fields[i].is_common)
			fprintf(out, "    %s\n", fmt->fields[i].decl);
	}
}

/* A write error ends the list; a closed pipe (ptrace1 -l | head) quietly. */
static int finish(FILE *out, int err)
{
	if (ferror(out) || fflush(out)) {
		int werr = errno ? -errno : -EIO;

		if (werr != -EPIPE)
			fprintf(stderr, "ptrace1: cannot write the list: %s\n", strerror(-werr));
		return werr;
	}
	return err;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct probe *)a)->name, ((const struct probe *)b)->name);
}

int list_tracepoints(FILE *out, const char *glob, bool fields)
{
	struct probe_error perr;
	struct tp_format *fmt;
	struct probe *v;
	size_t n;
	int err, failed = 0;

	err = probe_tracepoints(glob ? glob : "tracepoint:*:*", &v, &n, &perr);
	if (err) {
		if (err == -ENOMEM)
			fprintf(stderr, "ptrace1: listing tracepoints: %s\n", strerror(-err));
		else
			fprintf(stderr, "ptrace1: %s\n", perr.msg);
		if (perr.hint[0])
			fprintf(stderr, "hint: %s\n", perr.hint);
		else if (err == -EPERM || err == -EACCES)
			fprintf(stderr, "hint: tracefs is root's: listing needs root, as tracing does\n");
		return err;
	}
	/* bpftrace's order: by the whole name, so fib6:... comes before fib:... */
	qsort(v, n, sizeof(*v), by_name);
	for (size_t i = 0; i < n && !ferror(out); i++) {
		fprintf(out, "%s\n", v[i].name);
		if (!fields)
			continue;
		err = tpfmt_load(v[i].cat, v[i].ev, &fmt);
		if (err) {
			/* One unreadable format does not hide the others. */
			fprintf(stderr, "ptrace1: cannot read the format of %s: %s\n", v[i].name,
				strerror(-err));
			failed = err;
			continue;
		}
		print_fields(out, fmt);
		tpfmt_free(fmt);
	}
	free(v);
	return finish(out, failed);
}

int list_program(FILE *out, const struct checked *c, bool fields)
{
	for (size_t i = 0; i < c->nprobes && !ferror(out); i++) {
		const struct sema_probe *p = &c->probes[i];
		bool seen = false;

		/* Once, even when two actions share it. */
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(c->probes[j].probe.name, p->probe.name);
		if (seen)
			continue;
		fprintf(out, "%s\n", p->probe.name);
		if (fields && p->fmt)
			print_fields(out, p->fmt);
	}
	return finish(out, 0);
}
