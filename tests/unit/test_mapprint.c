// SPDX-License-Identifier: GPL-2.0
/*
 * Map printer tests.  The format tests pin texts that bpftrace 0.17 printed
 * for the program quoted above each check (run with `bpftrace -e 'BEGIN {
 * ...; exit(); }'`, and with -f json for the JSON ones), except where a
 * comment says the text is ours.  The
 * kernel tests fill real per-CPU maps from user space and read them back.
 * Exit 0 pass, 1 fail, 77 skip (not root: the format tests ran).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "mapprint.h"

#define STRSZ 16

/* A key or value part: an integer or a string. */
union tv {
	int64_t i;
	const char *s;
};

#define I(v) ((union tv){ .i = (v) })
#define S(v) ((union tv){ .s = (v) })
#define K(...) ((const union tv[]){ __VA_ARGS__ })
/* hist buckets as (index, count) pairs */
#define B(...) ((const uint64_t[]){ __VA_ARGS__ }), \
	sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t) / 2

/* A map described as sema would: fields from a spec of 'i' (s64), 'u' (u64), 's' (string[16]). */
struct tmap {
	struct map_desc m;
	struct map_field keys[4];
	struct map_field vals[4];
	struct map_entries e;
};

static unsigned int layout(struct map_field *f, const char *spec)
{
	unsigned int off = 0;

	for (size_t i = 0; spec[i]; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		f[i].type.kind = spec[i] == 's' ? TYPE_STR : TYPE_INT;
		f[i].type.is_signed = spec[i] == 'i';
		f[i].type.size = spec[i] == 's' ? STRSZ : 0;
		f[i].offset = off;
		f[i].size = spec[i] == 's' ? STRSZ : 8;
		off += f[i].size;
	}
	return off;
}

static void tmap_init(struct tmap *t, const char *name, enum map_kind kind, const char *keys,
		      const char *vals)
{
	unsigned int vsize;

	memset(t, 0, sizeof(*t));
	t->m.name = (char *)name;
	t->m.kind = kind;
	t->m.percpu = kind != MAP_VALUE;
	t->m.keys = t->keys;
	t->m.nkeys = strlen(keys);
	t->m.user_key_size = layout(t->keys, keys) ?: 8;
	t->m.key_size = t->m.user_key_size + (kind == MAP_HIST || kind == MAP_LHIST ? 8 : 0);
	t->m.values = t->vals;
	t->m.nvalues = strlen(vals);
	t->m.tuple = kind == MAP_VALUE && t->m.nvalues > 1;
	vsize = layout(t->vals, vals);
	if (kind == MAP_MIN || kind == MAP_MAX)
		vsize = sizeof(struct map_minmax);
	else if (kind == MAP_AVG || kind == MAP_STATS)
		vsize = sizeof(struct map_avg);
	else if (kind != MAP_VALUE)
		vsize = 8;
	t->m.value_size = vsize;
	t->m.max_entries = 64;
}

static void tmap_lhist(struct tmap *t, int64_t min, int64_t max, int64_t step)
{
	t->m.lhist_min = min;
	t->m.lhist_max = max;
	t->m.lhist_step = step;
}

static void pack(const struct map_field *f, size_t n, const union tv *v, unsigned char *buf)
{
	for (size_t i = 0; i < n; i++) {
		if (f[i].type.kind == TYPE_STR)
			strncpy((char *)buf + f[i].offset, v[i].s, f[i].type.size);
		else
			memcpy(buf + f[i].offset, &v[i].i, 8);
	}
}

static struct map_entry *add(struct tmap *t, const union tv *key)
{
	unsigned char buf[128] = { 0 };
	struct map_entry *ent;

	if (key)
		pack(t->keys, t->m.nkeys, key, buf);
	ent = map_entries_add(&t->e, &t->m, buf);
	if (!ent) {
		printf("FAIL: out of memory\n");
		exit(1);
	}
	return ent;
}

static void add_int(struct tmap *t, const union tv *key, int64_t v)
{
	add(t, key)->val = v;
}

static void add_avg(struct tmap *t, const union tv *key, int64_t total, uint64_t count)
{
	struct map_entry *ent = add(t, key);

	ent->val = total;
	ent->count = count;
}

static void add_value(struct tmap *t, const union tv *key, const union tv *vals)
{
	pack(t->vals, t->m.nvalues, vals, add(t, key)->value);
}

static void add_hist(struct tmap *t, const union tv *key, const uint64_t *pairs, size_t n)
{
	struct map_entry *ent = add(t, key);

	for (size_t i = 0; i < n; i++)
		ent->buckets[pairs[2 * i]] = pairs[2 * i + 1];
}

/* Print @n bytes readably, so a trailing blank or a newline in a mismatch shows. */
static void show(const char *p, size_t n)
{
	printf("\"");
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n')
			printf("\\n\"\n   \"");
		else
			putchar(p[i]);
	}
	printf("\"\n");
}

static void expect_text(int line, const struct strbuf *sb, const char *want)
{
	const char *got = sb->buf ? sb->buf : "";

	if (!sb->err && !strcmp(got, want))
		return;
	printf("FAIL: %s:%d (err %d)\n  want: ", __FILE__, line, sb->err);
	show(want, strlen(want));
	printf("  got:  ");
	show(got, strlen(got));
	failures++;
}

static void expect_line(int line, struct tmap *t, size_t top, uint64_t div, const char *want)
{
	struct strbuf sb;

	sb_init(&sb);
	mapprint_format(&t->m, &t->e, top, div, &sb);
	expect_text(line, &sb, want);
	sb_free(&sb);
}

#define EXPECT(t, top, div, want) expect_line(__LINE__, t, top, div, want)

static void expect_json_line(int line, struct tmap *t, size_t top, uint64_t div, const char *want)
{
	struct strbuf sb;

	sb_init(&sb);
	mapprint_format_json(&t->m, &t->e, top, div, &sb);
	expect_text(line, &sb, want);
	sb_free(&sb);
}

#define EXPECT_JSON(t, top, div, want) expect_json_line(__LINE__, t, top, div, want)

static void tmap_free(struct tmap *t)
{
	map_entries_free(&t->e);
}

static void test_ints(void)
{
	struct tmap t;

	/* @c = count(); @c = count(); */
	tmap_init(&t, "c", MAP_COUNT, "", "u");
	add_int(&t, NULL, 2);
	EXPECT(&t, 0, 0, "@c: 2\n");
	tmap_free(&t);

	/* @ = count(); @ = count(); */
	tmap_init(&t, "", MAP_COUNT, "", "u");
	add_int(&t, NULL, 2);
	EXPECT(&t, 0, 0, "@: 2\n");
	tmap_free(&t);

	/* @x[1] = count() three times, @x[2] once, @x[3] twice */
	tmap_init(&t, "x", MAP_COUNT, "i", "u");
	add_int(&t, K(I(1)), 3);
	add_int(&t, K(I(2)), 1);
	add_int(&t, K(I(3)), 2);
	EXPECT(&t, 0, 0, "@x[2]: 1\n@x[3]: 2\n@x[1]: 3\n");
	tmap_free(&t);

	/* @x[1, "a"] once, @x[2, "b"] twice, @x[-3, "c"] three times */
	tmap_init(&t, "x", MAP_COUNT, "is", "u");
	add_int(&t, K(I(-3), S("c")), 3);
	add_int(&t, K(I(2), S("b")), 2);
	add_int(&t, K(I(1), S("a")), 1);
	EXPECT(&t, 0, 0, "@x[1, a]: 1\n@x[2, b]: 2\n@x[-3, c]: 3\n");
	tmap_free(&t);

	/* @y["k2"] = sum(3); @y["k1"] = sum(5); @y["k3"] = sum(-4); */
	tmap_init(&t, "y", MAP_SUM, "s", "i");
	add_int(&t, K(S("k2")), 3);
	add_int(&t, K(S("k1")), 5);
	add_int(&t, K(S("k3")), -4);
	EXPECT(&t, 0, 0, "@y[k3]: -4\n@y[k2]: 3\n@y[k1]: 5\n");
	tmap_free(&t);

	/*
	 * @mn[1] = min(-5); @mn[2] = min(7); @mn[3] = min(3); @mn[3] = min(9);
	 * @mx[1] = max(-5); @mx[1] = max(7); @mx[2] = max(3); @one = min(4);
	 */
	tmap_init(&t, "mn", MAP_MIN, "i", "i");
	add_int(&t, K(I(2)), 7);
	add_int(&t, K(I(1)), -5);
	add_int(&t, K(I(3)), 3);
	EXPECT(&t, 0, 0, "@mn[1]: -5\n@mn[3]: 3\n@mn[2]: 7\n");
	tmap_free(&t);
	tmap_init(&t, "mx", MAP_MAX, "i", "i");
	add_int(&t, K(I(1)), 7);
	add_int(&t, K(I(2)), 3);
	EXPECT(&t, 0, 0, "@mx[2]: 3\n@mx[1]: 7\n");
	tmap_free(&t);
	tmap_init(&t, "one", MAP_MIN, "", "i");
	add_int(&t, NULL, 4);
	EXPECT(&t, 0, 0, "@one: 4\n");
	tmap_free(&t);

	/* ours: bpftrace 0.17 prints no entry at all for @mx = max(-5) */
	tmap_init(&t, "mx", MAP_MAX, "", "i");
	add_int(&t, NULL, -5);
	EXPECT(&t, 0, 0, "@mx: -5\n");
	tmap_free(&t);

	/* ours: ties (left to chance by bpftrace) go by key; integer keys compare unsigned */
	tmap_init(&t, "y", MAP_COUNT, "i", "u");
	add_int(&t, K(I(0)), 2);
	add_int(&t, K(I(-1)), 1);
	add_int(&t, K(I(5)), 1);
	add_int(&t, K(I(4)), 1);
	EXPECT(&t, 0, 0, "@y[4]: 1\n@y[5]: 1\n@y[-1]: 1\n@y[0]: 2\n");
	tmap_free(&t);

	/* ours: the full range of unsigned and signed values */
	tmap_init(&t, "u", MAP_COUNT, "", "u");
	add_int(&t, NULL, -1);
	EXPECT(&t, 0, 0, "@u: 18446744073709551615\n");
	tmap_free(&t);
	tmap_init(&t, "s", MAP_SUM, "", "i");
	add_int(&t, NULL, INT64_MIN);
	EXPECT(&t, 0, 0, "@s: -9223372036854775808\n");
	EXPECT(&t, 0, 2, "@s: -4611686018427387904\n");
	tmap_free(&t);

	/* ours: an empty map prints nothing (bpftrace 0.17 prints an empty line) */
	tmap_init(&t, "c", MAP_COUNT, "i", "u");
	EXPECT(&t, 0, 0, "");
	EXPECT(&t, 3, 2, "");
	tmap_free(&t);
}

