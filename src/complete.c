// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "complete.h"
#include "parse.h"
#include "probe.h"
#include "sema.h"
#include "tpfmt.h"
#include "tracefs.h"

#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
/* As the lexer reads them: probe names between actions, names in them. */
#define PROBE_CHARS ALNUM "*?:"
#define EXPR_CHARS ALNUM "@$"
#define COMMAND_CHARS ALNUM "."

static const char *const probe_keywords[] = { "BEGIN", "END", "tracepoint:", "interval:" };
static const char *const interval_units[] = { "s", "ms", "us", "hz" };

void completer_init(struct completer *c,
		    const struct complete_command *(*command_at)(size_t i))
{
	memset(c, 0, sizeof(*c));
	c->command_at = command_at;
}

void completer_free(struct completer *c)
{
	for (size_t i = 0; i < c->nmaps; i++)
		free(c->maps[i]);
	free(c->maps);
	memset(c, 0, sizeof(*c));
}

void completion_free(struct completion *out)
{
	for (size_t i = 0; i < out->n; i++)
		free(out->words[i]);
	free(out->words);
	memset(out, 0, sizeof(*out));
}

__attribute__((format(printf, 4, 5)))
static int add_word(char ***words, size_t *n, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	char *w;
	int len;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		char **v = realloc(*words, ncap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		*words = v;
		*cap = ncap;
	}
	va_start(ap, fmt);
	len = vasprintf(&w, fmt, ap);
	va_end(ap);
	if (len < 0)
		return -ENOMEM;
	(*words)[(*n)++] = w;
	return 0;
}

#define add(out, ...) add_word(&(out)->words, &(out)->n, &(out)->cap, __VA_ARGS__)

