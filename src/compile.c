// SPDX-License-Identifier: GPL-2.0
/*
 * compile: C source -> BPF ELF object, all in memory.  This is the
 * compiler module, ptrace1-compiler.so, that src/compile_load.c loads.
 *
 * clang_frontend_emit_module() parses and optimises the C; the BPF backend is
 * then driven through the LLVM C API.  Each call owns a fresh LLVMContext, so
 * nothing leaks from one compile into the next (the REPL compiles many).
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>

#include "clang_frontend.h"
#include "compile.h"
#include "config.h"

/*
 * v3 (jmp32, alu32) gives shorter programs and every kernel ptrace1 targets
 * has it.  Keep in sync with -target-cpu in clang_frontend.cpp.
 */
#define BPF_CPU "v3"

/* The architecture whose registers libbpf's bpf_tracing.h reads (PT_REGS_PARM1...). */
#if defined(__x86_64__) || defined(__i386__)
#define TARGET_ARCH "x86"
#elif defined(__aarch64__)
#define TARGET_ARCH "arm64"
#elif defined(__arm__)
#define TARGET_ARCH "arm"
#elif defined(__s390x__)
#define TARGET_ARCH "s390"
#elif defined(__powerpc__)
#define TARGET_ARCH "powerpc"
#elif defined(__riscv)
#define TARGET_ARCH "riscv"
#elif defined(__loongarch__)
#define TARGET_ARCH "loongarch"
#elif defined(__mips__)
#define TARGET_ARCH "mips"
#elif defined(__sparc__)
#define TARGET_ARCH "sparc"
#else
#error "unknown architecture: add it to TARGET_ARCH, as libbpf's bpf_tracing.h names it"
#endif

#define RESOURCE_INCLUDE PTRACE1_CLANG_RESOURCE_DIR "/include"

/*
 * A user's C file finds the headers `clang -target bpf` would: clang's own,
 * then the system's, where linux-libc-dev puts <linux/bpf.h> (its
 * <asm/types.h> in the multiarch dir) and libbpf-dev <bpf/bpf_helpers.h>.
 */
static const char *const system_args[] = {
	"-fgnuc-version=4.2.1",
	"-internal-isystem", RESOURCE_INCLUDE,
	"-internal-isystem", "/usr/local/include",
	"-internal-externc-isystem", PTRACE1_MULTIARCH_INCLUDE,
	"-internal-externc-isystem", "/usr/include",
	"-D__TARGET_ARCH_" TARGET_ARCH,
};

struct backend_diags {
	char **text;		/* appended to: clang's warnings may be there already */
	bool error;
	bool nomem;
};

static pthread_once_t bpf_target_once = PTHREAD_ONCE_INIT;

static void bpf_target_init(void)
{
	LLVMInitializeBPFTargetInfo();
	LLVMInitializeBPFTarget();
	LLVMInitializeBPFTargetMC();
	LLVMInitializeBPFAsmPrinter();
}

/* Append "severity: msg\n" to *@text; LLVM's messages may end in newlines. */
static int append_text(char **text, const char *severity, const char *msg)
{
	size_t old = *text ? strlen(*text) : 0;
	int msg_len = (int)strlen(msg);
	size_t add;
	char *p;

	while (msg_len && msg[msg_len - 1] == '\n')
		msg_len--;
	add = strlen(severity) + msg_len + 3;
	p = realloc(*text, old + add + 1);
	if (!p)
		return -ENOMEM;
	snprintf(p + old, add + 1, "%s: %.*s\n", severity, msg_len, msg);
	*text = p;
	return 0;
}

/*
 * The BPF backend reports what it cannot compile (stack over 512 bytes,
 * calls it cannot lower, ...) as LLVM diagnostics.  Without a handler LLVM
 * prints them to stderr and exit()s on errors, which would kill the REPL.
 */
