// SPDX-License-Identifier: GPL-2.0
/*
 * printf format strings.  Every value reaches user space as 64 bits, so a
 * conversion prints the whole int64_t (or its uint64_t bits): no length
 * modifier, l, ll, z, j and t all mean that.  Only hh and h change the
 * output, by truncating the value to 8 and 16 bits as C would.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

/* Bounds a single conversion's output, and keeps widths in an int. */
#define FMT_MAX_FIELD 4096

__attribute__((format(printf, 4, 5)))
static int fail(struct fmt_error *err, size_t offset, size_t len, const char *msg, ...)
{
	va_list ap;

	err->offset = offset;
	err->len = len;
	va_start(ap, msg);
	vsnprintf(err->msg, sizeof(err->msg), msg, ap);
	va_end(ap);
	return -EINVAL;
}

static int parse_number(const char *t, size_t len, size_t *i)
{
	int v = 0;

	for (; *i < len && t[*i] >= '0' && t[*i] <= '9'; (*i)++) {
		/* Saturate: anything above the limit is rejected anyway. */
		if (v <= FMT_MAX_FIELD)
			v = v * 10 + (t[*i] - '0');
	}
	return v;
}

/*
 * Report an unknown conversion character at t[i].  The message quotes it,
 * so a UTF-8 sequence is kept whole and control bytes (a "100%\n" typo) are
 * escaped rather than breaking the user's terminal line.
 */
static int fail_unsupported(const char *t, size_t len, size_t start, size_t i,
			    struct fmt_error *err)
{
	const unsigned char *p = (const unsigned char *)t + i;
	size_t n = 1;

	if (*p >= 0xc0)
		while (i + n < len && n < 4 && (p[n] & 0xc0) == 0x80)
			n++;
	if (n > 1 || (*p >= 0x20 && *p < 0x7f))
		return fail(err, start, i + n - start, "unsupported conversion '%%%.*s'",
			    (int)n, t + i);
	if (*p == '\n')
		return fail(err, start, i + 1 - start, "unsupported conversion '%%\\n'");
	return fail(err, start, i + 1 - start, "unsupported conversion '%%\\x%02x'", *p);
}

/* Parse the conversion whose '%' is at t[start] (and is not "%%"). */
static int parse_conv(const char *t, size_t len, size_t start, struct fmt_conv *c,
		      struct fmt_error *err)
{
	size_t i = start + 1, nflags = 0, mod;

	memset(c, 0, sizeof(*c));
	c->offset = start;
	c->width = -1;
	c->precision = -1;
	c->int_bits = 64;

	/* Repeated flags mean nothing more in C; keeping one fits flags[]. */
	for (; i < len && memchr("-+ #0", t[i], 5); i++)
		if (!memchr(c->flags, t[i], nflags))
			c->flags[nflags++] = t[i];

	if (i < len && t[i] == '*')
		return fail(err, start, i + 1 - start, "'*' width and precision are not supported");
	if (i < len && t[i] >= '0' && t[i] <= '9') {
		c->width = parse_number(t, len, &i);
		if (c->width > FMT_MAX_FIELD)
			return fail(err, start, i - start, "field width too large");
	}
	if (i < len && t[i] == '.') {
		i++;
		if (i < len && t[i] == '*')
			return fail(err, start, i + 1 - start,
				    "'*' width and precision are not supported");
		c->precision = parse_number(t, len, &i);
		if (c->precision > FMT_MAX_FIELD)
			return fail(err, start, i - start, "field width too large");
	}

	mod = i;
	if (i < len && (t[i] == 'h' || t[i] == 'l')) {
		if (++i < len && t[i] == t[i - 1])
			i++;
	} else if (i < len && memchr("zjt", t[i], 3)) {
		i++;
	}
	if (i - mod == 2 && t[mod] == 'h')
		c->int_bits = 8;
	else if (i - mod == 1 && t[mod] == 'h')
		c->int_bits = 16;

