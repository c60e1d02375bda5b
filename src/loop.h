/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loop: a tracing session's event loop.  One epoll set over a signalfd
 * (SIGINT, SIGTERM, SIGCHLD), the -p process's pidfd and the fds of the
 * event sources (ring buffers, perf buffers, the printk pipe); no timeouts.
 */
#ifndef PTRACE1_LOOP_H
#define PTRACE1_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "child.h"

/*
 * Read what a source has ready.  Returns 0 to go on, 1 to end the session
 * (the program asked to exit), or -errno.
 */
typedef int (*loop_drain_fn)(void *ctx);

struct loop_source {
	int fd;			/* readable when the source has data */
	loop_drain_fn drain;
	void *ctx;
};

struct loop {
	int epoll_fd;
	int sig_fd;
	int pid_fd;		/* -p: readable when the process exits; set before loop_open, owned */
	struct child *child;	/* -c: its exit ends the session */
	struct loop_source *src;
	size_t nsrc;
};

/* The caller's signal mask and dispositions, restored after a run. */
struct loop_signals {
	sigset_t mask;
	struct sigaction intr, term;
};

/*
 * Block the signals the loop reads, from the start of a run, so that
 * Ctrl-C at any moment is read, not fatal; *@old is what to restore.
 */
void loop_block_signals(struct loop_signals *old);
/*
 * Discard the signals read or not (the run is over) and restore @old: the
 * interactive prompt runs many programs, with handlers of its own between.
 */
void loop_restore_signals(const struct loop_signals *old);
/* Whether Ctrl-C (or SIGTERM) came before the loop runs, while compiling say. */
bool loop_stop_pending(void);

/* A loop with no fds: loop_close() is safe on it. */
void loop_init(struct loop *l);
/*
 * Create the epoll set and the signalfd; watch l->pid_fd (when not -1) and
 * @child (or NULL).  Returns 0 or -errno.
 */
int loop_open(struct loop *l, struct child *child);
/* Add a source; its drain is called on every wake-up.  Returns 0 or -errno. */
int loop_add(struct loop *l, int fd, loop_drain_fn drain, void *ctx);
/* Every source's drain once, in the order added; as loop_drain_fn. */
int loop_drain(struct loop *l);
/*
 * Drain the sources as they have data until a signal, the -c command's
 * end, the -p process's end, or a source ends the session (0), or an error
 * (-errno).  @flush, when not NULL, is flushed after every wake-up.
 */
int loop_run(struct loop *l, FILE *flush);
void loop_close(struct loop *l);

#endif