static void test_values(void)
{
	struct tmap t;

	/* @str = "hello"; @e = ""; */
	tmap_init(&t, "str", MAP_VALUE, "", "s");
	add_value(&t, NULL, K(S("hello")));
	EXPECT(&t, 0, 0, "@str: hello\n");
	tmap_free(&t);
	tmap_init(&t, "e", MAP_VALUE, "", "s");
	add_value(&t, NULL, K(S("")));
	EXPECT(&t, 0, 0, "@e: \n");
	tmap_free(&t);

	/* ours: a string that fills its buffer has no NUL */
	tmap_init(&t, "f", MAP_VALUE, "s", "s");
	add_value(&t, K(S("0123456789abcdef")), K(S("fedcba9876543210")));
	EXPECT(&t, 0, 0, "@f[0123456789abcdef]: fedcba9876543210\n");
	tmap_free(&t);

	/* @s[-1] = "a"; @s[1] = "b"; @s[0] = "c"; @s[-5] = "d"; */
	tmap_init(&t, "s", MAP_VALUE, "i", "s");
	add_value(&t, K(I(-1)), K(S("a")));
	add_value(&t, K(I(1)), K(S("b")));
	add_value(&t, K(I(0)), K(S("c")));
	add_value(&t, K(I(-5)), K(S("d")));
	EXPECT(&t, 0, 0, "@s[0]: c\n@s[1]: b\n@s[-5]: d\n@s[-1]: a\n");
	tmap_free(&t);

	/*
	 * @m["b", 2] = "x"; @m["a", 3] = "y"; @m["b", 1] = "z"; @m["ab", 0] = "w";
	 * @m["", 9] = "v";
	 */
	tmap_init(&t, "m", MAP_VALUE, "si", "s");
	add_value(&t, K(S("b"), I(2)), K(S("x")));
	add_value(&t, K(S("a"), I(3)), K(S("y")));
	add_value(&t, K(S("b"), I(1)), K(S("z")));
	add_value(&t, K(S("ab"), I(0)), K(S("w")));
	add_value(&t, K(S(""), I(9)), K(S("v")));
	EXPECT(&t, 0, 0, "@m[, 9]: v\n@m[a, 3]: y\n@m[ab, 0]: w\n@m[b, 1]: z\n@m[b, 2]: x\n");
	tmap_free(&t);

	/* @t = (1, "two", 3); @u[2] = (-1, "x"); @u[1] = (7, "y"); */
	tmap_init(&t, "t", MAP_VALUE, "", "isi");
	add_value(&t, NULL, K(I(1), S("two"), I(3)));
	EXPECT(&t, 0, 0, "@t: (1, two, 3)\n");
	tmap_free(&t);
	tmap_init(&t, "u", MAP_VALUE, "i", "is");
	add_value(&t, K(I(2)), K(I(-1), S("x")));
	add_value(&t, K(I(1)), K(I(7), S("y")));
	EXPECT(&t, 0, 0, "@u[1]: (7, y)\n@u[2]: (-1, x)\n");
	tmap_free(&t);
}

static void test_avg_stats(void)
{
	struct tmap t;

	/* @a = avg(10); @a = avg(20); */
	tmap_init(&t, "a", MAP_AVG, "", "i");
	add_avg(&t, NULL, 30, 2);
	EXPECT(&t, 0, 0, "@a: 15\n\n");
	tmap_free(&t);

	/* @k[1] = avg(10); @k[2] = avg(-30); @k[2] = avg(-1); @k[3] = avg(20); */
	tmap_init(&t, "k", MAP_AVG, "i", "i");
	add_avg(&t, K(I(1)), 10, 1);
	add_avg(&t, K(I(2)), -31, 2);
	add_avg(&t, K(I(3)), 20, 1);
	EXPECT(&t, 0, 0, "@k[2]: -15\n@k[1]: 10\n@k[3]: 20\n\n");
	tmap_free(&t);

	/* @st = stats(10); @st = stats(20); @st = stats(33); */
	tmap_init(&t, "st", MAP_STATS, "", "i");
	add_avg(&t, NULL, 63, 3);
	EXPECT(&t, 0, 0, "@st: count 3, average 21, total 63\n\n");
	tmap_free(&t);

	/* @k["y"] = stats(4); @k["x"] = stats(-7); @k["x"] = stats(2); */
	tmap_init(&t, "k", MAP_STATS, "s", "i");
	add_avg(&t, K(S("y")), 4, 1);
	add_avg(&t, K(S("x")), -5, 2);
	EXPECT(&t, 0, 0,
	       "@k[x]: count 2, average -2, total -5\n"
	       "@k[y]: count 1, average 4, total 4\n"
	       "\n");
	tmap_free(&t);

	/* ours: after zero(), no values: bpftrace 0.17 prints @a: 0 too */
	tmap_init(&t, "a", MAP_AVG, "", "i");
	add_avg(&t, NULL, 0, 0);
	EXPECT(&t, 0, 0, "@a: 0\n\n");
	tmap_free(&t);
}

static void test_hist(void)
{
	struct tmap t;

	/*
	 * @h = hist(-1); @h = hist(-100); @h = hist(0); @h = hist(1); @h = hist(1);
	 * @h = hist(2); @h = hist(3); @h = hist(3); @h = hist(7); @h = hist(1000);
	 * @h = hist(1024); @h = hist(1500); @h = hist(2047); @h = hist(1048576);
	 * @h = hist(1048575);
	 */
	tmap_init(&t, "h", MAP_HIST, "", "u");
	add_hist(&t, NULL, B(0, 2, 1, 1, 2, 2, 3, 3, 4, 1, 11, 1, 12, 3, 21, 1, 22, 1));
	EXPECT(&t, 0, 0,
	"@h: \n"
	"(..., 0)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |\n"
	"[0]                    1 |@@@@@@@@@@@@@@@@@                                   |\n"
	"[1]                    2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |\n"
	"[2, 4)                 3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[4, 8)                 1 |@@@@@@@@@@@@@@@@@                                   |\n"
	"[8, 16)                0 |                                                    |\n"
	"[16, 32)               0 |                                                    |\n"
	"[32, 64)               0 |                                                    |\n"
	"[64, 128)              0 |                                                    |\n"
	"[128, 256)             0 |                                                    |\n"
	"[256, 512)             0 |                                                    |\n"
	"[512, 1K)              1 |@@@@@@@@@@@@@@@@@                                   |\n"
	"[1K, 2K)               3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[2K, 4K)               0 |                                                    |\n"
	"[4K, 8K)               0 |                                                    |\n"
	"[8K, 16K)              0 |                                                    |\n"
	"[16K, 32K)             0 |                                                    |\n"
	"[32K, 64K)             0 |                                                    |\n"
	"[64K, 128K)            0 |                                                    |\n"
	"[128K, 256K)           0 |                                                    |\n"
	"[256K, 512K)           0 |                                                    |\n"
	"[512K, 1M)             1 |@@@@@@@@@@@@@@@@@                                   |\n"
	"[1M, 2M)               1 |@@@@@@@@@@@@@@@@@                                   |\n"
	"\n");
	tmap_free(&t);

	/* @h = hist(5); @h = hist(5); @h = hist(5); @h = hist(40); */
	tmap_init(&t, "h", MAP_HIST, "", "u");
	add_hist(&t, NULL, B(4, 3, 7, 1));
	EXPECT(&t, 0, 0,
	"@h: \n"
	"[4, 8)                 3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[8, 16)                0 |                                                    |\n"
	"[16, 32)               0 |                                                    |\n"
	"[32, 64)               1 |@@@@@@@@@@@@@@@@@                                   |\n"
	"\n");
	tmap_free(&t);

	/* @h = hist(3); @h = hist(3000000000); */
	tmap_init(&t, "h", MAP_HIST, "", "u");
	add_hist(&t, NULL, B(3, 1, 33, 1));
	EXPECT(&t, 0, 0,
	"@h: \n"
	"[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[4, 8)                 0 |                                                    |\n"
	"[8, 16)                0 |                                                    |\n"
	"[16, 32)               0 |                                                    |\n"
	"[32, 64)               0 |                                                    |\n"
	"[64, 128)              0 |                                                    |\n"
	"[128, 256)             0 |                                                    |\n"
	"[256, 512)             0 |                                                    |\n"
	"[512, 1K)              0 |                                                    |\n"
	"[1K, 2K)               0 |                                                    |\n"
	"[2K, 4K)               0 |                                                    |\n"
	"[4K, 8K)               0 |                                                    |\n"
	"[8K, 16K)              0 |                                                    |\n"
	"[16K, 32K)             0 |                                                    |\n"
	"[32K, 64K)             0 |                                                    |\n"
	"[64K, 128K)            0 |                                                    |\n"
	"[128K, 256K)           0 |                                                    |\n"
	"[256K, 512K)           0 |                                                    |\n"
	"[512K, 1M)             0 |                                                    |\n"
	"[1M, 2M)               0 |                                                    |\n"
	"[2M, 4M)               0 |                                                    |\n"
	"[4M, 8M)               0 |                                                    |\n"
	"[8M, 16M)              0 |                                                    |\n"
	"[16M, 32M)             0 |                                                    |\n"
	"[32M, 64M)             0 |                                                    |\n"
	"[64M, 128M)            0 |                                                    |\n"
	"[128M, 256M)           0 |                                                    |\n"
	"[256M, 512M)           0 |                                                    |\n"
	"[512M, 1G)             0 |                                                    |\n"
	"[1G, 2G)               0 |                                                    |\n"
	"[2G, 4G)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n");
	tmap_free(&t);

	/*
	 * ours: bpftrace 0.17 puts every value >= 2^31 in [2G, 4G); newer
	 * bpftrace labels the buckets above with T, P and E, as here.
	 */
	tmap_init(&t, "big", MAP_HIST, "i", "u");
	add_hist(&t, K(I(3)), B(62, 4, 65, 1));
	add_hist(&t, K(I(2)), B(52, 2));
	add_hist(&t, K(I(1)), B(42, 1));
	EXPECT(&t, 0, 0,
	"@big[1]: \n"
	"[1T, 2T)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@big[2]: \n"
	"[1P, 2P)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@big[3]: \n"
	"[1E, 2E)               4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[2E, 4E)               0 |                                                    |\n"
	"[4E, 8E)               0 |                                                    |\n"
	"[8E, 16E)              1 |@@@@@@@@@@@@@                                       |\n"
	"\n");
	tmap_free(&t);

	/* @h["b"] = hist(1) twice, hist(4); @h["a"] = hist(100); @h["c"] = hist(0); */
	tmap_init(&t, "h", MAP_HIST, "s", "u");
	add_hist(&t, K(S("b")), B(2, 2, 4, 1));
	add_hist(&t, K(S("c")), B(1, 1));
	add_hist(&t, K(S("a")), B(8, 1));
	EXPECT(&t, 0, 0,
	"@h[a]: \n"
	"[64, 128)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@h[c]: \n"
	"[0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@h[b]: \n"
	"[1]                    2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[2, 4)                 0 |                                                    |\n"
	"[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
	"\n");
	tmap_free(&t);

	/* @[1, "x"] = hist(3); */
	tmap_init(&t, "", MAP_HIST, "is", "u");
	add_hist(&t, K(I(1), S("x")), B(3, 1));
	EXPECT(&t, 0, 0,
	"@[1, x]: \n"
	"[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n");
	tmap_free(&t);

	/* @h = hist(5); zero(@h); */
	tmap_init(&t, "h", MAP_HIST, "", "u");
	add_hist(&t, NULL, B(4, 0));
	EXPECT(&t, 0, 0, "@h: \n\n");
	tmap_free(&t);
}

