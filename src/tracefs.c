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

static int has_events(const char *dir)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/events", dir);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int tracefs_root(const char **root)
{
	if (!root_dir) {
		for (size_t i = 0; i < sizeof(tracefs_dirs) / sizeof(*tracefs_dirs); i++) {
			if (has_events(tracefs_dirs[i])) {
				root_dir = tracefs_dirs[i];
				break;
			}
		}
	}
	if (!root_dir) {
		if (mount("tracefs", tracefs_dirs[0], "tracefs", 0, NULL))
			return -errno;
		if (!has_events(tracefs_dirs[0]))
			return -ENOENT;
		root_dir = tracefs_dirs[0];
	}
	*root = root_dir;
	return 0;
}

int tracefs_read(const char *rel, char **text, size_t *len)
{
	const char *root;
	char path[512];
	size_t cap = 4096, n = 0;
	char *buf = NULL, *p;
	ssize_t got;
	int fd, err;

	err = tracefs_root(&root);
	if (err)
		return err;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, rel) >= sizeof(path))
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
