// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "output.h"

void output_init(struct output *o, const struct checked *c, FILE *out)
{
	memset(o, 0, sizeof(*o));
	o->c = c;
	o->out = out;
	sb_init(&o->text);
}

void output_free(struct output *o)
{
	sb_free(&o->text);
}

static size_t str_len(const char *s, size_t max)
{
	const char *nul = memchr(s, '\0', max);

	return nul ? (size_t)(nul - s) : max;
}

static void print_value(struct strbuf *out, const struct event_arg *a, const char *data)
{
	int64_t v;

	if (a->type.kind == TYPE_STR) {
		sb_add(out, data + a->offset, str_len(data + a->offset, a->size));
		return;
	}
	memcpy(&v, data + a->offset, sizeof(v));
	if (a->type.is_signed)
		sb_printf(out, "%" PRId64, v);
	else
		sb_printf(out, "%" PRIu64, (uint64_t)v);
}

int output_record(void *ctx, void *data, size_t size)
{
	struct output *o = ctx;
	const struct event_desc *ev;
	union fmt_value vals[64];
	uint32_t id;

	if (size < EVENT_HDR_SIZE)
		goto bad;
	memcpy(&id, data, sizeof(id));
	if (id >= o->c->nevents)
		goto bad;
	ev = &o->c->events[id];
	if (size < ev->size || ev->nargs > sizeof(vals) / sizeof(*vals))
		goto bad;
	o->text.len = 0;
	switch (ev->kind) {
	case EVENT_PRINTF:
		for (size_t i = 0; i < ev->nargs; i++) {
			const struct event_arg *a = &ev->args[i];
			const char *p = (const char *)data + a->offset;

			if (a->type.kind == TYPE_STR) {
				vals[i].str.s = p;
				vals[i].str.len = str_len(p, a->size);
			} else {
				memcpy(&vals[i].i, p, sizeof(vals[i].i));
			}
		}
		fmt_render(&ev->fmt, vals, &o->text);
		break;
	case EVENT_PRINT:
		print_value(&o->text, &ev->args[0], data);
		sb_putc(&o->text, '\n');
		break;
	}
	if (o->text.err)
		return o->text.err;
	if (o->text.len && fwrite(o->text.buf, 1, o->text.len, o->out) != o->text.len)
		return -errno ?: -EIO;
	return 0;
bad:
	o->bad++;
	return 0;
}

int output_lost(int fd, uint64_t *total)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t *vals;
	uint32_t zero = 0;

	*total = 0;
	if (ncpus <= 0)
		return ncpus ?: -EINVAL;
	vals = calloc(ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &zero, vals)) {
		free(vals);
		return -errno;
	}
	for (int i = 0; i < ncpus; i++)
		*total += vals[i];
	free(vals);
	return 0;
}
