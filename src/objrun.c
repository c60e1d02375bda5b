// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "child.h"
#include "globals.h"
#include "load.h"
#include "loop.h"
#include "objevents.h"
#include "objmaps.h"
#include "objrun.h"
#include "printk.h"

struct objrun {
	const struct run_opts *o;
	const char *name;		/* the file's, for messages */
	struct loaded l;
	struct child child;
	struct loop loop;
	struct objevents ev;
	struct printk printk;
	FILE *dest;
};

static int fail(const char *what, int err)
{
	fprintf(stderr, "ptrace1: %s: %s\n", what, strerror(-err));
	return 1;
}

/* libbpf's own words (its warnings and errors): why it would not open or load. */
static void libbpf_says(const struct objrun *r)
{
	if (!r->o->verbose && r->l.log_len)
		fputs(r->l.log, stderr);
}

static void explain_refusal(const struct objrun *r, int err)
{
	struct load_failure f;

	load_explain(&r->l, &f);
	if (!f.prog[0]) {
		fprintf(stderr, "ptrace1: cannot load %s: %s\n", r->name, strerror(-err));
		libbpf_says(r);
		return;
	}
	fprintf(stderr, "ptrace1: the kernel refused program %s%s%s\n", f.prog,
		f.reason[0] ? ": " : "", f.reason);
	if (!r->o->verbose)
		fprintf(stderr, "hint: -v shows the verifier's log\n");
}

static void explain_attach(const struct objrun *r, const char *prog, int err)
{
	struct bpf_program *p = prog ? bpf_object__find_program_by_name(r->l.obj, prog) : NULL;

	fprintf(stderr, "ptrace1: cannot attach program %s (section \"%s\"): %s\n",
		prog ? prog : "?", p ? bpf_program__section_name(p) : "?",
		err == -EOPNOTSUPP ? "libbpf cannot attach this section by itself"
				   : strerror(-err));
	if (err == -EOPNOTSUPP)
		fprintf(stderr, "hint: name what to attach to in the section, as in "
			"SEC(\"tp/syscalls/sys_enter_write\") or SEC(\"kprobe/do_unlinkat\")\n");
	else if (!r->o->verbose)
		fprintf(stderr, "hint: -v shows libbpf's messages\n");
}

/*
 * libbpf names the object's internal maps (.rodata...) after it: the
 * file's base name up to its first dot, as bpftool gen skeleton does.
 */
static void object_name(const char *file, char *buf, size_t len)
{
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	snprintf(buf, len, "%.*s", (int)strcspn(base, "."), base);
	if (!buf[0])
		snprintf(buf, len, "bpf");
}

static void attached(const struct objrun *r)
{
	struct bpf_program *prog;
	size_t n = 0;

	bpf_object__for_each_program(prog, r->l.obj)
		n += bpf_program__autoload(prog);
	if (r->o->json)
		fprintf(r->dest, "{\"type\": \"attached_probes\", \"data\": {\"probes\": %zu}}\n", n);
	else
		fprintf(stderr, "Attaching %zu program%s...\n", n, n == 1 ? "" : "s");
}

/* From the open object to the last map: the exit status. */
static int trace(struct objrun *r)
{
	const struct run_opts *o = r->o;
	const char *failed = NULL;
	struct fault f;
	int err;

	if (load_check_privileges(&f) || load_check_kernel(&f))
		return fault_report(&f);
	if (o->cmd) {
		err = child_spawn(o->cmd, &r->child);
		if (err)
			return fail("cannot start the -c command", err);
	}
	if (loop_stop_pending())
		return 0;
	err = load_programs(&r->l);
	if (err) {
		explain_refusal(r, err);
		return 1;
	}
	if (o->verbose)
		load_report(&r->l, stderr);
	if (loop_stop_pending())
		return 0;
	err = loop_open(&r->loop, &r->child);
	if (!err)
		err = objevents_open(&r->ev, r->l.obj, &r->loop, o->json, r->dest);
	if (!err)
		err = printk_setup(&r->printk, r->l.obj, &r->loop, o->json, r->dest);
	if (err)
		return fail("cannot set up the event stream", err);
	if (!o->quiet)
		attached(r);
	err = load_attach_all(&r->l, &failed);
	if (err) {
		explain_attach(r, failed, err);
		return 1;
	}
	err = child_release(&r->child);
	if (err)
		return fail("cannot start the -c command", err);
	err = loop_run(&r->loop, o->buffering == BUFFER_LINE ? r->dest : NULL);
	load_detach(&r->l);
	/* What was traced before the detach is shown, then the maps. */
	if (!err)
		err = loop_drain(&r->loop) < 0 ? -EIO : 0;
	if (!err)
		err = objevents_finish(&r->ev);
	if (!err)
		err = printk_finish(&r->printk);
	if (!err)
		err = objmaps_print(r->l.obj, o->json, r->dest);
	if (fflush(r->dest) && !err)
		err = -errno;
	if (err == -EPIPE)
		return 0;
	return err ? fail("writing the output", err) : 0;
}

/* The object opened, as objrun() opens it: 0, or 1 after saying why not. */
static int open_object(struct objrun *r, const char *file, const void *obj, size_t len)
{
	char objname[64];
	int err;

	object_name(file, objname, sizeof(objname));
	err = load_open(obj, len, objname, r->o->verbose, &r->l);
	if (!err)
		return 0;
	fprintf(stderr, "ptrace1: cannot open %s as a BPF object: %s\n", r->name, strerror(-err));
	libbpf_says(r);
	return 1;
}

int objrun_check_sets(const char *file, const void *obj, size_t len, const struct run_opts *o)
{
	struct objrun r = { .o = o, .name = file };
	int status;

	status = open_object(&r, file, obj, len);
	if (!status && globals_set(r.l.obj, file, o->sets, o->nsets))
		status = 2;
	load_close(&r.l);
	return status;
}

int objrun(const char *name, const char *file, const void *obj, size_t len,
	   const struct run_opts *o)
{
	struct objrun r = { .o = o, .name = name, .dest = o->out ? o->out : stdout,
			    .child = { .pid = -1, .go_fd = -1 } };
	struct loop_signals old;
	int status;

	loop_block_signals(&old);
	loop_init(&r.loop);
	printk_init(&r.printk);
	status = open_object(&r, file, obj, len);
	if (!status && globals_set(r.l.obj, name, o->sets, o->nsets))
		status = 2;
	else if (!status)
		status = trace(&r);
	child_stop(&r.child);
	objevents_close(&r.ev);
	printk_close(&r.printk);
	load_close(&r.l);
	loop_close(&r.loop);
	loop_restore_signals(&old);
	return status;
}
