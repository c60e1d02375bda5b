// SPDX-License-Identifier: GPL-2.0
/*
 * compile: the compiler module, loaded on the first compile.  clang and
 * LLVM take ~40 ms to map and relocate and most of ptrace1's memory; a run
 * whose object comes from the cache does without them.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"

#define COMPILER_MODULE "ptrace1-compiler.so"

typedef int compile_fn(const char *src, size_t len, const char *name, struct compile_output *out);

static compile_fn *module_compile;

static void *open_module(const char *path)
{
	return access(path, R_OK) ? NULL : dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

/*
 * $PTRACE1_COMPILER, else next to the executable (the build tree), else
 * where make install put it.
 */
static int load_module(char **why)
{
	const char *env = getenv("PTRACE1_COMPILER");
	char path[PATH_MAX], *slash;
	ssize_t n;
	void *mod;

	if (env && *env) {
		mod = open_module(env);
	} else {
		mod = NULL;
		n = readlink("/proc/self/exe", path, sizeof(path) - sizeof(COMPILER_MODULE) - 1);
		if (n > 0) {
			path[n] = '\0';
			slash = strrchr(path, '/');
			if (slash) {
				strcpy(slash + 1, COMPILER_MODULE);
				mod = open_module(path);
			}
		}
		if (!mod)
			mod = open_module(PKGLIBDIR "/" COMPILER_MODULE);
	}
	if (mod)
		module_compile = (compile_fn *)dlsym(mod, COMPILER_ENTRY);
	if (module_compile)
		return 0;
	if (asprintf(why, "cannot load the compiler %s: %s\n",
		     env && *env ? env : PKGLIBDIR "/" COMPILER_MODULE,
		     mod ? dlerror() : "no such file (is ptrace1 installed?)") < 0)
		*why = NULL;
	if (mod)
		dlclose(mod);
	return -ELIBACC;
}

int compile_bpf(const char *src, size_t len, const char *name, struct compile_output *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	if (!module_compile) {
		err = load_module(&out->diags);
		if (err)
			return err;
	}
	return module_compile(src, len, name, out);
}

void compile_output_free(struct compile_output *out)
{
	free(out->obj);
	free(out->diags);
	memset(out, 0, sizeof(*out));
}
