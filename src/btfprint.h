/* SPDX-License-Identifier: GPL-2.0 */
/*
 * btfprint: bytes laid out as a BTF type, printed for people or as JSON.
 *
 *   text: 42  -7  true  "ptwl"  {pid: 1234, comm: "ptwl"}  [1, 2, 3]  0xffff8880  READ
 *   JSON: 42  -7  true  "ptwl"  {"pid": 1234, "comm": "ptwl"}  [1, 2, 3]  "0xffff8880"  "READ"
 *
 * Integers in decimal, char arrays as strings (up to the first NUL), enums
 * by their enumerator's name when one matches, pointers in hex.  Also
 * compared (to sort a map's keys) and added up (per-CPU values).
 */
#ifndef PTRACE1_BTFPRINT_H
#define PTRACE1_BTFPRINT_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/types.h>

#include "strbuf.h"

struct btf;
struct btf_type;

/* Type @id past typedefs, const, volatile, restrict and type tags; *@id becomes its id. */
const struct btf_type *btfprint_resolve(const struct btf *btf, __u32 *id);

/* The value of type @id at @data (btf__resolve_size(@id) bytes). */
void btfprint_value(struct strbuf *out, const struct btf *btf, __u32 id, const void *data,
		    bool json);
/* Bytes of no known type: 01 02 ff as text, "0102ff" in JSON. */
void btfprint_bytes(struct strbuf *out, const void *data, size_t size, bool json);
/* @s as a quoted string: C escapes as text, JSON's in JSON. */
void btfprint_string(struct strbuf *out, const char *s, size_t len, bool json);
/* <0, 0, >0 as @a sorts before, with or after @b: numbers by value, strings by bytes. */
int btfprint_compare(const struct btf *btf, __u32 id, const void *a, const void *b);
/* Whether values of @id add up: integers (not bool or char), floats, and structs or arrays of them. */
bool btfprint_summable(const struct btf *btf, __u32 id);
/* @acc += @v, number by number; @id is summable. */
void btfprint_add(const struct btf *btf, __u32 id, void *acc, const void *v);

#endif
