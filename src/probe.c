// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "suggest.h"
#include "tracefs.h"

static bool is_glob(const char *s)
{
	return strpbrk(s, "*?") != NULL;
}

static bool match(const char *pattern, const char *name)
{
	return fnmatch(pattern, name, 0) == 0;
}

/* "did you mean" the closest events (by event name, then category:event). */
static void suggest(const char *cat, const char *ev, const struct tp_name *tps, size_t ntps,
		    struct probe_error *err)
{
	size_t best = (size_t)-1, d, len = 0, shown = 0;
	char full[256];

	if (is_glob(ev) || (cat && is_glob(cat)))
		return;
	for (size_t i = 0; i < ntps; i++) {
		d = suggest_distance(ev, tps[i].ev) + (cat && strcmp(cat, tps[i].cat) ? 2 : 0);
		if (d < best)
			best = d;
	}
	if (!suggest_close(ev, best))
		return;
	len = snprintf(err->hint, sizeof(err->hint), "did you mean ");
	for (size_t i = 0; i < ntps && shown < 3; i++) {
		d = suggest_distance(ev, tps[i].ev) + (cat && strcmp(cat, tps[i].cat) ? 2 : 0);
		if (d != best)
			continue;
		snprintf(full, sizeof(full), "%stracepoint:%s:%s", shown ? " or " : "",
			 tps[i].cat, tps[i].ev);
		if (len + strlen(full) + 2 >= sizeof(err->hint))
			break;
		len += snprintf(err->hint + len, sizeof(err->hint) - len, "%s", full);
		shown++;
	}
	snprintf(err->hint + len, sizeof(err->hint) - len, "?");
}

static int push(struct probe **out, size_t *n, size_t *cap, const struct tp_name *tp)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct probe *v = realloc(*out, ncap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		*out = v;
		*cap = ncap;
	}
	(*out)[*n].kind = PROBE_TRACEPOINT;
	(*out)[*n].cat = tp->cat;
	(*out)[*n].ev = tp->ev;
	(*n)++;
	return 0;
}

/* A short name must not match in more than one category. */
static int check_ambiguous(const char *spec, const struct probe *v, size_t n,
			   struct probe_error *err)
{
	size_t len, ncats = 1;

	for (size_t i = 1; i < n; i++)
		ncats += strcmp(v[i].cat, v[i - 1].cat) != 0;
	if (ncats == 1)
		return 0;
	snprintf(err->msg, sizeof(err->msg), "probe name '%.200s' is ambiguous", spec);
	len = snprintf(err->hint, sizeof(err->hint), "it names tracepoints in %zu categories (",
		       ncats);
	/* The list is sorted by category: name each one once. */
	for (size_t i = 0, shown = 0; i < n && len + 80 < sizeof(err->hint); i++) {
		if (i && !strcmp(v[i].cat, v[i - 1].cat))
			continue;
		if (shown++ == 5) {
			len += snprintf(err->hint + len, sizeof(err->hint) - len, ", ...");
			break;
		}
		len += snprintf(err->hint + len, sizeof(err->hint) - len, "%s%s",
				shown > 1 ? ", " : "", v[i].cat);
	}
	snprintf(err->hint + len, sizeof(err->hint) - len,
		 "); write tracepoint:CATEGORY:%.100s", spec);
	return -EINVAL;
}

int probe_resolve(const char *spec, struct probe **out, size_t *n, struct probe_error *err)
{
	const struct tp_name *tps;
	char buf[256], *cat = NULL, *ev = NULL, *p;
	size_t ntps, cap = 0, parts = 1;
	struct probe *v = NULL;
	int rc;

	memset(err, 0, sizeof(*err));
	*out = NULL;
	*n = 0;
	if (strlen(spec) >= sizeof(buf)) {
		snprintf(err->msg, sizeof(err->msg), "probe name is too long");
		return -EINVAL;
	}
	strcpy(buf, spec);
	for (p = buf; *p; p++)
		parts += *p == ':';

	if (parts > 1) {
		p = strchr(buf, ':');
		*p = '\0';
		if (strcmp(buf, "tracepoint") && strcmp(buf, "t")) {
			snprintf(err->msg, sizeof(err->msg), "unsupported probe type '%.64s'", buf);
			snprintf(err->hint, sizeof(err->hint),
				 "ptrace1 traces tracepoints: tracepoint:CATEGORY:EVENT, t:CATEGORY:EVENT or EVENT");
			return -EINVAL;
		}
		cat = p + 1;
		p = strchr(cat, ':');
		if (p) {
			*p = '\0';
			ev = p + 1;
		}
	} else {
		ev = buf;
	}
	if (parts > 3 || !ev || !*ev || (cat && !*cat)) {
		snprintf(err->msg, sizeof(err->msg), "malformed probe name '%.200s'", spec);
		snprintf(err->hint, sizeof(err->hint),
			 "write tracepoint:CATEGORY:EVENT, t:CATEGORY:EVENT or EVENT");
		return -EINVAL;
	}

	rc = tracefs_events(&tps, &ntps);
	if (rc) {
		snprintf(err->msg, sizeof(err->msg), "cannot read the tracepoint list: %s",
			 strerror(-rc));
		return rc;
	}
	for (size_t i = 0; i < ntps; i++) {
		if (cat && !match(cat, tps[i].cat))
			continue;
		if (!match(ev, tps[i].ev))
			continue;
		rc = push(&v, n, &cap, &tps[i]);
		if (rc)
			goto fail;
	}
	if (!*n) {
		if (is_glob(ev) || (cat && is_glob(cat)))
			snprintf(err->msg, sizeof(err->msg), "no tracepoint matches '%.200s'", spec);
		else
			snprintf(err->msg, sizeof(err->msg), "tracepoint not found: %.100s%s%.100s",
				 cat ? cat : "", cat ? ":" : "", ev);
		suggest(cat, ev, tps, ntps, err);
		rc = -ENOENT;
		goto fail;
	}
	if (!cat) {
		rc = check_ambiguous(spec, v, *n, err);
		if (rc)
			goto fail;
	}
	*out = v;
	return 0;
fail:
	free(v);
	*n = 0;
	return rc;
}
