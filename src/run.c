// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "artifact.h"
#include "cache.h"
#include "child.h"
#include "compile.h"
#include "list.h"
#include "load.h"
#include "loop.h"
#include "lower.h"
#include "mapops.h"
#include "objrun.h"
#include "output.h"
#include "parse.h"
#include "printk.h"
#include "progsec.h"
#include "run.h"
#include "sema.h"
#include "tracefs.h"

struct session {
	const struct run_opts *o;
	struct checked *c;
	struct loaded l;
	struct child child;
	struct ring_buffer *rb;
	struct output out;
	struct printk printk;		/* bpf_printk() lines, if an edited C file calls it */
	const struct attach_spec *specs;	/* one per probe */
	int *map_fds;			/* one per map */
	FILE *dest;			/* -o's file, or stdout */
	struct loop loop;
};

static int fail(const char *what, int err)
{
	fprintf(stderr, "ptrace1: %s: %s\n", what, strerror(-err));
	return 1;
}


/* Name the probe the kernel refused and say why, in the program's terms. */
static void explain_refusal(struct session *s, int err)
{
	struct load_failure f;
	size_t i;

	load_explain(&s->l, &f);
	for (i = 0; i < s->c->nprobes && strcmp(s->specs[i].prog, f.prog); i++)
		;
	if (i < s->c->nprobes)
		fprintf(stderr, "ptrace1: the kernel refused the program of %s (action %zu)%s%s\n",
			s->c->probes[i].probe.name, s->c->probes[i].action + 1,
			f.reason[0] ? ": " : "", f.reason);
	else
		fprintf(stderr, "ptrace1: the kernel refused the BPF program: %s\n", strerror(-err));
	if (f.hint)
		fprintf(stderr, "hint: %s\n", f.hint);
	else if (f.reason[0])
		fprintf(stderr, "hint: a program ptrace1 accepted should load: please report this with the output of --emit-c and -v\n");
	if (s->o->verbose)
		fprintf(stderr, "%s", s->l.log ? s->l.log : "");
	else if (s->l.log_len)
		fprintf(stderr, "hint: -v shows the verifier's log\n");
}

/*
 * The object of the generated C: from the cache, or compiled and kept
 * there.  A compile error is ptrace1's bug, not the user's.
 */
static int compile_generated(const struct run_opts *o, const struct strbuf *csrc,
			     struct compile_output *co)
{
	int err;

	if (!cache_lookup(csrc->buf, csrc->len, &co->obj, &co->obj_len)) {
		if (o->verbose)
			fprintf(stderr, "ptrace1: the BPF object is from the cache\n");
		return 0;
	}
	err = compile_bpf(csrc->buf, csrc->len, "ptrace1.bpf.c", co);
	if (err == -EINVAL) {
		/* sema accepted it, so this is ptrace1's bug, not the user's. */
		fprintf(stderr, "ptrace1: internal error: the generated C did not compile:\n%s"
			"ptrace1: please report this with the output of --emit-c\n",
			co->diags ? co->diags : "");
	} else if (err && co->diags) {
		fprintf(stderr, "ptrace1: %s", co->diags);
	} else if (err) {
		fail("compiling the BPF program", err);
	}
	if (err)
		return 1;
	cache_store(csrc->buf, csrc->len, co->obj, co->obj_len);
	return 0;
}

/*
 * PTRACE1_RINGBUF_KB unset: a program that prints from its probes streams a
 * record each time they fire, and a large buffer rides out its reader being
 * descheduled for a while (bench/RESULTS.md, P4).  One that only counts
 * sends a few; a small buffer maps less (the reader's mapping is resident,
 * twice the buffer's size).
 */
static size_t ringbuf_bytes(const struct session *s)
{
	if (s->o->ringbuf_bytes)
		return s->o->ringbuf_bytes;
	for (size_t i = 0; i < s->c->nevents; i++) {
		switch (s->c->events[i].kind) {
		case EVENT_PRINTF:
		case EVENT_PRINT:
		case EVENT_TIME:
		case EVENT_JOIN:
			return RUN_RINGBUF_PRINTS_KB * 1024;
		default:
			break;
		}
	}
	return RUN_RINGBUF_QUIET_KB * 1024;
}

