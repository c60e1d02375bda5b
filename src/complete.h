/* SPDX-License-Identifier: GPL-2.0 */
/*
 * complete: what TAB offers at the interactive prompt.  Where the text ends
 * decides what the word being typed is: a probe name between actions, a
 * builtin, function, field or map inside one, a dot-command at the start of
 * an entry.
 */
#ifndef PTRACE1_COMPLETE_H
#define PTRACE1_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

/* What a dot-command takes, for completing its argument. */
enum complete_arg {
	COMPLETE_ARG_NONE,
	COMPLETE_ARG_PROBE,	/* a tracepoint name or glob */
	COMPLETE_ARG_WORDS,	/* one of a list of words */
};

struct complete_command {
	const char *name;		/* ".probes" */
	enum complete_arg arg;
	const char *const *words;	/* COMPLETE_ARG_WORDS: NULL-terminated */
};

struct completer {
	/* The i-th dot-command, NULL past the last. */
	const struct complete_command *(*command_at)(size_t i);
	char **maps;		/* "@name" of the maps of earlier entries, sorted */
	size_t nmaps;
	size_t maps_cap;
	const char *pending;	/* the earlier lines of the entry being typed */
	size_t pending_len;
};

/* The words that could stand where the text ends. */
struct completion {
	size_t start;		/* where the word being completed begins */
	char **words;		/* sorted, no repeats */
	size_t n;
	size_t cap;
	bool is_glob;		/* the word has '*' or '?': list what it matches, keep it */
	bool no_space;		/* the words go on (tracepoint:syscalls:): no blank after one */
	const char *word_chars;	/* the characters a word of this kind is made of */
};

void completer_init(struct completer *c,
		    const struct complete_command *(*command_at)(size_t i));
void completer_free(struct completer *c);
/* Remember the maps an entry named.  0 or -ENOMEM. */
int completer_note(struct completer *c, const char *text, size_t len);
/*
 * Complete the word that ends @text, the entry typed so far (the earlier
 * lines, '\n', the current line up to the cursor); @line_start is where the
 * current line begins.  Returns 0 or -ENOMEM; free @out with completion_free.
 */
int completer_complete(const struct completer *c, const char *text, size_t len,
		       size_t line_start, struct completion *out);
void completion_free(struct completion *out);

/* Make readline's TAB complete with @c; NULL stops. */
void completer_attach(struct completer *c);

#endif
