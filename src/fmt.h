/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fmt: printf format strings.  Parsed once, when the program is checked
 * (sema matches arguments against the conversions), and applied in user
 * space to every event's values (output): BPF never formats text.
 */
#ifndef PTRACE1_FMT_H
#define PTRACE1_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

enum fmt_want {
	FMT_WANT_INT,	/* d i u x X o c */
	FMT_WANT_STR,	/* s */
};

struct fmt_conv {
	size_t offset;		/* of the '%' in the format text */
	size_t len;		/* bytes from '%' through the conversion character */
	char conv;		/* d i u x X o s c */
	enum fmt_want want;
	char flags[8];		/* any of "-+ #0", in the order written */
	int width;		/* -1 when absent */
	int precision;		/* -1 when absent */
	int int_bits;		/* 8 for hh, 16 for h, else 64: the value is truncated to it */
};

struct fmt {
	char *text;		/* the format, a copy; may hold NUL bytes */
	size_t len;
	struct fmt_conv *convs;
	size_t nconvs;
};

struct fmt_error {
	size_t offset;		/* of the offending conversion in the text */
	size_t len;
	char msg[128];
};

union fmt_value {
	int64_t i;
	struct {
		const char *s;
		size_t len;	/* bytes up to (not including) the NUL, or the buffer size */
	} str;
};

/* Returns 0, or -EINVAL with @err filled, or -ENOMEM. */
int fmt_parse(const char *text, size_t len, struct fmt *out, struct fmt_error *err);
void fmt_free(struct fmt *f);
/* Append the formatted text to @out; @vals has one value per conversion. */
void fmt_render(const struct fmt *f, const union fmt_value *vals, struct strbuf *out);

#endif
