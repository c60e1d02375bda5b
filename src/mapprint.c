// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "json.h"
#include "mapprint.h"
#include "syscalls.h"

#define BAR_WIDTH 52

static const char bar_full[BAR_WIDTH + 1] =
	"@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";

static bool is_hist(const struct map_desc *m)
{
	return m->kind == MAP_HIST || m->kind == MAP_LHIST;
}

/* Whether the map's integer value (count, sum, min, max, a plain int) is signed. */
static bool val_signed(const struct map_desc *m)
{
	return m->nvalues && m->values[0].type.is_signed;
}

static int64_t load_i64(const unsigned char *p)
{
	int64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

size_t mapprint_nbuckets(const struct map_desc *m)
{
	if (m->kind == MAP_HIST)
		return MAP_HIST_BUCKETS;
	if (m->kind != MAP_LHIST || m->lhist_step <= 0 || m->lhist_max <= m->lhist_min)
		return 0;
	return 2 + (m->lhist_max - m->lhist_min) / m->lhist_step;
}

struct map_entry *map_entries_add(struct map_entries *e, const struct map_desc *m,
				  const void *key)
{
	struct map_entry *ent;

	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 16;
		struct map_entry *v = reallocarray(e->v, cap, sizeof(*v));

		if (!v)
			return NULL;
		e->v = v;
		e->cap = cap;
	}
	ent = &e->v[e->n];
	memset(ent, 0, sizeof(*ent));
	ent->key = calloc(1, m->user_key_size);
	if (!ent->key)
		goto fail;
	if (key)
		memcpy(ent->key, key, m->user_key_size);
	if (m->kind == MAP_VALUE) {
		ent->value = calloc(1, m->value_size);
		if (!ent->value)
			goto fail;
	}
	if (is_hist(m)) {
		ent->buckets = calloc(mapprint_nbuckets(m), sizeof(*ent->buckets));
		if (!ent->buckets)
			goto fail;
	}
	e->n++;
	return ent;
fail:
	free(ent->key);
	free(ent->value);
	return NULL;
}

void map_entries_free(struct map_entries *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].key);
		free(e->v[i].value);
		free(e->v[i].buckets);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* Per-CPU u64s (counts, sums, hist buckets) added up; unsigned, so a sum wraps as in BPF. */
static uint64_t sum_cpus(const unsigned char *vals, size_t ncpus, size_t stride)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < ncpus; i++)
		sum += (uint64_t)load_i64(vals + i * stride);
	return sum;
}

/* Fold @ncpus per-CPU values, @stride bytes apart, into @ent. */
static void combine(const struct map_desc *m, struct map_entry *ent, const unsigned char *vals,
		    size_t ncpus, size_t stride)
{
	bool sgn = val_signed(m), seen = false;
	struct map_minmax mm;
	struct map_avg avg;

	switch (m->kind) {
	case MAP_VALUE:
		memcpy(ent->value, vals, m->value_size);
		return;
	case MAP_COUNT:
	case MAP_SUM:
		ent->val = (int64_t)sum_cpus(vals, ncpus, stride);
		return;
	default:
		break;
	}
	for (size_t i = 0; i < ncpus; i++) {
		const unsigned char *p = vals + i * stride;

		if (m->kind == MAP_AVG || m->kind == MAP_STATS) {
			memcpy(&avg, p, sizeof(avg));
			ent->val = (int64_t)((uint64_t)ent->val + (uint64_t)avg.total);
			ent->count += avg.count;
			continue;
		}
		memcpy(&mm, p, sizeof(mm));
		/* a CPU that never saw a value holds a 0 that is not one */
		if (!mm.set)
			continue;
		if (seen) {
			bool less = sgn ? mm.value < ent->val :
					  (uint64_t)mm.value < (uint64_t)ent->val;

			if (less != (m->kind == MAP_MIN))
				continue;
		}
		ent->val = mm.value;
		seen = true;
	}
}

/*
 * A hist/lhist map has one BPF entry per (user key, bucket).  They are
 * collected as records of the BPF key followed by the count summed over
 * CPUs, then sorted by user key so that each key's buckets come together.
 */
struct hist_recs {
	unsigned char *buf;
	size_t n;
	size_t cap;
	size_t size;	/* of one record: key_size + 8 */
};

