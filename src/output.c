// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "json.h"
#include "mapops.h"
#include "mapprint.h"
#include "output.h"
#include "syscalls.h"

void output_init(struct output *o, const struct checked *c, const int *map_fds, bool json,
		 FILE *out)
{
	memset(o, 0, sizeof(*o));
	o->c = c;
	o->out = out;
	o->map_fds = map_fds;
	o->json = json;
	sb_init(&o->text);
}

void output_attached(struct output *o, size_t nprobes)
{
	if (o->json)
		fprintf(o->out, "{\"type\": \"attached_probes\", \"data\": {\"probes\": %zu}}\n",
			nprobes);
	else
		fprintf(stderr, "Attaching %zu probe%s...\n", nprobes, nprobes == 1 ? "" : "s");
}

void output_lost(struct output *o, uint64_t n)
{
	if (o->json)
		fprintf(o->out, "{\"type\": \"lost_events\", \"data\": {\"events\": %llu}}\n",
			(unsigned long long)n);
	else
		fprintf(stderr, "Lost %llu events\n", (unsigned long long)n);
}

/* Wrap the text of a record as {"type": TYPE, "data": "text"}. */
static int json_wrap(struct output *o, const char *type, size_t from)
{
	struct strbuf j;

	sb_init(&j);
	sb_printf(&j, "{\"type\": \"%s\", \"data\": ", type);
	json_string(&j, o->text.buf + from, o->text.len - from);
	sb_puts(&j, "}\n");
	o->text.len = from;
	sb_add(&o->text, j.buf ? j.buf : "", j.len);
	sb_free(&j);
	return o->text.err;
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

/* One value of type @t at @p (the buffer of a string is @t->size bytes). */
static void print_scalar(struct strbuf *out, const struct type *t, const char *p, bool json)
{
	const char *name;
	int64_t v;

	if (t->kind == TYPE_STR) {
		if (json)
			json_string(out, p, str_len(p, t->size));
		else
			sb_add(out, p, str_len(p, t->size));
		return;
	}
	memcpy(&v, p, sizeof(v));
	name = t->is_syscall ? syscall_name_of((long)v) : NULL;
	if (name && json)
		json_string(out, name, strlen(name));
	else if (name)
		sb_puts(out, name);
	else if (t->is_signed)
		sb_printf(out, "%" PRId64, v);
	else
		sb_printf(out, "%" PRIu64, (uint64_t)v);
}

/* (1, two, 3) as bpftrace prints a tuple; [1,"two",3] in JSON. */
static void print_value(struct strbuf *out, const struct event_arg *a, const char *data,
			bool json)
{
	const struct tuple_type *t = a->type.tuple;

	if (a->type.kind != TYPE_TUPLE) {
		print_scalar(out, &a->type, data + a->offset, json);
		return;
	}
	sb_putc(out, json ? '[' : '(');
	for (size_t i = 0; i < t->n; i++) {
		if (i)
			sb_puts(out, json ? "," : ", ");
		print_scalar(out, &t->elems[i], data + a->offset + t->offsets[i], json);
	}
	sb_putc(out, json ? ']' : ')');
}

/* time(): the wall-clock time when the record is read, as bpftrace does. */
static void render_time(struct strbuf *out, const char *fmt)
{
	char buf[512];
	struct tm tm;
	time_t now = time(NULL);
	size_t n;

	localtime_r(&now, &tm);
	n = strftime(buf, sizeof(buf), fmt, &tm);
	sb_add(out, buf, n);
}

/* join(): a count, then JOIN_MAX_ARGS string slots (see lower_join). */
static void render_join(struct output *o, const struct event_desc *ev, const char *data,
			size_t size)
{
	unsigned int slot = (o->c->opts.strlen + 7) & ~7u;
	uint64_t n;

	memcpy(&n, data + EVENT_HDR_SIZE, sizeof(n));
	for (uint64_t i = 0; i < n && i < JOIN_MAX_ARGS; i++) {
		const char *s = data + EVENT_HDR_SIZE + 8 + i * slot;

		if (i)
			sb_add(&o->text, ev->fmt.text, ev->fmt.len);
		sb_add(&o->text, s, str_len(s, slot));
	}
	/* argv had more than the slots hold: say so rather than cut silently. */
	if (n > JOIN_MAX_ARGS) {
		sb_add(&o->text, ev->fmt.text, ev->fmt.len);
		sb_puts(&o->text, "...");
	}
	if (!o->json)
		sb_putc(&o->text, '\n');
}

static int map_event(struct output *o, const struct event_desc *ev)
{
	const struct map_desc *m = &o->c->maps[ev->map];
	int fd = o->map_fds[ev->map];

	switch (ev->kind) {
	case EVENT_MAP_PRINT:
		if (o->json)
			return mapprint_print_json(fd, m, ev->top, ev->div, o->out);
		return mapprint_print(fd, m, ev->top, ev->div, o->out);
	case EVENT_MAP_CLEAR:
		return mapops_clear(fd, m);
	case EVENT_MAP_ZERO:
		return mapops_zero(fd, m);
	default:
		return 0;
	}
}

static int map_name_cmp(const void *a, const void *b, void *ctx)
{
	const struct map_desc *maps = ctx;

	return strcmp(maps[*(const size_t *)a].name, maps[*(const size_t *)b].name);
}

int output_maps(struct output *o)
{
	size_t n = o->c->nmaps, *order;
	int err = 0;

	if (!n)
		return 0;
	order = calloc(n, sizeof(*order));
	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), map_name_cmp, o->c->maps);
	/* bpftrace 0.17 separates the trace from the maps with two newlines (not in NDJSON). */
	if (!o->json)
		fputs("\n\n", o->out);
	for (size_t i = 0; i < n && !err; i++) {
		const struct map_desc *m = &o->c->maps[order[i]];
		int fd = o->map_fds[order[i]];

		/* An empty map prints nothing. */
		if (o->json)
			err = mapprint_print_json(fd, m, 0, 0, o->out);
		else
			err = mapprint_print(fd, m, 0, 0, o->out);
	}
	free(order);
	return err;
}

