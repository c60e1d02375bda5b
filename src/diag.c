// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <string.h>

#include "diag.h"

void diag_init(struct diag *d, const struct source *src, FILE *out)
{
	memset(d, 0, sizeof(*d));
	d->src = src;
	d->out = out;
}

/* Print source line @line and a caret under columns first..last of it. */
static void diag_show_line(struct diag *d, struct loc loc)
{
	const char *p = d->src->text, *end = p + d->src->len, *eol;
	int line = 1, col, last;

	if (loc.first_line < 1)
		return;
	while (p < end && line < loc.first_line) {
		if (*p++ == '\n')
			line++;
	}
	if (line != loc.first_line)
		return;
	eol = memchr(p, '\n', end - p);
	if (!eol)
		eol = end;
	fprintf(d->out, "%.*s\n", (int)(eol - p), p);

	last = loc.last_line == loc.first_line ? loc.last_column : (int)(eol - p);
	if (last < loc.first_column)
		last = loc.first_column;
	/* Tabs in the source line stay tabs so the caret lines up. */
	for (col = 1; col < loc.first_column; col++)
		fputc(col - 1 < eol - p && p[col - 1] == '\t' ? '\t' : ' ', d->out);
	fputc('^', d->out);
	for (col = loc.first_column + 1; col <= last; col++)
		fputc('~', d->out);
	fputc('\n', d->out);
}

static void diag_vmsg(struct diag *d, struct loc loc, const char *kind,
		      const char *fmt, va_list ap)
{
	if (d->muted)
		return;
	if (loc.first_line > 0)
		fprintf(d->out, "%s:%d:%d: %s: ", d->src->name, loc.first_line,
			loc.first_column, kind);
	else
		fprintf(d->out, "%s: %s: ", d->src->name, kind);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
	diag_show_line(d, loc);
}

void diag_error(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vmsg(d, loc, "error", fmt, ap);
	va_end(ap);
	d->errors++;
}

void diag_warning(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vmsg(d, loc, "warning", fmt, ap);
	va_end(ap);
	d->warnings++;
}

void diag_note(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vmsg(d, loc, "note", fmt, ap);
	va_end(ap);
}

void diag_hint(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	if (d->muted)
		return;
	fputs("hint: ", d->out);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
}

int diag_finish(struct diag *d)
{
	if (d->errors > 1)
		fprintf(d->out, "%d errors generated.\n", d->errors);
	else if (d->errors == 1)
		fprintf(d->out, "1 error generated.\n");
	return d->errors;
}