static void test_lhist(void)
{
	struct tmap t;

	/*
	 * @l = lhist(-1, 0, 100, 10); @l = lhist(15, 0, 100, 10) twice;
	 * @l = lhist(19, ...); @l = lhist(35, ...); @l = lhist(100, ...);
	 * @l = lhist(1000, ...);
	 */
	tmap_init(&t, "l", MAP_LHIST, "", "u");
	tmap_lhist(&t, 0, 100, 10);
	add_hist(&t, NULL, B(0, 1, 2, 3, 4, 1, 11, 2));
	EXPECT(&t, 0, 0,
	"@l: \n"
	"(..., 0)               1 |@@@@@@@@@@@@@@@@@                                   |\n"
	"[0, 10)                0 |                                                    |\n"
	"[10, 20)               3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[20, 30)               0 |                                                    |\n"
	"[30, 40)               1 |@@@@@@@@@@@@@@@@@                                   |\n"
	"[40, 50)               0 |                                                    |\n"
	"[50, 60)               0 |                                                    |\n"
	"[60, 70)               0 |                                                    |\n"
	"[70, 80)               0 |                                                    |\n"
	"[80, 90)               0 |                                                    |\n"
	"[90, 100)              0 |                                                    |\n"
	"[100, ...)             2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |\n"
	"\n");
	tmap_free(&t);

	/* @l = lhist(5000, 0, 8192, 1024); @l = lhist(1023, ...); @l = lhist(9000, ...); */
	tmap_init(&t, "l", MAP_LHIST, "", "u");
	tmap_lhist(&t, 0, 8192, 1024);
	add_hist(&t, NULL, B(1, 1, 5, 1, 9, 1));
	EXPECT(&t, 0, 0,
	"@l: \n"
	"[0, 1K)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[1K, 2K)               0 |                                                    |\n"
	"[2K, 3K)               0 |                                                    |\n"
	"[3K, 4K)               0 |                                                    |\n"
	"[4K, 5K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[5K, 6K)               0 |                                                    |\n"
	"[6K, 7K)               0 |                                                    |\n"
	"[7K, 8K)               0 |                                                    |\n"
	"[8K, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n");
	tmap_free(&t);

	/* @m = lhist(2097152, 1048576, 4194304, 1048576); @m = lhist(3, ...); */
	tmap_init(&t, "m", MAP_LHIST, "", "u");
	tmap_lhist(&t, 1048576, 4194304, 1048576);
	add_hist(&t, NULL, B(0, 1, 2, 1));
	EXPECT(&t, 0, 0,
	"@m: \n"
	"(..., 1M)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[1M, 2M)               0 |                                                    |\n"
	"[2M, 3M)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n");
	tmap_free(&t);

	/* @n = lhist(3, 1, 10, 3); @n = lhist(9, ...); @n = lhist(6, ...); */
	tmap_init(&t, "n", MAP_LHIST, "", "u");
	tmap_lhist(&t, 1, 10, 3);
	add_hist(&t, NULL, B(1, 1, 2, 1, 3, 1));
	EXPECT(&t, 0, 0,
	"@n: \n"
	"[1, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[4, 7)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[7, 10)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n");
	tmap_free(&t);

	/* @l[3] = lhist(5, 0, 10, 5) twice; @l[9] = lhist(50, 0, 10, 5); */
	tmap_init(&t, "l", MAP_LHIST, "i", "u");
	tmap_lhist(&t, 0, 10, 5);
	add_hist(&t, K(I(3)), B(2, 2));
	add_hist(&t, K(I(9)), B(3, 1));
	EXPECT(&t, 0, 0,
	"@l[9]: \n"
	"[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@l[3]: \n"
	"[5, 10)                2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n");
	tmap_free(&t);
}

