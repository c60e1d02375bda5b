// SPDX-License-Identifier: GPL-2.0
/* The interactive prompt's dot-commands: .help, .probes, .fields, .emit, .last, .set, .format, .quit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "repl_impl.h"
#include "suggest.h"

struct command {
	struct complete_command c;
	const char *args;	/* for .help */
	const char *help;
	bool needs_arg;
	bool takes_arg;
	/* Returns 0, or 1 after saying what went wrong. */
	int (*run)(struct repl *r, const char *arg);
};

static int cmd_help(struct repl *r, const char *arg);

/* list_tracepoints says what went wrong itself. */
static int cmd_probes(struct repl *r, const char *arg)
{
	return list_tracepoints(stdout, arg[0] ? arg : NULL, false) ? 1 : 0;
}

static int cmd_fields(struct repl *r, const char *arg)
{
	return list_tracepoints(stdout, arg, true) ? 1 : 0;
}

static int cmd_last(struct repl *r, const char *arg)
{
	if (!r->last) {
		fprintf(stderr, "ptrace1: no program yet\n");
		return 1;
	}
	repl_run_program(r, r->last, &r->o);
	return 0;
}

static int cmd_emit(struct repl *r, const char *arg)
{
	struct run_opts o = r->o;

	if (!r->last) {
		fprintf(stderr, "ptrace1: no program yet\n");
		return 1;
	}
	o.emit_c = true;
	repl_run_program(r, r->last, &o);
	return 0;
}

static int cmd_set(struct repl *r, const char *arg)
{
	size_t name_len = strcspn(arg, " \t");
	const char *value = arg + name_len + strspn(arg + name_len, " \t");
	unsigned long n;
	char *end;

	if (!arg[0]) {
		printf("strlen %u\n", r->o.strlen);
		return 0;
	}
	if (name_len != 6 || strncmp(arg, "strlen", 6)) {
		fprintf(stderr, "ptrace1: .set knows strlen, not '%.*s'\n", (int)name_len, arg);
		return 1;
	}
	errno = 0;
	n = strtoul(value, &end, 10);
	if (!*value || *end || errno || n < RUN_STRLEN_MIN || n > RUN_STRLEN_MAX) {
		fprintf(stderr, "ptrace1: strlen must be a number from %d to %d, not '%s'\n",
			RUN_STRLEN_MIN, RUN_STRLEN_MAX, value);
		return 1;
	}
	r->o.strlen = (unsigned int)n;
	return 0;
}

static int cmd_format(struct repl *r, const char *arg)
{
	if (!arg[0]) {
		printf("%s\n", r->o.json ? "json" : "text");
		return 0;
	}
	if (strcmp(arg, "text") && strcmp(arg, "json")) {
		fprintf(stderr, "ptrace1: .format takes text or json, not '%s'\n", arg);
		return 1;
	}
	r->o.json = !strcmp(arg, "json");
	return 0;
}

static int cmd_quit(struct repl *r, const char *arg)
{
	r->quit = true;
	return 0;
}

static const char *const set_words[] = { "strlen", NULL };
static const char *const format_words[] = { "text", "json", NULL };

static const struct command commands[] = {
	{ { ".help", COMPLETE_ARG_NONE, NULL }, "", "this list",
	  false, false, cmd_help },
	{ { ".probes", COMPLETE_ARG_PROBE, NULL }, " [GLOB]", "list the tracepoints (matching GLOB)",
	  false, true, cmd_probes },
	{ { ".fields", COMPLETE_ARG_PROBE, NULL }, " PROBE", "the fields of PROBE's tracepoints, with their types",
	  true, true, cmd_fields },
	{ { ".emit", COMPLETE_ARG_NONE, NULL }, "", "print the generated C of the last program",
	  false, false, cmd_emit },
	{ { ".last", COMPLETE_ARG_NONE, NULL }, "", "run the last program again",
	  false, false, cmd_last },
	{ { ".set", COMPLETE_ARG_WORDS, set_words }, " [strlen N]",
	  "string buffers of N bytes, as PTRACE1_STRLEN (alone: the settings)",
	  false, true, cmd_set },
	{ { ".format", COMPLETE_ARG_WORDS, format_words }, " [text|json]", "the output format, as -f",
	  false, true, cmd_format },
	{ { ".quit", COMPLETE_ARG_NONE, NULL }, "", "leave (Ctrl-D too)",
	  false, false, cmd_quit },
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

static int cmd_help(struct repl *r, const char *arg)
{
	char usage[64];

	printf("Type a program to run it: it runs as soon as its braces, angles, parentheses\n"
	       "and predicate close, until Ctrl-C or exit().  TAB completes probe names,\n"
	       "fields, builtins, functions and maps.\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		snprintf(usage, sizeof(usage), "%s%s", commands[i].c.name, commands[i].args);
		printf("  %-20s %s\n", usage, commands[i].help);
	}
	return 0;
}

const struct complete_command *repl_command_at(size_t i)
{
	return i < NCOMMANDS ? &commands[i].c : NULL;
}

/* @line has no blanks at either end. */
void repl_command(struct repl *r, const char *line)
{
	const char *names[NCOMMANDS], *best;
	size_t len = strcspn(line, " \t");
	const char *arg = line + len + strspn(line + len, " \t");
	char *name;

	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];

		names[i] = c->c.name;
		if (strlen(c->c.name) != len || strncmp(c->c.name, line, len))
			continue;
		if (c->needs_arg && !*arg) {
			fprintf(stderr, "ptrace1: %s needs an argument: %s%s\n", c->c.name, c->c.name,
				c->args);
			r->failed = true;
			return;
		}
		if (!c->takes_arg && *arg) {
			fprintf(stderr, "ptrace1: %s takes no argument\n", c->c.name);
			r->failed = true;
			return;
		}
		if (c->run(r, arg))
			r->failed = true;
		fflush(stdout);
		return;
	}
	fprintf(stderr, "ptrace1: unknown command '%.*s'\n", (int)len, line);
	name = strndup(line, len);
	best = name ? suggest_best(name, names, NCOMMANDS) : NULL;
	if (best)
		fprintf(stderr, "hint: did you mean '%s'?\n", best);
	else
		fprintf(stderr, "hint: .help lists the commands\n");
	free(name);
	r->failed = true;
}