static int recs_add(struct hist_recs *r, const void *key, size_t key_size, uint64_t count)
{
	unsigned char *p;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;

		p = reallocarray(r->buf, cap, r->size);
		if (!p)
			return -ENOMEM;
		r->buf = p;
		r->cap = cap;
	}
	p = r->buf + r->n++ * r->size;
	memcpy(p, key, key_size);
	memcpy(p + key_size, &count, sizeof(count));
	return 0;
}

static int rec_cmp(const void *a, const void *b, void *user_key_size)
{
	return memcmp(a, b, *(const unsigned int *)user_key_size);
}

static int group_buckets(const struct map_desc *m, struct hist_recs *r, struct map_entries *out)
{
	size_t nb = mapprint_nbuckets(m);
	struct map_entry *ent = NULL;

	qsort_r(r->buf, r->n, r->size, rec_cmp, (void *)&m->user_key_size);
	for (size_t i = 0; i < r->n; i++) {
		const unsigned char *rec = r->buf + i * r->size;
		uint64_t bucket, count;

		memcpy(&bucket, rec + m->key_size - sizeof(bucket), sizeof(bucket));
		memcpy(&count, rec + m->key_size, sizeof(count));
		if (bucket >= nb)
			return -EINVAL;
		if (!ent || memcmp(ent->key, rec, m->user_key_size)) {
			ent = map_entries_add(out, m, rec);
			if (!ent)
				return -ENOMEM;
		}
		ent->buckets[bucket] += count;
	}
	return 0;
}

/* One BPF entry: a record of a hist/lhist map, an entry of any other. */
static int add_bpf_entry(const struct map_desc *m, const unsigned char *key,
			 const unsigned char *vals, size_t ncpus, size_t stride,
			 struct hist_recs *recs, struct map_entries *out)
{
	struct map_entry *ent;

	if (is_hist(m))
		return recs_add(recs, key, m->key_size, sum_cpus(vals, ncpus, stride));
	ent = map_entries_add(out, m, key);
	if (!ent)
		return -ENOMEM;
	combine(m, ent, vals, ncpus, stride);
	return 0;
}

int mapprint_read(int map_fd, const struct map_desc *m, struct map_entries *out)
{
	struct hist_recs recs = { .size = m->key_size + sizeof(uint64_t) };
	size_t ncpus = 1, stride = m->value_size;
	unsigned char *prev, *key, *vals;
	bool have_prev = false;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (m->key_size < m->user_key_size + (is_hist(m) ? 8 : 0) ||
	    (is_hist(m) && !mapprint_nbuckets(m)))
		return -EINVAL;
	if (m->percpu) {
		int n = libbpf_num_possible_cpus();

		if (n < 0)
			return n;
		ncpus = n;
		/* the kernel hands out each CPU's value rounded up to 8 bytes */
		stride = (m->value_size + 7) & ~7u;
	}
	prev = malloc(m->key_size);
	key = malloc(m->key_size);
	vals = malloc(ncpus * stride);
	if (!prev || !key || !vals) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		if (bpf_map_get_next_key(map_fd, have_prev ? prev : NULL, key)) {
			err = errno == ENOENT ? 0 : -errno;
			break;
		}
		if (bpf_map_lookup_elem(map_fd, key, vals)) {
			/* deleted since get_next_key: carry on from the previous key */
			if (errno == ENOENT)
				continue;
			err = -errno;
			break;
		}
		err = add_bpf_entry(m, key, vals, ncpus, stride, &recs, out);
		if (err)
			break;
		memcpy(prev, key, m->key_size);
		have_prev = true;
	}
	if (!err && is_hist(m))
		err = group_buckets(m, &recs, out);
	/*
	 * bpftrace keeps a keyless count() in an array, so it always has its one
	 * element: @: 0 when nothing was counted (pidpersec.bt relies on it).
	 */
	if (!err && !out->n && m->kind == MAP_COUNT && !m->nkeys) {
		memset(key, 0, m->key_size);
		if (!map_entries_add(out, m, key))
			err = -ENOMEM;
	}
out:
	free(prev);
	free(key);
	free(vals);
	free(recs.buf);
	if (err)
		map_entries_free(out);
	return err;
}

static int64_t avg_of(const struct map_entry *ent)
{
	return ent->count ? ent->val / (int64_t)ent->count : 0;
}

/* Signed division by an unsigned divisor, truncating toward zero as C++ does. */
static int64_t sdiv(int64_t v, uint64_t div)
{
	return (int64_t)((__int128)v / (__int128)div);
}

