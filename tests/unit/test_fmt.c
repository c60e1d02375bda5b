// SPDX-License-Identifier: GPL-2.0
/* printf format tests: parsing, every conversion rendered as C would, errors. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fmt.h"

#define I(v) ((union fmt_value){ .i = (v) })
#define S(p, n) ((union fmt_value){ .str = { (p), (n) } })

/* Print @n bytes readably, so a NUL or a newline in a mismatch shows. */
static void show(const char *p, size_t n)
{
	size_t i;

	putchar('"');
	for (i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	putchar('"');
}

/* Render @text (@len bytes) with @vals and compare with @want (@wlen bytes). */
static void check_len(const char *text, size_t len, const union fmt_value *vals, size_t nvals,
		      const char *want, size_t wlen)
{
	struct fmt f;
	struct fmt_error err;
	struct strbuf sb;
	int ret;

	ret = fmt_parse(text, len, &f, &err);
	if (ret) {
		printf("FAIL: ");
		show(text, len);
		printf(": parse returned %d: %s\n", ret, err.msg);
		failures++;
		return;
	}
	if (f.nconvs != nvals) {
		printf("FAIL: ");
		show(text, len);
		printf(": want %zu conversions, got %zu\n", nvals, f.nconvs);
		failures++;
		fmt_free(&f);
		return;
	}
	sb_init(&sb);
	fmt_render(&f, vals, &sb);
	if (sb.err || sb.len != wlen || memcmp(sb.buf, want, wlen)) {
		printf("FAIL: ");
		show(text, len);
		printf("\n  want: ");
		show(want, wlen);
		printf("\n  got:  ");
		show(sb.buf ? sb.buf : "", sb.len);
		printf("\n");
		failures++;
	}
	sb_free(&sb);
	fmt_free(&f);
}

#define check(text, want, ...)							\
	do {									\
		const union fmt_value v_[] = { I(0), __VA_ARGS__ };		\
		check_len(text, strlen(text), v_ + 1,				\
			  sizeof(v_) / sizeof(v_[0]) - 1, want, strlen(want));	\
	} while (0)

/* @text must fail to parse with @msg, pointing at @offset for @len bytes. */
static void check_err_len(const char *text, size_t tlen, size_t offset, size_t len,
			  const char *msg)
{
	struct fmt f;
	struct fmt_error err;
	int ret;

	memset(&err, 0, sizeof(err));
	ret = fmt_parse(text, tlen, &f, &err);
	if (ret != -EINVAL || err.offset != offset || err.len != len || strcmp(err.msg, msg)) {
		printf("FAIL: ");
		show(text, tlen);
		printf("\n  want: %d at %zu+%zu: %s\n  got:  %d at %zu+%zu: %s\n",
		       -EINVAL, offset, len, msg, ret, err.offset, err.len, err.msg);
		failures++;
	}
	/* A failed parse leaves nothing to free, and freeing again is safe. */
	if (!ret)
		fmt_free(&f);
	if (f.text || f.convs || f.nconvs) {
		printf("FAIL: ");
		show(text, tlen);
		printf(": struct fmt not cleared after an error\n");
		failures++;
	}
}

#define check_err(text, offset, len, msg) check_err_len(text, strlen(text), offset, len, msg)

/* The parsed fields the checker relies on. */
static void check_conv(const char *text, size_t k, size_t offset, size_t len, char conv,
		       enum fmt_want want, const char *flags, int width, int precision,
		       int int_bits)
{
	struct fmt f;
	struct fmt_error err;
	const struct fmt_conv *c;

	if (fmt_parse(text, strlen(text), &f, &err)) {
		printf("FAIL: \"%s\": %s\n", text, err.msg);
		failures++;
		return;
	}
	c = k < f.nconvs ? &f.convs[k] : NULL;
	if (!c || c->offset != offset || c->len != len || c->conv != conv ||
	    c->want != want || strcmp(c->flags, flags) || c->width != width ||
	    c->precision != precision || c->int_bits != int_bits) {
		printf("FAIL: \"%s\" conversion %zu\n"
		       "  want: %zu+%zu '%c' want=%d flags=\"%s\" width=%d prec=%d bits=%d\n",
		       text, k, offset, len, conv, want, flags, width, precision, int_bits);
		if (c)
			printf("  got:  %zu+%zu '%c' want=%d flags=\"%s\" width=%d prec=%d bits=%d\n",
			       c->offset, c->len, c->conv, c->want, c->flags, c->width,
			       c->precision, c->int_bits);
		failures++;
	}
	fmt_free(&f);
}

int main(void)
{
	static const char nonul[4] = { 'a', 'b', 'c', 'd' };
	struct fmt zero = { 0 };

	/* the example from the design, except that C ignores '0' when a precision is given */
	check("%-6d|%5s|%x|%c|%%|%05.2u", "-3    |   ab|ff|A|%|   07",
	      I(-3), S("ab", 3), I(255), I(65), I(7));
	check("%05u", "00007", I(7));

	/* every conversion */
	check("%d %i %u %x %X %o %c %s", "-42 -42 42 2a 2A 52 * str",
	      I(-42), I(-42), I(42), I(42), I(42), I(42), I('*'), S("str", 4));
	check("%u", "18446744073709551574", I(-42));
	check("%c", "A", I(0x141));
	check("[%c]", "[\xff]", I(-1));

	/* flags, in any order */
	check("[%+d] [% d] [%+d] [% d]", "[+5] [ 5] [-5] [-5]", I(5), I(5), I(-5), I(-5));
	check("[%#x] [%#X] [%#o] [%#x]", "[0xff] [0XFF] [0377] [0]", I(255), I(255), I(255), I(0));
	check("[%-5d] [%05d] [%-05d] [%+05d]", "[3    ] [00003] [3    ] [+0003]",
	      I(3), I(3), I(3), I(3));
	check("[%0-5d] [%+-5d] [%-+5d] [%#08x]", "[3    ] [+3   ] [+3   ] [0x0000ff]",
	      I(3), I(3), I(3), I(255));
	check("[%--5d] [%00005d]", "[3    ] [00003]", I(3), I(3));

	/* width and precision */
	check("[%8d] [%-8u] [%3d]", "[    1234] [1234    ] [12345]", I(1234), I(1234), I(12345));
	check("[%.3d] [%6.3d] [%-6.3x] [%.0d] [%.d] [%5.0d]", "[007] [   007] [00f   ] [] [] [     ]",
	      I(7), I(7), I(15), I(0), I(0), I(0));
	check("[%.0d] [%.d]", "[1] [1]", I(1), I(1));
	check("[%3c] [%-3c]", "[  x] [x  ]", I('x'), I('x'));
	check("[%.2s] [%5.2s] [%-5s] [%.s] [%.10s]", "[ab] [   ab] [abc  ] [] [abc]",
	      S("abc", 4), S("abc", 4), S("abc", 4), S("abc", 4), S("abc", 4));

	/* %% */
	check("%%", "%");
	check("100%%", "100%");
	check("%%%d%%%%", "%7%%", I(7));
	check("%%d", "%d");

	/* hh and h truncate; l, ll, z, j and t keep all 64 bits */
	check("%hhd %hhu %hhx %hd %hu %hx", "-1 255 ff -1 65535 ffff",
	      I(255), I(255), I(-1), I(65535), I(65535), I(-1));
	check("%hu %hhu %hd %hhi", "1 1 -32768 127", I(65537), I(257), I(0x8000), I(0x17f));
	check("%ld %lld %zd %jd %td %lu %llx %zu %jo %tx",
	      "-1 -1 -1 -1 -1 18446744073709551615 ffffffffffffffff 18446744073709551615 "
	      "1777777777777777777777 ffffffffffffffff",
	      I(-1), I(-1), I(-1), I(-1), I(-1), I(-1), I(-1), I(-1), I(-1), I(-1));

	/* 64-bit values */
	check("%d %i", "-9223372036854775808 9223372036854775807", I(INT64_MIN), I(INT64_MAX));
	check("%u %x %X %o", "18446744073709551615 ffffffffffffffff FFFFFFFFFFFFFFFF "
	      "1777777777777777777777", I((int64_t)UINT64_MAX), I((int64_t)UINT64_MAX),
	      I((int64_t)UINT64_MAX), I((int64_t)UINT64_MAX));
	check("%u", "9223372036854775808", I(INT64_MIN));

	/* strings: no NUL within len, an embedded NUL, empty, NULL */
	check("[%s]", "[abcd]", S(nonul, sizeof(nonul)));
	check("[%s]", "[ab]", S(nonul, 2));
	check("[%6s] [%-6s|", "[  abcd] [abcd  |", S(nonul, 4), S(nonul, 4));
	check("[%.3s] [%.9s]", "[abc] [abcd]", S(nonul, 4), S(nonul, 4));
	check("[%s]", "[ab]", S("ab\0cd", 6));
	check("[%5s]", "[   ab]", S("ab\0cd", 6));
	check("[%s] [%3s]", "[] [   ]", S("", 1), S("", 0));
	check("[%s]", "[]", S(NULL, 0));

	/* literal text with a NUL byte, and %c of 0 */
	check_len("a\0%d\0b", 6, (union fmt_value[]){ I(5) }, 1, "a\0" "5\0b", 5);
	check_len("%c|%c", 5, (union fmt_value[]){ I(0), I(256) }, 2, "\0|\0", 3);
	check_len("\0%%\0", 4, NULL, 0, "\0%\0", 3);

	/* no conversions, and empty */
	check("hello, world\n", "hello, world\n");
	check("", "");
	check_len("x%d", 0, NULL, 0, "", 0);

	/* what the checker sees */
	check_conv("ab%-+ #0012.34lldx", 0, 2, 15, 'd', FMT_WANT_INT, "-+ #0", 12, 34, 64);
	check_conv("%%%s", 0, 2, 2, 's', FMT_WANT_STR, "", -1, -1, 64);
	check_conv("%d%5.s", 1, 2, 4, 's', FMT_WANT_STR, "", 5, 0, 64);
	check_conv("%hhu", 0, 0, 4, 'u', FMT_WANT_INT, "", -1, -1, 8);
	check_conv("%hX", 0, 0, 3, 'X', FMT_WANT_INT, "", -1, -1, 16);
	check_conv("%c", 0, 0, 2, 'c', FMT_WANT_INT, "", -1, -1, 64);
	check_conv("%00-0d", 0, 0, 6, 'd', FMT_WANT_INT, "0-", -1, -1, 64);
	check_conv("%4096.4096o", 0, 0, 11, 'o', FMT_WANT_INT, "", 4096, 4096, 64);

	/* errors */
	check_err("%f", 0, 2, "unsupported conversion '%f'");
	check_err("x = %-5.2lf\n", 4, 7, "unsupported conversion '%f'");
	check_err("%d %p", 3, 2, "unsupported conversion '%p'");
	check_err("%Ld", 0, 2, "unsupported conversion '%L'");
	check_err("%lllld", 0, 4, "unsupported conversion '%l'");
	check_err("%hhhd", 0, 4, "unsupported conversion '%h'");
	check_err("100%\n", 3, 2, "unsupported conversion '%\\n'");
	check_err("%\x01", 0, 2, "unsupported conversion '%\\x01'");
	check_err("%\xff", 0, 2, "unsupported conversion '%\\xff'");
	check_err("%\xc3\xa9!", 0, 3, "unsupported conversion '%\xc3\xa9'");
	check_err_len("%\0", 2, 0, 2, "unsupported conversion '%\\x00'");
	check_err("%n", 0, 2, "'%n' is not supported");
	check_err("ok %-5lln", 3, 6, "'%n' is not supported");
	check_err("%*d", 0, 2, "'*' width and precision are not supported");
	check_err("%.*d", 0, 3, "'*' width and precision are not supported");
	check_err("%-5.*s", 0, 5, "'*' width and precision are not supported");
	check_err("%", 0, 1, "incomplete conversion at the end of the format");
	check_err("50% ", 2, 2, "incomplete conversion at the end of the format");
	check_err("%d%-5.3ll", 2, 7, "incomplete conversion at the end of the format");
	check_err("%%%", 2, 1, "incomplete conversion at the end of the format");
	check_err("%4097d", 0, 5, "field width too large");
	check_err("%.4097d", 0, 6, "field width too large");
	check_err("x%99999999999999999999999d", 1, 24, "field width too large");
	check_err("%5.99999999999999999999999s", 0, 26, "field width too large");
	check_err("%ls", 0, 3, "'%ls' is not supported");
	check_err("%hhc", 0, 4, "'%hhc' is not supported");
	check_err("%5%", 0, 3, "'%%' cannot have flags, width, precision or length modifier");

	/* a width of 4096 is allowed */
	{
		char want[4097];

		memset(want, ' ', sizeof(want));
		want[4095] = '7';
		check_len("%4096d", 6, (union fmt_value[]){ I(7) }, 1, want, 4096);
	}

	/* freeing a zeroed struct, and freeing twice */
	fmt_free(&zero);
	fmt_free(&zero);

	if (failures)
		printf("%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
