// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

/* Plain words run directly, so the traced process is the command, not a shell. */
static bool needs_shell(const char *cmd)
{
	return strpbrk(cmd, "|&;<>()$`\\\"'*?[#~=%{}") != NULL;
}

static void child_exec(const char *cmd, int go_fd)
{
	char *argv[64], *copy, *tok, *save = NULL;
	size_t n = 0;
	char c;

	sigset_t none;

	/* ptrace1 blocks the signals it reads through a signalfd; the command must not. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Wait for the probes; EOF means ptrace1 gave up. */
	if (read(go_fd, &c, 1) != 1)
		_exit(127);
	close(go_fd);
	if (needs_shell(cmd)) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	} else {
		copy = strdup(cmd);
		for (tok = strtok_r(copy, " \t\n", &save); tok && n < 63;
		     tok = strtok_r(NULL, " \t\n", &save))
			argv[n++] = tok;
		argv[n] = NULL;
		if (n)
			execvp(argv[0], argv);
	}
	fprintf(stderr, "ptrace1: cannot run '%s': %s\n", cmd, strerror(errno));
	_exit(127);
}

int child_spawn(const char *cmd, struct child *c)
{
	int fds[2];

	c->pid = -1;
	c->go_fd = -1;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	c->pid = fork();
	if (c->pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (c->pid == 0) {
		close(fds[1]);
		child_exec(cmd, fds[0]);
	}
	close(fds[0]);
	c->go_fd = fds[1];
	return 0;
}

int child_release(struct child *c)
{
	int err = 0;

	if (c->go_fd < 0)
		return 0;
	if (write(c->go_fd, "g", 1) != 1)
		err = -errno;
	close(c->go_fd);
	c->go_fd = -1;
	return err;
}

bool child_reap(struct child *c)
{
	if (c->pid <= 0)
		return true;
	if (waitpid(c->pid, NULL, WNOHANG) != c->pid)
		return false;
	c->pid = -1;
	return true;
}

void child_stop(struct child *c)
{
	if (c->go_fd >= 0) {
		close(c->go_fd);
		c->go_fd = -1;
	}
	if (c->pid <= 0)
		return;
	kill(c->pid, SIGTERM);
	while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
		;
	c->pid = -1;
}
