/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run: one program from text to exit, through every stage: parse, check,
 * lower, compile, load, attach, stream events, tear down.
 */
#ifndef PTRACE1_RUN_H
#define PTRACE1_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "diag.h"

/* PTRACE1_STRLEN and PTRACE1_MAP_KEYS_MAX: the defaults, and the bounds sema and lower are made for. */
#define RUN_STRLEN_DEFAULT 64
#define RUN_STRLEN_MIN 2
#define RUN_STRLEN_MAX 4096
#define RUN_MAP_KEYS_MAX (1u << 24)
/*
 * PTRACE1_RINGBUF_KB unset: the event ring buffer of a program that prints
 * (printf, print, time, join), and of one that only exits or prints maps.
 */
#define RUN_RINGBUF_PRINTS_KB 8192
#define RUN_RINGBUF_QUIET_KB 256

/* -B: when the output is written. */
enum run_buffering {
	BUFFER_LINE,		/* each batch of records as it is read: no line waits */
	BUFFER_FULL,		/* when stdio's buffer fills, and at exit */
	BUFFER_NONE,		/* every write at once */
};

struct run_opts {
	const char *cmd;	/* -c: run it, trace while it lives */
	pid_t pid;		/* -p: trace this process only, until it exits; 0: all */
	FILE *out;		/* -o: where the output goes; NULL: stdout */
	enum run_buffering buffering;
	bool quiet;		/* no "Attaching N probes..." */
	bool emit_c;		/* print the generated C and stop */
	bool dump_ast;		/* print the parsed program and stop */
	bool list;		/* -l: list the program's probes (-v: with fields) and stop */
	const char *aot;	/* --aot: write the artifact there and stop */
	bool json;		/* -f json */
	int verbose;
	unsigned int strlen;
	size_t ringbuf_bytes;	/* 0: as the program needs (RUN_RINGBUF_*) */
	unsigned int map_keys_max;
	char **params;		/* $1...: the words after the program */
	size_t nparams;
	char **sets;		/* --set NAME=VALUE, for a C file's globals */
	size_t nsets;
};

/*
 * Returns the process exit status: 0, or 1 for an error in the program or the
 * run.  It may be called again: the signal mask and handlers are restored.
 */
int run_source(const struct source *src, const struct run_opts *o);
/*
 * Run @obj (@len bytes), the compiled C of program @src (progsec.h): as
 * run_source() with the object in place of the C generated from @src.
 */
int run_object(const struct source *src, const void *obj, size_t len, const struct run_opts *o);
/*
 * Run the artifact (--aot's file) whose bytes are @src's text, without the
 * compiler.  Returns 0, 1 when it cannot run or the run fails, or 2 when
 * this run's options do not fit it (-c, -p, --set).
 */
int run_artifact(const struct source *src, const struct run_opts *o);

#endif
