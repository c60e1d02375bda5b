// SPDX-License-Identifier: GPL-2.0
/*
 * BTF value printing (btfprint) and --set value parsing (globals_parse),
 * on types built with libbpf's BTF writer as clang would emit them for C.
 * Exit 0 pass, 1 fail.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "btfprint.h"
#include "check.h"
#include "globals.h"
#include "strbuf.h"

/* The type ids of the test BTF. */
static struct {
	int s32, u8, u32, u64, s64, chr, boolean, comm, pid_t, vpid, kind, ptr, u32x3;
	int task, stats, flags, anon, with_anon, s16;
} ty;

/* struct task { pid_t pid; char comm[16]; enum kind kind; }: as in a ring buffer record. */
struct task {
	int32_t pid;
	char comm[16];
	uint32_t kind;
};

/* struct stats { u64 calls; u32 hist[3]; s16 delta; }: per-CPU values that add up. */
struct stats {
	uint64_t calls;
	uint32_t hist[3];
	int16_t delta;
};

/* An anonymous union, bitfields (at bits 64 and 68, little endian) and a bool. */
struct with_anon {
	int32_t a;
	union {
		uint32_t x;
		uint8_t b;
	};
	uint32_t lo : 4, hi : 4;
	bool on;
};

static struct btf *build(void)
{
	struct btf *b = btf__new_empty();

	ty.s32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	ty.u8 = btf__add_int(b, "unsigned char", 1, 0);
	ty.u32 = btf__add_int(b, "unsigned int", 4, 0);
	ty.u64 = btf__add_int(b, "unsigned long long", 8, 0);
	ty.s64 = btf__add_int(b, "long long", 8, BTF_INT_SIGNED);
	ty.s16 = btf__add_int(b, "short", 2, BTF_INT_SIGNED);
	ty.chr = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	ty.boolean = btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);
	ty.comm = btf__add_array(b, ty.u32, ty.chr, 16);
	ty.pid_t = btf__add_typedef(b, "pid_t", ty.s32);
	/* const volatile pid_t: as clang emits a settable global's type */
	ty.vpid = btf__add_const(b, btf__add_volatile(b, ty.pid_t));
	ty.kind = btf__add_enum(b, "kind", 4);
	btf__add_enum_value(b, "KIND_READ", 0);
	btf__add_enum_value(b, "KIND_WRITE", 1);
	ty.ptr = btf__add_ptr(b, ty.u64);
	ty.u32x3 = btf__add_array(b, ty.u32, ty.u32, 3);
	ty.task = btf__add_struct(b, "task", sizeof(struct task));
	btf__add_field(b, "pid", ty.pid_t, 0, 0);
	btf__add_field(b, "comm", ty.comm, offsetof(struct task, comm) * 8, 0);
	btf__add_field(b, "kind", ty.kind, offsetof(struct task, kind) * 8, 0);
	ty.stats = btf__add_struct(b, "stats", sizeof(struct stats));
	btf__add_field(b, "calls", ty.u64, 0, 0);
	btf__add_field(b, "hist", ty.u32x3, offsetof(struct stats, hist) * 8, 0);
	btf__add_field(b, "delta", ty.s16, offsetof(struct stats, delta) * 8, 0);
	ty.anon = btf__add_union(b, "", 4);
	btf__add_field(b, "x", ty.u32, 0, 0);
	btf__add_field(b, "b", ty.u8, 0, 0);
	ty.with_anon = btf__add_struct(b, "with_anon", sizeof(struct with_anon));
	btf__add_field(b, "a", ty.s32, 0, 0);
	btf__add_field(b, "", ty.anon, 32, 0);
	btf__add_field(b, "lo", ty.u32, 64, 4);
	btf__add_field(b, "hi", ty.u32, 68, 4);
	btf__add_field(b, "on", ty.boolean, offsetof(struct with_anon, on) * 8, 0);
	return b;
}

/* @data printed as type @id, text or JSON, compared with @want. */
static void check_print(const struct btf *b, int id, const void *data, bool json, const char *want,
			int line)
{
	struct strbuf out;

	sb_init(&out);
	btfprint_value(&out, b, (__u32)id, data, json);
	if (!out.buf || strcmp(out.buf, want)) {
		printf("FAIL: line %d: printed '%s', want '%s'\n", line, out.buf ? out.buf : "",
		       want);
		failures++;
	}
	sb_free(&out);
}

#define PRINTS(id, data, json, want) check_print(b, ty.id, data, json, want, __LINE__)

static void test_print(const struct btf *b)
{
	struct task t = { .pid = 1234, .comm = "ptwl", .kind = 1 };
	struct stats s = { .calls = 5, .hist = { 1, 2, 3 }, .delta = -2 };
	struct with_anon w = { .a = -1, .x = 0x101, .lo = 3, .hi = 12, .on = true };
	char odd[16] = "a\"b\\c\nd\x01";
	uint64_t big = UINT64_MAX, p = 0xffff888012345678ull;
	int32_t neg = -42;
	uint32_t unknown = 7;
	bool yes = true;

	PRINTS(task, &t, false, "{pid: 1234, comm: \"ptwl\", kind: KIND_WRITE}");
	PRINTS(task, &t, true, "{\"pid\": 1234, \"comm\": \"ptwl\", \"kind\": \"KIND_WRITE\"}");
	PRINTS(stats, &s, false, "{calls: 5, hist: [1, 2, 3], delta: -2}");
	PRINTS(stats, &s, true, "{\"calls\": 5, \"hist\": [1, 2, 3], \"delta\": -2}");
	/* An anonymous union's members are the struct's; bitfields by value. */
	PRINTS(with_anon, &w, false, "{a: -1, x: 257, b: 1, lo: 3, hi: 12, on: true}");
	PRINTS(comm, odd, false, "\"a\\\"b\\\\c\\nd\\x01\"");
	PRINTS(comm, odd, true, "\"a\\\"b\\\\c\\nd\\u0001\"");
	PRINTS(u64, &big, false, "18446744073709551615");
	PRINTS(vpid, &neg, false, "-42");
	PRINTS(kind, &unknown, false, "7");
	PRINTS(kind, &unknown, true, "7");
	PRINTS(boolean, &yes, true, "true");
	PRINTS(ptr, &p, false, "0xffff888012345678");
	PRINTS(ptr, &p, true, "\"0xffff888012345678\"");
}

