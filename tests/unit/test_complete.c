// SPDX-License-Identifier: GPL-2.0
/* TAB at the prompt: probe names in every form, fields, builtins, functions, maps, dot-commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "complete.h"

static const char *const set_words[] = { "strlen", NULL };
static const struct complete_command commands[] = {
	{ ".fields", COMPLETE_ARG_PROBE, NULL },
	{ ".format", COMPLETE_ARG_WORDS, (const char *const[]){ "text", "json", NULL } },
	{ ".help", COMPLETE_ARG_NONE, NULL },
	{ ".set", COMPLETE_ARG_WORDS, set_words },
};

static const struct complete_command *command_at(size_t i)
{
	return i < sizeof(commands) / sizeof(*commands) ? &commands[i] : NULL;
}

/* The completions of @text, space-separated, with the word's start as "N:". */
static char *complete(const struct completer *c, const char *text, size_t line_start,
		      struct completion *out)
{
	static char got[65536];
	size_t len;

	if (completer_complete(c, text, strlen(text), line_start, out)) {
		snprintf(got, sizeof(got), "(error)");
		return got;
	}
	len = snprintf(got, sizeof(got), "%zu:", out->start);
	for (size_t i = 0; i < out->n && len < sizeof(got); i++)
		len += snprintf(got + len, sizeof(got) - len, "%s%s", i ? " " : "", out->words[i]);
	return got;
}

/* Exactly @want (start and words). */
static void check(const struct completer *c, const char *text, size_t line_start, const char *want)
{
	struct completion out;
	const char *got = complete(c, text, line_start, &out);

	if (strcmp(got, want)) {
		printf("FAIL: '%s'\n  want: %s\n  got:  %.300s\n", text, want, got);
		failures++;
	}
	completion_free(&out);
}

/* Among the words, @word; and whether a blank follows a completion. */
static void check_has(const struct completer *c, const char *text, const char *word, bool no_space)
{
	struct completion out;
	bool found = false;

	complete(c, text, 0, &out);
	for (size_t i = 0; i < out.n; i++)
		found |= !strcmp(out.words[i], word);
	if (!found || out.no_space != no_space) {
		printf("FAIL: '%s' should offer '%s'%s (%zu words, no_space %d)\n", text, word,
		       no_space ? " with no blank after" : "", out.n, out.no_space);
		failures++;
	}
	completion_free(&out);
}

int main(void)
{
	struct completer c;
	struct completion out;

	completer_init(&c, command_at);
	/* dot-commands, and their arguments, at the start of an entry */
	check(&c, ".f", 0, "0:.fields .format");
	check(&c, "  .he", 0, "2:.help");
	check(&c, ".format j", 0, "8:json");
	check(&c, ".set ", 0, "5:strlen");
	check(&c, ".help x", 0, "6:");
	/* in a string or a comment, nothing */
	check(&c, "BEGIN { printf(\"pri", 0, "19:");
	check(&c, "BEGIN { /* pri", 0, "14:");
	/* builtins and functions from sema's tables */
	check(&c, "BEGIN { pri", 0, "8:print printf");
	check(&c, "BEGIN { $x = co", 0, "13:comm count");
	check(&c, "BEGIN { $", 0, "8:");
	/* maps: this entry's and those of earlier ones */
	check(&c, "BEGIN { @count = 1; @cost = 2; @x = @co", 0, "36:@cost @count");
	completer_note(&c, "BEGIN { @total[1] = sum(1); @ = 1; }", 36);
	check(&c, "BEGIN { print(@t", 0, "14:@total");
	check(&c, "BEGIN { print(@", 0, "14:@total");
	check_has(&c, "BEGIN", "BEGIN", false);
	check(&c, "interval:m", 0, "0:interval:ms:");
	check_has(&c, "interval:", "interval:hz:", true);

	if (geteuid() != 0) {
		printf("SKIP: tracepoint names and fields need root to read tracefs\n");
		return failures ? 1 : 77;
	}
	/* probe names: short, tracepoint: and t:, globs */
	check(&c, "sys_enter_getpp", 0, "0:sys_enter_getppid");
	check(&c, "BEGIN { exit() } sys_exit_getpp", 0, "17:sys_exit_getppid");
	check(&c, "sys_enter_openat, sys_enter_getpp", 0, "18:sys_enter_getppid");
	check(&c, "tracepoint:syscalls:sys_enter_getpp", 0, "0:tracepoint:syscalls:sys_enter_getppid");
	check(&c, "t:syscalls:sys_enter_getpp", 0, "0:t:syscalls:sys_enter_getppid");
	check(&c, "t:sys*:sys_enter_getpp", 0, "0:t:syscalls:sys_enter_getppid");
	check(&c, "tracepoint:sysc", 0, "0:tracepoint:syscalls:");
	check_has(&c, "tracepoint:sysc", "tracepoint:syscalls:", true);
	check_has(&c, "t:", "t:sched:", true);
	check_has(&c, "sys_enter_open*at", "sys_enter_openat", false);
	check_has(&c, "sys_enter_ope", "sys_enter_openat", false);
	complete(&c, "sys_*_getppid", 0, &out);
	if (!out.is_glob || out.n != 2) {
		printf("FAIL: the glob sys_*_getppid should list 2 tracepoints, not %zu\n", out.n);
		failures++;
	}
	completion_free(&out);
	check(&c, "kprobe:do_sys", 0, "0:");
	/* fields after args-> and args., and bare, of the action's probes */
	check(&c, "sys_enter_openat { print(args->filen", 0, "31:filename");
	check(&c, "sys_enter_openat { print(args . fl", 0, "32:flags");
	check(&c, "sys_enter_openat < print(filen", 0, "25:filename");
	check(&c, "sys_enter_openat /fil", 0, "18:filename");
	check(&c, "sys_enter_openat { print(args->", 0, "31:__syscall_nr dfd filename flags mode");
	check(&c, "sys_enter_openat { print(args->common_", 0, "31:");
	check(&c, "sys_enter_openat { $t = (1, 2); print($t.", 0, "41:");
	/* with several probes, the fields they all have */
	check(&c, "sys_enter_openat, sys_enter_close { print(args->", 0, "48:__syscall_nr");
	check(&c, "BEGIN { print(args->", 0, "20:");
	check(&c, "sys_enter_nosuchthing { print(args->", 0, "36:");
	/* a program over several lines: the probe is on an earlier line */
	check(&c, "sys_enter_openat\n{\nprint(args->fl", 19, "31:flags");
	/* no dot-command after the first line */
	check(&c, "sys_enter_openat {\n.fie", 19, "20:");

	completer_free(&c);
	if (failures) {
		printf("%d completion checks failed\n", failures);
		return 1;
	}
	printf("completion checks passed\n");
	return 0;
}