/* print(@m, top, div): each text is what bpftrace 0.17's print() printed. */
static void test_top_div(void)
{
	struct tmap t;

	/* @x[1] x3, @x[2] x1, @x[3] x2, @x[4] x5 = count(); then print(@x, 2); */
	/* print(@x, 0, 2); print(@x, 3, 3); and (ours) a top larger than the map */
	tmap_init(&t, "x", MAP_COUNT, "i", "u");
	add_int(&t, K(I(1)), 3);
	add_int(&t, K(I(2)), 1);
	add_int(&t, K(I(3)), 2);
	add_int(&t, K(I(4)), 5);
	EXPECT(&t, 2, 0, "@x[1]: 3\n@x[4]: 5\n");
	EXPECT(&t, 0, 2, "@x[2]: 0\n@x[3]: 1\n@x[1]: 1\n@x[4]: 2\n");
	EXPECT(&t, 3, 3, "@x[3]: 0\n@x[1]: 1\n@x[4]: 1\n");
	EXPECT(&t, 9, 1, "@x[2]: 1\n@x[3]: 2\n@x[1]: 3\n@x[4]: 5\n");
	tmap_free(&t);

	/* @s[1] = sum(-7); @s[2] = sum(9); @s[3] = sum(-1); print(@s, 0, 2); print(@s, 1); */
	tmap_init(&t, "s", MAP_SUM, "i", "i");
	add_int(&t, K(I(1)), -7);
	add_int(&t, K(I(2)), 9);
	add_int(&t, K(I(3)), -1);
	EXPECT(&t, 0, 2, "@s[1]: -3\n@s[3]: 0\n@s[2]: 4\n");
	EXPECT(&t, 1, 0, "@s[2]: 9\n");
	tmap_free(&t);

	/* @k[1] = avg(10); @k[2] = avg(-30); @k[2] = avg(-1); @k[3] = avg(20); */
	tmap_init(&t, "k", MAP_AVG, "i", "i");
	add_avg(&t, K(I(1)), 10, 1);
	add_avg(&t, K(I(2)), -31, 2);
	add_avg(&t, K(I(3)), 20, 1);
	EXPECT(&t, 2, 0, "@k[1]: 10\n@k[3]: 20\n\n");
	EXPECT(&t, 0, 4, "@k[2]: -3\n@k[1]: 2\n@k[3]: 5\n\n");
	EXPECT(&t, 1, 3, "@k[3]: 6\n\n");
	tmap_free(&t);

	/*
	 * @s[1] = stats(10); @s[2] = stats(20); @s[3] = stats(30);
	 * print(@s, 1); print(@s, 0, 10);   (bpftrace warns that both are ignored)
	 */
	tmap_init(&t, "s", MAP_STATS, "i", "i");
	add_avg(&t, K(I(3)), 30, 1);
	add_avg(&t, K(I(2)), 20, 1);
	add_avg(&t, K(I(1)), 10, 1);
	EXPECT(&t, 1, 0,
	       "@s[1]: count 1, average 10, total 10\n"
	       "@s[2]: count 1, average 20, total 20\n"
	       "@s[3]: count 1, average 30, total 30\n"
	       "\n");
	EXPECT(&t, 0, 10,
	       "@s[1]: count 1, average 10, total 10\n"
	       "@s[2]: count 1, average 20, total 20\n"
	       "@s[3]: count 1, average 30, total 30\n"
	       "\n");
	tmap_free(&t);

	/* @mn[1] = min(-5); @mn[2] = min(7); @mn[3] = min(3); print(@mn, 1); print(@mn, 0, 2); */
	tmap_init(&t, "mn", MAP_MIN, "i", "i");
	add_int(&t, K(I(1)), -5);
	add_int(&t, K(I(2)), 7);
	add_int(&t, K(I(3)), 3);
	EXPECT(&t, 1, 0, "@mn[2]: 7\n");
	EXPECT(&t, 0, 2, "@mn[1]: -2\n@mn[3]: 1\n@mn[2]: 3\n");
	tmap_free(&t);
	/* @mx = max(7); print(@mx, 0, 2); */
	tmap_init(&t, "mx", MAP_MAX, "", "i");
	add_int(&t, NULL, 7);
	EXPECT(&t, 0, 2, "@mx: 3\n");
	tmap_free(&t);

	/* @v[1] = -10; @v[2] = 21; @v[3] = 5; print(@v, 2); print(@v, 0, 3); */
	tmap_init(&t, "v", MAP_VALUE, "i", "i");
	add_value(&t, K(I(1)), K(I(-10)));
	add_value(&t, K(I(2)), K(I(21)));
	add_value(&t, K(I(3)), K(I(5)));
	EXPECT(&t, 2, 0, "@v[3]: 5\n@v[2]: 21\n");
	EXPECT(&t, 0, 3, "@v[1]: -3\n@v[3]: 1\n@v[2]: 7\n");
	tmap_free(&t);

	/* @t[1] = (10, "a", -7); @t[2] = (21, "b", 5); print(@t, 1); print(@t, 0, 2); */
	tmap_init(&t, "t", MAP_VALUE, "i", "isi");
	add_value(&t, K(I(2)), K(I(21), S("b"), I(5)));
	add_value(&t, K(I(1)), K(I(10), S("a"), I(-7)));
	EXPECT(&t, 1, 0, "@t[2]: (21, b, 5)\n");
	EXPECT(&t, 0, 2, "@t[1]: (5, a, -3)\n@t[2]: (10, b, 2)\n");
	tmap_free(&t);

	/* @s[1] = "ab"; @s[2] = "cd"; print(@s, 1); print(@s, 0, 2); */
	tmap_init(&t, "s", MAP_VALUE, "i", "s");
	add_value(&t, K(I(2)), K(S("cd")));
	add_value(&t, K(I(1)), K(S("ab")));
	EXPECT(&t, 1, 0, "@s[2]: cd\n");
	EXPECT(&t, 0, 2, "@s[1]: ab\n@s[2]: cd\n");
	tmap_free(&t);

	/* @h = hist(1) x3, hist(2) x2, hist(8); print(@h, 0, 2): counts divided, bars not */
	tmap_init(&t, "h", MAP_HIST, "", "u");
	add_hist(&t, NULL, B(2, 3, 3, 2, 5, 1));
	EXPECT(&t, 0, 2,
	"@h: \n"
	"[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |\n"
	"[4, 8)                 0 |                                                    |\n"
	"[8, 16)                0 |@@@@@@@@@@@@@@@@@                                   |\n"
	"\n");
	tmap_free(&t);

	/* @l = lhist(1, 0, 10, 5) x3, lhist(7, 0, 10, 5); print(@l, 0, 2): div ignored */
	tmap_init(&t, "l", MAP_LHIST, "", "u");
	tmap_lhist(&t, 0, 10, 5);
	add_hist(&t, NULL, B(1, 3, 2, 1));
	EXPECT(&t, 0, 2,
	"@l: \n"
	"[0, 5)                 3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[5, 10)                1 |@@@@@@@@@@@@@@@@@                                   |\n"
	"\n");
	tmap_free(&t);

	/* @k["b"] = hist(1) x2; @k["a"] = hist(1); @k["c"] = hist(1) x3; */
	/* print(@k, 2); print(@k, 1, 2); */
	tmap_init(&t, "k", MAP_HIST, "s", "u");
	add_hist(&t, K(S("b")), B(2, 2));
	add_hist(&t, K(S("a")), B(2, 1));
	add_hist(&t, K(S("c")), B(2, 3));
	EXPECT(&t, 2, 0,
	"@k[b]: \n"
	"[1]                    2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@k[c]: \n"
	"[1]                    3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n");
	EXPECT(&t, 1, 2,
	"@k[c]: \n"
	"[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n");
	tmap_free(&t);
}

static void test_json_ints(void)
{
	struct tmap t;

	/* @c = count(); @c = count(); */
	tmap_init(&t, "c", MAP_COUNT, "", "u");
	add_int(&t, NULL, 2);
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@c\": 2}}\n");
	tmap_free(&t);

	/* @ = count(); @ = count(); */
	tmap_init(&t, "", MAP_COUNT, "", "u");
	add_int(&t, NULL, 2);
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@\": 2}}\n");
	tmap_free(&t);

	/* @x[1] = count() three times, @x[2] once, @x[3] twice */
	tmap_init(&t, "x", MAP_COUNT, "i", "u");
	add_int(&t, K(I(1)), 3);
	add_int(&t, K(I(2)), 1);
	add_int(&t, K(I(3)), 2);
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@x\": {\"2\": 1, \"3\": 2, \"1\": 3}}}\n");
	tmap_free(&t);

	/* @x[1, "a"] once, @x[2, "b"] twice, @x[-3, "c"] three times */
	tmap_init(&t, "x", MAP_COUNT, "is", "u");
	add_int(&t, K(I(-3), S("c")), 3);
	add_int(&t, K(I(2), S("b")), 2);
	add_int(&t, K(I(1), S("a")), 1);
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"map\", \"data\": {\"@x\": {\"1,a\": 1, \"2,b\": 2, \"-3,c\": 3}}}\n");
	tmap_free(&t);

	/* @k["a,b", 1] = count(); @k["c", 2] = count();   (the "," is not escaped) */
	tmap_init(&t, "k", MAP_COUNT, "si", "u");
	add_int(&t, K(S("c"), I(2)), 1);
	add_int(&t, K(S("a,b"), I(1)), 1);
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@k\": {\"a,b,1\": 1, \"c,2\": 1}}}\n");
	tmap_free(&t);

	/* @y["k2"] = sum(3); @y["k1"] = sum(5); @y["k3"] = sum(-4); */
	tmap_init(&t, "y", MAP_SUM, "s", "i");
	add_int(&t, K(S("k2")), 3);
	add_int(&t, K(S("k1")), 5);
	add_int(&t, K(S("k3")), -4);
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"map\", \"data\": {\"@y\": {\"k3\": -4, \"k2\": 3, \"k1\": 5}}}\n");
	tmap_free(&t);

	/* @mn[1] = min(-5); @mn[2] = min(7); @mn[3] = min(3); @mn[3] = min(9); @one = min(4); */
	tmap_init(&t, "mn", MAP_MIN, "i", "i");
	add_int(&t, K(I(2)), 7);
	add_int(&t, K(I(1)), -5);
	add_int(&t, K(I(3)), 3);
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"map\", \"data\": {\"@mn\": {\"1\": -5, \"3\": 3, \"2\": 7}}}\n");
	tmap_free(&t);
	tmap_init(&t, "one", MAP_MIN, "", "i");
	add_int(&t, NULL, 4);
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@one\": 4}}\n");
	tmap_free(&t);

	/* @mx[1] = max(-5); @mx[1] = max(7); @mx[2] = max(3); */
	tmap_init(&t, "mx", MAP_MAX, "i", "i");
	add_int(&t, K(I(1)), 7);
	add_int(&t, K(I(2)), 3);
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@mx\": {\"2\": 3, \"1\": 7}}}\n");
	tmap_free(&t);

	/* ours: bpftrace 0.17 prints no line at all for @mx = max(-5) */
	tmap_init(&t, "mx", MAP_MAX, "", "i");
	add_int(&t, NULL, -5);
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@mx\": -5}}\n");
	tmap_free(&t);

	/* ours: ties go by key, integer keys unsigned (bpftrace: -1, 5, 4, then 0) */
	tmap_init(&t, "y", MAP_COUNT, "i", "u");
	add_int(&t, K(I(0)), 2);
	add_int(&t, K(I(-1)), 1);
	add_int(&t, K(I(5)), 1);
	add_int(&t, K(I(4)), 1);
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"map\", \"data\": {\"@y\": {\"4\": 1, \"5\": 1, \"-1\": 1, \"0\": 2}}}\n");
	tmap_free(&t);

	/* @w = (uint64)-1; */
	tmap_init(&t, "w", MAP_VALUE, "", "u");
	add_value(&t, NULL, K(I(-1)));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@w\": 18446744073709551615}}\n");
	tmap_free(&t);

	/* @s = sum(-9223372036854775807 - 1); print(@s, 0, 2); */
	tmap_init(&t, "s", MAP_SUM, "", "i");
	add_int(&t, NULL, INT64_MIN);
	EXPECT_JSON(&t, 0, 2, "{\"type\": \"map\", \"data\": {\"@s\": -4611686018427387904}}\n");
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@s\": -9223372036854775808}}\n");
	tmap_free(&t);

	/* @c[1] = count(); delete(@c[1]);   (no line) */
	tmap_init(&t, "c", MAP_COUNT, "i", "u");
	EXPECT_JSON(&t, 0, 0, "");
	EXPECT_JSON(&t, 3, 2, "");
	tmap_free(&t);
}

