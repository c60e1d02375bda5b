// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btfprint.h"
#include "json.h"
#include "objevents.h"

/* Pages of each CPU's perf buffer: 256 KiB with 4 KiB pages. */
#define PERF_BUFFER_PAGES 64

__u32 objevents_type(const struct btf *btf)
{
	__u32 n = btf ? btf__type_cnt(btf) : 0, found = 0, id;
	bool several = false;
	__s32 event;

	for (__u32 i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);

		if (!btf_is_var(t))
			continue;
		id = t->type;
		t = btfprint_resolve(btf, &id);
		if (!t || !btf_is_ptr(t))
			continue;
		id = t->type;
		t = btfprint_resolve(btf, &id);
		if (!t || !btf_is_struct(t))
			continue;
		several |= found && found != id;
		found = id;
	}
	if (found && !several)
		return found;
	event = btf ? btf__find_by_name_kind(btf, "event", BTF_KIND_STRUCT) : -ENOENT;
	return event > 0 ? (__u32)event : 0;
}

static int print_record(struct objevent_map *m, const void *data, size_t size)
{
	struct objevents *ev = m->ev;
	__s64 tsize = ev->type ? btf__resolve_size(ev->btf, ev->type) : -1;
	struct strbuf *t = &ev->text;

	t->len = 0;
	if (ev->json) {
		sb_puts(t, "{\"type\": \"event\", \"data\": {");
		json_string(t, m->name, strlen(m->name));
		sb_puts(t, ": ");
	} else if (ev->named) {
		sb_printf(t, "%s: ", m->name);
	}
	/* A record shorter than the struct is not one: its bytes, then. */
	if (tsize > 0 && size >= (size_t)tsize)
		btfprint_value(t, ev->btf, ev->type, data, ev->json);
	else
		btfprint_bytes(t, data, size, ev->json);
	sb_puts(t, ev->json ? "}}\n" : "\n");
	if (t->err)
		return t->err;
	if (fwrite(t->buf, 1, t->len, ev->out) != t->len)
		return -errno ?: -EIO;
	return 0;
}

static int ringbuf_record(void *ctx, void *data, size_t size)
{
	return print_record(ctx, data, size);
}

static void perf_record(void *ctx, int cpu, void *data, __u32 size)
{
	struct objevent_map *m = ctx;
	int err = print_record(m, data, size);

	if (err && !m->ev->err)
		m->ev->err = err;
}

static void perf_lost(void *ctx, int cpu, __u64 n)
{
	struct objevent_map *m = ctx;

	m->ev->lost += n;
}

static int drain_ringbufs(void *ctx)
{
	struct objevents *ev = ctx;
	int err = ring_buffer__consume(ev->rb);

	return err < 0 ? err : 0;
}

static int drain_perfbuf(void *ctx)
{
	struct objevent_map *m = ctx;
	int err = perf_buffer__consume(m->pb);

	if (err < 0)
		return err;
	return m->ev->err;
}

static int add_map(struct objevents *ev, struct bpf_map *map, struct loop *l)
{
	struct objevent_map *m = &ev->maps[ev->nmaps++];
	int fd = bpf_map__fd(map), err;

	m->ev = ev;
	m->name = bpf_map__name(map);
	if (bpf_map__type(map) == BPF_MAP_TYPE_RINGBUF) {
		if (ev->rb)
			return ring_buffer__add(ev->rb, fd, ringbuf_record, m);
		ev->rb = ring_buffer__new(fd, ringbuf_record, m, NULL);
		if (!ev->rb)
			return -errno;
		return loop_add(l, ring_buffer__epoll_fd(ev->rb), drain_ringbufs, ev);
	}
	m->pb = perf_buffer__new(fd, PERF_BUFFER_PAGES, perf_record, perf_lost, m, NULL);
	if (!m->pb) {
		err = -errno;
		return err;
	}
	return loop_add(l, perf_buffer__epoll_fd(m->pb), drain_perfbuf, m);
}

static bool is_event_map(const struct bpf_map *map)
{
	return bpf_map__type(map) == BPF_MAP_TYPE_RINGBUF ||
	       bpf_map__type(map) == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
}

int objevents_open(struct objevents *ev, struct bpf_object *obj, struct loop *l, bool json,
		   FILE *out)
{
	struct bpf_map *map;
	size_t n = 0;
	int err;

	memset(ev, 0, sizeof(*ev));
	sb_init(&ev->text);
	ev->out = out;
	ev->json = json;
	ev->btf = bpf_object__btf(obj);
	ev->type = objevents_type(ev->btf);
	bpf_object__for_each_map(map, obj)
		n += is_event_map(map);
	if (!n)
		return 0;
	ev->named = n > 1;
	ev->maps = calloc(n, sizeof(*ev->maps));
	if (!ev->maps)
		return -ENOMEM;
	bpf_object__for_each_map(map, obj) {
		if (!is_event_map(map))
			continue;
		err = add_map(ev, map, l);
		if (err)
			return err;
	}
	return 0;
}

int objevents_finish(struct objevents *ev)
{
	unsigned long long lost;
	int err = ev->rb ? drain_ringbufs(ev) : 0;

	for (size_t i = 0; i < ev->nmaps && !err; i++) {
		if (ev->maps[i].pb)
			err = drain_perfbuf(&ev->maps[i]);
	}
	lost = ev->lost;
	/* As for a program's ring buffer: on stderr, or in the JSON stream. */
	if (lost && ev->json)
		fprintf(ev->out, "{\"type\": \"lost_events\", \"data\": {\"events\": %llu}}\n", lost);
	else if (lost)
		fprintf(stderr, "Lost %llu events\n", lost);
	return err;
}

void objevents_close(struct objevents *ev)
{
	ring_buffer__free(ev->rb);
	for (size_t i = 0; i < ev->nmaps; i++)
		perf_buffer__free(ev->maps[i].pb);
	free(ev->maps);
	sb_free(&ev->text);
	memset(ev, 0, sizeof(*ev));
}
