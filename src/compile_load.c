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
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"

#define COMPILER_MODULE "ptrace1-compiler.so"

typedef int compile_fn(const char *src, size_t len, const char *name, struct compile_output *out);

static compile_fn *module_compile, *module_compile_file;

/*
 * $PTRACE1_COMPILER, else next to the executable (the build tree), else
 * where make install put it.  NULL when there is none.
 */
static const char *module_path(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("PTRACE1_COMPILER");
	char *slash;
	ssize_t n;

	if (env && *env)
		return access(env, R_OK) ? NULL : env;
	n = readlink("/proc/self/exe", path, sizeof(path) - sizeof(COMPILER_MODULE) - 1);
	if (n > 0) {
		path[n] = '\0';
		slash = strrchr(path, '/');
		if (slash) {
			strcpy(slash + 1, COMPILER_MODULE);
			if (!access(path, R_OK))
				return path;
		}
	}
	return access(PKGLIBDIR "/" COMPILER_MODULE, R_OK) ? NULL : PKGLIBDIR "/" COMPILER_MODULE;
}

int compile_stamp(char *buf, size_t size)
{
	const char *path = module_path();
	struct stat mod, exe;

	if (!path || stat(path, &mod) || stat("/proc/self/exe", &exe))
		return -ENOENT;
	snprintf(buf, size, "%lld.%09ld %lld %lld.%09ld %lld", (long long)exe.st_mtim.tv_sec,
		 exe.st_mtim.tv_nsec, (long long)exe.st_size, (long long)mod.st_mtim.tv_sec,
		 mod.st_mtim.tv_nsec, (long long)mod.st_size);
	return 0;
}

static int load_module(char **why)
{
	const char *env = getenv("PTRACE1_COMPILER"), *path = module_path();
	void *mod = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;

	if (mod) {
		module_compile = (compile_fn *)dlsym(mod, COMPILER_ENTRY);
		module_compile_file = (compile_fn *)dlsym(mod, COMPILER_FILE_ENTRY);
	}
	if (module_compile && module_compile_file)
		return 0;
	module_compile = module_compile_file = NULL;
	if (asprintf(why, "cannot load the compiler %s: %s\n",
		     path ? path : env && *env ? env : PKGLIBDIR "/" COMPILER_MODULE,
		     path ? dlerror() : "no such file (is ptrace1 installed?)") < 0)
		*why = NULL;
	if (mod)
		dlclose(mod);
	return -ELIBACC;
}

/* @fn of the module, loaded on the first call. */
static int call(compile_fn **fn, const char *src, size_t len, const char *name,
		struct compile_output *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	if (!*fn) {
		err = load_module(&out->diags);
		if (err)
			return err;
	}
	return (*fn)(src, len, name, out);
}

int compile_bpf(const char *src, size_t len, const char *name, struct compile_output *out)
{
	return call(&module_compile, src, len, name, out);
}

int compile_bpf_file(const char *src, size_t len, const char *name, struct compile_output *out)
{
	return call(&module_compile_file, src, len, name, out);
}

void compile_output_free(struct compile_output *out)
{
	free(out->obj);
	free(out->diags);
	memset(out, 0, sizeof(*out));
}
