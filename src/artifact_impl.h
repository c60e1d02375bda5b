/* SPDX-License-Identifier: GPL-2.0 */
/*
 * artifact's own: the bytes of the format, shared by artifact.c (the
 * container) and artifact_prog.c (the checked program), and nothing else.
 *
 * Integers are little-endian; a string is a u32 length and its bytes (no
 * NUL); a section is a four-character tag, a u32 length and its contents.
 */
#ifndef PTRACE1_ARTIFACT_IMPL_H
#define PTRACE1_ARTIFACT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "artifact.h"
#include "strbuf.h"

void wr_u8(struct strbuf *out, uint8_t v);
void wr_u32(struct strbuf *out, uint32_t v);
void wr_u64(struct strbuf *out, uint64_t v);
void wr_str(struct strbuf *out, const char *s);
void wr_bytes(struct strbuf *out, const void *p, size_t n);
/* Start section @tag; wr_section_end() with what this returns fills in its length. */
size_t wr_section(struct strbuf *out, const char *tag);
void wr_section_end(struct strbuf *out, size_t at);

/*
 * A reader of bytes that cannot go past its end.  The first problem found
 * makes it bad and says what in @err; reads after that return zeros, so
 * that callers check once, where it matters.
 */
struct rd {
	const unsigned char *p;
	size_t len;
	size_t at;
	size_t base;		/* of p in the file, for messages */
	bool bad;
	struct artifact_error *err;
};

__attribute__((format(printf, 2, 3)))
void rd_fail(struct rd *r, const char *fmt, ...);
uint8_t rd_u8(struct rd *r);
uint32_t rd_u32(struct rd *r);
uint64_t rd_u64(struct rd *r);
/* A byte that must be 0 or 1. */
bool rd_bool(struct rd *r, const char *what);
/* @n bytes in place, or NULL when there are fewer. */
const void *rd_bytes(struct rd *r, size_t n);
/* A string of at most @max bytes, no control characters, in place, its length in *@len. */
const char *rd_str(struct rd *r, size_t max, const char *what, size_t *len);
/* The same, copied NUL-terminated into @buf of @size bytes. */
void rd_str_into(struct rd *r, char *buf, size_t size, const char *what);
/* The same, malloc'd: NULL when bad or out of memory (then -ENOMEM in *@nomem). */
char *rd_strdup(struct rd *r, size_t max, const char *what, int *nomem);
/*
 * A count of things that take at least @each bytes apiece: more than the
 * bytes left, or than @max, is corrupt.
 */
size_t rd_count(struct rd *r, size_t each, size_t max, const char *what);
/*
 * Section @tag of @r: *@sec reads its contents.  rd_end() checks they were
 * all read, and makes @r bad if @sec is.
 */
void rd_section(struct rd *r, const char *tag, struct rd *sec);
void rd_end(struct rd *r, struct rd *sec, const char *tag);

/* The checked program's sections (artifact_prog.c). */
void artifact_encode_prog(const struct checked *c, const struct attach_spec *specs,
			  struct strbuf *out);
/* Fill a->c and a->specs.  Returns 0, -EBADMSG (r is bad) or -ENOMEM. */
int artifact_decode_prog(struct rd *r, struct artifact *a);

#endif