static void test_json_values(void)
{
	struct tmap t;

	/* @str = "hello"; @e = ""; */
	tmap_init(&t, "str", MAP_VALUE, "", "s");
	add_value(&t, NULL, K(S("hello")));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@str\": \"hello\"}}\n");
	tmap_free(&t);
	tmap_init(&t, "e", MAP_VALUE, "", "s");
	add_value(&t, NULL, K(S("")));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@e\": \"\"}}\n");
	tmap_free(&t);

	/* ours: a string that fills its buffer has no NUL */
	tmap_init(&t, "f", MAP_VALUE, "s", "s");
	add_value(&t, K(S("0123456789abcdef")), K(S("fedcba9876543210")));
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"map\", \"data\": {\"@f\": {\"0123456789abcdef\": \"fedcba9876543210\"}}}\n");
	tmap_free(&t);

	/* @s[-1] = "a"; @s[1] = "b"; @s[0] = "c"; @s[-5] = "d"; */
	tmap_init(&t, "s", MAP_VALUE, "i", "s");
	add_value(&t, K(I(-1)), K(S("a")));
	add_value(&t, K(I(1)), K(S("b")));
	add_value(&t, K(I(0)), K(S("c")));
	add_value(&t, K(I(-5)), K(S("d")));
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"map\", \"data\": {\"@s\": "
		    "{\"0\": \"c\", \"1\": \"b\", \"-5\": \"d\", \"-1\": \"a\"}}}\n");
	tmap_free(&t);

	/*
	 * @m["b", 2] = "x"; @m["a", 3] = "y"; @m["b", 1] = "z"; @m["ab", 0] = "w";
	 * @m["", 9] = "v";
	 */
	tmap_init(&t, "m", MAP_VALUE, "si", "s");
	add_value(&t, K(S("b"), I(2)), K(S("x")));
	add_value(&t, K(S("a"), I(3)), K(S("y")));
	add_value(&t, K(S("b"), I(1)), K(S("z")));
	add_value(&t, K(S("ab"), I(0)), K(S("w")));
	add_value(&t, K(S(""), I(9)), K(S("v")));
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"map\", \"data\": {\"@m\": {\",9\": \"v\", \"a,3\": \"y\", "
		    "\"ab,0\": \"w\", \"b,1\": \"z\", \"b,2\": \"x\"}}}\n");
	tmap_free(&t);

	/* @t = (1, "two", 3); @u[2] = (-1, "x"); @u[1] = (7, "y"); @x = (1, 2); */
	tmap_init(&t, "t", MAP_VALUE, "", "isi");
	add_value(&t, NULL, K(I(1), S("two"), I(3)));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@t\": [1,\"two\",3]}}\n");
	tmap_free(&t);
	tmap_init(&t, "u", MAP_VALUE, "i", "is");
	add_value(&t, K(I(2)), K(I(-1), S("x")));
	add_value(&t, K(I(1)), K(I(7), S("y")));
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"map\", \"data\": {\"@u\": {\"1\": [7,\"y\"], \"2\": [-1,\"x\"]}}}\n");
	tmap_free(&t);
	tmap_init(&t, "x", MAP_VALUE, "", "ii");
	add_value(&t, NULL, K(I(1), I(2)));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@x\": [1,2]}}\n");
	tmap_free(&t);
}

static void test_json_escapes(void)
{
	struct tmap t;

	/* @s["a\"b"] = "x\\y"; @t["tab\there"] = "nl\nq"; @u["\x01\x1f"] = "\r"; */
	tmap_init(&t, "s", MAP_VALUE, "s", "s");
	add_value(&t, K(S("a\"b")), K(S("x\\y")));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@s\": {\"a\\\"b\": \"x\\\\y\"}}}\n");
	tmap_free(&t);
	tmap_init(&t, "t", MAP_VALUE, "s", "s");
	add_value(&t, K(S("tab\there")), K(S("nl\nq")));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@t\": {\"tab\\there\": \"nl\\nq\"}}}\n");
	tmap_free(&t);
	tmap_init(&t, "u", MAP_VALUE, "s", "s");
	add_value(&t, K(S("\x01\x1f")), K(S("\r")));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@u\": {\"\\u0001\\u001f\": \"\\r\"}}}\n");
	tmap_free(&t);

	/* @q["a\"b", 1] = "x"; @q["c\\d", 2] = "y";   (the joined key escaped once) */
	tmap_init(&t, "q", MAP_VALUE, "si", "s");
	add_value(&t, K(S("c\\d"), I(2)), K(S("y")));
	add_value(&t, K(S("a\"b"), I(1)), K(S("x")));
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"map\", \"data\": {\"@q\": {\"a\\\"b,1\": \"x\", \"c\\\\d,2\": \"y\"}}}\n");
	tmap_free(&t);

	/* @t[1, "k"] = (-1, "a\"b"); @e[""] = count(); */
	tmap_init(&t, "t", MAP_VALUE, "is", "is");
	add_value(&t, K(I(1), S("k")), K(I(-1), S("a\"b")));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@t\": {\"1,k\": [-1,\"a\\\"b\"]}}}\n");
	tmap_free(&t);
	tmap_init(&t, "e", MAP_COUNT, "s", "u");
	add_int(&t, K(S("")), 1);
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@e\": {\"\": 1}}}\n");
	tmap_free(&t);

	/*
	 * ours: @v["é"] = "ü"; bpftrace 0.17 sign-extends bytes >= 0x80 into
	 * invalid escapes ("\uffffffc3\uffffffa9"); UTF-8 passes through here.
	 */
	tmap_init(&t, "v", MAP_VALUE, "s", "s");
	add_value(&t, K(S("\xc3\xa9")), K(S("\xc3\xbc")));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"map\", \"data\": {\"@v\": {\"\xc3\xa9\": \"\xc3\xbc\"}}}\n");
	tmap_free(&t);
}

static void test_json_avg_stats(void)
{
	struct tmap t;

	/* @a = avg(10); @a = avg(20); */
	tmap_init(&t, "a", MAP_AVG, "", "i");
	add_avg(&t, NULL, 30, 2);
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"stats\", \"data\": {\"@a\": 15}}\n");
	tmap_free(&t);

	/* @k[1] = avg(10); @k[2] = avg(-30); @k[2] = avg(-1); @k[3] = avg(20); */
	tmap_init(&t, "k", MAP_AVG, "i", "i");
	add_avg(&t, K(I(1)), 10, 1);
	add_avg(&t, K(I(2)), -31, 2);
	add_avg(&t, K(I(3)), 20, 1);
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"stats\", \"data\": {\"@k\": {\"2\": -15, \"1\": 10, \"3\": 20}}}\n");
	tmap_free(&t);

	/* @st = stats(10); @st = stats(20); @st = stats(33); */
	tmap_init(&t, "st", MAP_STATS, "", "i");
	add_avg(&t, NULL, 63, 3);
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"stats\", \"data\": {\"@st\": "
		    "{\"count\": 3, \"average\": 21, \"total\": 63}}}\n");
	tmap_free(&t);

	/* @k["y"] = stats(4); @k["x"] = stats(-7); @k["x"] = stats(2); */
	tmap_init(&t, "k", MAP_STATS, "s", "i");
	add_avg(&t, K(S("y")), 4, 1);
	add_avg(&t, K(S("x")), -5, 2);
	EXPECT_JSON(&t, 0, 0,
		    "{\"type\": \"stats\", \"data\": {\"@k\": {"
		    "\"x\": {\"count\": 2, \"average\": -2, \"total\": -5}, "
		    "\"y\": {\"count\": 1, \"average\": 4, \"total\": 4}}}}\n");
	tmap_free(&t);

	/* @a = avg(10); zero(@a); */
	tmap_init(&t, "a", MAP_AVG, "", "i");
	add_avg(&t, NULL, 0, 0);
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"stats\", \"data\": {\"@a\": 0}}\n");
	tmap_free(&t);
}