static int load(struct session *s, const void *obj, size_t len)
{
	struct load_opts lo = {
		.ringbuf_bytes = ringbuf_bytes(s),
		.cpid = s->child.pid > 0 ? (uint64_t)s->child.pid : 0,
		.pid = (uint64_t)s->o->pid,
		.maps = s->c->maps,
		.nmaps = s->c->nmaps,
		.verbose = s->o->verbose,
	};
	struct timespec now;
	char why[128];
	int err;

	clock_gettime(CLOCK_MONOTONIC, &now);
	lo.start_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	err = load_object(obj, len, &lo, &s->l);
	if (err == -EBADMSG) {
		fprintf(stderr, "ptrace1: the BPF object is not the one its program describes: %s\n",
			s->l.mismatch);
		return 1;
	}
	/* libbpf's own errors: the object itself is damaged (an artifact's, say). */
	if (err == -LIBBPF_ERRNO__LIBELF || err == -LIBBPF_ERRNO__FORMAT ||
	    err == -LIBBPF_ERRNO__ENDIAN) {
		libbpf_strerror(err, why, sizeof(why));
		fprintf(stderr, "ptrace1: cannot open the BPF object: %s\n", why);
		return 1;
	}
	if (err) {
		explain_refusal(s, err);
		return 1;
	}
	if (s->o->verbose) {
		load_report(&s->l, stderr);
		fprintf(stderr, "ptrace1: event ring buffer: %zu KiB\n", lo.ringbuf_bytes / 1024);
	}
	return 0;
}

static int drain_records(void *ctx)
{
	struct session *s = ctx;
	int err = ring_buffer__consume(s->rb);

	if (err < 0)
		return err;
	return s->out.exit ? 1 : 0;
}

static int setup_events(struct session *s)
{
	int fd, err;

	err = loop_open(&s->loop, &s->child);
	if (err)
		return err;
	fd = load_map_fd(&s->l, "ptrace1_events");
	if (fd < 0)
		return fd;
	s->rb = ring_buffer__new(fd, output_record, &s->out, NULL);
	if (!s->rb)
		return -errno;
	err = loop_add(&s->loop, ring_buffer__epoll_fd(s->rb), drain_records, s);
	if (err)
		return err;
	return printk_setup(&s->printk, s->l.obj, &s->loop, s->o->json, s->dest);
}

/* Nothing is lost silently: records the ring buffer refused, updates full maps refused. */
static void report_lost(struct session *s)
{
	int fd = load_map_fd(&s->l, "ptrace1_lost"), full = load_map_fd(&s->l, "ptrace1_map_full");
	uint64_t n;

	if (fd >= 0 && !mapops_percpu_sum(fd, 0, &n) && n)
		output_lost(&s->out, n);
	for (size_t i = 0; full >= 0 && i < s->c->nmaps; i++) {
		if (!mapops_percpu_sum(full, (uint32_t)i, &n) && n)
			fprintf(stderr, "ptrace1: warning: map @%s is full (%u keys): %llu updates were dropped\n",
				s->c->maps[i].name, s->c->maps[i].max_entries, (unsigned long long)n);
	}
	if (s->out.bad)
		fprintf(stderr, "ptrace1: internal error: %llu malformed records\n",
			(unsigned long long)s->out.bad);
}

/* The BEGIN or END programs, in program order, each run once. */
static int run_once(struct session *s, enum probe_kind kind)
{
	int err;

	for (size_t i = 0; i < s->c->nprobes; i++) {
		if (s->specs[i].kind != kind)
			continue;
		err = load_run(&s->l, s->specs[i].prog);
		if (err) {
			fprintf(stderr, "ptrace1: cannot run %s: %s\n",
				kind == PROBE_BEGIN ? "BEGIN" : "END", strerror(-err));
			return err;
		}
	}
	return loop_drain(&s->loop) < 0 ? -EIO : 0;
}

static int open_maps(struct session *s)
{
	char name[128];

	for (size_t i = 0; i < s->c->nmaps; i++) {
		snprintf(name, sizeof(name), "AT_%s", s->c->maps[i].name);
		s->map_fds[i] = load_map_fd(&s->l, name);
		if (s->map_fds[i] < 0)
			return s->map_fds[i];
	}
	return 0;
}

