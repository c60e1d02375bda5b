/* SPDX-License-Identifier: GPL-2.0 */
/* The C face of the clang C++ frontend wrapper (src/clang_frontend.cpp). */
#ifndef PTRACE1_CLANG_FRONTEND_H
#define PTRACE1_CLANG_FRONTEND_H

#include <stddef.h>
#include <llvm-c/Core.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Parse and optimise (-O2) C @src for the BPF target into a module owned by
 * @ctx; @extra (@nextra cc1 flags, or NULL) come after the usual ones.
 * Returns 0 and sets *@mod, or -EINVAL with clang's diagnostics in *@diags
 * (malloc'd text), or another -errno.
 */
int clang_frontend_emit_module(const char *src, size_t len, const char *name,
			       const char *const *extra, size_t nextra,
			       LLVMContextRef ctx, LLVMModuleRef *mod, char **diags);

#ifdef __cplusplus
}
#endif

#endif