static void backend_diag_handler(LLVMDiagnosticInfoRef di, void *opaque)
{
	struct backend_diags *bd = opaque;
	const char *severity;
	char *msg;

	switch (LLVMGetDiagInfoSeverity(di)) {
	case LLVMDSError:
		severity = "error";
		bd->error = true;
		break;
	case LLVMDSWarning:
		severity = "warning";
		break;
	case LLVMDSNote:
		severity = "note";
		break;
	default:
		return;
	}
	msg = LLVMGetDiagInfoDescription(di);
	if (!msg || append_text(bd->text, severity, msg))
		bd->nomem = true;
	LLVMDisposeMessage(msg);
}

static int compile(const char *src, size_t len, const char *name, const char *const *extra,
		   size_t nextra, struct compile_output *out)
{
	struct backend_diags bd = { .text = &out->diags };
	LLVMTargetMachineRef tm = NULL;
	LLVMMemoryBufferRef buf = NULL;
	LLVMModuleRef mod = NULL;
	LLVMTargetRef target;
	LLVMContextRef ctx;
	char *msg = NULL;
	size_t obj_len;
	int err;

	memset(out, 0, sizeof(*out));
	/* Before the frontend: its -O2 pipeline looks the BPF passes up. */
	pthread_once(&bpf_target_once, bpf_target_init);

	ctx = LLVMContextCreate();
	if (!ctx)
		return -ENOMEM;
	LLVMContextSetDiagnosticHandler(ctx, backend_diag_handler, &bd);

	err = clang_frontend_emit_module(src, len, name, extra, nextra, ctx, &mod, &out->diags);
	if (err)
		goto out;

	if (LLVMGetTargetFromTriple(LLVMGetTarget(mod), &target, &msg)) {
		err = -ENOENT;
		goto out;
	}
	tm = LLVMCreateTargetMachine(target, LLVMGetTarget(mod), BPF_CPU, "",
				     LLVMCodeGenLevelDefault, LLVMRelocDefault,
				     LLVMCodeModelDefault);
	if (!tm) {
		err = -ENOMEM;
		goto out;
	}
	if (LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMObjectFile, &msg, &buf)) {
		err = -EIO;
		goto out;
	}
	if (bd.nomem)
		err = -ENOMEM;
	else if (bd.error)
		err = -EINVAL;
	if (err)
		goto out;

	obj_len = LLVMGetBufferSize(buf);
	out->obj = malloc(obj_len);
	if (!out->obj) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(out->obj, LLVMGetBufferStart(buf), obj_len);
	out->obj_len = obj_len;

out:
	/* Why LLVMGetTargetFromTriple or emit failed: keep it for the caller. */
	if (msg && append_text(&out->diags, "error", msg))
		err = -ENOMEM;
	/* The LLVM disposers all accept NULL. */
	LLVMDisposeMessage(msg);
	LLVMDisposeMemoryBuffer(buf);
	LLVMDisposeTargetMachine(tm);
	LLVMDisposeModule(mod);
	LLVMContextDispose(ctx);
	return err;
}

__attribute__((visibility("default")))
int ptrace1_compiler_compile(const char *src, size_t len, const char *name,
			     struct compile_output *out)
{
	return compile(src, len, name, NULL, 0, out);
}

__attribute__((visibility("default")))
int ptrace1_compiler_compile_file(const char *src, size_t len, const char *name,
				  struct compile_output *out)
{
	memset(out, 0, sizeof(*out));
	/* Without them every file fails on <stddef.h>: say what is missing instead. */
	if (access(RESOURCE_INCLUDE "/stddef.h", R_OK)) {
		out->diags = strdup("clang's headers are not in " RESOURCE_INCLUDE
				    ": apt-get install libclang-common-" PTRACE1_LLVM_MAJOR "-dev\n");
		return out->diags ? -ENOENT : -ENOMEM;
	}
	return compile(src, len, name, system_args, sizeof(system_args) / sizeof(*system_args),
		       out);
}