static int cmp_words(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(char **words, size_t *n)
{
	size_t kept = 0;

	if (*n < 2)
		return;
	qsort(words, *n, sizeof(*words), cmp_words);
	for (size_t i = 0; i < *n; i++) {
		if (kept && !strcmp(words[kept - 1], words[i]))
			free(words[i]);
		else
			words[kept++] = words[i];
	}
	*n = kept;
}

int completer_note(struct completer *c, const char *text, size_t len)
{
	struct source src = { .name = "repl", .text = text, .len = len };
	struct program prog = { 0 };
	struct parse_point pt;
	int err;

	err = parse_point(&src, &prog, &pt);
	for (size_t i = 0; !err && i < pt.maps.n; i++)
		err = add_word(&c->maps, &c->nmaps, &c->maps_cap, "@%s", pt.maps.v[i]->u.map.name);
	program_free(&prog);
	sort_unique(c->maps, &c->nmaps);
	return err;
}

/* Does @name complete @word: a prefix of it, or a match of the glob word* ? */
static bool completes(const char *word, size_t len, const char *name)
{
	char pattern[512];

	if (!strpbrk(word, "*?") || len + 2 > sizeof(pattern))
		return !strncmp(word, name, len);
	memcpy(pattern, word, len);
	strcpy(pattern + len, "*");
	return !fnmatch(pattern, name, 0);
}

/* tracepoint:CAT, tracepoint:CAT:EV, interval:UNIT, a short EV, a keyword. */
static int complete_probe(const char *word, bool keywords, struct completion *out)
{
	const char *prefix = NULL, *rest = word, *colon;
	const struct tp_name *tps;
	char cat[256];
	size_t ntps, catlen;
	int err = 0;

	if (!strncmp(word, "tracepoint:", 11))
		prefix = "tracepoint:";
	else if (!strncmp(word, "t:", 2))
		prefix = "t:";
	if (keywords && !strncmp(word, "interval:", 9) && !strchr(word + 9, ':')) {
		for (size_t i = 0; !err && i < sizeof(interval_units) / sizeof(*interval_units); i++) {
			if (completes(word + 9, strlen(word + 9), interval_units[i]))
				err = add(out, "interval:%s:", interval_units[i]);
		}
		return err;
	}
	if (!prefix && strchr(word, ':'))
		return 0;
	if (tracefs_events(&tps, &ntps))
		return 0;
	if (prefix)
		rest = word + strlen(prefix);
	colon = strchr(rest, ':');
	catlen = colon ? (size_t)(colon - rest) : 0;
	if (catlen >= sizeof(cat) || (colon && strchr(colon + 1, ':')))
		return 0;
	memcpy(cat, rest, catlen);
	cat[catlen] = '\0';
	for (size_t i = 0; !err && i < ntps; i++) {
		if (!prefix && completes(rest, strlen(rest), tps[i].ev))
			err = add(out, "%s", tps[i].ev);
		else if (prefix && !colon && completes(rest, strlen(rest), tps[i].cat))
			err = add(out, "%s%s:", prefix, tps[i].cat);
		else if (prefix && colon && !fnmatch(cat, tps[i].cat, 0) &&
			 completes(colon + 1, strlen(colon + 1), tps[i].ev))
			err = add(out, "%s%s:%s", prefix, tps[i].cat, tps[i].ev);
	}
	for (size_t i = 0; keywords && !prefix && i < sizeof(probe_keywords) / sizeof(*probe_keywords); i++) {
		if (!err && !strncmp(word, probe_keywords[i], strlen(word)))
			err = add(out, "%s", probe_keywords[i]);
	}
	return err;
}

/* Keep in @names only the fields that @fmt has too. */
static void keep_common(char **names, size_t *n, const struct tp_format *fmt)
{
	size_t kept = 0;

	for (size_t i = 0; i < *n; i++) {
		if (tpfmt_field(fmt, names[i]))
			names[kept++] = names[i];
		else
			free(names[i]);
	}
	*n = kept;
}

/* The fields every probe of @a has (a bare name must be one of every probe's). */
static int complete_fields(const struct action *a, const char *word, struct completion *out)
{
	char **names = NULL;
	size_t n = 0, cap = 0, nprobes;
	struct probe_error perr;
	struct tp_format *fmt;
	struct probe *probes;
	bool first = true;
	int err = 0;

	for (size_t i = 0; !err && i < a->nprobes; i++) {
		if (probe_resolve(a->probes[i].text, &probes, &nprobes, &perr))
			goto out;
		for (size_t j = 0; !err && j < nprobes; j++) {
			if (probes[j].kind != PROBE_TRACEPOINT ||
			    tpfmt_load(probes[j].cat, probes[j].ev, &fmt)) {
				free(probes);
				goto out;
			}
			for (size_t k = 0; first && !err && k < fmt->nfields; k++) {
				if (!fmt->fields[k].is_common)
					err = add_word(&names, &n, &cap, "%s", fmt->fields[k].name);
			}
			if (!first)
				keep_common(names, &n, fmt);
			first = false;
			tpfmt_free(fmt);
		}
		free(probes);
	}
	for (size_t i = 0; !err && i < n; i++) {
		if (!strncmp(word, names[i], strlen(word)))
			err = add(out, "%s", names[i]);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}

/* Whether the text before a word is "args." or "args->": the word is a field. */
static bool after_args(const char *text, size_t start, bool *other_field)
{
	size_t i = start;

	while (i && (text[i - 1] == ' ' || text[i - 1] == '\t'))
		i--;
	if (i >= 2 && !strncmp(text + i - 2, "->", 2))
		i -= 2;
	else if (i >= 1 && text[i - 1] == '.')
		i--;
	else
		return false;
	while (i && (text[i - 1] == ' ' || text[i - 1] == '\t'))
		i--;
	*other_field = !(i >= 4 && !strncmp(text + i - 4, "args", 4) &&
			 (i == 4 || !strchr(ALNUM "@$", text[i - 5])));
	return true;
}

/* In a predicate or an action: maps, fields, builtins, functions. */
static int complete_expr(const struct completer *c, const char *text, size_t start,
			 const char *word, struct completion *out)
{
	struct source src = { .name = "repl", .text = text, .len = start };
	struct program prog = { 0 };
	struct parse_point pt;
	const char *name;
	size_t len = strlen(word);
	bool other_field;
	int err;

	out->no_space = true;
	if (word[0] == '$')
		return 0;
	err = parse_point(&src, &prog, &pt);
	if (!err && word[0] == '@') {
		for (size_t i = 0; !err && i < c->nmaps; i++)
			err = strncmp(word, c->maps[i], len) ? 0 : add(out, "%s", c->maps[i]);
		for (size_t i = 0; !err && i < pt.maps.n; i++) {
			name = pt.maps.v[i]->u.map.name;
			if (!strncmp(word + 1, name, len - 1))
				err = add(out, "@%s", name);
		}
	} else if (!err && after_args(text, start, &other_field)) {
		err = other_field ? 0 : complete_fields(&pt.action, word, out);
	} else if (!err) {
		for (size_t i = 0; !err && (name = sema_builtin_at(i)); i++)
			err = strncmp(word, name, len) ? 0 : add(out, "%s", name);
		for (size_t i = 0; !err && (name = sema_function_at(i)); i++)
			err = strncmp(word, name, len) ? 0 : add(out, "%s", name);
		if (!err && !strncmp(word, "args", len))
			err = add(out, "args");
		if (!err)
			err = complete_fields(&pt.action, word, out);
	}
	program_free(&prog);
	return err;
}

/* A dot-command's name, or its argument. */
static int complete_command(const struct completer *c, const char *line, const char *word,
			    struct completion *out)
{
	const struct complete_command *cmd;
	size_t len = strcspn(line, " \t");

	if (!line[len]) {
		for (size_t i = 0; (cmd = c->command_at(i)); i++) {
			if (!strncmp(word, cmd->name, strlen(word)) && add(out, "%s", cmd->name))
				return -ENOMEM;
		}
		return 0;
	}
	for (size_t i = 0; (cmd = c->command_at(i)); i++) {
		if (strlen(cmd->name) != len || strncmp(cmd->name, line, len))
			continue;
		if (cmd->arg == COMPLETE_ARG_PROBE)
			return complete_probe(word, false, out);
		for (size_t j = 0; cmd->arg == COMPLETE_ARG_WORDS && cmd->words[j]; j++) {
			if (!strncmp(word, cmd->words[j], strlen(word)) && add(out, "%s", cmd->words[j]))
				return -ENOMEM;
		}
	}
	return 0;
}

static size_t word_start(const char *text, size_t len, const char *chars)
{
	while (len && text[len - 1] && strchr(chars, text[len - 1]))
		len--;
	return len;
}

/* What the word being typed is. */
enum word_kind {
	WORD_NONE,		/* in a string or a comment */
	WORD_COMMAND,		/* a dot-command's name */
	WORD_COMMAND_ARG,
	WORD_PROBE,
	WORD_EXPR,
};

static int word_kind(const char *text, size_t len, size_t line_start, enum word_kind *kind)
{
	struct source src = { .name = "repl", .text = text, .len = len };
	const char *line = text + line_start + strspn(text + line_start, " \t");
	struct program prog = { 0 };
	struct parse_point pt;
	int err;

	/* A dot-command is a line of its own, at the start of an entry. */
	if (!line_start && line[0] == '.') {
		*kind = line + strcspn(line, " \t") >= text + len ? WORD_COMMAND : WORD_COMMAND_ARG;
		return 0;
	}
	err = parse_point(&src, &prog, &pt);
	program_free(&prog);
	*kind = pt.ctx == PARSE_CTX_PROBES ? WORD_PROBE :
		pt.ctx == PARSE_CTX_EXPR ? WORD_EXPR : WORD_NONE;
	return err;
}

int completer_complete(const struct completer *c, const char *text, size_t len,
		       size_t line_start, struct completion *out)
{
	static const char *const chars[] = {
		[WORD_NONE] = "",
		[WORD_COMMAND] = COMMAND_CHARS,
		[WORD_COMMAND_ARG] = PROBE_CHARS,
		[WORD_PROBE] = PROBE_CHARS,
		[WORD_EXPR] = EXPR_CHARS,
	};
	enum word_kind kind;
	bool all_colon;
	char *word;
	int err;

	memset(out, 0, sizeof(*out));
	err = word_kind(text, len, line_start, &kind);
	if (err)
		return err;
	out->word_chars = chars[kind];
	out->start = word_start(text, len, out->word_chars);
	if (out->start < line_start)
		out->start = line_start;
	word = strndup(text + out->start, len - out->start);
	if (!word)
		return -ENOMEM;
	out->is_glob = strpbrk(word, "*?") != NULL;
	if (kind == WORD_COMMAND || kind == WORD_COMMAND_ARG)
		err = complete_command(c, text + line_start + strspn(text + line_start, " \t"),
				       word, out);
	else if (kind == WORD_PROBE)
		err = complete_probe(word, true, out);
	else if (kind == WORD_EXPR)
		err = complete_expr(c, text, out->start, word, out);
	free(word);
	if (err) {
		completion_free(out);
		return err;
	}
	sort_unique(out->words, &out->n);
	/* The name goes on after a ':' (a category, an interval's unit). */
	all_colon = out->n > 0;
	for (size_t i = 0; i < out->n; i++)
		all_colon &= out->words[i][strlen(out->words[i]) - 1] == ':';
	out->no_space |= all_colon;
	return 0;
}

/* Readline's hooks have no argument: the completer in use, and what it found last. */
static struct completer *attached;
static struct completion found;

/*
 * Readline asks which characters end a word before it asks for matches:
 * find them both now, from the whole entry up to the cursor.
 */
static char *word_breaks(void)
{
	static char breaks[128];
	size_t len = attached->pending_len + (size_t)rl_point, n = 0;
	char *text = malloc(len + 1);

	completion_free(&found);
	if (text) {
		if (attached->pending_len)
			memcpy(text, attached->pending, attached->pending_len);
		memcpy(text + attached->pending_len, rl_line_buffer, (size_t)rl_point);
		text[len] = '\0';
		if (completer_complete(attached, text, len, attached->pending_len, &found))
			memset(&found, 0, sizeof(found));
		free(text);
	}
	for (int ch = 1; ch < 128; ch++) {
		if (!found.word_chars || !strchr(found.word_chars, ch))
			breaks[n++] = (char)ch;
	}
	breaks[n] = '\0';
	return breaks;
}

static char *common_prefix(char **words, size_t n)
{
	size_t len = strlen(words[0]);

	for (size_t i = 1; i < n; i++) {
		size_t j = 0;

		while (j < len && words[i][j] == words[0][j])
			j++;
		len = j;
	}
	return strndup(words[0], len);
}

/* Readline's matches: what replaces the word, then the candidates, then NULL. */
static char **matches(const char *text, int start, int end)
{
	char **m;

	rl_attempted_completion_over = 1;
	if (!found.n || found.start != attached->pending_len + (size_t)start)
		return NULL;
	m = calloc(found.n + 2, sizeof(*m));
	if (!m)
		return NULL;
	rl_completion_suppress_append = found.no_space;
	if (found.n == 1) {
		m[0] = found.words[0];
	} else {
		/* A glob is kept, not cut to what its matches share. */
		m[0] = found.is_glob ? strdup(text) : common_prefix(found.words, found.n);
		if (!m[0]) {
			free(m);
			return NULL;
		}
		memcpy(m + 1, found.words, found.n * sizeof(*m));
	}
	/* The words are readline's now. */
	free(found.words);
	memset(&found, 0, sizeof(found));
	return m;
}

void completer_attach(struct completer *c)
{
	attached = c;
	completion_free(&found);
	rl_attempted_completion_function = c ? matches : NULL;
	rl_completion_word_break_hook = c ? word_breaks : NULL;
}
