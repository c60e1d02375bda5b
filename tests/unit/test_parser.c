// SPDX-License-Identifier: GPL-2.0
/* Parser tests: both action syntaxes, the '/' and '>' rules, precedence, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"

/* Parse @text and compare the AST dump (or the diagnostics) with @want. */
static void check(const char *text, const char *want)
{
	struct source src = { .name = "-e", .text = text, .len = strlen(text) };
	struct program prog = { 0 };
	struct diag d;
	char *got = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&got, &len);

	diag_init(&d, &src, out);
	if (parse_program(&src, &d, &prog) == 0)
		ast_dump_program(&prog, false, out);
	fclose(out);
	if (strcmp(got, want)) {
		printf("FAIL: %s\n  want: %s  got:  %s", text, want, got);
		failures++;
	}
	free(got);
	program_free(&prog);
}

/* Is @text, typed line by line, a whole program, the start of one, or nothing? */
static void check_extent(const char *text, enum parse_extent want)
{
	struct source src = { .name = "repl", .text = text, .len = strlen(text) };
	enum parse_extent got = parse_extent(&src);

	if (got != want) {
		printf("FAIL: extent of '%s': want %d, got %d\n", text, want, got);
		failures++;
	}
}

int main(void)
{
	/* the two syntaxes, one AST */
	check("sys_enter_openat /comm == \"curl\"/ < print(filename) >",
	      "sys_enter_openat /(== comm \"curl\")/ < print(filename) >\n");
	check("tracepoint:syscalls:sys_enter_openat { printf(\"%d %s\\n\", pid, str(args->filename)); }",
	      "tracepoint:syscalls:sys_enter_openat { printf(\"%d %s\\n\", pid, str(args->filename)) }\n");
	check("t:syscalls:sys_exit_openat { print(args.ret) }",
	      "t:syscalls:sys_exit_openat { print(args.ret) }\n");
	/* '>' at depth 0 closes a < > action; inside parentheses it compares */
	check("a < print((ret > 0)) >", "a < print((> ret 0)) >\n");
	check("a < $x = (1 > 2); print($x) >", "a < (= $x (> 1 2)); print($x) >\n");
	check("a < if (ret > 0) { print(1) } >", "a < (if (> ret 0) {print(1)}) >\n");
	check("a < print(1) > b < print(2) >", "a < print(1) >\nb < print(2) >\n");
	/* '>=', '>>' and '->' are their own tokens */
	check("a < print((1 >= 2) + (8 >> 1)) >", "a < print((+ (>= 1 2) (>> 8 1))) >\n");
	/* only the '/' before the action closes a predicate */
	check("a /pid / 2 == 0/ { print(1) }", "a /(== (/ pid 2) 0)/ { print(1) }\n");
	check("a /pid/2 > 1/< print(1) >", "a /(> (/ pid 2) 1)/ < print(1) >\n");
	/* probe lists, globs, comments, shebang */
	check("#!/usr/bin/ptrace1\n// c\nt:syscalls:sys_enter_*, sys_exit_open?t /* x */ { @[probe] = count(); }",
	      "t:syscalls:sys_enter_*, sys_exit_open?t { (= @[probe] count()) }\n");
	/* precedence and associativity */
	check("a { print(1 + 2 * 3 - 4 / 2 % 3) }", "a { print((- (+ 1 (* 2 3)) (% (/ 4 2) 3))) }\n");
	check("a { print(1 || 2 && 3 | 4 ^ 5 & 6 == 7 < 8 << 9) }",
	      "a { print((|| 1 (&& 2 (| 3 (^ 4 (& 5 (== 6 (< 7 (<< 8 9))))))))) }\n");
	check("a { print(-1 - -2) }", "a { print((- (- 1) (- 2))) }\n");
	check("a { print(1 ? 2 : 3 ? 4 : 5) }", "a { print((? 1 2 (? 3 4 5))) }\n");
	check("a { print(!~(uint32)5) }", "a { print((! (~ (cast uint32 5)))) }\n");
	/* literals */
	check("a { print(0x1f + 010 + 1e3 + 1_000 + 5UL) }",
	      "a { print((+ (+ (+ (+ 31 8) 1000) 1000) 5)) }\n");
	check("a { print(\"q\\\"\\\\\\n\\t\\x41\\101\") }", "a { print(\"q\\\"\\\\\\n\\x09AA\") }\n");
	/* statements */
	check("a { $x = 1; $x += 2; @m[1, \"a\"]++; --@n; if (1) { } else if (2) { print(1) } else { } print(2) }",
	      "a { (= $x 1); (+= $x 2); (post++ @m[1, \"a\"]); (pre-- @n); (if 1 {} else {(if 2 {print(1)})}); print(2) }\n");
	check("a { print((1, \"x\", $2)); print($t.0) }", "a { print((tuple 1 \"x\" $2)); print($t.0) }\n");
	check("BEGIN { } END { }", "BEGIN {  }\nEND {  }\n");
	/* errors */
	check("a { print(1) ", "-e:1:14: error: syntax error, unexpected end of file, expecting ';' or '}'\n"
	      "a { print(1) \n             ^\n");
	check("a { print(\"x) }", "-e:1:11: error: missing terminating '\"' character\n"
	      "a { print(\"x) }\n          ^\n");
	check("a/b { }", "-e:1:5: error: missing '/' to close the predicate\n"
	      "a/b { }\n    ^\nhint: a predicate is written /EXPRESSION/ before the action\n");
	check("a { print(0x) }", "-e:1:11: error: invalid integer literal '0x'\n"
	      "a { print(0x) }\n          ^~\n");
	check("a { print(99999999999999999999) }",
	      "-e:1:11: error: integer literal '99999999999999999999' is too large for 64 bits\n"
	      "a { print(99999999999999999999) }\n          ^~~~~~~~~~~~~~~~~~~~\n");
	check("a < print(pid) print(tid) >",
	      "-e:1:16: error: syntax error, unexpected identifier, expecting ';' or '>' (end of action)\n"
	      "a < print(pid) print(tid) >\n               ^~~~~\n");
	check("a { print(1 + ) }", "-e:1:15: error: syntax error, unexpected ')', expecting an expression\n"
	      "a { print(1 + ) }\n              ^\n");
	check("a.b { }", "-e:1:2: error: unexpected character '.' in a probe name\n"
	      "a.b { }\n ^\nhint: probe names are written tracepoint:CATEGORY:EVENT, t:CATEGORY:EVENT or EVENT\n");

	/* the interactive prompt: more lines, a program to run, or nothing */
	check_extent("", PARSE_EMPTY);
	check_extent("  // a comment\n", PARSE_EMPTY);
	check_extent("/* a comment */", PARSE_EMPTY);
	check_extent("/* a comment\n", PARSE_PARTIAL);
	check_extent("sys_enter_openat", PARSE_PARTIAL);
	check_extent("sys_enter_openat,", PARSE_PARTIAL);
	check_extent("sys_enter_openat {", PARSE_PARTIAL);
	check_extent("sys_enter_openat {\n print(1);\n", PARSE_PARTIAL);
	check_extent("sys_enter_openat < print((1", PARSE_PARTIAL);
	check_extent("sys_enter_openat /pid == 1", PARSE_PARTIAL);
	check_extent("sys_enter_openat /pid == 1/", PARSE_PARTIAL);
	check_extent("a { if (1) { print(1) } else", PARSE_PARTIAL);
	check_extent("BEGIN { exit() }", PARSE_WHOLE);
	check_extent("BEGIN { exit() }\n", PARSE_WHOLE);
	check_extent("a < print(1) > b < print(2) >", PARSE_WHOLE);
	/* errors before the end are for parse_program to report */
	check_extent("a { print(1 + ) ", PARSE_WHOLE);
	check_extent("a { print(1) ) ", PARSE_WHOLE);
	check_extent("a.b {", PARSE_WHOLE);
	check_extent("a { print(099) ", PARSE_WHOLE);
	/* a string literal does not span lines */
	check_extent("a { printf(\"x", PARSE_WHOLE);
	check_extent("a { printf(\"x\n", PARSE_WHOLE);

	if (failures) {
		printf("%d parser checks failed\n", failures);
		return 1;
	}
	printf("parser checks passed\n");
	return 0;
}