static void put_int(struct strbuf *out, int64_t v, bool is_signed, uint64_t div)
{
	if (is_signed)
		sb_printf(out, "%" PRId64, sdiv(v, div));
	else
		sb_printf(out, "%" PRIu64, (uint64_t)v / div);
}

/* A key or value field: strings up to their NUL, unquoted. */
static void put_field(struct strbuf *out, const struct map_field *f, const unsigned char *base,
		      uint64_t div)
{
	const char *s = (const char *)base + f->offset, *name;

	if (f->type.kind == TYPE_STR)
		sb_add(out, s, strnlen(s, f->type.size));
	else if (f->type.is_syscall && (name = syscall_name_of((long)load_i64(base + f->offset))))
		sb_puts(out, name);
	else
		put_int(out, load_i64(base + f->offset), f->type.is_signed, div);
}

/* "@name: " or "@name[k1, k2]: " */
static void put_key(struct strbuf *out, const struct map_desc *m, const unsigned char *key)
{
	sb_printf(out, "@%s", m->name);
	for (size_t i = 0; i < m->nkeys; i++) {
		sb_puts(out, i ? ", " : "[");
		put_field(out, &m->keys[i], key, 1);
	}
	sb_puts(out, m->nkeys ? "]: " : ": ");
}

static void put_value(struct strbuf *out, const struct map_desc *m, const unsigned char *value,
		      uint64_t div)
{
	if (m->tuple)
		sb_putc(out, '(');
	for (size_t i = 0; i < m->nvalues; i++) {
		if (i)
			sb_puts(out, ", ");
		put_field(out, &m->values[i], value, div);
	}
	if (m->tuple)
		sb_putc(out, ')');
}

/* 2^@power as bpftrace labels hist buckets: 512, 1K, 2K, ..., 1M, ..., 8E. */
static void pow_label(char *buf, size_t size, unsigned int power)
{
	static const char *const suffix[] = { "", "K", "M", "G", "T", "P", "E" };

	snprintf(buf, size, "%" PRIu64 "%s", (uint64_t)1 << (power % 10), suffix[power / 10]);
}

static void hist_label(char *buf, size_t size, size_t i)
{
	char lo[16], hi[16];

	if (i == 0) {
		snprintf(buf, size, "(..., 0)");
	} else if (i == 1) {
		snprintf(buf, size, "[0]");
	} else if (i == 2) {
		snprintf(buf, size, "[1]");
	} else {
		pow_label(lo, sizeof(lo), i - 2);
		pow_label(hi, sizeof(hi), i - 1);
		snprintf(buf, size, "[%s, %s)", lo, hi);
	}
}

/* An lhist bound: exact multiples of 1M and 1K get a suffix, others none. */
static void num_label(char *buf, size_t size, int64_t v)
{
	if (v && v % (1024 * 1024) == 0)
		snprintf(buf, size, "%" PRId64 "M", v / (1024 * 1024));
	else if (v && v % 1024 == 0)
		snprintf(buf, size, "%" PRId64 "K", v / 1024);
	else
		snprintf(buf, size, "%" PRId64, v);
}

static void lhist_label(char *buf, size_t size, const struct map_desc *m, size_t i, size_t nb)
{
	char lo[32], hi[32];

	if (i == 0) {
		num_label(lo, sizeof(lo), m->lhist_min);
		snprintf(buf, size, "(..., %s)", lo);
	} else if (i == nb - 1) {
		num_label(lo, sizeof(lo), m->lhist_max);
		snprintf(buf, size, "[%s, ...)", lo);
	} else {
		num_label(lo, sizeof(lo), m->lhist_min + (int64_t)(i - 1) * m->lhist_step);
		num_label(hi, sizeof(hi), m->lhist_min + (int64_t)i * m->lhist_step);
		snprintf(buf, size, "[%s, %s)", lo, hi);
	}
}

/*
 * bpftrace shows the buckets from the first to the last non-zero one, zeros
 * between included; false when all are zero.
 */
static bool bucket_range(const uint64_t *b, size_t nb, size_t *first, size_t *last)
{
	*first = nb;
	*last = 0;
	for (size_t i = 0; i < nb; i++) {
		if (!b[i])
			continue;
		if (*first == nb)
			*first = i;
		*last = i;
	}
	return *first < nb;
}