/* The program s->c, attached as s->specs say, with the object @obj: the exit status. */
static int trace(struct session *s, const void *obj, size_t len)
{
	size_t failed = (size_t)-1;
	struct fault f;
	int err;

	s->map_fds = calloc(s->c->nmaps ? s->c->nmaps : 1, sizeof(*s->map_fds));
	if (!s->map_fds)
		return fail("preparing the probes", -ENOMEM);
	if (load_check_kernel(&f))
		return fault_report(&f);
	if (s->o->cmd) {
		err = child_spawn(s->o->cmd, &s->child);
		if (err)
			return fail("cannot start the -c command", err);
	}
	if (s->o->pid) {
		s->loop.pid_fd = (int)syscall(SYS_pidfd_open, s->o->pid, 0);
		if (s->loop.pid_fd < 0) {
			fprintf(stderr, "ptrace1: -p %d: %s\n", (int)s->o->pid,
				errno == ESRCH ? "no such process" : strerror(errno));
			return 1;
		}
	}
	if (loop_stop_pending())
		return 0;
	if (load(s, obj, len))
		return 1;
	if (loop_stop_pending())
		return 0;
	err = open_maps(s);
	if (err)
		return fail("cannot find the program's maps", err);
	output_init(&s->out, s->c, s->map_fds, s->o->json, s->dest);
	err = setup_events(s);
	if (err)
		return fail("cannot set up the event stream", err);
	if (!s->o->quiet)
		output_attached(&s->out, s->c->nprobes);
	err = run_once(s, PROBE_BEGIN);
	if (err)
		return 1;
	/* exit() in BEGIN, or Ctrl-C by now: nothing else needs to attach. */
	if (!s->out.exit && !loop_stop_pending()) {
		err = load_attach(&s->l, s->specs, s->c->nprobes, loop_stop_pending, &failed);
		if (err && err != -EINTR) {
			/* The user's name for the probe, not the BPF program's. */
			fprintf(stderr, "ptrace1: cannot attach %s: %s\n",
				failed < s->c->nprobes ? s->c->probes[failed].probe.name : "a probe",
				strerror(-err));
			if (err == -EMFILE)
				fprintf(stderr, "hint: every probe holds file descriptors: raise the "
					"hard limit (ulimit -Hn), or trace fewer probes\n");
			return 1;
		}
		if (err == -EINTR) {
			/* A signal while attaching ends the run as it would a moment later. */
			err = 0;
		} else {
			for (size_t i = 0; s->o->verbose && i < s->c->nprobes; i++) {
				if (s->specs[i].kind != PROBE_BEGIN && s->specs[i].kind != PROBE_END)
					fprintf(stderr, "ptrace1: attached %s (program %s)\n",
						s->c->probes[i].probe.name, s->specs[i].prog);
			}
			err = child_release(&s->child);
			if (err)
				return fail("cannot start the -c command", err);
			err = loop_run(&s->loop, s->o->buffering == BUFFER_LINE ? s->out.out : NULL);
		}
	}
	load_detach(&s->l);
	/* Whatever is still in the ring buffer was traced: print it, then END's. */
	if (!err)
		err = loop_drain(&s->loop) < 0 ? -EIO : 0;
	if (!err)
		err = run_once(s, PROBE_END);
	if (!err)
		err = printk_finish(&s->printk);
	if (!err)
		err = output_maps(&s->out);
	report_lost(s);
	if (fflush(s->dest) && !err)
		err = -errno;
	if (err == -EPIPE)
		return 0;
	return err ? fail("writing the output", err) : 0;
}

/*
 * Parse and check @src; 1 (the errors reported) or 0.  The program is
 * checked as root only: probes are read from tracefs.
 */
static int check(const struct source *src, const struct run_opts *o, struct program *prog,
		 struct checked *c)
{
	struct sema_opts so = {
		.strlen = o->strlen,
		.have_cpid = o->cmd != NULL,
		.filter_pid = o->pid != 0,
		.params = o->params,
		.nparams = o->nparams,
		.map_keys_max = o->map_keys_max,
	};
	struct fault f;
	struct diag d;
	int err;

	diag_init(&d, src, stderr);
	err = parse_program(src, &d, prog);
	/* Checking reads tracefs, which is root's, like the tracing itself. */
	if (!err && (load_check_privileges(&f) || tracefs_check(&f)))
		return fault_report(&f);
	if (!err)
		err = sema_check(prog, &so, &d, c);
	if (err == -ENOMEM)
		fail("checking the program", err);
	else if (err)
		diag_finish(&d);
	return err ? 1 : 0;
}

