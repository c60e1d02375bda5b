// SPDX-License-Identifier: GPL-2.0
/*
 * clang_frontend: the only C++ in ptrace1.
 *
 * libclang's C API can parse and index C but cannot compile it to an LLVM
 * module, and forking the clang binary would need temp files and a clang
 * install at run time.  So this wraps the few C++ calls that drive clang's
 * cc1 frontend in process, and hands the result back to C as an
 * LLVMModuleRef; everything after that (src/compile.c) uses the LLVM C API.
 *
 * The BPF target must be initialised before calling in: clang's -O2
 * pipeline picks up the BPF passes (CO-RE, verifier-friendly rewrites) from
 * the LLVM target registry and silently skips them if it is empty.
 */
#include <cerrno>
#include <vector>
#include <cstring>
#include <memory>
#include <string>

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/DiagnosticOptions.h>
#include <clang/CodeGen/CodeGenAction.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/CompilerInvocation.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Lex/PreprocessorOptions.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include "clang_frontend.h"

using namespace clang;

/*
 * cc1 flags, not driver flags: there is no driver here to translate them.
 * Debug info is required because the BPF backend derives BTF from it, and
 * libbpf rejects BTF-defined maps without BTF.  Nothing of the host (include
 * directories, cwd) goes in, so a program compiles the same everywhere; a
 * user's C file gets the system's include directories as @extra.
 */
static const char *const cc1_args[] = {
	"-triple", "bpf",
	"-target-cpu", "v3",	/* keep in sync with BPF_CPU in compile.c */
	"-O2",
	"-debug-info-kind=constructor",
	"-dwarf-version=5",
	"-fdebug-compilation-dir=/",
	"-nostdsysteminc",
	"-nobuiltininc",
	"-ferror-limit", "20",
	"-x", "c",
};

static int take_text(std::string &text, char **out)
{
	if (text.empty())
		return 0;
	*out = strdup(text.c_str());
	return *out ? 0 : -ENOMEM;
}

extern "C" int clang_frontend_emit_module(const char *src, size_t len, const char *name,
					  const char *const *extra, size_t nextra,
					  LLVMContextRef ctx, LLVMModuleRef *mod,
					  char **diags)
{
	std::string text;
	llvm::raw_string_ostream os(text);
	CompilerInstance ci;
	std::vector<const char *> args(std::begin(cc1_args), std::end(cc1_args));
	std::unique_ptr<llvm::Module> m;
	int err = -EINVAL;

	*mod = nullptr;
	*diags = nullptr;
	if (extra)
		args.insert(args.end(), extra, extra + nextra);
	args.push_back(name);

	/*
	 * Diagnostics land in @text, and so does the "N errors generated."
	 * summary clang writes to the verbose stream (stderr by default).
	 */
	ci.createDiagnostics(new TextDiagnosticPrinter(os, &ci.getDiagnosticOpts()));
	ci.setVerboseOutputStream(os);
	if (!CompilerInvocation::CreateFromArgs(ci.getInvocation(), args, ci.getDiagnostics()))
		goto out;
	/* The engine predates the parsed options (-ferror-limit): apply them. */
	ProcessWarningOptions(ci.getDiagnostics(), ci.getDiagnosticOpts());

	/* The SourceManager takes ownership of the buffer. */
	ci.getPreprocessorOpts().addRemappedFile(name,
		llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(src, len), name).release());

	{
		EmitLLVMOnlyAction act(llvm::unwrap(ctx));

		if (ci.ExecuteAction(act))
			m = act.takeModule();
	}
	if (m)
		err = 0;
out:
	os.flush();
	if (take_text(text, diags))
		err = -ENOMEM;
	if (!err)
		*mod = llvm::wrap(m.release());
	return err;
}
