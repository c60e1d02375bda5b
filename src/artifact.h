/* SPDX-License-Identifier: GPL-2.0 */
/*
 * artifact: a compiled program in one file (--aot), run later by a ptrace1
 * that never loads clang/LLVM.  It holds the BPF object and what run and
 * output need of the checked program: the probes and the programs serving
 * them, the tracepoint fields the program reads (checked against the
 * running kernel), the event table and the maps, the options fixed at
 * compile time, and what compiled it (ptrace1, LLVM, runtime, kernel).
 * Or a BPF C file's object, with the --set values it was compiled with.
 * HACKING.md describes the format.
 */
#ifndef PTRACE1_ARTIFACT_H
#define PTRACE1_ARTIFACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "load.h"
#include "sema.h"
#include "strbuf.h"

/* What compiled an artifact, and where. */
struct artifact_origin {
	char version[32];	/* ptrace1's */
	char llvm[32];
	uint64_t runtime;	/* a hash of the runtime header: the BPF side's conventions */
	char machine[65];	/* uname -m */
	char release[65];	/* the kernel's, uname -r */
	char source[256];	/* the program's file, or "-e" */
};

/*
 * Read back, an artifact owns all of it.  To write one, fill it with
 * pointers to what sema, lower and the compiler made, and only encode it.
 */
struct artifact {
	bool is_c;			/* a BPF C file's object, not a ptrace1 program's */
	/*
	 * A program's.  No AST: c.prog is only the arena of map names and
	 * tuple types.  Each tracepoint's format holds the fields the program
	 * reads (tp_field.used).
	 */
	struct checked c;
	struct program arena;
	struct attach_spec *specs;	/* one per probe */
	/* A C file's: --set NAME=VALUE when it was compiled, applied before the run's. */
	char **sets;
	size_t nsets;
	void *obj;			/* the BPF ELF object */
	size_t obj_len;
	struct artifact_origin origin;
};

/* A reason for refusing an artifact, one line for the user. */
struct artifact_error {
	char msg[512];
	char hint[512];		/* "" when there is nothing to add */
};

/* Whether @name and its bytes are an artifact's (or meant to be one: a .pto). */
bool artifact_is(const char *name, const void *data, size_t len);
/* This ptrace1, now, on this machine, compiling @source. */
void artifact_origin_here(struct artifact_origin *o, const char *source);
/*
 * Append artifact @a to @out: a program's tracepoints with their used
 * fields, probes, events and maps, or a C file's --set values; then the
 * object.  Returns 0 or -ENOMEM.
 */
int artifact_encode(const struct artifact *a, struct strbuf *out);
/*
 * Read an artifact.  Returns 0; -ENOEXEC (not an artifact), -EPROTO (another
 * format or another ptrace1) or -EBADMSG (truncated or corrupt) with @err
 * filled; or -ENOMEM.  On success, artifact_free() it.
 */
int artifact_decode(const void *data, size_t len, struct artifact *a, struct artifact_error *err);
/*
 * Whether the running kernel has every tracepoint of @a with the fields it
 * reads where they were.  Returns 0, or -errno with @err filled.
 */
int artifact_check_kernel(const struct artifact *a, struct artifact_error *err);
void artifact_free(struct artifact *a);
/* Write @len bytes to @path whole or not at all ("-": stdout).  0 or -errno. */
int artifact_save(const char *path, const void *data, size_t len);
/* Encode @a, made now from @source, and save it to @path.  0 or -errno. */
int artifact_write(const char *path, const char *source, struct artifact *a);

#endif
