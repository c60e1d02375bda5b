/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe: what a probe spec names.  "tracepoint:CAT:EV", "t:CAT:EV" and the
 * short "EV" are checked against the running kernel's tracepoint list, with
 * '*' and '?' globs in each part.
 */
#ifndef PTRACE1_PROBE_H
#define PTRACE1_PROBE_H

#include <stddef.h>

enum probe_kind {
	PROBE_TRACEPOINT,
};

struct probe {
	enum probe_kind kind;
	const char *cat;	/* owned by tracefs's event list */
	const char *ev;
};

struct probe_error {
	char msg[256];
	char hint[1024];	/* empty when there is nothing to suggest */
};

/*
 * Expand @spec into *@out (malloc'd, *@n entries, at least one).
 * Returns 0, or -ENOENT/-EINVAL with @err filled, or another -errno.
 */
int probe_resolve(const char *spec, struct probe **out, size_t *n, struct probe_error *err);

#endif
