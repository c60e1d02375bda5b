// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "loop.h"

static void stop_signals(sigset_t *mask)
{
	sigemptyset(mask);
	sigaddset(mask, SIGINT);
	sigaddset(mask, SIGTERM);
	sigaddset(mask, SIGCHLD);
}

void loop_block_signals(struct loop_signals *old)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t mask;

	stop_signals(&mask);
	sigprocmask(SIG_BLOCK, &mask, &old->mask);
	/*
	 * A shell starts background jobs with SIGINT ignored, which would
	 * discard it: like bpftrace, a kill -INT always ends the run.
	 */
	sigaction(SIGINT, &dfl, &old->intr);
	sigaction(SIGTERM, &dfl, &old->term);
}

void loop_restore_signals(const struct loop_signals *old)
{
	sigset_t mask;

	stop_signals(&mask);
	/* None may fire once unblocked. */
	while (sigtimedwait(&mask, NULL, &(struct timespec){ 0 }) > 0)
		;
	sigaction(SIGINT, &old->intr, NULL);
	sigaction(SIGTERM, &old->term, NULL);
	sigprocmask(SIG_SETMASK, &old->mask, NULL);
}

bool loop_stop_pending(void)
{
	sigset_t pending;

	return !sigpending(&pending) &&
	       (sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM));
}

void loop_init(struct loop *l)
{
	memset(l, 0, sizeof(*l));
	l->epoll_fd = -1;
	l->sig_fd = -1;
	l->pid_fd = -1;
}

static int watch(struct loop *l, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

int loop_open(struct loop *l, struct child *child)
{
	sigset_t mask;
	int err;

	l->child = child;
	stop_signals(&mask);
	l->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (l->sig_fd < 0)
		return -errno;
	l->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epoll_fd < 0)
		return -errno;
	err = watch(l, l->sig_fd);
	if (!err && l->pid_fd >= 0)
		err = watch(l, l->pid_fd);
	return err;
}

int loop_add(struct loop *l, int fd, loop_drain_fn drain, void *ctx)
{
	struct loop_source *p = realloc(l->src, (l->nsrc + 1) * sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	l->src = p;
	err = watch(l, fd);
	if (err)
		return err;
	p[l->nsrc++] = (struct loop_source){ .fd = fd, .drain = drain, .ctx = ctx };
	return 0;
}

int loop_drain(struct loop *l)
{
	int ret = 0, r;

	for (size_t i = 0; i < l->nsrc; i++) {
		r = l->src[i].drain(l->src[i].ctx);
		if (r < 0)
			return r;
		if (r > 0)
			ret = 1;
	}
	return ret;
}

/* Whether a signal read from the signalfd ends the session. */
static bool handle_signals(struct loop *l)
{
	struct signalfd_siginfo si;
	bool stop = false;

	while (read(l->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			stop |= l->child && l->child->pid > 0 && child_reap(l->child);
		else
			stop = true;
	}
	return stop;
}

int loop_run(struct loop *l, FILE *flush)
{
	struct epoll_event evs[8];
	int n, done;

	for (;;) {
		n = epoll_wait(l->epoll_fd, evs, sizeof(evs) / sizeof(*evs), -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		/* Every source, whichever woke us: what came before a stop is shown. */
		done = loop_drain(l);
		if (done < 0)
			return done;
		if (flush && fflush(flush))
			return -errno;
		if (done)
			return 0;
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == l->sig_fd && handle_signals(l))
				return 0;
			if (evs[i].data.fd == l->pid_fd)
				return 0;
		}
	}
}

void loop_close(struct loop *l)
{
	if (l->epoll_fd >= 0)
		close(l->epoll_fd);
	if (l->sig_fd >= 0)
		close(l->sig_fd);
	if (l->pid_fd >= 0)
		close(l->pid_fd);
	free(l->src);
	loop_init(l);
}
