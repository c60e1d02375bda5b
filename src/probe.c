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
	memset(&(*out)[*n], 0, sizeof(**out));
	(*out)[*n].kind = PROBE_TRACEPOINT;
	(*out)[*n].cat = tp->cat;
	(*out)[*n].ev = tp->ev;
	snprintf((*out)[*n].name, sizeof((*out)[*n].name), "tracepoint:%.64s:%.80s", tp->cat, tp->ev);
	(*n)++;
	return 0;
}

static int one_probe(struct probe **out, size_t *n, enum probe_kind kind, uint64_t period_ns,
		     const char *name)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)->kind = kind;
	(*out)->period_ns = period_ns;
	snprintf((*out)->name, sizeof((*out)->name), "%s", name);
	*n = 1;
	return 0;
}

/* interval:s:N, interval:ms:N, interval:us:N, interval:hz:N (and i:...). */
static int resolve_interval(const char *spec, const char *unit, const char *num,
			    struct probe **out, size_t *n, struct probe_error *err)
{
	static const struct {
		const char *unit;
		uint64_t ns;
	} units[] = { { "s", 1000000000ull }, { "ms", 1000000ull }, { "us", 1000ull } };
	unsigned long long v;
	uint64_t period = 0;
	char *end, name[64];

	errno = 0;
	v = strtoull(num, &end, 10);
	if (!*num || *end || errno || v == 0 || v > 1000000000ull) {
		snprintf(err->msg, sizeof(err->msg), "invalid interval '%.200s'", spec);
		snprintf(err->hint, sizeof(err->hint),
			 "write interval:s:N, interval:ms:N, interval:us:N or interval:hz:N, N > 0");
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++) {
		if (!strcmp(unit, units[i].unit))
			period = v * units[i].ns;
	}
	if (!strcmp(unit, "hz"))
		period = 1000000000ull / v;
	if (!period) {
		snprintf(err->msg, sizeof(err->msg), "unknown interval unit '%.64s'", unit);
		snprintf(err->hint, sizeof(err->hint), "the units are s, ms, us and hz");
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "interval:%s:%llu", unit, v);
	return one_probe(out, n, PROBE_INTERVAL, period, name);
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

/*
 * @spec's probes.  Listing, it names tracepoints only (BEGIN is an event
 * name there), a short name may match in several categories, and
 * tracepoint:CAT names the whole category.
 */
static int resolve(const char *spec, bool listing, struct probe **out, size_t *n,
		   struct probe_error *err)
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
	if (!listing && !strcmp(spec, "BEGIN"))
		return one_probe(out, n, PROBE_BEGIN, 0, "BEGIN");
	if (!listing && !strcmp(spec, "END"))
		return one_probe(out, n, PROBE_END, 0, "END");
	if (!listing && parts == 3 &&
	    (!strncmp(spec, "interval:", 9) || !strncmp(spec, "i:", 2))) {
		char *unit = strchr(buf, ':') + 1, *num = strchr(unit, ':');

		*num++ = '\0';
		return resolve_interval(spec, unit, num, out, n, err);
	}

	if (parts > 1) {
		p = strchr(buf, ':');
		*p = '\0';
		if (strcmp(buf, "tracepoint") && strcmp(buf, "t") && listing) {
			snprintf(err->msg, sizeof(err->msg), "'%.200s' is not a tracepoint", spec);
			snprintf(err->hint, sizeof(err->hint),
				 "-l lists tracepoints: tracepoint:CATEGORY:EVENT, t:CATEGORY:EVENT "
				 "or EVENT, with * and ? globs");
			return -EINVAL;
		}
		if (strcmp(buf, "tracepoint") && strcmp(buf, "t")) {
			snprintf(err->msg, sizeof(err->msg), "unsupported probe type '%.64s'", buf);
			snprintf(err->hint, sizeof(err->hint),
				 "ptrace1's probes are tracepoint:CATEGORY:EVENT (t:, or just EVENT), "
				 "BEGIN, END and interval:UNIT:N");
			return -EINVAL;
		}
		cat = p + 1;
		p = strchr(cat, ':');
		if (p) {
			*p = '\0';
			ev = p + 1;
		} else if (listing) {
			ev = "*";	/* tracepoint:CAT lists the category, as in bpftrace */
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
	if (!cat && !listing) {
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

int probe_resolve(const char *spec, struct probe **out, size_t *n, struct probe_error *err)
{
	return resolve(spec, false, out, n, err);
}

int probe_tracepoints(const char *glob, struct probe **out, size_t *n, struct probe_error *err)
{
	return resolve(glob, true, out, n, err);
}