static void test_json_hist(void)
{
	struct tmap t;

	/*
	 * @h = hist(-1); @h = hist(-100); @h = hist(0); @h = hist(1); @h = hist(1);
	 * @h = hist(2); @h = hist(3); @h = hist(3); @h = hist(7); @h = hist(1000);
	 * @h = hist(1024); @h = hist(1500); @h = hist(2047); @h = hist(1048576);
	 * @h = hist(1048575);
	 */
	tmap_init(&t, "h", MAP_HIST, "", "u");
	add_hist(&t, NULL, B(0, 2, 1, 1, 2, 2, 3, 3, 4, 1, 11, 1, 12, 3, 21, 1, 22, 1));
	EXPECT_JSON(&t, 0, 0,
	"{\"type\": \"hist\", \"data\": {\"@h\": [{\"max\": -1, \"count\": 2}, "
	"{\"min\": 0, \"max\": 0, \"count\": 1}, {\"min\": 1, \"max\": 1, \"count\": 2}, "
	"{\"min\": 2, \"max\": 3, \"count\": 3}, {\"min\": 4, \"max\": 7, \"count\": 1}, "
	"{\"min\": 8, \"max\": 15, \"count\": 0}, {\"min\": 16, \"max\": 31, \"count\": 0}, "
	"{\"min\": 32, \"max\": 63, \"count\": 0}, {\"min\": 64, \"max\": 127, \"count\": 0}, "
	"{\"min\": 128, \"max\": 255, \"count\": 0}, {\"min\": 256, \"max\": 511, \"count\": 0}, "
	"{\"min\": 512, \"max\": 1023, \"count\": 1}, {\"min\": 1024, \"max\": 2047, \"count\": 3}, "
	"{\"min\": 2048, \"max\": 4095, \"count\": 0}, {\"min\": 4096, \"max\": 8191, \"count\": 0}, "
	"{\"min\": 8192, \"max\": 16383, \"count\": 0}, {\"min\": 16384, \"max\": 32767, \"count\": 0}, "
	"{\"min\": 32768, \"max\": 65535, \"count\": 0}, {\"min\": 65536, \"max\": 131071, \"count\": 0}, "
	"{\"min\": 131072, \"max\": 262143, \"count\": 0}, "
	"{\"min\": 262144, \"max\": 524287, \"count\": 0}, "
	"{\"min\": 524288, \"max\": 1048575, \"count\": 1}, "
	"{\"min\": 1048576, \"max\": 2097151, \"count\": 1}]}}\n");
	tmap_free(&t);

	/* @h = hist(5); @h = hist(5); @h = hist(5); @h = hist(40); */
	tmap_init(&t, "h", MAP_HIST, "", "u");
	add_hist(&t, NULL, B(4, 3, 7, 1));
	EXPECT_JSON(&t, 0, 0,
	"{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 4, \"max\": 7, \"count\": 3}, "
	"{\"min\": 8, \"max\": 15, \"count\": 0}, {\"min\": 16, \"max\": 31, \"count\": 0}, "
	"{\"min\": 32, \"max\": 63, \"count\": 1}]}}\n");
	tmap_free(&t);

	/*
	 * ours: @h = hist(1073741824); @h = hist(3000000000);  bpftrace 0.17
	 * computes bounds in int: it prints {"min": -2147483648, "max": 0} for
	 * the last bucket.
	 */
	tmap_init(&t, "h", MAP_HIST, "", "u");
	add_hist(&t, NULL, B(32, 1, 33, 1));
	EXPECT_JSON(&t, 0, 0,
	"{\"type\": \"hist\", \"data\": {\"@h\": ["
	"{\"min\": 1073741824, \"max\": 2147483647, \"count\": 1}, "
	"{\"min\": 2147483648, \"max\": 4294967295, \"count\": 1}]}}\n");
	tmap_free(&t);

	/* ours: buckets up to [2^63, 2^64), which bpftrace 0.17 does not have */
	tmap_init(&t, "big", MAP_HIST, "i", "u");
	add_hist(&t, K(I(2)), B(62, 4, 65, 1));
	add_hist(&t, K(I(1)), B(42, 1));
	EXPECT_JSON(&t, 0, 0,
	"{\"type\": \"hist\", \"data\": {\"@big\": {"
	"\"1\": [{\"min\": 1099511627776, \"max\": 2199023255551, \"count\": 1}], "
	"\"2\": [{\"min\": 1152921504606846976, \"max\": 2305843009213693951, \"count\": 4}, "
	"{\"min\": 2305843009213693952, \"max\": 4611686018427387903, \"count\": 0}, "
	"{\"min\": 4611686018427387904, \"max\": 9223372036854775807, \"count\": 0}, "
	"{\"min\": 9223372036854775808, \"max\": 18446744073709551615, \"count\": 1}]}}}\n");
	tmap_free(&t);

	/* @h["b"] = hist(1) twice, hist(4); @h["a"] = hist(100); @h["c"] = hist(0); */
	tmap_init(&t, "h", MAP_HIST, "s", "u");
	add_hist(&t, K(S("b")), B(2, 2, 4, 1));
	add_hist(&t, K(S("c")), B(1, 1));
	add_hist(&t, K(S("a")), B(8, 1));
	EXPECT_JSON(&t, 0, 0,
	"{\"type\": \"hist\", \"data\": {\"@h\": {"
	"\"a\": [{\"min\": 64, \"max\": 127, \"count\": 1}], "
	"\"c\": [{\"min\": 0, \"max\": 0, \"count\": 1}], "
	"\"b\": [{\"min\": 1, \"max\": 1, \"count\": 2}, {\"min\": 2, \"max\": 3, \"count\": 0}, "
	"{\"min\": 4, \"max\": 7, \"count\": 1}]}}}\n");
	tmap_free(&t);

	/* @[1, "x"] = hist(3); */
	tmap_init(&t, "", MAP_HIST, "is", "u");
	add_hist(&t, K(I(1), S("x")), B(3, 1));
	EXPECT_JSON(&t, 0, 0,
	"{\"type\": \"hist\", \"data\": {\"@\": {\"1,x\": [{\"min\": 2, \"max\": 3, \"count\": 1}]}}}\n");
	tmap_free(&t);

	/* @h = hist(5); zero(@h); */
	tmap_init(&t, "h", MAP_HIST, "", "u");
	add_hist(&t, NULL, B(4, 0));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"hist\", \"data\": {\"@h\": []}}\n");
	tmap_free(&t);
}

static void test_json_lhist(void)
{
	struct tmap t;

	/*
	 * @l = lhist(-1, 0, 100, 10); @l = lhist(15, 0, 100, 10) twice;
	 * @l = lhist(19, ...); @l = lhist(35, ...); @l = lhist(100, ...);
	 * @l = lhist(1000, ...);
	 */
	tmap_init(&t, "l", MAP_LHIST, "", "u");
	tmap_lhist(&t, 0, 100, 10);
	add_hist(&t, NULL, B(0, 1, 2, 3, 4, 1, 11, 2));
	EXPECT_JSON(&t, 0, 0,
	"{\"type\": \"hist\", \"data\": {\"@l\": [{\"max\": -1, \"count\": 1}, "
	"{\"min\": 0, \"max\": 9, \"count\": 0}, {\"min\": 10, \"max\": 19, \"count\": 3}, "
	"{\"min\": 20, \"max\": 29, \"count\": 0}, {\"min\": 30, \"max\": 39, \"count\": 1}, "
	"{\"min\": 40, \"max\": 49, \"count\": 0}, {\"min\": 50, \"max\": 59, \"count\": 0}, "
	"{\"min\": 60, \"max\": 69, \"count\": 0}, {\"min\": 70, \"max\": 79, \"count\": 0}, "
	"{\"min\": 80, \"max\": 89, \"count\": 0}, {\"min\": 90, \"max\": 99, \"count\": 0}, "
	"{\"min\": 100, \"count\": 2}]}}\n");
	tmap_free(&t);

	/* @l[3] = lhist(5, 0, 10, 5) twice; @l[9] = lhist(50, 0, 10, 5); */
	tmap_init(&t, "l", MAP_LHIST, "i", "u");
	tmap_lhist(&t, 0, 10, 5);
	add_hist(&t, K(I(3)), B(2, 2));
	add_hist(&t, K(I(9)), B(3, 1));
	EXPECT_JSON(&t, 0, 0,
	"{\"type\": \"hist\", \"data\": {\"@l\": {\"9\": [{\"min\": 10, \"count\": 1}], "
	"\"3\": [{\"min\": 5, \"max\": 9, \"count\": 2}]}}}\n");
	tmap_free(&t);

	/* @l = lhist(5, 0, 10, 5); zero(@l); @l2[1] = lhist(5, 0, 10, 5); zero(@l2); */
	tmap_init(&t, "l", MAP_LHIST, "", "u");
	tmap_lhist(&t, 0, 10, 5);
	add_hist(&t, NULL, B(2, 0));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"hist\", \"data\": {\"@l\": []}}\n");
	tmap_free(&t);
	tmap_init(&t, "l2", MAP_LHIST, "i", "u");
	tmap_lhist(&t, 0, 10, 5);
	add_hist(&t, K(I(1)), B(2, 0));
	EXPECT_JSON(&t, 0, 0, "{\"type\": \"hist\", \"data\": {\"@l2\": {\"1\": []}}}\n");
	tmap_free(&t);
}

