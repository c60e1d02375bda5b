/* SPDX-License-Identifier: GPL-2.0 */
/*
 * artifact: a compiled program in one file (--aot), run later by a ptrace1
 * that never loads clang/LLVM.  It holds the BPF object and what run and
 * output need of the checked program: the probes and the programs serving
 * them, the tracepoint fields the program reads (checked against the
 * running kernel), the event table and the maps, the options fixed at
 * compile time, and what compiled it (ptrace1, LLVM, runtime, kernel).
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

struct artifact {
	/*
	 * No AST: c.prog is only the arena of map names and tuple types.
	 * Each tracepoint's format holds the fields the program reads.
	 */
	struct checked c;
	struct program arena;
	struct attach_spec *specs;	/* one per probe */
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
 * Append the artifact of @c (its tracepoints' used fields), @specs (one per
 * probe) and the object to @out.  Returns 0 or -ENOMEM.
 */
int artifact_encode(const struct checked *c, const struct attach_spec *specs,
		    const struct artifact_origin *origin, const void *obj, size_t obj_len,
		    struct strbuf *out);
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

#endif