	if (i >= len)
		return fail(err, start, len - start,
			    "incomplete conversion at the end of the format");
	c->conv = t[i];
	c->len = i + 1 - start;
	switch (c->conv) {
	case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
		c->want = FMT_WANT_INT;
		return 0;
	case 'c':
	case 's':
		/* %lc and %ls mean wide characters in C: do not print bytes instead. */
		if (i > mod)
			return fail(err, start, c->len, "'%%%.*s' is not supported",
				    (int)(i + 1 - mod), t + mod);
		c->want = c->conv == 's' ? FMT_WANT_STR : FMT_WANT_INT;
		return 0;
	case 'n':
		return fail(err, start, c->len, "'%%n' is not supported");
	case '%':
		return fail(err, start, c->len,
			    "'%%%%' cannot have flags, width, precision or length modifier");
	default:
		return fail_unsupported(t, len, start, i, err);
	}
}

int fmt_parse(const char *text, size_t len, struct fmt *out, struct fmt_error *err)
{
	struct fmt_conv *convs;
	size_t i;
	int ret;

	memset(out, 0, sizeof(*out));
	out->text = malloc(len + 1);
	if (!out->text)
		return -ENOMEM;
	memcpy(out->text, text, len);
	out->text[len] = '\0';
	out->len = len;

	for (i = 0; i < len; i++) {
		if (text[i] != '%')
			continue;
		if (i + 1 < len && text[i + 1] == '%') {
			i++;
			continue;
		}
		convs = realloc(out->convs, (out->nconvs + 1) * sizeof(*convs));
		if (!convs) {
			ret = -ENOMEM;
			goto err;
		}
		out->convs = convs;
		ret = parse_conv(text, len, i, &convs[out->nconvs], err);
		if (ret)
			goto err;
		i += convs[out->nconvs++].len - 1;
	}
	return 0;
err:
	fmt_free(out);
	return ret;
}

void fmt_free(struct fmt *f)
{
	free(f->text);
	free(f->convs);
	memset(f, 0, sizeof(*f));
}

/* Literal text between conversions: parsing left only "%%" pairs in it. */
static void put_literal(struct strbuf *out, const char *p, size_t n)
{
	const char *pct;

	while ((pct = memchr(p, '%', n))) {
		sb_add(out, p, pct + 1 - p);
		n -= pct + 2 - p;
		p = pct + 2;
	}
	sb_add(out, p, n);
}

static void put_conv(struct strbuf *out, const struct fmt_conv *c, const union fmt_value *v)
{
	uint64_t u = (uint64_t)v->i;
	int64_t i = v->i;
	const char *s;
	char spec[24];
	size_t n;

	/* "%" flags width ".*" ll conv: the precision goes as an argument. */
	n = snprintf(spec, sizeof(spec), "%%%s", c->flags);
	if (c->width >= 0)
		n += snprintf(spec + n, sizeof(spec) - n, "%d", c->width);
	snprintf(spec + n, sizeof(spec) - n, ".*%s%c",
		 c->want == FMT_WANT_INT && c->conv != 'c' ? "ll" : "", c->conv);

	switch (c->conv) {
	case 'd':
	case 'i':
		if (c->int_bits == 8)
			i = (int8_t)i;
		else if (c->int_bits == 16)
			i = (int16_t)i;
		sb_printf(out, spec, c->precision, (long long)i);
		break;
	case 'c':
		/* C leaves a precision on %c undefined; glibc ignores it, so do we. */
		sb_printf(out, spec, -1, (unsigned char)v->i);
		break;
	case 's':
		/* The buffer need not hold a NUL: the precision bounds the read. */
		s = v->str.s ? v->str.s : "";
		n = v->str.s ? strnlen(s, v->str.len) : 0;
		if (c->precision >= 0 && n > (size_t)c->precision)
			n = c->precision;
		sb_printf(out, spec, (int)n, s);
		break;
	default:
		if (c->int_bits == 8)
			u = (uint8_t)u;
		else if (c->int_bits == 16)
			u = (uint16_t)u;
		sb_printf(out, spec, c->precision, (unsigned long long)u);
		break;
	}
}

void fmt_render(const struct fmt *f, const union fmt_value *vals, struct strbuf *out)
{
	size_t pos = 0, k;

	for (k = 0; k < f->nconvs; k++) {
		put_literal(out, f->text + pos, f->convs[k].offset - pos);
		put_conv(out, &f->convs[k], &vals[k]);
		pos = f->convs[k].offset + f->convs[k].len;
	}
	put_literal(out, f->text + pos, f->len - pos);
}