/* print(@m, top, div) with -f json: each text is what bpftrace 0.17's print() printed. */
static void test_json_top_div(void)
{
	struct tmap t;

	/* @x[1] x3, @x[2] x1, @x[3] x2, @x[4] x5 = count(); print(@x, 2); */
	/* print(@x, 0, 2); print(@x, 3, 3); */
	tmap_init(&t, "x", MAP_COUNT, "i", "u");
	add_int(&t, K(I(1)), 3);
	add_int(&t, K(I(2)), 1);
	add_int(&t, K(I(3)), 2);
	add_int(&t, K(I(4)), 5);
	EXPECT_JSON(&t, 2, 0, "{\"type\": \"map\", \"data\": {\"@x\": {\"1\": 3, \"4\": 5}}}\n");
	EXPECT_JSON(&t, 0, 2,
		    "{\"type\": \"map\", \"data\": {\"@x\": {\"2\": 0, \"3\": 1, \"1\": 1, \"4\": 2}}}\n");
	EXPECT_JSON(&t, 3, 3, "{\"type\": \"map\", \"data\": {\"@x\": {\"3\": 0, \"1\": 1, \"4\": 1}}}\n");
	tmap_free(&t);

	/* @s[1] = sum(-7); @s[2] = sum(9); @s[3] = sum(-1); print(@s, 0, 2); print(@s, 1); */
	tmap_init(&t, "s", MAP_SUM, "i", "i");
	add_int(&t, K(I(1)), -7);
	add_int(&t, K(I(2)), 9);
	add_int(&t, K(I(3)), -1);
	EXPECT_JSON(&t, 0, 2,
		    "{\"type\": \"map\", \"data\": {\"@s\": {\"1\": -3, \"3\": 0, \"2\": 4}}}\n");
	EXPECT_JSON(&t, 1, 0, "{\"type\": \"map\", \"data\": {\"@s\": {\"2\": 9}}}\n");
	tmap_free(&t);

	/* @k[1] = avg(10); @k[2] = avg(-30); @k[2] = avg(-1); @k[3] = avg(20); */
	/* print(@k, 2); print(@k, 0, 4); print(@k, 1, 3); */
	tmap_init(&t, "k", MAP_AVG, "i", "i");
	add_avg(&t, K(I(1)), 10, 1);
	add_avg(&t, K(I(2)), -31, 2);
	add_avg(&t, K(I(3)), 20, 1);
	EXPECT_JSON(&t, 2, 0, "{\"type\": \"stats\", \"data\": {\"@k\": {\"1\": 10, \"3\": 20}}}\n");
	EXPECT_JSON(&t, 0, 4,
		    "{\"type\": \"stats\", \"data\": {\"@k\": {\"2\": -3, \"1\": 2, \"3\": 5}}}\n");
	EXPECT_JSON(&t, 1, 3, "{\"type\": \"stats\", \"data\": {\"@k\": {\"3\": 6}}}\n");
	tmap_free(&t);

	/* @s[1] = stats(10); @s[2] = stats(20); @s[3] = stats(30); print(@s, 1); print(@s, 0, 10); */
	tmap_init(&t, "s", MAP_STATS, "i", "i");
	add_avg(&t, K(I(3)), 30, 1);
	add_avg(&t, K(I(2)), 20, 1);
	add_avg(&t, K(I(1)), 10, 1);
	for (int i = 0; i < 2; i++)
		EXPECT_JSON(&t, i ? 0 : 1, i ? 10 : 0,
			    "{\"type\": \"stats\", \"data\": {\"@s\": {"
			    "\"1\": {\"count\": 1, \"average\": 10, \"total\": 10}, "
			    "\"2\": {\"count\": 1, \"average\": 20, \"total\": 20}, "
			    "\"3\": {\"count\": 1, \"average\": 30, \"total\": 30}}}}\n");
	tmap_free(&t);

	/* @mx = max(7); print(@mx, 0, 2); @c = count(); print(@c, 1); */
	tmap_init(&t, "mx", MAP_MAX, "", "i");
	add_int(&t, NULL, 7);
	EXPECT_JSON(&t, 0, 2, "{\"type\": \"map\", \"data\": {\"@mx\": 3}}\n");
	tmap_free(&t);
	tmap_init(&t, "c", MAP_COUNT, "", "u");
	add_int(&t, NULL, 1);
	EXPECT_JSON(&t, 1, 0, "{\"type\": \"map\", \"data\": {\"@c\": 1}}\n");
	tmap_free(&t);

	/* @v[1] = -10; @v[2] = 21; @v[3] = 5; print(@v, 2); print(@v, 0, 3); */
	tmap_init(&t, "v", MAP_VALUE, "i", "i");
	add_value(&t, K(I(1)), K(I(-10)));
	add_value(&t, K(I(2)), K(I(21)));
	add_value(&t, K(I(3)), K(I(5)));
	EXPECT_JSON(&t, 2, 0, "{\"type\": \"map\", \"data\": {\"@v\": {\"3\": 5, \"2\": 21}}}\n");
	EXPECT_JSON(&t, 0, 3,
		    "{\"type\": \"map\", \"data\": {\"@v\": {\"1\": -3, \"3\": 1, \"2\": 7}}}\n");
	tmap_free(&t);

	/* @t[1] = (10, "a", -7); @t[2] = (21, "b", 5); print(@t, 1); print(@t, 0, 2); */
	tmap_init(&t, "t", MAP_VALUE, "i", "isi");
	add_value(&t, K(I(2)), K(I(21), S("b"), I(5)));
	add_value(&t, K(I(1)), K(I(10), S("a"), I(-7)));
	EXPECT_JSON(&t, 1, 0, "{\"type\": \"map\", \"data\": {\"@t\": {\"2\": [21,\"b\",5]}}}\n");
	EXPECT_JSON(&t, 0, 2,
		    "{\"type\": \"map\", \"data\": {\"@t\": {\"1\": [5,\"a\",-3], \"2\": [10,\"b\",2]}}}\n");
	tmap_free(&t);

	/* @h = hist(1) x3, hist(2) x2, hist(8); print(@h, 0, 2): the range is of undivided counts */
	tmap_init(&t, "h", MAP_HIST, "", "u");
	add_hist(&t, NULL, B(2, 3, 3, 2, 5, 1));
	EXPECT_JSON(&t, 0, 2,
	"{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 1, \"max\": 1, \"count\": 1}, "
	"{\"min\": 2, \"max\": 3, \"count\": 1}, {\"min\": 4, \"max\": 7, \"count\": 0}, "
	"{\"min\": 8, \"max\": 15, \"count\": 0}]}}\n");
	tmap_free(&t);

	/* @l = lhist(1, 0, 10, 5) x3, lhist(7, 0, 10, 5); print(@l, 0, 2): div ignored */
	tmap_init(&t, "l", MAP_LHIST, "", "u");
	tmap_lhist(&t, 0, 10, 5);
	add_hist(&t, NULL, B(1, 3, 2, 1));
	EXPECT_JSON(&t, 0, 2,
	"{\"type\": \"hist\", \"data\": {\"@l\": [{\"min\": 0, \"max\": 4, \"count\": 3}, "
	"{\"min\": 5, \"max\": 9, \"count\": 1}]}}\n");
	tmap_free(&t);

	/* @k["b"] = hist(1) x2; @k["a"] = hist(1); @k["c"] = hist(1) x3; */
	/* print(@k, 2); print(@k, 1, 2); */
	tmap_init(&t, "k", MAP_HIST, "s", "u");
	add_hist(&t, K(S("b")), B(2, 2));
	add_hist(&t, K(S("a")), B(2, 1));
	add_hist(&t, K(S("c")), B(2, 3));
	EXPECT_JSON(&t, 2, 0,
	"{\"type\": \"hist\", \"data\": {\"@k\": {\"b\": [{\"min\": 1, \"max\": 1, \"count\": 2}], "
	"\"c\": [{\"min\": 1, \"max\": 1, \"count\": 3}]}}}\n");
	EXPECT_JSON(&t, 1, 2,
	"{\"type\": \"hist\", \"data\": {\"@k\": {\"c\": [{\"min\": 1, \"max\": 1, \"count\": 1}]}}}\n");
	tmap_free(&t);
}

/* The kernel part: real maps filled per CPU from user space. */

static int ncpus;

/* Per-CPU values that differ (@k on every CPU but 0) and add up to @total. */
static int64_t spread(int64_t total, int64_t k, int cpu)
{
	return cpu ? k : total - k * (ncpus - 1);
}

static int make_map(struct tmap *t)
{
	enum bpf_map_type type = t->m.percpu ? BPF_MAP_TYPE_PERCPU_HASH : BPF_MAP_TYPE_HASH;
	int fd = bpf_map_create(type, "pt_mapprint", t->m.key_size, t->m.value_size,
				t->m.max_entries, NULL);

	if (fd < 0) {
		printf("FAIL: bpf_map_create: %s\n", strerror(errno));
		failures++;
	}
	return fd;
}

static void update(int line, int fd, const void *key, const void *vals)
{
	if (bpf_map_update_elem(fd, key, vals, BPF_ANY)) {
		printf("FAIL: %s:%d: bpf_map_update_elem: %s\n", __FILE__, line, strerror(errno));
		failures++;
	}
}

#define UPDATE(fd, key, vals) update(__LINE__, fd, key, vals)

/* A BPF key: the packed user key, then for hist/lhist the bucket. */
static void bpf_key(const struct tmap *t, const union tv *key, uint64_t bucket, unsigned char *buf)
{
	memset(buf, 0, t->m.key_size);
	if (key)
		pack(t->keys, t->m.nkeys, key, buf);
	if (t->m.key_size > t->m.user_key_size)
		memcpy(buf + t->m.user_key_size, &bucket, sizeof(bucket));
}

static void kexpect_line(int line, struct tmap *t, int fd, const char *want)
{
	int err = mapprint_read(fd, &t->m, &t->e);

	if (err) {
		printf("FAIL: %s:%d: mapprint_read: %s\n", __FILE__, line, strerror(-err));
		failures++;
		return;
	}
	expect_line(line, t, 0, 0, want);
	map_entries_free(&t->e);
}

#define KEXPECT(t, fd, want) kexpect_line(__LINE__, t, fd, want)