/* bpftrace 0.17 divides the printed count by @div but draws the bar from the undivided one. */
static void put_rows(struct strbuf *out, const struct map_desc *m, const uint64_t *b, size_t nb,
		     uint64_t div)
{
	size_t first, last;
	uint64_t max = 0;
	char label[80];

	if (!bucket_range(b, nb, &first, &last))
		return;
	for (size_t i = first; i <= last; i++)
		if (b[i] > max)
			max = b[i];
	for (size_t i = first; i <= last; i++) {
		int bar = (int)((unsigned __int128)b[i] * BAR_WIDTH / max);

		if (m->kind == MAP_HIST)
			hist_label(label, sizeof(label), i);
		else
			lhist_label(label, sizeof(label), m, i, nb);
		sb_printf(out, "%-16s%8" PRIu64 " |%.*s%*s|\n", label, b[i] / div, bar, bar_full,
			  BAR_WIDTH - bar, "");
	}
}

static void put_entry(struct strbuf *out, const struct map_desc *m, const struct map_entry *ent,
		      uint64_t div)
{
	put_key(out, m, ent->key);
	switch (m->kind) {
	case MAP_VALUE:
		put_value(out, m, ent->value, div);
		break;
	case MAP_COUNT:
	case MAP_SUM:
	case MAP_MIN:
	case MAP_MAX:
		put_int(out, ent->val, val_signed(m), div);
		break;
	case MAP_AVG:
		put_int(out, avg_of(ent), true, div);
		break;
	case MAP_STATS:
		sb_printf(out, "count %" PRIu64 ", average %" PRId64 ", total %" PRId64, ent->count,
			  avg_of(ent), ent->val);
		break;
	case MAP_HIST:
	case MAP_LHIST:
		sb_putc(out, '\n');
		put_rows(out, m, ent->buckets, mapprint_nbuckets(m), div);
		break;
	}
	sb_putc(out, '\n');
}

/* An entry and what it sorts by: a value mapped to u64 so that unsigned order is right. */
struct sorted {
	const struct map_entry *ent;
	uint64_t by;
};

static uint64_t signed_order(int64_t v)
{
	return (uint64_t)v ^ ((uint64_t)1 << 63);
}

/* bpftrace's sort rules; strings and tuples (by = 0 for all) sort by key alone. */
static uint64_t sort_value(const struct map_desc *m, const struct map_entry *ent)
{
	uint64_t v = 0;

	switch (m->kind) {
	case MAP_VALUE:
		if (m->tuple || m->nvalues != 1 || m->values[0].type.kind != TYPE_INT)
			return 0;
		v = load_i64(ent->value + m->values[0].offset);
		break;
	case MAP_COUNT:
	case MAP_SUM:
	case MAP_MIN:
	case MAP_MAX:
		v = ent->val;
		break;
	case MAP_AVG:
	case MAP_STATS:
		return signed_order(avg_of(ent));
	case MAP_HIST:
	case MAP_LHIST:
		for (size_t i = 0; i < mapprint_nbuckets(m); i++)
			v += ent->buckets[i];
		return v;
	}
	return val_signed(m) ? signed_order(v) : v;
}

/*
 * Keys field by field, the first one first.  Integers compare unsigned, as
 * bpftrace 0.17 does (a key of -1 sorts after 1).
 */
static int key_cmp(const struct map_desc *m, const unsigned char *a, const unsigned char *b)
{
	for (size_t i = 0; i < m->nkeys; i++) {
		const struct map_field *f = &m->keys[i];
		uint64_t x, y;
		int c;

		if (f->type.kind == TYPE_STR) {
			c = strncmp((const char *)a + f->offset, (const char *)b + f->offset,
				    f->type.size);
		} else {
			x = load_i64(a + f->offset);
			y = load_i64(b + f->offset);
			c = (x > y) - (x < y);
		}
		if (c)
			return c;
	}
	return 0;
}

/* By value, then by key: ties, left to chance by bpftrace, print the same every run. */
static int sorted_cmp(const void *pa, const void *pb, void *arg)
{
	const struct sorted *a = pa, *b = pb;

	if (a->by != b->by)
		return a->by < b->by ? -1 : 1;
	return key_cmp(arg, a->ent->key, b->ent->key);
}

/*
 * The entries of @e (not empty) that print(@m, top) shows, in the order it
 * shows them: sorted, then the last @top kept.  Both output formats print
 * these.  NULL when out of memory.
 */
