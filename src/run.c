// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "artifact.h"
#include "cache.h"
#include "child.h"
#include "compile.h"
#include "list.h"
#include "load.h"
#include "lower.h"
#include "mapops.h"
#include "output.h"
#include "parse.h"
#include "run.h"
#include "sema.h"

struct session {
	const struct run_opts *o;
	struct checked *c;
	const struct strbuf *csrc;	/* the C to compile; NULL for an artifact's object: */
	const void *obj;
	size_t obj_len;
	struct loaded l;
	struct child child;
	struct ring_buffer *rb;
	struct output out;
	const struct attach_spec *specs;	/* one per probe */
	int *map_fds;			/* one per map */
	FILE *dest;			/* -o's file, or stdout */
	int sig_fd;
	int pid_fd;			/* -p: readable when the process exits */
	int epoll_fd;
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

/* The object of @csrc, from the cache or the compiler: 0, or 1 after saying why not. */
static int build_object(const struct strbuf *csrc, int verbose, struct compile_output *co)
{
	int err;

	memset(co, 0, sizeof(*co));
	if (!cache_lookup(csrc->buf, csrc->len, &co->obj, &co->obj_len)) {
		if (verbose)
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
	if (err) {
		compile_output_free(co);
		return 1;
	}
	cache_store(csrc->buf, csrc->len, co->obj, co->obj_len);
	return 0;
}

static int compile_and_load(struct session *s)
{
	struct load_opts lo = {
		.ringbuf_bytes = s->o->ringbuf_bytes,
		.cpid = s->child.pid > 0 ? (uint64_t)s->child.pid : 0,
		.pid = (uint64_t)s->o->pid,
		.maps = s->c->maps,
		.nmaps = s->c->nmaps,
		.verbose = s->o->verbose,
	};
	struct compile_output co = { 0 };
	char why[128];
	const void *obj = s->obj;
	size_t obj_len = s->obj_len;
	struct timespec now;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &now);
	lo.start_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	if (s->csrc) {
		if (build_object(s->csrc, s->o->verbose, &co))
			return 1;
		obj = co.obj;
		obj_len = co.obj_len;
	}
	err = load_object(obj, obj_len, &lo, &s->l);
	compile_output_free(&co);
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
	if (s->o->verbose)
		load_report(&s->l, stderr);
	return 0;
}

static void stop_signals(sigset_t *mask)
{
	sigemptyset(mask);
	sigaddset(mask, SIGINT);
	sigaddset(mask, SIGTERM);
	sigaddset(mask, SIGCHLD);
}

/* Ctrl-C before the probes stream (while compiling, say) ends the run cleanly. */
static bool stop_pending(void)
{
	sigset_t pending;

	return !sigpending(&pending) &&
	       (sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM));
}

static int setup_events(struct session *s)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t mask;
	int fd;

	stop_signals(&mask);
	s->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->sig_fd < 0)
		return -errno;
	fd = load_map_fd(&s->l, "ptrace1_events");
	if (fd < 0)
		return fd;
	s->rb = ring_buffer__new(fd, output_record, &s->out, NULL);
	if (!s->rb)
		return -errno;
	s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epoll_fd < 0)
		return -errno;
	ev.data.fd = s->sig_fd;
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->sig_fd, &ev))
		return -errno;
	ev.data.fd = ring_buffer__epoll_fd(s->rb);
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, ev.data.fd, &ev))
		return -errno;
	ev.data.fd = s->pid_fd;
	if (s->pid_fd >= 0 && epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->pid_fd, &ev))
		return -errno;
	return 0;
}