static void session_init(struct session *s, const struct run_opts *o, struct checked *c)
{
	memset(s, 0, sizeof(*s));
	s->o = o;
	s->c = c;
	s->dest = o->out ? o->out : stdout;
	s->child = (struct child){ .pid = -1, .go_fd = -1 };
	loop_init(&s->loop);
	printk_init(&s->printk);
}

static void session_free(struct session *s)
{
	child_stop(&s->child);
	free(s->map_fds);
	ring_buffer__free(s->rb);
	printk_close(&s->printk);
	load_close(&s->l);
	output_free(&s->out);
	loop_close(&s->loop);
}

/* --aot: the object and what running it needs, in one file, and no run. */
static int write_artifact(const struct checked *c, const struct attach_spec *specs,
			  const char *source, const void *obj, size_t len,
			  const struct run_opts *o)
{
	struct artifact a = { .c = *c, .specs = (struct attach_spec *)specs,
			      .obj = (void *)obj, .obj_len = len };
	int err;

	err = artifact_write(o->aot, source, &a);
	if (err)
		fprintf(stderr, "ptrace1: cannot write %s: %s\n", o->aot, strerror(-err));
	else if (o->verbose)
		fprintf(stderr, "ptrace1: wrote %s: %zu probes, %zu maps, a BPF object of %zu bytes\n",
			o->aot, c->nprobes, c->nmaps, len);
	return err ? 1 : 0;
}

/* The checked program s->c and its object: traced, or with --aot written. */
static int trace_or_write(struct session *s, const char *source, const void *obj, size_t len)
{
	struct attach_spec *specs;
	int err, status;

	err = lower_attach_specs(s->c, &specs);
	if (err)
		return fail("preparing the probes", err);
	if (s->o->aot) {
		status = write_artifact(s->c, specs, source, obj, len, s->o);
	} else {
		s->specs = specs;
		status = trace(s, obj, len);
		s->specs = NULL;
	}
	free(specs);
	return status;
}

int run_source(const struct source *src, const struct run_opts *o)
{
	struct compile_output co = { 0 };
	struct program prog = { 0 };
	struct loop_signals old;
	struct checked c = { 0 };
	struct session s;
	struct strbuf csrc;
	int err, status = 1;

	loop_block_signals(&old);
	session_init(&s, o, &c);
	sb_init(&csrc);
	if (check(src, o, &prog, &c))
		goto out;
	if (o->dump_ast) {
		checked_dump(&c, s.dest);
		status = 0;
		goto out;
	}
	if (o->list) {
		err = list_program(s.dest, &c, o->verbose);
		status = err && err != -EPIPE;
		goto out;
	}
	err = lower_program(&c, &csrc);
	if (err == -E2BIG) {
		fprintf(stderr, "ptrace1: a probe's strings need more than 32 KiB of buffers (PTRACE1_STRLEN is %u)\n"
			"hint: use fewer strings in one action, or a smaller PTRACE1_STRLEN\n", o->strlen);
		goto out;
	}
	/* The program travels with its C, so that ptrace1 can run the C file. */
	if (!err)
		err = progsec_emit(src->text, src->len, o->strlen, o->map_keys_max, o->params, o->nparams, &csrc);
	if (err) {
		fail("generating C", err);
		goto out;
	}
	if (o->emit_c) {
		status = fwrite(csrc.buf, 1, csrc.len, s.dest) == csrc.len ? 0 : 1;
		goto out;
	}
	if (loop_stop_pending()) {
		status = 0;
		goto out;
	}
	if (compile_generated(o, &csrc, &co))
		goto out;
	status = trace_or_write(&s, src->name, co.obj, co.obj_len);
out:
	session_free(&s);
	compile_output_free(&co);
	sb_free(&csrc);
	checked_free(&c);
	program_free(&prog);
	loop_restore_signals(&old);
	return status;
}

int run_object(const struct source *src, const void *obj, size_t len, const struct run_opts *o)
{
	struct program prog = { 0 };
	struct loop_signals old;
	struct checked c = { 0 };
	struct session s;
	int status = 1;

	loop_block_signals(&old);
	session_init(&s, o, &c);
	if (!check(src, o, &prog, &c))
		status = trace_or_write(&s, src->name, obj, len);
	session_free(&s);
	checked_free(&c);
	program_free(&prog);
	loop_restore_signals(&old);
	return status;
}

