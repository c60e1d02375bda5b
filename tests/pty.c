// SPDX-License-Identifier: GPL-2.0
/*
 * pty: drive an interactive program through a pseudo-terminal, for the
 * tests of ptrace1's prompt.
 *
 *   pty SCRIPT COMMAND [ARG...]
 *
 * runs COMMAND on a new pseudo-terminal (80 columns) and follows SCRIPT, one
 * step a line:
 *   send TEXT     type TEXT; C escapes: \n \t \r \\ \e \xHH (\x03 is Ctrl-C)
 *   expect TEXT   wait until the output since the last match holds TEXT
 *   run CMD       run shell command CMD, which finds COMMAND's pid in $PTY_PID,
 *                 while the output goes on to standard output; fail if CMD does
 *   exit N        wait for COMMAND to exit, with status N
 * Lines that are empty or start with '#' are skipped.  Everything COMMAND
 * writes goes to standard output.  An expect waits at most PTY_TIMEOUT
 * seconds (default 30): a guard against hanging, not a measurement.  Exit
 * status: 0 when every step passed, 1 (after saying which failed) if not.
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int master = -1;
static pid_t child = -1;
static char *seen;		/* output not yet matched by an expect */
static size_t seen_len;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "pty: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n--- output since the last match:\n%.*s\n---\n", (int)seen_len,
		seen ? seen : "");
	if (child > 0)
		kill(child, SIGKILL);
	exit(1);
}

/* Decode TEXT's escapes in place; returns its length. */
static size_t unescape(char *s)
{
	char *start = s, *out = s, *end;

	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			*out++ = *s;
			continue;
		}
		switch (*++s) {
		case 'n': *out++ = '\n'; break;
		case 't': *out++ = '\t'; break;
		case 'r': *out++ = '\r'; break;
		case 'e': *out++ = 27; break;
		case 'x': {
			char hex[3] = { s[1], s[1] ? s[2] : 0, 0 };

			*out++ = (char)strtoul(hex, &end, 16);
			s += end - hex;
			break;
		}
		default: *out++ = *s; break;
		}
	}
	*out = '\0';
	return (size_t)(out - start);
}

/* Read what COMMAND wrote, waiting at most @ms; false at its end. */
static bool pump(int ms)
{
	struct pollfd p = { .fd = master, .events = POLLIN };
	char buf[4096];
	ssize_t n;
	char *v;

	if (poll(&p, 1, ms) <= 0)
		return true;
	n = read(master, buf, sizeof(buf));
	if (n <= 0)
		return false;
	fwrite(buf, 1, n, stdout);
	fflush(stdout);
	v = realloc(seen, seen_len + n + 1);
	if (!v)
		die("%s", "out of memory");
	seen = v;
	memcpy(seen + seen_len, buf, n);
	seen_len += n;
	seen[seen_len] = '\0';
	return true;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void expect(const char *text, size_t len, double timeout)
{
	double deadline = now() + timeout;
	char *hit;

	for (;;) {
		hit = seen ? memmem(seen, seen_len, text, len) : NULL;
		if (hit) {
			/* The next expect looks after this match. */
			seen_len -= (size_t)(hit + len - seen);
			memmove(seen, hit + len, seen_len + 1);
			return;
		}
		if (now() > deadline)
			die("timed out expecting '%s'", text);
		if (!pump(100))
			die("the command ended before '%s'", text);
	}
}

static void send_text(const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(master, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("%s", "cannot write to the terminal");
		text += n;
		len -= n;
		/* Typing, not pasting: let the program read each key on its own. */
		pump(5);
	}
}

/* Run @cmd, reading COMMAND's output meanwhile: @cmd may wait for it. */
static void run(const char *cmd)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("%s", "cannot fork");
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (!pump(50))
			usleep(50000);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("step failed: %s", cmd);
}

static void wait_exit(const char *want)
{
	int status;
	char got[32];

	/* Drain the output until the end, so that the command is never blocked on it. */
	while (pump(100))
		;
	if (waitpid(child, &status, 0) != child)
		die("%s", "cannot wait for the command");
	child = -1;
	snprintf(got, sizeof(got), "%d", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (strcmp(got, want)) {
		fprintf(stderr, "pty: exit status %s, expected %s\n", got, want);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	const char *t = getenv("PTY_TIMEOUT");
	double timeout = t ? atof(t) : 30;
	char line[4096], pid[32];
	FILE *script;
	size_t len;

	if (argc < 3) {
		fprintf(stderr, "usage: pty SCRIPT COMMAND [ARG...]\n");
		return 2;
	}
	script = fopen(argv[1], "re");
	if (!script) {
		perror(argv[1]);
		return 2;
	}
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0) {
		perror("forkpty");
		return 1;
	}
	if (child == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	snprintf(pid, sizeof(pid), "%d", (int)child);
	setenv("PTY_PID", pid, 1);
	while (fgets(line, sizeof(line), script)) {
		len = strcspn(line, "\n");
		line[len] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (!strncmp(line, "send ", 5)) {
			len = unescape(line + 5);
			send_text(line + 5, len);
		} else if (!strncmp(line, "expect ", 7)) {
			len = unescape(line + 7);
			expect(line + 7, len, timeout);
		} else if (!strncmp(line, "run ", 4)) {
			run(line + 4);
		} else if (!strncmp(line, "exit ", 5)) {
			wait_exit(line + 5);
		} else {
			die("unknown step: %s", line);
		}
	}
	if (child > 0)
		die("%s", "the script ended before the command (end it with an exit step)");
	return 0;
}