/* Whether a signal read from the signalfd ends the session. */
static bool handle_signals(struct session *s)
{
	struct signalfd_siginfo si;
	bool stop = false;

	while (read(s->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			stop |= s->child.pid > 0 && child_reap(&s->child);
		else
			stop = true;
	}
	return stop;
}

/*
 * Stream records until a signal, the end of the -c command or of the -p
 * process, or a write error.
 */
static int stream(struct session *s)
{
	struct epoll_event evs[3];
	int n, err;

	for (;;) {
		n = epoll_wait(s->epoll_fd, evs, 3, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		err = ring_buffer__consume(s->rb);
		if (err < 0)
			return err;
		if (s->o->buffering == BUFFER_LINE && fflush(s->out.out))
			return -errno;
		if (s->out.exit)
			return 0;
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == s->sig_fd && handle_signals(s))
				return 0;
			if (evs[i].data.fd == s->pid_fd)
				return 0;
		}
	}
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
	return ring_buffer__consume(s->rb) < 0 ? -EIO : 0;
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

static int trace(struct session *s)
{
	const char *failed = NULL;
	int err;

	s->map_fds = calloc(s->c->nmaps ? s->c->nmaps : 1, sizeof(*s->map_fds));
	if (!s->map_fds)
		return fail("preparing the probes", -ENOMEM);
	if (s->o->cmd) {
		err = child_spawn(s->o->cmd, &s->child);
		if (err)
			return fail("cannot start the -c command", err);
	}
	if (s->o->pid) {
		s->pid_fd = (int)syscall(SYS_pidfd_open, s->o->pid, 0);
		if (s->pid_fd < 0) {
			fprintf(stderr, "ptrace1: -p %d: %s\n", (int)s->o->pid,
				errno == ESRCH ? "no such process" : strerror(errno));
			return 1;
		}
	}
	if (stop_pending())
		return 0;
	if (compile_and_load(s))
		return 1;
	if (stop_pending())
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
	if (!s->out.exit && !stop_pending()) {
		err = load_attach(&s->l, s->specs, s->c->nprobes, &failed);
		if (err) {
			size_t i = 0;

			/* The user's name for the probe, not the BPF program's. */
			while (failed && i < s->c->nprobes && strcmp(s->specs[i].prog, failed))
				i++;
			fprintf(stderr, "ptrace1: cannot attach %s: %s\n",
				failed && i < s->c->nprobes ? s->c->probes[i].probe.name : "a probe",
				strerror(-err));
			return 1;
		}
		for (size_t i = 0; s->o->verbose && i < s->c->nprobes; i++) {
			if (s->specs[i].kind != PROBE_BEGIN && s->specs[i].kind != PROBE_END)
				fprintf(stderr, "ptrace1: attached %s (program %s)\n",
					s->c->probes[i].probe.name, s->specs[i].prog);
		}
		err = child_release(&s->child);
		if (err)
			return fail("cannot start the -c command", err);
		err = stream(s);
	}
	load_detach(&s->l);
	/* Whatever is still in the ring buffer was traced: print it, then END's. */
	if (!err)
		err = ring_buffer__consume(s->rb) < 0 ? -EIO : 0;
	if (!err)
		err = run_once(s, PROBE_END);
	if (!err)
		err = output_maps(&s->out);
	report_lost(s);
	if (fflush(s->dest) && !err)
		err = -errno;
	if (err == -EPIPE)
		return 0;
	return err ? fail("writing the output", err) : 0;
}

/* The stop signals during a run, and as the caller had them. */
struct held_signals {
	sigset_t mask, old;
	struct sigaction old_int, old_term;
};

/*
 * From the start, so that Ctrl-C at any moment is read, not fatal.  A shell
 * starts background jobs with SIGINT ignored, which would discard it: like
 * bpftrace, a kill -INT always ends the run.
 */
static void hold_signals(struct held_signals *h)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	stop_signals(&h->mask);
	sigprocmask(SIG_BLOCK, &h->mask, &h->old);
	sigaction(SIGINT, &dfl, &h->old_int);
	sigaction(SIGTERM, &dfl, &h->old_term);
}

static void release_signals(const struct held_signals *h)
{
	/* Signals read or not, this run is over: none may fire once unblocked. */
	while (sigtimedwait(&h->mask, NULL, &(struct timespec){ 0 }) > 0)
		;
	/* As the caller had them: the interactive prompt runs many programs. */
	sigaction(SIGINT, &h->old_int, NULL);
	sigaction(SIGTERM, &h->old_term, NULL);
	sigprocmask(SIG_SETMASK, &h->old, NULL);
}

static void session_free(struct session *s)
{
	child_stop(&s->child);
	free(s->map_fds);
	ring_buffer__free(s->rb);
	load_close(&s->l);
	output_free(&s->out);
	if (s->epoll_fd >= 0)
		close(s->epoll_fd);
	if (s->sig_fd >= 0)
		close(s->sig_fd);
	if (s->pid_fd >= 0)
		close(s->pid_fd);
}

/* --aot: the object and what running it needs, in one file, and no run. */
static int write_artifact(const struct checked *c, const struct attach_spec *specs,
			  const struct strbuf *csrc, const char *source, const struct run_opts *o)
{
	struct artifact_origin origin;
	struct compile_output co;
	struct strbuf bytes;
	int err;

	if (build_object(csrc, o->verbose, &co))
		return 1;
	artifact_origin_here(&origin, source);
	sb_init(&bytes);
	err = artifact_encode(c, specs, &origin, co.obj, co.obj_len, &bytes);
	if (!err)
		err = artifact_save(o->aot, bytes.buf, bytes.len);
	if (err)
		fprintf(stderr, "ptrace1: cannot write %s: %s\n", o->aot, strerror(-err));
	else if (o->verbose)
		fprintf(stderr, "ptrace1: wrote %s: %zu bytes, %zu probes, %zu maps, a BPF object of %zu bytes\n",
			o->aot, bytes.len, c->nprobes, c->nmaps, co.obj_len);
	sb_free(&bytes);
	compile_output_free(&co);
	return err ? 1 : 0;
}