/* PTRACE1_STRLEN and PTRACE1_MAP_KEYS_MAX were the compile's: say so if this run sets others. */
static void warn_fixed(const char *name, unsigned int now, unsigned int then, const char *path)
{
	if (getenv(name) && now != then)
		fprintf(stderr, "ptrace1: warning: %s is %u, but %s was compiled with %u, which it keeps\n",
			name, now, path, then);
}

/* Refused by its contents: 1; by this run's options: 2, a usage error. */
static int check_artifact(const struct artifact *a, const char *path, const struct run_opts *o)
{
	const char *why = NULL;

	if (a->is_c && o->pid)
		why = "it holds a C file's programs, which choose what they trace: -p applies to ptrace1 programs";
	else if (a->is_c)
		return 0;
	else if (o->nsets)
		why = "it holds a ptrace1 program: --set applies to a C file's globals";
	else if (a->c.opts.have_cpid && !o->cmd)
		why = "it was compiled with -c (its program uses cpid): give -c COMMAND";
	else if (a->c.opts.filter_pid && !o->pid)
		why = "it was compiled with -p: give -p PID";
	else if (!a->c.opts.filter_pid && o->pid)
		why = "it was compiled without -p, so it cannot trace one process: compile it with --aot and -p";
	if (why) {
		fprintf(stderr, "ptrace1: %s: %s\n", path, why);
		return 2;
	}
	warn_fixed("PTRACE1_STRLEN", o->strlen, a->c.opts.strlen, path);
	warn_fixed("PTRACE1_MAP_KEYS_MAX", o->map_keys_max, a->c.opts.map_keys_max, path);
	return 0;
}

static int refuse(const char *path, const struct fault *e)
{
	fprintf(stderr, "ptrace1: %s: %s\n", path, e->msg);
	if (e->hint[0])
		fprintf(stderr, "hint: %s\n", e->hint);
	return 1;
}

/* A C file's object, with the --set values it was compiled with, then this run's. */
static int run_c_artifact(const struct source *src, const struct artifact *a,
			  const struct run_opts *o)
{
	struct run_opts co = *o;
	int status;

	co.nsets = a->nsets + o->nsets;
	co.sets = calloc(co.nsets ? co.nsets : 1, sizeof(*co.sets));
	if (!co.sets)
		return fail("reading the artifact", -ENOMEM);
	/* Either may be NULL when empty, which memcpy may not be given. */
	if (a->nsets)
		memcpy(co.sets, a->sets, a->nsets * sizeof(*co.sets));
	if (o->nsets)
		memcpy(co.sets + a->nsets, o->sets, o->nsets * sizeof(*co.sets));
	status = objrun(src->name, a->origin.source, a->obj, a->obj_len, &co);
	free(co.sets);
	return status;
}

int run_artifact(const struct source *src, const struct run_opts *o)
{
	struct fault e;
	struct loop_signals old;
	struct artifact a;
	struct session s;
	struct fault f;
	int err, status = 1;

	loop_block_signals(&old);
	session_init(&s, o, NULL);
	err = artifact_decode(src->text, src->len, &a, &e);
	if (err == -ENOMEM) {
		fail("reading the artifact", err);
		goto out;
	}
	if (err) {
		refuse(src->name, &e);
		goto out;
	}
	status = check_artifact(&a, src->name, o);
	if (status)
		goto out;
	if (o->verbose)
		fprintf(stderr, "ptrace1: %s: compiled from %s by ptrace1 %s (LLVM %s) on Linux %s (%s)\n",
			src->name, a.origin.source, a.origin.version, a.origin.llvm,
			a.origin.release, a.origin.machine);
	if (a.is_c) {
		status = run_c_artifact(src, &a, o);
		goto out;
	}
	/* The kernel's tracepoint formats are tracefs's, which is root's, like the tracing. */
	status = load_check_privileges(&f) || tracefs_check(&f) ? fault_report(&f) : 0;
	if (status)
		goto out;
	status = 1;
	if (artifact_check_kernel(&a, &e)) {
		refuse(src->name, &e);
		goto out;
	}
	s.c = &a.c;
	s.specs = a.specs;
	status = trace(&s, a.obj, a.obj_len);
out:
	session_free(&s);
	artifact_free(&a);
	loop_restore_signals(&old);
	return status;
}