static struct sorted *select_entries(const struct map_desc *m, const struct map_entries *e,
				     size_t top, size_t *n)
{
	struct sorted *s = malloc(e->n * sizeof(*s));

	if (!s)
		return NULL;
	for (size_t i = 0; i < e->n; i++) {
		s[i].ent = &e->v[i];
		s[i].by = sort_value(m, &e->v[i]);
	}
	qsort_r(s, e->n, sizeof(*s), sorted_cmp, (void *)m);
	*n = e->n;
	/* as in bpftrace 0.17: stats() ignores top */
	if (top && top < e->n && m->kind != MAP_STATS) {
		memmove(s, s + e->n - top, top * sizeof(*s));
		*n = top;
	}
	return s;
}

/* The divisor print(@m, top, div) applies: bpftrace 0.17's stats() and lhist() ignore it. */
static uint64_t map_div(const struct map_desc *m, uint64_t div)
{
	return m->kind == MAP_STATS || m->kind == MAP_LHIST || !div ? 1 : div;
}

void mapprint_format(const struct map_desc *m, const struct map_entries *e, size_t top,
		     uint64_t div, struct strbuf *out)
{
	struct sorted *s;
	size_t n;

	if (!e->n)
		return;
	s = select_entries(m, e, top, &n);
	if (!s) {
		out->err = -ENOMEM;
		return;
	}
	div = map_div(m, div);
	for (size_t i = 0; i < n; i++)
		put_entry(out, m, s[i].ent, div);
	if (m->kind == MAP_AVG || m->kind == MAP_STATS)
		sb_putc(out, '\n');
	free(s);
}

/* -f json: bpftrace 0.17 types avg() and stats() maps "stats", lhist() maps "hist". */
static const char *json_type(const struct map_desc *m)
{
	switch (m->kind) {
	case MAP_AVG:
	case MAP_STATS:
		return "stats";
	case MAP_HIST:
	case MAP_LHIST:
		return "hist";
	default:
		return "map";
	}
}

/* Text as a JSON string: built first, because json_string() escapes a whole buffer. */
static void json_text(struct strbuf *out, const struct strbuf *text)
{
	if (text->err)
		out->err = text->err;
	else
		json_string(out, text->buf ? text->buf : "", text->len);
}

/* "@name" */
static void json_name(struct strbuf *out, const struct map_desc *m)
{
	struct strbuf name;

	sb_init(&name);
	sb_printf(&name, "@%s", m->name);
	json_text(out, &name);
	sb_free(&name);
}

/* The key fields as text, joined by "," as bpftrace 0.17 does: "1,a". */
static void json_key(struct strbuf *out, const struct map_desc *m, const unsigned char *key)
{
	struct strbuf text;

	sb_init(&text);
	for (size_t i = 0; i < m->nkeys; i++) {
		if (i)
			sb_putc(&text, ',');
		put_field(&text, &m->keys[i], key, 1);
	}
	json_text(out, &text);
	sb_free(&text);
}

static void json_field(struct strbuf *out, const struct map_field *f, const unsigned char *base,
		       uint64_t div)
{
	const char *s = (const char *)base + f->offset, *name;

	if (f->type.kind == TYPE_STR)
		json_string(out, s, strnlen(s, f->type.size));
	else if (f->type.is_syscall && (name = syscall_name_of((long)load_i64(base + f->offset))))
		json_string(out, name, strlen(name));
	else
		put_int(out, load_i64(base + f->offset), f->type.is_signed, div);
}

/* A tuple is an array without spaces: [1,"two",3]. */
static void json_value(struct strbuf *out, const struct map_desc *m, const unsigned char *value,
		       uint64_t div)
{
	if (m->tuple)
		sb_putc(out, '[');
	for (size_t i = 0; i < m->nvalues; i++) {
		if (i)
			sb_putc(out, ',');
		json_field(out, &m->values[i], value, div);
	}
	if (m->tuple)
		sb_putc(out, ']');
}

/*
 * One bucket's bounds, inclusive.  bpftrace 0.17 computes hist bounds in
 * int, so from 2^31 up it prints garbage ("min": -2147483648, "max": 0);
 * here they are the true u64 bounds.
 */
