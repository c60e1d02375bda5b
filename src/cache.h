/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cache: compiled BPF objects kept on disk, keyed by the generated C, the
 * versions and builds of ptrace1 and LLVM, and the kernel release, so that
 * running a program again skips the compiler (and never loads it).
 *
 * The directory is $PTRACE1_CACHE ("off" disables the cache), else
 * /var/cache/ptrace1 for root, else $XDG_CACHE_HOME/ptrace1 (~/.cache),
 * made (mode 0700) if it is missing.  A
 * directory others may write to is not used: its objects would run in the
 * kernel.  Each entry holds its whole key, compared on every hit.
 */
#ifndef PTRACE1_CACHE_H
#define PTRACE1_CACHE_H

#include <stddef.h>

/* The object for C @src: 0 with *@obj malloc'd, -ENOENT when there is none, or -errno. */
int cache_lookup(const char *src, size_t len, void **obj, size_t *obj_len);
/* Keep @obj for @src, dropping the oldest entries past the cache's size.  0 or -errno. */
int cache_store(const char *src, size_t len, const void *obj, size_t obj_len);

#endif
