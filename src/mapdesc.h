/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mapdesc: what a map of the program holds and how its bytes are laid out.
 * sema decides it, lower writes the BPF map from it, and the map printer
 * reads the kernel's map back with it.
 */
#ifndef PTRACE1_MAPDESC_H
#define PTRACE1_MAPDESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types.h"

enum map_kind {
	MAP_VALUE,	/* @m[k] = expr: ints, strings, tuples; a plain hash */
	MAP_COUNT,	/* count(): u64 per CPU */
	MAP_SUM,	/* sum(x): s64/u64 per CPU */
	MAP_MIN,	/* min(x): struct map_minmax per CPU */
	MAP_MAX,	/* max(x): struct map_minmax per CPU */
	MAP_AVG,	/* avg(x): struct map_avg per CPU */
	MAP_STATS,	/* stats(x): struct map_avg per CPU */
	MAP_HIST,	/* hist(x): key + u64 bucket, u64 count per CPU */
	MAP_LHIST,	/* lhist(x, min, max, step): as hist */
};

/* One field of a key or value: ints take 8 bytes, strings their size rounded up to 8. */
struct map_field {
	struct type type;
	unsigned int offset;
	unsigned int size;
};

/* Per-CPU values of min() and max(): `set` tells a CPU that saw no value. */
struct map_minmax {
	int64_t value;
	uint64_t set;
};

/* Per-CPU values of avg() and stats(). */
struct map_avg {
	int64_t total;
	uint64_t count;
};

struct map_desc {
	char *name;			/* without the '@'; "" for the anonymous map */
	enum map_kind kind;
	bool percpu;			/* every kind but MAP_VALUE */
	/* The key: the user's key fields; nkeys 0 means a keyless map (one u64 0 key). */
	struct map_field *keys;
	size_t nkeys;
	unsigned int user_key_size;	/* bytes of the user's key fields (8 when keyless) */
	unsigned int key_size;		/* the BPF key: hist/lhist append a u64 bucket index */
	/* MAP_VALUE: the value's fields (one, or a tuple's); other kinds: one int field. */
	struct map_field *values;
	size_t nvalues;
	bool tuple;			/* MAP_VALUE holding a tuple: printed (a, b) */
	struct type tuple_type;		/* that tuple, as a value of the language */
	unsigned int value_size;	/* bytes of one (CPU's) value */
	int64_t lhist_min, lhist_max, lhist_step;
	unsigned int max_entries;
};

/*
 * Buckets of hist(): 0 for negative values, 1 for 0, and 2 + floor(log2(v))
 * for v > 0; so bucket 2 is [1], 3 is [2, 4), 4 is [4, 8).
 * Buckets of lhist(min, max, step): 0 for v < min, 1 + (v - min) / step for
 * min <= v < max, and 1 + (max - min) / step for v >= max.
 */
#define MAP_HIST_BUCKETS 66
#define MAP_LHIST_MAX_BUCKETS 1000

/* What is wrong with lhist(min, max, step)'s bounds, if anything. */
enum lhist_bounds {
	LHIST_OK,
	LHIST_STEP,	/* step <= 0 */
	LHIST_ORDER,	/* max <= min */
	LHIST_BUCKETS,	/* more than MAP_LHIST_MAX_BUCKETS between min and max */
	LHIST_RANGE,	/* max - min beyond an int64_t, in which labels and buckets are computed */
};

/* (max - min) / step for min < max and step > 0, where max - min may not fit an int64_t. */
static inline uint64_t lhist_inner_buckets(int64_t min, int64_t max, int64_t step)
{
	return ((uint64_t)max - (uint64_t)min) / (uint64_t)step;
}

/* sema's rules for the bounds, which the artifact reader enforces again. */
static inline enum lhist_bounds lhist_check(int64_t min, int64_t max, int64_t step)
{
	if (step <= 0)
		return LHIST_STEP;
	if (max <= min)
		return LHIST_ORDER;
	if (lhist_inner_buckets(min, max, step) > MAP_LHIST_MAX_BUCKETS)
		return LHIST_BUCKETS;
	if ((uint64_t)max - (uint64_t)min > INT64_MAX)
		return LHIST_RANGE;
	return LHIST_OK;
}

#endif
