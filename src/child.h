/* SPDX-License-Identifier: GPL-2.0 */
/*
 * child: the -c command.  It is created before the probes attach and held
 * until they are, so that none of its events is missed.
 */
#ifndef PTRACE1_CHILD_H
#define PTRACE1_CHILD_H

#include <stdbool.h>
#include <sys/types.h>

struct child {
	pid_t pid;
	int go_fd;	/* writing to it releases the child; -1 once released */
};

/* Fork @cmd, held before exec.  Returns 0 or -errno. */
int child_spawn(const char *cmd, struct child *c);
/* Let it exec.  Returns 0 or -errno. */
int child_release(struct child *c);
/* Whether it has exited (reaping it if so). */
bool child_reap(struct child *c);
/* Kill it if it still runs, and reap it. */
void child_stop(struct child *c);

#endif