int run_source(const struct source *src, const struct run_opts *o)
{
	struct sema_opts so = {
		.strlen = o->strlen,
		.have_cpid = o->cmd != NULL,
		.filter_pid = o->pid != 0,
		.params = o->params,
		.nparams = o->nparams,
		.map_keys_max = o->map_keys_max,
	};
	struct session s = { .o = o, .dest = o->out ? o->out : stdout,
			     .sig_fd = -1, .pid_fd = -1, .epoll_fd = -1,
			     .child = { .pid = -1, .go_fd = -1 } };
	struct attach_spec *specs = NULL;
	struct program prog = { 0 };
	struct checked c = { 0 };
	struct held_signals held;
	struct strbuf csrc;
	struct diag d;
	int err, status = 1;

	hold_signals(&held);
	sb_init(&csrc);
	diag_init(&d, src, stderr);
	err = parse_program(src, &d, &prog);
	/* Checking reads tracefs, which is root's, like the tracing itself. */
	if (!err && load_check_privileges()) {
		fprintf(stderr, "ptrace1: tracing needs root (or the CAP_BPF and CAP_PERFMON capabilities)\n");
		goto out;
	}
	if (!err)
		err = sema_check(&prog, &so, &d, &c);
	if (err) {
		if (err == -ENOMEM)
			fail("checking the program", err);
		diag_finish(&d);
		goto out;
	}
	if (o->dump_ast) {
		checked_dump(&c, s.dest);
		status = 0;
		goto out;
	}
	if (o->list) {
		err = list_program(stdout, &c, o->verbose);
		status = err && err != -EPIPE;
		goto out;
	}
	err = lower_program(&c, &csrc);
	if (err == -E2BIG) {
		fprintf(stderr, "ptrace1: a probe's strings need more than 32 KiB of buffers (PTRACE1_STRLEN is %u)\n"
			"hint: use fewer strings in one action, or a smaller PTRACE1_STRLEN\n", o->strlen);
		goto out;
	}
	if (err) {
		fail("generating C", err);
		goto out;
	}
	if (o->emit_c) {
		status = fwrite(csrc.buf, 1, csrc.len, s.dest) == csrc.len ? 0 : 1;
		goto out;
	}
	err = lower_attach_specs(&c, &specs);
	if (err) {
		fail("preparing the probes", err);
		goto out;
	}
	if (o->aot) {
		status = write_artifact(&c, specs, &csrc, src->name, o);
		goto out;
	}
	s.c = &c;
	s.csrc = &csrc;
	s.specs = specs;
	status = trace(&s);
out:
	session_free(&s);
	free(specs);
	sb_free(&csrc);
	checked_free(&c);
	program_free(&prog);
	release_signals(&held);
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

	if (a->c.opts.have_cpid && !o->cmd)
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

static int refuse(const char *path, const struct artifact_error *e)
{
	fprintf(stderr, "ptrace1: %s: %s\n", path, e->msg);
	if (e->hint[0])
		fprintf(stderr, "hint: %s\n", e->hint);
	return 1;
}

int run_artifact(const struct source *src, const struct run_opts *o)
{
	struct session s = { .o = o, .dest = o->out ? o->out : stdout,
			     .sig_fd = -1, .pid_fd = -1, .epoll_fd = -1,
			     .child = { .pid = -1, .go_fd = -1 } };
	struct artifact_error e;
	struct held_signals held;
	struct artifact a;
	int err, status = 1;

	hold_signals(&held);
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
	status = 1;
	if (load_check_privileges()) {
		fprintf(stderr, "ptrace1: tracing needs root (or the CAP_BPF and CAP_PERFMON capabilities)\n");
		goto out;
	}
	if (artifact_check_kernel(&a, &e)) {
		refuse(src->name, &e);
		goto out;
	}
	if (o->verbose)
		fprintf(stderr, "ptrace1: %s: compiled from %s by ptrace1 %s (LLVM %s) on Linux %s (%s)\n",
			src->name, a.origin.source, a.origin.version, a.origin.llvm,
			a.origin.release, a.origin.machine);
	s.c = &a.c;
	s.obj = a.obj;
	s.obj_len = a.obj_len;
	s.specs = a.specs;
	status = trace(&s);
out:
	session_free(&s);
	artifact_free(&a);
	release_signals(&held);
	return status;
}
