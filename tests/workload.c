// SPDX-License-Identifier: GPL-2.0
/*
 * workload: a deterministic target for the end-to-end tests.
 *
 * It makes an exact number of syscalls of one kind under a known comm, so a
 * test can trace it and compare counts.  The comm is set before anything
 * else, so the dynamic loader's own syscalls happen under the old one.  Only
 * -v adds syscalls inside the loops: one write(2) to stdout per result.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int verbose;

static void usage(void)
{
	fputs("usage: workload [-n COMM] [-d MS] [-v] OP COUNT [ARG]\n"
	      "  openat N PATH | read N | write N | getppid N | exec N [PATH] | sleep MS\n",
	      stderr);
	exit(2);
}

static long parse_count(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < 0 || n > INT_MAX)
		usage();
	return n;
}

/* Report @what with errno and return -errno, so callers need not. */
static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "workload: %s: %s\n", what, strerror(err));
	return -err;
}

static int sleep_ms(long ms, const char *unused)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };

	(void)unused;
	/* Restart on EINTR so a handled signal cannot shorten the wait. */
	while (nanosleep(&ts, &ts))
		if (errno != EINTR)
			return fail("nanosleep");
	return 0;
}

static int do_openat(long n, const char *path)
{
	for (long i = 0; i < n; i++) {
		/* Raw syscall: libc may route open() through another syscall. */
		long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CREAT, 0600);

		if (fd < 0)
			return fail(path);
		close(fd);
		if (verbose)
			printf("fd=%ld\n", fd);
	}
	return 0;
}

static int do_rw(long n, int writing)
{
	const char *path = writing ? "/dev/null" : "/dev/zero";
	int fd = open(path, writing ? O_WRONLY : O_RDONLY);
	char c = 0;

	if (fd < 0)
		return fail(path);
	for (long i = 0; i < n; i++) {
		ssize_t r = writing ? write(fd, &c, 1) : read(fd, &c, 1);

		if (r < 0)
			return fail(path);
		if (verbose)
			printf("%s=%zd\n", writing ? "write" : "read", r);
	}
	close(fd);
	return 0;
}

static int do_read(long n, const char *unused)
{
	(void)unused;
	return do_rw(n, 0);
}

static int do_write(long n, const char *unused)
{
	(void)unused;
	return do_rw(n, 1);
}

static int do_getppid(long n, const char *unused)
{
	(void)unused;
	for (long i = 0; i < n; i++) {
		long ppid = syscall(SYS_getppid);

		if (verbose)
			printf("ppid=%ld\n", ppid);
	}
	return 0;
}

static int do_exec(long n, const char *path)
{
	/*
	 * On the stack, written before the fork, as a shell builds argv: a
	 * tracer cannot read pages the child has not touched, and read-only
	 * literals are not yet mapped in a child fresh from fork.
	 */
	char path_buf[PATH_MAX], arg1[] = "ptwl-arg1", arg2[] = "ptwl-arg2";
	char *argv[] = { path_buf, arg1, arg2, NULL };

	snprintf(path_buf, sizeof(path_buf), "%s", path ? path : "/bin/true");
	path = path_buf;

	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid;

		/* Nothing buffered may be duplicated into the child. */
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return fail("fork");
		if (pid == 0) {
			execve(path, argv, environ);
			fail(path);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0)
			return fail("waitpid");
		/* 127 is how the child reports a failed execve. */
		if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
			fprintf(stderr, "workload: child %d: wait status %#x\n", pid, status);
			return -ECHILD;
		}
		if (verbose)
			printf("pid=%d exit=%d\n", pid, WEXITSTATUS(status));
	}
	return 0;
}

enum { ARG_NONE, ARG_NEEDED, ARG_OPTIONAL };

static const struct op {
	const char *name;
	int (*run)(long count, const char *arg);
	int arg;
} ops[] = {
	{ "openat", do_openat, ARG_NEEDED },
	{ "read", do_read, ARG_NONE },
	{ "write", do_write, ARG_NONE },
	{ "getppid", do_getppid, ARG_NONE },
	{ "exec", do_exec, ARG_OPTIONAL },
	{ "sleep", sleep_ms, ARG_NONE },
};

int main(int argc, char **argv)
{
	const char *comm = "ptwl", *arg;
	const struct op *op = NULL;
	long delay = 0, count;
	int opt;

	/* '+': options end at OP, so ARG may start with '-'. */
	while ((opt = getopt(argc, argv, "+n:d:v")) != -1) {
		switch (opt) {
		case 'n':
			comm = optarg;
			break;
		case 'd':
			delay = parse_count(optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2 || argc - optind > 3)
		usage();
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(argv[optind], ops[i].name))
			op = &ops[i];
	count = parse_count(argv[optind + 1]);
	arg = argv[optind + 2];
	if (!op || (op->arg == ARG_NEEDED && !arg) || (op->arg == ARG_NONE && arg))
		usage();

	/* Line-buffered so a reader sees each result as it happens. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (prctl(PR_SET_NAME, comm, 0, 0, 0)) {
		fail("prctl");
		return 1;
	}
	if (sleep_ms(delay, NULL) || op->run(count, arg))
		return 1;
	if (fflush(stdout)) {
		fail("stdout");
		return 1;
	}
	return 0;
}
