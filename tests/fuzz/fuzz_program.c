// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_program: libFuzzer over the stages that read what a user types,
 * exactly as run_source() drives them: parse, sema (whose probe resolution
 * reads tracefs, so run it as root), lower.  Nothing is compiled or loaded:
 * an input is a program's text, so a crash reproduces with `ptrace1 FILE`.
 *
 * Beside the sanitizers, it checks the stages' contracts, which a wrong
 * status would break silently in ptrace1: -EINVAL only after an error was
 * reported, and C for every program sema accepts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lower.h"
#include "parse.h"
#include "sema.h"
#include "strbuf.h"

/* Diagnostics are formatted, then dropped. */
static FILE *devnull;
/* $1 and $2, as the words after the program would give them. */
static char *params[] = { "1", "ptwl" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "w");
	if (!devnull) {
		perror("fuzz_program: /dev/null");
		exit(1);
	}
	return 0;
}

/* A stage's status: 0, -ENOMEM, or -EINVAL with at least one error reported. */
static void check_status(const char *stage, int err, const struct diag *d)
{
	if (err == 0 || err == -ENOMEM || (err == -EINVAL && d->errors > 0))
		return;
	fprintf(stderr, "fuzz_program: %s returned %d with %d errors reported\n",
		stage, err, d->errors);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* ptrace1's defaults (main.c), and -c given so that cpid is valid. */
	struct sema_opts so = {
		.strlen = 64,
		.have_cpid = true,
		.params = params,
		.nparams = sizeof(params) / sizeof(params[0]),
		.map_keys_max = 4096,
	};
	/* Not NUL-terminated, as a program file is not (main.c's read_file). */
	struct source src = { .name = "fuzz", .text = (const char *)data, .len = size };
	struct program prog = { 0 };
	struct checked c = { 0 };
	struct strbuf csrc;
	struct diag d;
	int err;

	sb_init(&csrc);
	diag_init(&d, &src, devnull);
	err = parse_program(&src, &d, &prog);
	check_status("parse_program", err, &d);
	if (!err) {
		err = sema_check(&prog, &so, &d, &c);
		check_status("sema_check", err, &d);
	}
	if (err) {
		diag_finish(&d);
	} else {
		err = lower_program(&c, &csrc);
		/* -E2BIG is a limit sema does not know; anything else is lower's bug. */
		if (err && err != -ENOMEM && err != -E2BIG) {
			fprintf(stderr, "fuzz_program: lower_program returned %d\n", err);
			abort();
		}
	}
	sb_free(&csrc);
	checked_free(&c);
	program_free(&prog);
	return 0;
}
