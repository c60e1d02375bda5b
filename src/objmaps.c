// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btfprint.h"
#include "json.h"
#include "objmaps.h"
#include "strbuf.h"

/* One map, read: its entries as the kernel gave them, then sorted. */
struct map_read {
	const struct bpf_map *map;
	const struct btf *btf;
	__u32 key_type, value_type;	/* 0: no BTF, bytes */
	size_t key_size, value_size;
	bool array;			/* keys are indexes */
	bool percpu;
	bool summed;			/* per-CPU values added up into one */
	size_t ncpus;
	size_t stride;			/* bytes of one CPU's value in a lookup */
	size_t entry_size;		/* key, then the value (or every CPU's) */
	unsigned char *entries;
	size_t n, cap;
};

static bool printed(const struct bpf_map *map)
{
	if (bpf_map__is_internal(map))
		return false;
	switch (bpf_map__type(map)) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_LPM_TRIE:
		return true;
	default:
		return false;
	}
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i])
			return false;
	}
	return true;
}

/* Keep @key and its looked-up value @val (a value per CPU for per-CPU maps). */
static int add_entry(struct map_read *r, const void *key, const unsigned char *val)
{
	unsigned char *e;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;

		e = realloc(r->entries, cap * r->entry_size);
		if (!e)
			return -ENOMEM;
		r->entries = e;
		r->cap = cap;
	}
	e = r->entries + r->n++ * r->entry_size;
	memcpy(e, key, r->key_size);
	e += r->key_size;
	if (!r->percpu) {
		memcpy(e, val, r->value_size);
		return 0;
	}
	if (!r->summed) {
		memcpy(e, val, r->stride * r->ncpus);
		return 0;
	}
	memcpy(e, val, r->value_size);
	for (size_t cpu = 1; cpu < r->ncpus; cpu++)
		btfprint_add(r->btf, r->value_type, e, val + cpu * r->stride);
	return 0;
}

static int read_entries(struct map_read *r, int fd)
{
	size_t vbytes = r->percpu ? r->stride * r->ncpus : r->value_size;
	unsigned char *key = calloc(1, r->key_size), *next = calloc(1, r->key_size);
	unsigned char *val = calloc(1, vbytes);
	void *prev = NULL;
	int err = 0;

	if (!key || !next || !val) {
		err = -ENOMEM;
		goto out;
	}
	if (r->array) {
		for (__u32 i = 0; i < bpf_map__max_entries(r->map) && !err; i++) {
			if (bpf_map_lookup_elem(fd, &i, val))
				continue;
			/* Every index exists in an array: only those a program wrote say something. */
			if (!all_zero(val, vbytes))
				err = add_entry(r, &i, val);
		}
		goto out;
	}
	while (!err && !bpf_map_get_next_key(fd, prev, next)) {
		memcpy(key, next, r->key_size);
		prev = key;
		/* Gone since: skip it. */
		if (!bpf_map_lookup_elem(fd, key, val))
			err = add_entry(r, key, val);
	}
out:
	free(key);
	free(next);
	free(val);
	return err;
}

static int cmp_entries(const void *a, const void *b, void *ctx)
{
	const struct map_read *r = ctx;

	if (r->key_type)
		return btfprint_compare(r->btf, r->key_type, a, b);
	return memcmp(a, b, r->key_size);
}

static void print_key(struct strbuf *out, const struct map_read *r, const unsigned char *key,
		      bool json)
{
	__u32 index;

	if (r->key_type) {
		btfprint_value(out, r->btf, r->key_type, key, json);
	} else if (r->array) {
		memcpy(&index, key, sizeof(index));
		sb_printf(out, "%u", index);
	} else {
		btfprint_bytes(out, key, r->key_size, json);
	}
}

static void print_one(struct strbuf *out, const struct map_read *r, const unsigned char *val,
		      bool json)
{
	if (r->value_type)
		btfprint_value(out, r->btf, r->value_type, val, json);
	else
		btfprint_bytes(out, val, r->value_size, json);
}

