// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "compile.h"
#include "config.h"
#include "hash.h"

#define CACHE_MAGIC "PTRACE1-CACHE 1\n"
/* Past either, the oldest entries go. */
#define CACHE_MAX_BYTES (64ull << 20)
#define CACHE_MAX_ENTRIES 256

static int make_dir(const char *path)
{
	return mkdir(path, 0700) && errno != EEXIST ? -errno : 0;
}

/* The cache's directory, made if it is one of the defaults; -ENOENT when off. */
static int cache_dir(char *dir, size_t size)
{
	static bool warned;
	const char *env = getenv("PTRACE1_CACHE"), *base;
	struct stat st;
	int err = 0;

	if (env && (!*env || !strcmp(env, "off")))
		return -ENOENT;
	if (env) {
		snprintf(dir, size, "%s", env);
		err = make_dir(dir);
	} else if (geteuid() == 0) {
		snprintf(dir, size, "/var/cache/ptrace1");
		err = make_dir(dir);
	} else {
		base = getenv("XDG_CACHE_HOME");
		if (base && *base) {
			snprintf(dir, size, "%s", base);
		} else {
			if (!getenv("HOME"))
				return -ENOENT;
			snprintf(dir, size, "%s/.cache", getenv("HOME"));
		}
		err = make_dir(dir);
		if ((size_t)snprintf(dir + strlen(dir), size - strlen(dir), "/ptrace1") >= size)
			return -ENAMETOOLONG;
		if (!err)
			err = make_dir(dir);
	}
	if (!err && stat(dir, &st))
		err = -errno;
	if (!err && (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022)))
		err = -EPERM;
	if (err && !warned) {
		warned = true;
		fprintf(stderr, "ptrace1: warning: not using the cache %s: %s\n", dir,
			err == -EPERM ? "it must be a directory of yours that nobody else can write to"
				      : strerror(-err));
	}
	return err;
}

/*
 * What else than the C makes an object: the versions, the build of ptrace1
 * and of its compiler (a rebuild may change the compiler's flags), the kernel.
 */
static int key_header(char *buf, size_t size)
{
	char stamp[128];
	struct utsname u;
	int err;

	err = compile_stamp(stamp, sizeof(stamp));
	if (err)
		return err;
	if (uname(&u))
		return -errno;
	snprintf(buf, size, "ptrace1 %s\nLLVM %s\nbuild %s\nkernel %s %s\n", PACKAGE_VERSION,
		 PTRACE1_LLVM_VERSION, stamp, u.release, u.version);
	return 0;
}

static int entry_path(const char *src, size_t len, char *path, size_t size, char *hdr,
		      size_t hdr_size)
{
	char dir[PATH_MAX];
	uint64_t h;
	int err;

	err = cache_dir(dir, sizeof(dir));
	if (err)
		return err;
	err = key_header(hdr, hdr_size);
	if (err)
		return err;
	h = hash_fnv1a(HASH_FNV1A_INIT, hdr, strlen(hdr));
	h = hash_fnv1a(h, src, len);
	if ((size_t)snprintf(path, size, "%s/%016llx.o", dir, (unsigned long long)h) >= size)
		return -ENAMETOOLONG;
	return 0;
}

