/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compile: C source held in memory -> BPF ELF object held in memory.
 *
 * clang's frontend (src/clang_frontend.cpp, the only C++ in ptrace1) turns
 * the source into an LLVM module; this stage emits that module as a BPF
 * object through the LLVM C API.  Nothing is written to disk, and the
 * generated C reads nothing from it.
 *
 * clang and LLVM live in a module of their own, ptrace1-compiler.so
 * (src/compile.c and src/clang_frontend.cpp), which compile_bpf() loads
 * (src/compile_load.c) on its first call: a run whose object comes from the
 * cache never maps them.
 */
#ifndef PTRACE1_COMPILE_H
#define PTRACE1_COMPILE_H

#include <stddef.h>

struct compile_output {
	void *obj;		/* ELF object, malloc'd */
	size_t obj_len;
	char *diags;		/* clang's diagnostics as text, malloc'd; may be NULL */
};

/*
 * Compile @src (@len bytes, need not be NUL-terminated) named @name in
 * diagnostics.  Returns 0 and fills @out, or -errno; on -EINVAL (the C did
 * not compile) @out->diags holds clang's messages.  Call compile_output_free
 * in both cases.
 */
int compile_bpf(const char *src, size_t len, const char *name, struct compile_output *out);
/*
 * As compile_bpf(), for a user's BPF C file: with the system's include
 * directories (as `clang -target bpf` has them) and -D__TARGET_ARCH_ARCH.
 * -ENOENT when clang's own headers are missing, @out->diags saying so (as
 * for the other errors but -EINVAL: it is not clang's message).
 */
int compile_bpf_file(const char *src, size_t len, const char *name, struct compile_output *out);
void compile_output_free(struct compile_output *out);

/*
 * What identifies the compiler that compile_bpf() would use, for the cache's
 * keys: the executable's and the module's times and sizes.  0 or -ENOENT.
 */
int compile_stamp(char *buf, size_t size);

/* The module's compile_bpf() and compile_bpf_file(), which the loader finds by these names. */
#define COMPILER_ENTRY "ptrace1_compiler_compile"
#define COMPILER_FILE_ENTRY "ptrace1_compiler_compile_file"
int ptrace1_compiler_compile(const char *src, size_t len, const char *name,
			     struct compile_output *out);
int ptrace1_compiler_compile_file(const char *src, size_t len, const char *name,
				  struct compile_output *out);

#endif