int output_record(void *ctx, void *data, size_t size)
{
	struct output *o = ctx;
	const struct event_desc *ev;
	union fmt_value vals[64];
	char nums[64][24];
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
				continue;
			}
			memcpy(&vals[i].i, p, sizeof(vals[i].i));
			/* %s of syscall_name(): the name, or the number when unknown. */
			if (a->type.is_syscall && ev->fmt.convs[i].want == FMT_WANT_STR) {
				const char *name = syscall_name_of((long)vals[i].i);

				if (!name) {
					snprintf(nums[i], sizeof(nums[i]), "%" PRId64, vals[i].i);
					name = nums[i];
				}
				vals[i].str.s = name;
				vals[i].str.len = strlen(name);
			}
		}
		fmt_render(&ev->fmt, vals, &o->text);
		if (o->json)
			json_wrap(o, "printf", 0);
		break;
	case EVENT_PRINT:
		if (o->json)
			sb_puts(&o->text, "{\"type\": \"value\", \"data\": ");
		print_value(&o->text, &ev->args[0], data, o->json);
		sb_puts(&o->text, o->json ? "}\n" : "\n");
		break;
	case EVENT_EXIT:
		o->exit = true;
		break;
	case EVENT_TIME:
		render_time(&o->text, ev->fmt.text);
		if (o->json)
			json_wrap(o, "time", 0);
		break;
	case EVENT_JOIN:
		render_join(o, ev, data, size);
		if (o->json)
			json_wrap(o, "join", 0);
		break;
	case EVENT_MAP_PRINT:
	case EVENT_MAP_CLEAR:
	case EVENT_MAP_ZERO:
		/* Maps are written directly: flush what came before them. */
		return map_event(o, ev);
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