static void test_kernel_ints(void)
{
	unsigned char key[64];
	int64_t *vals = calloc(ncpus, sizeof(*vals));
	struct map_minmax *mm = calloc(ncpus, sizeof(*mm));
	char want[256];
	struct tmap t;
	int fd;

	if (!vals || !mm)
		goto out;

	/* count(): totals 5 and 2 whatever the number of CPUs */
	tmap_init(&t, "c", MAP_COUNT, "i", "u");
	fd = make_map(&t);
	if (fd < 0)
		goto out;
	KEXPECT(&t, fd, "");
	for (int i = 0; i < ncpus; i++)
		vals[i] = spread(5, 2, i);
	bpf_key(&t, K(I(-1)), 0, key);
	UPDATE(fd, key, vals);
	for (int i = 0; i < ncpus; i++)
		vals[i] = spread(2, -1, i);
	bpf_key(&t, K(I(7)), 0, key);
	UPDATE(fd, key, vals);
	KEXPECT(&t, fd, "@c[7]: 2\n@c[-1]: 5\n");
	close(fd);

	/* sum(): negative and positive per-CPU parts */
	tmap_init(&t, "s", MAP_SUM, "i", "i");
	fd = make_map(&t);
	if (fd < 0)
		goto out;
	for (int i = 0; i < ncpus; i++)
		vals[i] = spread(-7, 3, i);
	bpf_key(&t, K(I(1)), 0, key);
	UPDATE(fd, key, vals);
	for (int i = 0; i < ncpus; i++)
		vals[i] = spread(9, -4, i);
	bpf_key(&t, K(I(2)), 0, key);
	UPDATE(fd, key, vals);
	KEXPECT(&t, fd, "@s[1]: -7\n@s[2]: 9\n");
	close(fd);

	/* min(): CPU 0 saw nothing; its stale -100 must not win */
	tmap_init(&t, "mn", MAP_MIN, "", "i");
	fd = make_map(&t);
	if (fd < 0)
		goto out;
	for (int i = 0; i < ncpus; i++)
		mm[i] = (struct map_minmax){ i ? 10 + i : -100, i != 0 };
	bpf_key(&t, NULL, 0, key);
	UPDATE(fd, key, mm);
	KEXPECT(&t, fd, ncpus > 1 ? "@mn: 11\n" : "@mn: 0\n");
	close(fd);

	/* max(): of negative values, with CPU 0's 0 and 100 unset or set */
	tmap_init(&t, "mx", MAP_MAX, "i", "i");
	fd = make_map(&t);
	if (fd < 0)
		goto out;
	for (int i = 0; i < ncpus; i++)
		mm[i] = (struct map_minmax){ i ? -5 - i : 100, i != 0 };
	bpf_key(&t, K(I(1)), 0, key);
	UPDATE(fd, key, mm);
	for (int i = 0; i < ncpus; i++)
		mm[i] = (struct map_minmax){ i ? -i : 40, 1 };
	bpf_key(&t, K(I(2)), 0, key);
	UPDATE(fd, key, mm);
	KEXPECT(&t, fd, ncpus > 1 ? "@mx[1]: -6\n@mx[2]: 40\n" : "@mx[1]: 0\n@mx[2]: 40\n");
	close(fd);

	/* a plain hash of ints, and one of tuples */
	tmap_init(&t, "v", MAP_VALUE, "s", "i");
	fd = make_map(&t);
	if (fd < 0)
		goto out;
	bpf_key(&t, K(S("b")), 0, key);
	UPDATE(fd, key, &(int64_t){ -3 });
	bpf_key(&t, K(S("a")), 0, key);
	UPDATE(fd, key, &(int64_t){ 4 });
	KEXPECT(&t, fd, "@v[b]: -3\n@v[a]: 4\n");
	close(fd);
	tmap_init(&t, "t", MAP_VALUE, "si", "is");
	fd = make_map(&t);
	if (fd < 0)
		goto out;
	{
		unsigned char val[64] = { 0 };

		bpf_key(&t, K(S("b"), I(1)), 0, key);
		pack(t.vals, t.m.nvalues, K(I(-1), S("x")), val);
		UPDATE(fd, key, val);
		bpf_key(&t, K(S("a"), I(2)), 0, key);
		memset(val, 0, sizeof(val));
		pack(t.vals, t.m.nvalues, K(I(5), S("yy")), val);
		UPDATE(fd, key, val);
	}
	KEXPECT(&t, fd, "@t[a, 2]: (5, yy)\n@t[b, 1]: (-1, x)\n");
	close(fd);

	/* avg() and stats() from the same per-CPU layout */
	for (int kind = MAP_AVG; kind <= MAP_STATS; kind++) {
		struct map_avg *av = calloc(ncpus, sizeof(*av));

		if (!av)
			goto out;
		tmap_init(&t, kind == MAP_AVG ? "a" : "st", kind, "s", "i");
		fd = make_map(&t);
		if (fd < 0) {
			free(av);
			goto out;
		}
		for (int i = 0; i < ncpus; i++)
			av[i] = (struct map_avg){ spread(-31, 4, i), 1 };
		bpf_key(&t, K(S("read")), 0, key);
		UPDATE(fd, key, av);
		for (int i = 0; i < ncpus; i++)
			av[i] = (struct map_avg){ i ? 0 : 50, i ? 0 : 2 };
		bpf_key(&t, K(S("write")), 0, key);
		UPDATE(fd, key, av);
		if (kind == MAP_AVG)
			snprintf(want, sizeof(want), "@a[read]: %d\n@a[write]: 25\n\n",
				 -31 / ncpus);
		else
			snprintf(want, sizeof(want),
				 "@st[read]: count %d, average %d, total -31\n"
				 "@st[write]: count 2, average 25, total 50\n\n",
				 ncpus, -31 / ncpus);
		KEXPECT(&t, fd, want);
		close(fd);
		free(av);
	}

	/* mapprint_print() writes the same text, with top */
	tmap_init(&t, "c", MAP_COUNT, "i", "u");
	fd = make_map(&t);
	if (fd < 0)
		goto out;
	for (int i = 0; i < ncpus; i++)
		vals[i] = spread(5, 2, i);
	bpf_key(&t, K(I(-1)), 0, key);
	UPDATE(fd, key, vals);
	bpf_key(&t, K(I(3)), 0, key);
	UPDATE(fd, key, vals);
	{
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		CHECK(f && mapprint_print(fd, &t.m, 1, 0, f) == 0);
		CHECK(f && mapprint_print(fd, &t.m, 0, 5, f) == 0);
		if (f)
			fclose(f);
		CHECK(text && !strcmp(text, "@c[-1]: 5\n@c[3]: 1\n@c[-1]: 1\n"));
		free(text);
	}
	/* and mapprint_print_json() its JSON, as bpftrace 0.17's -f json print() did */
	{
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		CHECK(f && mapprint_print_json(fd, &t.m, 1, 0, f) == 0);
		CHECK(f && mapprint_print_json(fd, &t.m, 0, 5, f) == 0);
		if (f)
			fclose(f);
		CHECK(text && !strcmp(text,
				      "{\"type\": \"map\", \"data\": {\"@c\": {\"-1\": 5}}}\n"
				      "{\"type\": \"map\", \"data\": {\"@c\": {\"3\": 1, \"-1\": 1}}}\n"));
		free(text);
	}
	close(fd);
out:
	free(vals);
	free(mm);
}

static void test_kernel_hist(void)
{
	uint64_t *vals = calloc(ncpus, sizeof(*vals));
	unsigned char key[64];
	struct tmap t;
	int fd;

	if (!vals)
		return;

	/* two user keys, each spread over several BPF entries; a bucket of zeros is not a row */
	tmap_init(&t, "h", MAP_HIST, "i", "u");
	fd = make_map(&t);
	if (fd < 0)
		goto out;
	for (int i = 0; i < ncpus; i++)
		vals[i] = spread(100, 1, i);
	bpf_key(&t, K(I(3)), 2, key);
	UPDATE(fd, key, vals);
	for (int i = 0; i < ncpus; i++)
		vals[i] = spread(50, 1, i);
	bpf_key(&t, K(I(3)), 4, key);
	UPDATE(fd, key, vals);
	memset(vals, 0, ncpus * sizeof(*vals));
	bpf_key(&t, K(I(3)), 0, key);
	UPDATE(fd, key, vals);
	vals[ncpus - 1] = 7;
	bpf_key(&t, K(I(-2)), 12, key);
	UPDATE(fd, key, vals);
	KEXPECT(&t, fd,
	"@h[-2]: \n"
	"[1K, 2K)               7 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@h[3]: \n"
	"[1]                  100 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[2, 4)                 0 |                                                    |\n"
	"[4, 8)                50 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
	"\n");
	/* a bucket past the last is a layout mismatch, not something to print */
	bpf_key(&t, K(I(3)), MAP_HIST_BUCKETS, key);
	UPDATE(fd, key, vals);
	CHECK(mapprint_read(fd, &t.m, &t.e) == -EINVAL && t.e.n == 0);
	close(fd);

	/* keyless lhist(x, 0, 100, 10): below nothing, in range, at and above max */
	tmap_init(&t, "l", MAP_LHIST, "", "u");
	tmap_lhist(&t, 0, 100, 10);
	fd = make_map(&t);
	if (fd < 0)
		goto out;
	for (int i = 0; i < ncpus; i++)
		vals[i] = spread(64, 1, i);
	bpf_key(&t, NULL, 1, key);
	UPDATE(fd, key, vals);
	memset(vals, 0, ncpus * sizeof(*vals));
	vals[ncpus - 1] = 32;
	bpf_key(&t, NULL, 11, key);
	UPDATE(fd, key, vals);
	KEXPECT(&t, fd,
	"@l: \n"
	"[0, 10)               64 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[10, 20)               0 |                                                    |\n"
	"[20, 30)               0 |                                                    |\n"
	"[30, 40)               0 |                                                    |\n"
	"[40, 50)               0 |                                                    |\n"
	"[50, 60)               0 |                                                    |\n"
	"[60, 70)               0 |                                                    |\n"
	"[70, 80)               0 |                                                    |\n"
	"[80, 90)               0 |                                                    |\n"
	"[90, 100)              0 |                                                    |\n"
	"[100, ...)            32 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
	"\n");
	close(fd);
out:
	free(vals);
}

int main(void)
{
	test_ints();
	test_values();
	test_avg_stats();
	test_hist();
	test_lhist();
	test_top_div();
	test_json_ints();
	test_json_values();
	test_json_escapes();
	test_json_avg_stats();
	test_json_hist();
	test_json_lhist();
	test_json_top_div();
	if (geteuid() != 0) {
		printf("SKIP: the kernel map tests need root\n");
		return failures ? 1 : 77;
	}
	ncpus = libbpf_num_possible_cpus();
	if (ncpus < 1) {
		printf("FAIL: libbpf_num_possible_cpus: %d\n", ncpus);
		return 1;
	}
	test_kernel_ints();
	test_kernel_hist();
	if (failures)
		return 1;
	printf("mapprint checks passed (%d CPUs)\n", ncpus);
	return 0;
}
