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
#include "tracefs.h"

struct session {
	const struct run_opts *o;
	struct checked *c;
	struct loaded l;
	struct child child;
	struct ring_buffer *rb;
	struct output out;
	struct attach_spec *specs;	/* one per probe */
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

static int report_fault(const struct fault *f)
{
	fprintf(stderr, "ptrace1: %s\n", f->msg);
	if (f->hint[0])
		fprintf(stderr, "hint: %s\n", f->hint);
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

static int compile_and_load(struct session *s, const struct strbuf *csrc)
{
	struct load_opts lo = {
		.ringbuf_bytes = s->o->ringbuf_bytes,
		.cpid = s->child.pid > 0 ? (uint64_t)s->child.pid : 0,
		.pid = (uint64_t)s->o->pid,
		.nmaps = s->c->nmaps,
		.verbose = s->o->verbose,
	};
	struct compile_output co = { 0 };
	struct timespec now;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &now);
	lo.start_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	if (!cache_lookup(csrc->buf, csrc->len, &co.obj, &co.obj_len)) {
		if (s->o->verbose)
			fprintf(stderr, "ptrace1: the BPF object is from the cache\n");
	} else {
		err = compile_bpf(csrc->buf, csrc->len, "ptrace1.bpf.c", &co);
		if (err == -EINVAL) {
			/* sema accepted it, so this is ptrace1's bug, not the user's. */
			fprintf(stderr, "ptrace1: internal error: the generated C did not compile:\n%s"
				"ptrace1: please report this with the output of --emit-c\n",
				co.diags ? co.diags : "");
		} else if (err && co.diags) {
			fprintf(stderr, "ptrace1: %s", co.diags);
		} else if (err) {
			fail("compiling the BPF program", err);
		}
		if (err) {
			compile_output_free(&co);
			return 1;
		}
		cache_store(csrc->buf, csrc->len, co.obj, co.obj_len);
	}
	err = load_object(co.obj, co.obj_len, &lo, &s->l);
	compile_output_free(&co);
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

static int prepare(struct session *s)
{
	s->specs = calloc(s->c->nprobes, sizeof(*s->specs));
	s->map_fds = calloc(s->c->nmaps ? s->c->nmaps : 1, sizeof(*s->map_fds));
	if (!s->specs || !s->map_fds)
		return -ENOMEM;
	for (size_t i = 0; i < s->c->nprobes; i++) {
		lower_attach_name(s->c, i, s->specs[i].prog, sizeof(s->specs[i].prog));
		s->specs[i].kind = s->c->probes[i].probe.kind;
		s->specs[i].period_ns = s->c->probes[i].probe.period_ns;
	}
	return 0;
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

static int trace(struct session *s, const struct strbuf *csrc)
{
	const char *failed = NULL;
	struct fault f;
	int err;

	err = prepare(s);
	if (err)
		return fail("preparing the probes", err);
	if (load_check_kernel(&f))
		return report_fault(&f);
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
	if (compile_and_load(s, csrc))
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
		err = load_attach(&s->l, s->specs, s->c->nprobes, stop_pending, &failed);
		if (err && err != -EINTR) {
			size_t i = 0;

			/* The user's name for the probe, not the BPF program's. */
			while (failed && i < s->c->nprobes && strcmp(s->specs[i].prog, failed))
				i++;
			fprintf(stderr, "ptrace1: cannot attach %s: %s\n",
				failed && i < s->c->nprobes ? s->c->probes[i].probe.name : "a probe",
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
			err = stream(s);
		}
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
	struct program prog = { 0 };
	struct checked c = { 0 };
	struct strbuf csrc;
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old_int, old_term;
	struct fault f;
	sigset_t mask, old;
	struct diag d;
	int err, status = 1;

	/*
	 * From the start, so that Ctrl-C at any moment is read, not fatal.  A
	 * shell starts background jobs with SIGINT ignored, which would discard
	 * it: like bpftrace, a kill -INT always ends the run.
	 */
	stop_signals(&mask);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sigaction(SIGINT, &dfl, &old_int);
	sigaction(SIGTERM, &dfl, &old_term);
	sb_init(&csrc);
	diag_init(&d, src, stderr);
	err = parse_program(src, &d, &prog);
	/* Checking reads tracefs, which is root's, like the tracing itself. */
	if (!err && (load_check_privileges(&f) || tracefs_check(&f))) {
		report_fault(&f);
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
	s.c = &c;
	status = trace(&s, &csrc);
out:
	child_stop(&s.child);
	free(s.specs);
	free(s.map_fds);
	ring_buffer__free(s.rb);
	load_close(&s.l);
	output_free(&s.out);
	if (s.epoll_fd >= 0)
		close(s.epoll_fd);
	if (s.sig_fd >= 0)
		close(s.sig_fd);
	if (s.pid_fd >= 0)
		close(s.pid_fd);
	sb_free(&csrc);
	checked_free(&c);
	program_free(&prog);
	/* Signals read or not, this run is over: none may fire once unblocked. */
	while (sigtimedwait(&mask, NULL, &(struct timespec){ 0 }) > 0)
		;
	/* As the caller had them: the interactive prompt runs many programs. */
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status;
}
