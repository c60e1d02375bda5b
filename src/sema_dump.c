// SPDX-License-Identifier: GPL-2.0
/* -d: the checked program as lower sees it: typed expressions, probes, maps. */
#include <stdio.h>

#include "sema.h"

static const char *const map_kind_names[] = {
	[MAP_VALUE] = "values",
	[MAP_COUNT] = "count",
	[MAP_SUM] = "sum",
	[MAP_MIN] = "min",
	[MAP_MAX] = "max",
	[MAP_AVG] = "avg",
	[MAP_STATS] = "stats",
	[MAP_HIST] = "hist",
	[MAP_LHIST] = "lhist",
};

static void dump_fields(const struct map_field *f, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", out);
		type_dump(&f[i].type, out);
	}
}

void checked_dump(const struct checked *c, FILE *out)
{
	ast_dump_program(c->prog, true, out);
	fprintf(out, "probes: %zu\n", c->nprobes);
	for (size_t i = 0; i < c->nprobes; i++)
		fprintf(out, "  %s (action %zu)\n", c->probes[i].probe.name, c->probes[i].action + 1);
	fprintf(out, "maps: %zu\n", c->nmaps);
	for (size_t i = 0; i < c->nmaps; i++) {
		const struct map_desc *m = &c->maps[i];

		fprintf(out, "  @%s: %s, key (", m->name, map_kind_names[m->kind]);
		dump_fields(m->keys, m->nkeys, out);
		fputs("), value ", out);
		if (m->kind == MAP_VALUE && m->tuple)
			type_dump(&m->tuple_type, out);
		else if (m->kind == MAP_VALUE)
			dump_fields(m->values, m->nvalues, out);
		else
			fputs(m->kind == MAP_COUNT ? "uint64" : "int64", out);
		if (m->kind == MAP_LHIST)
			fprintf(out, ", buckets %lld..%lld step %lld", (long long)m->lhist_min,
				(long long)m->lhist_max, (long long)m->lhist_step);
		fprintf(out, ", %u entries at most\n", m->max_entries);
	}
}
