/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe: what a probe spec names.  "tracepoint:CAT:EV", "t:CAT:EV" and the
 * short "EV" are checked against the running kernel's tracepoint list, with
 * '*' and '?' globs in each part; "BEGIN", "END" and "interval:UNIT:N" need
 * no kernel.
 */
#ifndef PTRACE1_PROBE_H
#define PTRACE1_PROBE_H

#include <stddef.h>

#include <stdint.h>

enum probe_kind {
	PROBE_TRACEPOINT,
	PROBE_BEGIN,	/* before any other probe is attached */
	PROBE_END,	/* after every other probe is detached */
	PROBE_INTERVAL,	/* every period_ns, on one CPU */
};

struct probe {
	enum probe_kind kind;
	const char *cat;	/* tracepoints: owned by tracefs's event list */
	const char *ev;
	uint64_t period_ns;	/* intervals */
	char name[160];		/* as the `probe` builtin says it: tracepoint:CAT:EV, BEGIN, interval:s:1 */
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

/*
 * Every tracepoint @glob names, for listing: the same forms and errors, but
 * tracepoints only, a short name may match in several categories, and
 * tracepoint:CAT (or t:CAT) names every event of CAT.
 */
int probe_tracepoints(const char *glob, struct probe **out, size_t *n, struct probe_error *err);

#endif
