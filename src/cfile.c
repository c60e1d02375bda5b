// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "artifact.h"
#include "cfile.h"
#include "compile.h"
#include "loop.h"
#include "objrun.h"
#include "progsec.h"
#include "strbuf.h"

bool cfile_is_c(const char *name)
{
	size_t len = strlen(name);

	return len > 2 && !strcmp(name + len - 2, ".c");
}

/* Options that mean nothing for a C file are usage errors, not silently ignored. */
static int check_options(const struct source *src, const struct run_opts *o)
{
	if (o->emit_c || o->dump_ast || o->list) {
		fprintf(stderr, "ptrace1: %s applies to ptrace1 programs, not to a C file\n",
			o->emit_c ? "--emit-c" : o->dump_ast ? "-d" : "-l");
		return 2;
	}
	if (o->nparams) {
		fprintf(stderr, "ptrace1: %s is a C file: it takes no arguments after its name\n"
			"hint: set its const volatile globals with --set NAME=VALUE\n", src->name);
		return 2;
	}
	return 0;
}

/* clang's messages as clang prints them, and what to install when system headers are missing. */
static void show_diags(const char *diags)
{
	if (!diags)
		return;
	fputs(diags, stderr);
	if (!strstr(diags, "file not found"))
		return;
	if ((strstr(diags, "'linux/") || strstr(diags, "'asm/")) &&
	    access("/usr/include/linux/types.h", R_OK))
		fprintf(stderr, "hint: <linux/...> comes with linux-libc-dev: apt-get install linux-libc-dev\n");
	if (strstr(diags, "'bpf/") && access("/usr/include/bpf/bpf_helpers.h", R_OK) &&
	    access("/usr/local/include/bpf/bpf_helpers.h", R_OK))
		fprintf(stderr, "hint: <bpf/...> comes with libbpf-dev: apt-get install libbpf-dev\n");
}

/* A file ptrace1 generated: its program decides how records and maps print. */
static int run_generated(const struct source *src, const struct progsec *ps,
			 const struct compile_output *co, const struct run_opts *o)
{
	struct run_opts po = *o;
	struct source psrc;
	struct strbuf name;
	int status;

	if (o->nsets) {
		fprintf(stderr, "ptrace1: --set applies to a C file's own globals; %s was generated "
			"by ptrace1, whose options travel with it\n", src->name);
		return 2;
	}
	po.strlen = ps->strlen;
	po.map_keys_max = ps->map_keys_max;
	po.params = ps->params;
	po.nparams = ps->nparams;
	sb_init(&name);
	sb_printf(&name, "%s:ptrace1_program", src->name);
	if (name.err)
		return 1;
	psrc = (struct source){ .name = name.buf, .text = ps->text, .len = ps->len };
	status = run_object(&psrc, co->obj, co->obj_len, &po);
	sb_free(&name);
	return status;
}

/* --aot: the object, and the --set values checked against its globals, in an artifact. */
static int write_object(const struct source *src, const struct compile_output *co,
			const struct run_opts *o)
{
	struct artifact a = { .is_c = true, .sets = o->sets, .nsets = o->nsets,
			      .obj = co->obj, .obj_len = co->obj_len };
	int status, err;

	status = objrun_check_sets(src->name, co->obj, co->obj_len, o);
	if (status)
		return status;
	err = artifact_write(o->aot, src->name, &a);
	if (err) {
		fprintf(stderr, "ptrace1: cannot write %s: %s\n", o->aot, strerror(-err));
		return 1;
	}
	if (o->verbose)
		fprintf(stderr, "ptrace1: wrote %s: a BPF object of %zu bytes, %zu --set\n", o->aot,
			co->obj_len, o->nsets);
	return 0;
}

int cfile_run(const struct source *src, const struct run_opts *o)
{
	struct compile_output co;
	struct progsec ps;
	struct loop_signals old;
	int err, status;

	status = check_options(src, o);
	if (status)
		return status;
	/* Ctrl-C while compiling ends the run as it would later: cleanly, status 0. */
	loop_block_signals(&old);
	err = compile_bpf_file(src->text, src->len, src->name, &co);
	/* clang's words (its warnings too) as clang prints them; others as ptrace1's. */
	if (!err || err == -EINVAL)
		show_diags(co.diags);
	else if (co.diags)
		fprintf(stderr, "ptrace1: %s", co.diags);
	else
		fprintf(stderr, "ptrace1: compiling %s: %s\n", src->name, strerror(-err));
	if (err) {
		compile_output_free(&co);
		loop_restore_signals(&old);
		return 1;
	}
	err = progsec_read(co.obj, co.obj_len, &ps);
	if (!err) {
		status = run_generated(src, &ps, &co, o);
		progsec_free(&ps);
	} else if (err != -ENOENT) {
		fprintf(stderr, "ptrace1: %s: its ptrace1_program string is malformed\n", src->name);
		status = 1;
	} else if (o->pid) {
		fprintf(stderr, "ptrace1: -p applies to ptrace1 programs: the programs of %s choose "
			"what they trace\n"
			"hint: give the program a const volatile pid filter and set it with --set\n",
			src->name);
		status = 2;
	} else if (o->aot) {
		status = write_object(src, &co, o);
	} else {
		status = objrun(src->name, src->name, co.obj, co.obj_len, o);
	}
	compile_output_free(&co);
	loop_restore_signals(&old);
	return status;
}