/* The value, or [cpu0, cpu1, ...] when the CPUs' values do not add up. */
static void print_value(struct strbuf *out, const struct map_read *r, const unsigned char *val,
			bool json)
{
	if (!r->percpu || r->summed) {
		print_one(out, r, val, json);
		return;
	}
	sb_putc(out, '[');
	for (size_t cpu = 0; cpu < r->ncpus; cpu++) {
		if (cpu)
			sb_puts(out, ", ");
		print_one(out, r, val + cpu * r->stride, json);
	}
	sb_putc(out, ']');
}

static void format(const struct map_read *r, bool json, struct strbuf *out)
{
	const char *name = bpf_map__name(r->map);

	if (json) {
		sb_puts(out, "{\"type\": \"map\", \"data\": {");
		json_string(out, name, strlen(name));
		sb_puts(out, ": [");
	}
	for (size_t i = 0; i < r->n; i++) {
		const unsigned char *e = r->entries + i * r->entry_size;

		if (json) {
			sb_puts(out, i ? ", {\"key\": " : "{\"key\": ");
			print_key(out, r, e, json);
			sb_puts(out, ", \"value\": ");
			print_value(out, r, e + r->key_size, json);
			sb_putc(out, '}');
			continue;
		}
		sb_printf(out, "%s[", name);
		print_key(out, r, e, json);
		sb_puts(out, "]: ");
		print_value(out, r, e + r->key_size, json);
		sb_putc(out, '\n');
	}
	if (json)
		sb_puts(out, "]}}\n");
}

static int read_map(const struct bpf_map *map, const struct btf *btf, struct map_read *r)
{
	int ncpus = libbpf_num_possible_cpus();
	enum bpf_map_type type = bpf_map__type(map);

	memset(r, 0, sizeof(*r));
	if (ncpus < 0)
		return ncpus;
	r->map = map;
	r->btf = btf;
	r->key_type = btf ? bpf_map__btf_key_type_id(map) : 0;
	r->value_type = btf ? bpf_map__btf_value_type_id(map) : 0;
	r->key_size = bpf_map__key_size(map);
	r->value_size = bpf_map__value_size(map);
	r->array = type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY;
	r->percpu = type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
		    type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	r->ncpus = r->percpu ? (size_t)ncpus : 1;
	/* The kernel gives each CPU's value 8-byte aligned. */
	r->stride = r->percpu ? (r->value_size + 7) & ~(size_t)7 : r->value_size;
	r->summed = r->percpu && r->value_type && btfprint_summable(btf, r->value_type);
	r->entry_size = r->key_size + (r->percpu && !r->summed ? r->stride * r->ncpus
							      : r->value_size);
	return read_entries(r, bpf_map__fd(map));
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(bpf_map__name(*(const struct bpf_map *const *)a),
		      bpf_map__name(*(const struct bpf_map *const *)b));
}

int objmaps_print(struct bpf_object *obj, bool json, FILE *out)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct bpf_map **maps = NULL, **p;
	struct bpf_map *map;
	struct map_read r = { 0 };
	struct strbuf text;
	size_t n = 0;
	int err = 0;

	sb_init(&text);
	bpf_object__for_each_map(map, obj) {
		if (!printed(map))
			continue;
		p = realloc(maps, (n + 1) * sizeof(*maps));
		if (!p) {
			err = -ENOMEM;
			goto out;
		}
		maps = p;
		maps[n++] = map;
	}
	if (n)
		qsort(maps, n, sizeof(*maps), name_cmp);
	for (size_t i = 0; i < n && !err; i++) {
		err = read_map(maps[i], btf, &r);
		if (!err && r.n) {
			qsort_r(r.entries, r.n, r.entry_size, cmp_entries, &r);
			/* The trace, then a blank line, then the maps. */
			if (!json && !text.len)
				sb_putc(&text, '\n');
			format(&r, json, &text);
		}
		free(r.entries);
	}
	if (!err)
		err = text.err;
	if (!err && text.len && fwrite(text.buf, 1, text.len, out) != text.len)
		err = -errno ?: -EIO;
out:
	free(maps);
	sb_free(&text);
	return err;
}
