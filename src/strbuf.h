/* SPDX-License-Identifier: GPL-2.0 */
/* A growable NUL-terminated byte buffer, for building C source and messages. */
#ifndef PTRACE1_STRBUF_H
#define PTRACE1_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
	int err;	/* sticky -ENOMEM: callers check once, at the end */
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
__attribute__((format(printf, 2, 3)))
void sb_printf(struct strbuf *sb, const char *fmt, ...);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
/* Hand the buffer to the caller (never NULL unless out of memory). */
char *sb_steal(struct strbuf *sb);

#endif
