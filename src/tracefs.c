// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracefs.h"

static const char *const tracefs_dirs[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

static const char *root_dir;
static struct tp_name *events;
static size_t nevents;
static char *events_text;

/* 0 when @dir holds tracefs's events, or -errno. */
static int has_events(const char *dir)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/events", dir);
	if (stat(path, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* Mount tracefs where it belongs when it is nowhere (a fresh container, say). */
static int mount_tracefs(struct fault *f)
{
	const char *dir = tracefs_dirs[0];
	int err;

	if (mount("tracefs", dir, "tracefs", 0, NULL)) {
		err = -errno;
		snprintf(f->msg, sizeof(f->msg),
			 "tracefs is not mounted, and mounting it on %s failed: %s", dir,
			 strerror(-err));
		if (err == -ENODEV)
			snprintf(f->hint, sizeof(f->hint),
				 "this kernel has no tracefs (CONFIG_TRACING), so no tracepoints");
		else if (err == -ENOENT)
			snprintf(f->hint, sizeof(f->hint), "is sysfs mounted on /sys?");
		else
			snprintf(f->hint, sizeof(f->hint), "mount it: mount -t tracefs nodev %s",
				 dir);
		return err;
	}
	err = has_events(dir);
	if (err) {
		snprintf(f->msg, sizeof(f->msg), "tracefs, mounted on %s, has no events: %s", dir,
			 strerror(-err));
		return err;
	}
	root_dir = dir;
	return 0;
}

int tracefs_check(struct fault *f)
{
	size_t ndirs = sizeof(tracefs_dirs) / sizeof(*tracefs_dirs), refused = ndirs;
	int err, refusal = 0;

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; !root_dir && i < ndirs; i++) {
		err = has_events(tracefs_dirs[i]);
		if (!err) {
			root_dir = tracefs_dirs[i];
		} else if (err != -ENOENT && err != -ENOTDIR && refused == ndirs) {
			refused = i;
			refusal = err;
		}
	}
	if (root_dir)
		return 0;
	/* It is there but not ours to read: mounting it again would not help. */
	if (refused < ndirs) {
		snprintf(f->msg, sizeof(f->msg), "cannot read tracefs at %s: %s",
			 tracefs_dirs[refused], strerror(-refusal));
		snprintf(f->hint, sizeof(f->hint),
			 "tracefs is root's: trace as root, or with CAP_DAC_READ_SEARCH besides "
			 "CAP_BPF and CAP_PERFMON");
		return refusal;
	}
	return mount_tracefs(f);
}

int tracefs_root(const char **root)
{
	struct fault f;
	int err = tracefs_check(&f);

	if (!err)
		*root = root_dir;
	return err;
}

int tracefs_read(const char *rel, char **text, size_t *len)
{
	struct fault f;
	char path[512];
	size_t cap = 4096, n = 0;
	char *buf = NULL, *p;
	ssize_t got;
	int fd, err;

	err = tracefs_check(&f);
	if (err)
		return err;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", root_dir, rel) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	/* tracefs files report size 0: read until EOF. */
	for (;;) {
		if (n + 1 == cap) {
			p = realloc(buf, cap * 2);
			if (!p) {
				err = -ENOMEM;
				goto out;
			}
			buf = p;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out;
		}
		if (got == 0)
			break;
		n += got;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return err;
}

static int tp_name_cmp(const void *a, const void *b)
{
	const struct tp_name *x = a, *y = b;
	int c = strcmp(x->cat, y->cat);

	return c ? c : strcmp(x->ev, y->ev);
}

int tracefs_events(const struct tp_name **list, size_t *n)
{
	size_t len, cap = 0, lines = 0;
	char *text, *line, *next, *colon;
	int err;

	if (events) {
		*list = events;
		*n = nevents;
		return 0;
	}
	err = tracefs_read("available_events", &text, &len);
	if (err)
		return err;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	cap = lines + 1;
	events = calloc(cap, sizeof(*events));
	if (!events) {
		free(text);
		return -ENOMEM;
	}
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		colon = strchr(line, ':');
		if (!colon || nevents == cap)
			continue;
		*colon = '\0';
		events[nevents].cat = line;
		events[nevents].ev = colon + 1;
		nevents++;
	}
	qsort(events, nevents, sizeof(*events), tp_name_cmp);
	events_text = text;	/* the names point into it */
	*list = events;
	*n = nevents;
	return 0;
}
