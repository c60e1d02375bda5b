// SPDX-License-Identifier: GPL-2.0
/*
 * test_compile: the compiler module turns C held in memory into BPF objects
 * that libbpf opens and the kernel loads, repeatedly in one process, and
 * reports errors as clang's text.
 *
 * Exit 0 pass, 1 fail, 77 skip (compiles passed, but this kernel or user
 * cannot load BPF).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <llvm-c/Core.h>

#include "clang_frontend.h"
#include "compile.h"

/* No #include: compiles must not depend on headers of the host. */
static const char good_src[] =
	"typedef unsigned int __u32;\n"
	"typedef unsigned long long __u64;\n"
	"#define __uint(name, val) int (*name)[val]\n"
	"#define __type(name, val) typeof(val) *name\n"
	"#define SEC(s) __attribute__((section(s), used))\n"
	"\n"
	"static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;\n"
	"static __u64 (*bpf_get_current_pid_tgid)(void) = (void *)14;\n"
	"static void *(*bpf_ringbuf_reserve)(void *rb, __u64 size, __u64 flags) = (void *)131;\n"
	"static void (*bpf_ringbuf_submit)(void *data, __u64 flags) = (void *)132;\n"
	"\n"
	"struct {\n"
	"	__uint(type, 27);		/* BPF_MAP_TYPE_RINGBUF */\n"
	"	__uint(max_entries, 4096);\n"
	"} events SEC(\".maps\");\n"
	"\n"
	"struct {\n"
	"	__uint(type, 2);		/* BPF_MAP_TYPE_ARRAY */\n"
	"	__uint(max_entries, 1);\n"
	"	__type(key, __u32);\n"
	"	__type(value, __u64);\n"
	"} calls SEC(\".maps\");\n"
	"\n"
	"struct event {\n"
	"	__u32 pid;\n"
	"	__u32 tgid;\n"
	"};\n"
	"\n"
	"SEC(\"tracepoint/syscalls/sys_enter_getppid\")\n"
	"int on_getppid(void *ctx)\n"
	"{\n"
	"	__u64 id = bpf_get_current_pid_tgid();\n"
	"	__u32 zero = 0;\n"
	"	__u64 *n = bpf_map_lookup_elem(&calls, &zero);\n"
	"	struct event *e;\n"
	"\n"
	"	if (n)\n"
	"		__sync_fetch_and_add(n, 1);\n"
	"	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);\n"
	"	if (!e)\n"
	"		return 0;\n"
	"	e->pid = id;\n"
	"	e->tgid = id >> 32;\n"
	"	bpf_ringbuf_submit(e, 0);\n"
	"	return 0;\n"
	"}\n"
	"\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

/* The error is on line 3. */
static const char bad_src[] =
	"int f(void)\n"
	"{\n"
	"	return 1 +;\n"
	"}\n";

/* Fine for clang, refused by the BPF backend (stack limit is 512 bytes). */
static const char big_stack_src[] =
	"static long (*bpf_probe_read_kernel)(void *dst, unsigned int size,\n"
	"				     const void *src) = (void *)113;\n"
	"\n"
	"__attribute__((section(\"tracepoint/x\"), used))\n"
	"int f(void *ctx)\n"
	"{\n"
	"	char buf[1024];\n"
	"\n"
	"	bpf_probe_read_kernel(buf, sizeof(buf), ctx);\n"
	"	return buf[0] + buf[1023];\n"
	"}\n";

/* Every local here lives on the stack at -O0 and in registers at -O2. */
static const char no_stack_src[] =
	"static unsigned long long (*bpf_get_current_pid_tgid)(void) = (void *)14;\n"
	"\n"
	"__attribute__((section(\"tracepoint/x\"), used))\n"
	"int f(void *ctx)\n"
	"{\n"
	"	unsigned long long id = bpf_get_current_pid_tgid();\n"
	"	int tgid = id >> 32;\n"
	"\n"
	"	return ctx ? tgid + 1 : 0;\n"
	"}\n";

static bool failed;
static bool load_skipped;

static void check(bool ok, const char *what)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
	if (!ok)
		failed = true;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static bool bpf_usable(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);

	if (fd >= 0) {
		close(fd);
		return true;
	}
	if (errno == ENOSYS || errno == EPERM)
		return false;
	return true;	/* something else: let the load report it */
}

/* Compile good_src, then open and load the object. */
static void compile_and_load(const char *what, bool can_load)
{
	struct compile_output out;
	struct bpf_object *obj;
	char line[128];
	double t;
	int err;

	t = now_ms();
	err = ptrace1_compiler_compile(good_src, strlen(good_src), "ptrace1.bpf.c", &out);
	t = now_ms() - t;
	snprintf(line, sizeof(line), "%s compiles (%.1f ms, %zu bytes)", what, t, out.obj_len);
	check(!err && out.obj && out.obj_len, line);
	if (out.diags)
		printf("%s", out.diags);
	if (err)
		goto out;

	obj = bpf_object__open_mem(out.obj, out.obj_len, NULL);
	err = libbpf_get_error(obj);
	snprintf(line, sizeof(line), "%s opens with libbpf", what);
	check(!err, line);
	if (err)
		goto out;
	if (can_load) {
		err = bpf_object__load(obj);
		snprintf(line, sizeof(line), "%s loads into the kernel", what);
		check(!err, line);
	} else {
		load_skipped = true;
	}
	bpf_object__close(obj);
out:
	compile_output_free(&out);
}

/* Without -O2 the IR would be full of allocas, which the verifier hates. */
static void check_optimised(void)
{
	LLVMContextRef ctx = LLVMContextCreate();
	LLVMModuleRef mod;
	char *diags, *ir;
	int err;

	err = clang_frontend_emit_module(no_stack_src, strlen(no_stack_src), "opt.bpf.c", NULL, 0,
					 ctx, &mod, &diags);
	check(!err, "frontend emits a module");
	if (!err) {
		ir = LLVMPrintModuleToString(mod);
		check(!strstr(ir, "alloca"), "module is optimised (no allocas)");
		LLVMDisposeMessage(ir);
		LLVMDisposeModule(mod);
	}
	free(diags);
	LLVMContextDispose(ctx);
}

static void check_syntax_error(void)
{
	struct compile_output out;
	int err;

	err = ptrace1_compiler_compile(bad_src, strlen(bad_src), "bad.bpf.c", &out);
	check(err == -EINVAL, "syntax error gives -EINVAL");
	check(out.diags && strstr(out.diags, "error:"), "diagnostics say error:");
	check(out.diags && strstr(out.diags, "bad.bpf.c:3:"), "diagnostics give file:line");
	check(!out.obj, "no object on error");
	if (out.diags)
		printf("%s", out.diags);
	compile_output_free(&out);
}

static void check_backend_error(void)
{
	struct compile_output out;
	int err;

	err = ptrace1_compiler_compile(big_stack_src, strlen(big_stack_src), "stack.bpf.c", &out);
	check(err == -EINVAL, "backend error gives -EINVAL (and does not exit)");
	check(out.diags && strstr(out.diags, "stack limit"), "diagnostics name the stack limit");
	if (out.diags)
		printf("%s", out.diags);
	compile_output_free(&out);
}

int main(void)
{
	bool can_load = bpf_usable();

	if (!can_load)
		printf("SKIP: BPF unavailable here, objects are not loaded\n");
	compile_and_load("first", can_load);
	compile_and_load("second", can_load);
	compile_and_load("third", can_load);
	check_optimised();
	check_syntax_error();
	check_backend_error();
	compile_and_load("after errors", can_load);

	if (failed)
		return 1;
	return load_skipped ? 77 : 0;
}