static void json_bounds(struct strbuf *out, const struct map_desc *m, size_t i, size_t nb)
{
	uint64_t lo;

	if (m->kind == MAP_HIST) {
		if (i == 0) {
			sb_puts(out, "\"max\": -1, ");
			return;
		}
		lo = i == 1 ? 0 : (uint64_t)1 << (i - 2);
		/* 2 * lo - 1 without overflowing for the last bucket, [2^63, 2^64) */
		sb_printf(out, "\"min\": %" PRIu64 ", \"max\": %" PRIu64 ", ", lo,
			  lo ? lo + (lo - 1) : 0);
		return;
	}
	if (i == 0)
		sb_printf(out, "\"max\": %" PRId64 ", ", m->lhist_min - 1);
	else if (i == nb - 1)
		sb_printf(out, "\"min\": %" PRId64 ", ", m->lhist_max);
	else
		sb_printf(out, "\"min\": %" PRId64 ", \"max\": %" PRId64 ", ",
			  m->lhist_min + (int64_t)(i - 1) * m->lhist_step,
			  m->lhist_min + (int64_t)i * m->lhist_step - 1);
}

/* [{"min": 1, "max": 1, "count": 2}, ...] over the buckets put_rows() shows; [] for none. */
static void json_buckets(struct strbuf *out, const struct map_desc *m, const uint64_t *b,
			 uint64_t div)
{
	size_t nb = mapprint_nbuckets(m), first, last;

	sb_putc(out, '[');
	if (bucket_range(b, nb, &first, &last)) {
		for (size_t i = first; i <= last; i++) {
			sb_puts(out, i > first ? ", {" : "{");
			json_bounds(out, m, i, nb);
			sb_printf(out, "\"count\": %" PRIu64 "}", b[i] / div);
		}
	}
	sb_putc(out, ']');
}

static void json_entry(struct strbuf *out, const struct map_desc *m, const struct map_entry *ent,
		       uint64_t div)
{
	if (m->nkeys) {
		json_key(out, m, ent->key);
		sb_puts(out, ": ");
	}
	switch (m->kind) {
	case MAP_VALUE:
		json_value(out, m, ent->value, div);
		break;
	case MAP_COUNT:
	case MAP_SUM:
	case MAP_MIN:
	case MAP_MAX:
		put_int(out, ent->val, val_signed(m), div);
		break;
	case MAP_AVG:
		put_int(out, avg_of(ent), true, div);
		break;
	case MAP_STATS:
		sb_printf(out, "{\"count\": %" PRIu64 ", \"average\": %" PRId64 ", \"total\": %" PRId64
			  "}", ent->count, avg_of(ent), ent->val);
		break;
	case MAP_HIST:
	case MAP_LHIST:
		json_buckets(out, m, ent->buckets, div);
		break;
	}
}

void mapprint_format_json(const struct map_desc *m, const struct map_entries *e, size_t top,
			  uint64_t div, struct strbuf *out)
{
	struct sorted *s;
	size_t n;

	if (!e->n)
		return;
	s = select_entries(m, e, top, &n);
	if (!s) {
		out->err = -ENOMEM;
		return;
	}
	div = map_div(m, div);
	sb_printf(out, "{\"type\": \"%s\", \"data\": {", json_type(m));
	json_name(out, m);
	/* a keyed map is an object of its entries, a keyless one just its value */
	sb_puts(out, m->nkeys ? ": {" : ": ");
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_puts(out, ", ");
		json_entry(out, m, s[i].ent, div);
	}
	sb_puts(out, m->nkeys ? "}}}\n" : "}}\n");
	free(s);
}

typedef void (*format_fn)(const struct map_desc *m, const struct map_entries *e, size_t top,
			  uint64_t div, struct strbuf *out);

/* mapprint_read() then @format to @out. */
static int print_map(int map_fd, const struct map_desc *m, size_t top, uint64_t div, FILE *out,
		     format_fn format)
{
	struct map_entries e;
	struct strbuf sb;
	int err;

	err = mapprint_read(map_fd, m, &e);
	if (err)
		return err;
	sb_init(&sb);
	format(m, &e, top, div, &sb);
	err = sb.err;
	if (!err && sb.len && fwrite(sb.buf, 1, sb.len, out) != sb.len)
		err = -errno ?: -EIO;
	sb_free(&sb);
	map_entries_free(&e);
	return err;
}

int mapprint_print(int map_fd, const struct map_desc *m, size_t top, uint64_t div, FILE *out)
{
	return print_map(map_fd, m, top, div, out, mapprint_format);
}

int mapprint_print_json(int map_fd, const struct map_desc *m, size_t top, uint64_t div, FILE *out)
{
	return print_map(map_fd, m, top, div, out, mapprint_format_json);
}