static void test_compare_and_add(const struct btf *b)
{
	struct task a = { .pid = 2, .comm = "b" }, c = { .pid = 2, .comm = "a" };
	struct stats acc = { .calls = 1, .hist = { 1, 1, 1 }, .delta = -1 };
	struct stats more = { .calls = 2, .hist = { 0, 1, 2 }, .delta = 3 };
	int32_t m1 = -1, p1 = 1;
	char s1[16] = "abc", s2[16] = "abd";

	CHECK(btfprint_compare(b, (__u32)ty.s32, &m1, &p1) < 0);
	CHECK(btfprint_compare(b, (__u32)ty.u32, &m1, &p1) > 0);
	CHECK(btfprint_compare(b, (__u32)ty.comm, s1, s2) < 0);
	CHECK(btfprint_compare(b, (__u32)ty.task, &a, &c) > 0);
	CHECK(btfprint_compare(b, (__u32)ty.task, &a, &a) == 0);
	CHECK(btfprint_summable(b, (__u32)ty.stats));
	CHECK(btfprint_summable(b, (__u32)ty.vpid));
	CHECK(!btfprint_summable(b, (__u32)ty.task));
	CHECK(!btfprint_summable(b, (__u32)ty.comm));
	CHECK(!btfprint_summable(b, (__u32)ty.boolean));
	btfprint_add(b, (__u32)ty.stats, &acc, &more);
	CHECK(acc.calls == 3 && acc.hist[0] == 1 && acc.hist[1] == 2 && acc.hist[2] == 3);
	CHECK(acc.delta == 2);
}

/* globals_parse of @text as @id: 0 and the bytes @want, or an error. */
static void check_parse(const struct btf *b, int id, const char *text, int want_err,
			const void *want, size_t size, int line)
{
	unsigned char buf[64];
	char why[256] = "";
	int err;

	memset(buf, 0xaa, sizeof(buf));
	err = globals_parse(b, (__u32)id, text, buf, why, sizeof(why));
	if (err != want_err || (!err && memcmp(buf, want, size))) {
		printf("FAIL: line %d: '%s' gave %d (%s)\n", line, text, err, why);
		failures++;
	}
}

#define PARSES(id, text, ...) do {						\
		__typeof__(__VA_ARGS__) v_ = (__VA_ARGS__);				\
		check_parse(b, ty.id, text, 0, &v_, sizeof(v_), __LINE__);	\
	} while (0)
#define REFUSES(id, text, err) check_parse(b, ty.id, text, err, NULL, 0, __LINE__)

static void test_parse(const struct btf *b)
{
	char comm[16] = "ptwl";
	char why[256];
	unsigned char buf[16];

	PARSES(vpid, "1234", (int32_t)1234);
	PARSES(vpid, "-2147483648", (int32_t)INT32_MIN);
	PARSES(vpid, "0x10", (int32_t)16);
	PARSES(u8, "255", (uint8_t)255);
	PARSES(u64, "18446744073709551615", (uint64_t)UINT64_MAX);
	PARSES(s64, "-9223372036854775808", (int64_t)INT64_MIN);
	PARSES(boolean, "true", (uint8_t)1);
	PARSES(boolean, "0", (uint8_t)0);
	PARSES(kind, "KIND_WRITE", (uint32_t)1);
	PARSES(kind, "1", (uint32_t)1);
	check_parse(b, ty.comm, "ptwl", 0, comm, sizeof(comm), __LINE__);
	REFUSES(vpid, "2147483648", -EINVAL);
	REFUSES(vpid, "12abc", -EINVAL);
	REFUSES(vpid, "", -EINVAL);
	REFUSES(u8, "256", -EINVAL);
	REFUSES(u8, "-1", -EINVAL);
	REFUSES(u64, "18446744073709551616", -EINVAL);
	REFUSES(boolean, "yes", -EINVAL);
	REFUSES(kind, "KIND_OTHER", -EINVAL);
	REFUSES(comm, "0123456789abcdef", -EINVAL);
	REFUSES(task, "1", -EOPNOTSUPP);
	REFUSES(ptr, "1", -EOPNOTSUPP);
	/* What the type takes, for the message. */
	globals_parse(b, (__u32)ty.u8, "300", buf, why, sizeof(why));
	CHECK(!strcmp(why, "an integer from 0 to 255"));
	globals_parse(b, (__u32)ty.kind, "x", buf, why, sizeof(why));
	CHECK(!strcmp(why, "one of KIND_READ, KIND_WRITE, or a number"));
	globals_parse(b, (__u32)ty.comm, "0123456789abcdef", buf, why, sizeof(why));
	CHECK(!strcmp(why, "a string of at most 15 bytes"));
}

int main(void)
{
	struct btf *b = build();

	if (!b || ty.with_anon <= 0) {
		printf("FAIL: cannot build the test BTF\n");
		return 1;
	}
	test_print(b);
	test_compare_and_add(b);
	test_parse(b);
	btf__free(b);
	if (failures)
		printf("%d failures\n", failures);
	return failures ? 1 : 0;
}
