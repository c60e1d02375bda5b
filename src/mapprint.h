/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mapprint: a kernel map, read back with its struct map_desc, combined over
 * CPUs and printed in bpftrace 0.17's text or -f json format (at exit and by
 * print()).
 */
#ifndef PTRACE1_MAPPRINT_H
#define PTRACE1_MAPPRINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mapdesc.h"
#include "strbuf.h"

/* One user key with its value combined over CPUs (and, for hist/lhist, over buckets). */
struct map_entry {
	unsigned char *key;	/* m->user_key_size bytes */
	unsigned char *value;	/* MAP_VALUE: m->value_size bytes */
	int64_t val;		/* count, sum, min, max: the value; avg, stats: the total */
	uint64_t count;		/* avg, stats: how many values */
	uint64_t *buckets;	/* hist, lhist: mapprint_nbuckets() counts */
};

/* Zero-initialise before the first map_entries_add(). */
struct map_entries {
	struct map_entry *v;
	size_t n;
	size_t cap;
};

/* Buckets of a hist or lhist map (see mapdesc.h); 0 for other kinds or a bad lhist. */
size_t mapprint_nbuckets(const struct map_desc *m);

/*
 * Append an entry for @key (m->user_key_size bytes; NULL for zeros) with a
 * zeroed value, value buffer and buckets.  NULL when out of memory.
 */
struct map_entry *map_entries_add(struct map_entries *e, const struct map_desc *m,
				  const void *key);
void map_entries_free(struct map_entries *e);

/* Read every entry of the kernel map @map_fd laid out as @m into @out. */
int mapprint_read(int map_fd, const struct map_desc *m, struct map_entries *out);

/*
 * Append the text of @e, sorted as bpftrace sorts, to @out.  @top > 0 keeps
 * the last @top entries and @div > 1 divides values, as print(@m, top, div)
 * does; stats() maps ignore both, lhist() maps ignore @div.  An empty map
 * appends nothing.  Out of memory is left in out->err.
 */
void mapprint_format(const struct map_desc *m, const struct map_entries *e, size_t top,
		     uint64_t div, struct strbuf *out);

/* mapprint_read() then mapprint_format() to @out. */
int mapprint_print(int map_fd, const struct map_desc *m, size_t top, uint64_t div, FILE *out);

/*
 * As mapprint_format(), in bpftrace 0.17's -f json form: one line,
 * {"type": "map", "data": {"@c": 2}}, with the same entries in the same
 * order.  An empty map appends nothing.
 */
void mapprint_format_json(const struct map_desc *m, const struct map_entries *e, size_t top,
			  uint64_t div, struct strbuf *out);

/* mapprint_read() then mapprint_format_json() to @out. */
int mapprint_print_json(int map_fd, const struct map_desc *m, size_t top, uint64_t div, FILE *out);

#endif