static int read_all(int fd, char *buf, size_t len)
{
	ssize_t n;

	for (size_t at = 0; at < len; at += (size_t)n) {
		n = read(fd, buf + at, len - at);
		if (n <= 0)
			return n ? -errno : -EIO;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	ssize_t n;

	for (size_t at = 0; at < len; at += (size_t)n) {
		n = write(fd, (const char *)buf + at, len - at);
		if (n < 0)
			return -errno;
	}
	return 0;
}

int cache_lookup(const char *src, size_t len, void **obj, size_t *obj_len)
{
	char path[PATH_MAX], hdr[512], *buf = NULL, *p;
	size_t want_src, want_obj, fixed;
	struct stat st;
	int fd, err;

	err = entry_path(src, len, path, sizeof(path), hdr, sizeof(hdr));
	if (err)
		return err;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_uid != geteuid() || (st.st_mode & 022) ||
	    !S_ISREG(st.st_mode)) {
		err = -EPERM;
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	err = read_all(fd, buf, (size_t)st.st_size);
	if (err)
		goto out;
	buf[st.st_size] = '\0';
	/* Magic, key header, "SRC_LEN OBJ_LEN\n", the C, the object. */
	fixed = strlen(CACHE_MAGIC) + strlen(hdr);
	err = -ENOENT;
	if ((size_t)st.st_size < fixed || memcmp(buf, CACHE_MAGIC, strlen(CACHE_MAGIC)) ||
	    memcmp(buf + strlen(CACHE_MAGIC), hdr, strlen(hdr)))
		goto out;
	p = buf + fixed;
	if (sscanf(p, "%zu %zu\n", &want_src, &want_obj) != 2 || !(p = strchr(p, '\n')))
		goto out;
	p++;
	if (want_src != len || (size_t)(buf + st.st_size - p) != want_src + want_obj ||
	    memcmp(p, src, len))
		goto out;
	*obj = malloc(want_obj);
	if (!*obj) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(*obj, p + want_src, want_obj);
	*obj_len = want_obj;
	/* Used: the newest, last to be dropped. */
	futimens(fd, NULL);
	err = 0;
out:
	free(buf);
	close(fd);
	return err;
}

struct entry {
	char name[32];
	time_t mtime;
	off_t size;
};

static int by_age(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return (x->mtime > y->mtime) - (x->mtime < y->mtime);
}

/* Drop the least recently used entries past CACHE_MAX_BYTES or CACHE_MAX_ENTRIES. */
static void evict(int dfd)
{
	struct entry *v = NULL, *grown;
	size_t n = 0, cap = 0;
	uint64_t total = 0;
	struct dirent *de;
	struct stat st;
	DIR *d = fdopendir(dup(dfd));

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		/* A store that died before its rename, an hour ago. */
		if (len == 25 && !strncmp(de->d_name + 16, ".o.", 3) &&
		    st.st_mtime < time(NULL) - 3600) {
			unlinkat(dfd, de->d_name, 0);
			continue;
		}
		if (len != 18 || strcmp(de->d_name + 16, ".o"))
			continue;
		if (n == cap) {
			grown = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));
			if (!grown)
				break;
			v = grown;
		}
		snprintf(v[n].name, sizeof(v[n].name), "%s", de->d_name);
		v[n].mtime = st.st_mtime;
		v[n].size = st.st_size;
		total += (uint64_t)st.st_size;
		n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), by_age);
	for (size_t i = 0; i < n && (total > CACHE_MAX_BYTES || n - i > CACHE_MAX_ENTRIES); i++) {
		unlinkat(dfd, v[i].name, 0);
		total -= (uint64_t)v[i].size;
	}
	free(v);
}

int cache_store(const char *src, size_t len, const void *obj, size_t obj_len)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16], hdr[512], sizes[64], *slash;
	int fd, dfd, err;

	err = entry_path(src, len, path, sizeof(path), hdr, sizeof(hdr));
	if (err)
		return err;
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(sizes, sizeof(sizes), "%zu %zu\n", len, obj_len);
	err = write_all(fd, CACHE_MAGIC, strlen(CACHE_MAGIC));
	if (!err)
		err = write_all(fd, hdr, strlen(hdr));
	if (!err)
		err = write_all(fd, sizes, strlen(sizes));
	if (!err)
		err = write_all(fd, src, len);
	if (!err)
		err = write_all(fd, obj, obj_len);
	if (close(fd) && !err)
		err = -errno;
	/* Whole or not at all: another ptrace1 may be reading. */
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	slash = strrchr(path, '/');
	*slash = '\0';
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		evict(dfd);
		close(dfd);
	}
	return 0;
}
