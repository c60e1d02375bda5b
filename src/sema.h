/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sema: the parsed program -> a checked one.  Probe specs become concrete
 * tracepoints with their formats; every name is resolved and every
 * expression typed; printf/print calls become entries of the event table
 * that lower (BPF side) and output (user side) share.
 */
#ifndef PTRACE1_SEMA_H
#define PTRACE1_SEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ast.h"
#include "diag.h"
#include "fmt.h"
#include "mapdesc.h"
#include "probe.h"
#include "tpfmt.h"

enum builtin {
	BUILTIN_PID,
	BUILTIN_TID,
	BUILTIN_UID,
	BUILTIN_GID,
	BUILTIN_COMM,
	BUILTIN_CPU,
	BUILTIN_NSECS,
	BUILTIN_CPID,
	BUILTIN_ELAPSED,
	BUILTIN_PROBE,
};

enum func {
	FUNC_PRINTF,
	FUNC_PRINT,
	FUNC_STR,
	FUNC_EXIT,
	FUNC_TIME,
	FUNC_JOIN,
	FUNC_DELETE,
	FUNC_CLEAR,
	FUNC_ZERO,
	FUNC_SYSCALL_NAME,
	/* aggregations: only as the value assigned to a map */
	FUNC_COUNT,
	FUNC_SUM,
	FUNC_AVG,
	FUNC_MIN,
	FUNC_MAX,
	FUNC_STATS,
	FUNC_HIST,
	FUNC_LHIST,
};

/* One concrete probe and the action it runs. */
struct sema_probe {
	struct probe probe;
	struct tp_format *fmt;	/* tracepoints: owned by the checked program's format list */
	size_t action;
};

enum event_kind {
	EVENT_PRINTF,
	EVENT_PRINT,
	EVENT_EXIT,
	EVENT_TIME,		/* fmt.text is strftime's format */
	EVENT_JOIN,		/* args: the strings; fmt.text the separator */
	EVENT_MAP_PRINT,	/* map, top, div */
	EVENT_MAP_CLEAR,
	EVENT_MAP_ZERO,
};

/* A value in a ring-buffer record: ints take 8 bytes, strings their size rounded up to 8. */
struct event_arg {
	struct type type;
	unsigned int offset;
	unsigned int size;
};

struct event_desc {
	enum event_kind kind;
	struct fmt fmt;			/* EVENT_PRINTF; .text for EVENT_TIME and EVENT_JOIN */
	struct event_arg *args;
	size_t nargs;
	unsigned int size;		/* the whole record, header included */
	size_t map;			/* EVENT_MAP_*: index in checked.maps */
	uint64_t top, div;		/* EVENT_MAP_PRINT */
};

/* Arguments of join(): at most this many, each a string of the usual size. */
#define JOIN_MAX_ARGS 16

#define EVENT_HDR_SIZE 8

struct sema_opts {
	unsigned int strlen;		/* string buffer bytes, NUL included */
	bool have_cpid;			/* -c was given */
	bool filter_pid;		/* -p: tracepoints fire only for one process */
	char **params;			/* $1, $2, ...: the words after the program */
	size_t nparams;
	unsigned int map_keys_max;	/* entries of each map */
};

struct checked {
	struct program *prog;
	struct sema_probe *probes;
	size_t nprobes;
	size_t probes_cap;
	struct tp_format **fmts;	/* one per distinct tracepoint */
	size_t nfmts;
	struct event_desc *events;
	size_t nevents;
	struct map_desc *maps;
	size_t nmaps;
	struct sema_opts opts;
};

/* Returns 0, -EINVAL after reporting errors through @d, or -ENOMEM. */
int sema_check(struct program *prog, const struct sema_opts *opts, struct diag *d,
	       struct checked *out);
void checked_free(struct checked *c);
/*
 * Offsets and sizes of every map's fields and keys, from their types: sema
 * calls it once all uses are seen, an artifact's reader on the types it read.
 */
void layout_maps(struct checked *c);
/* -d: the program with each expression's type, its probes and its maps. */
void checked_dump(const struct checked *c, FILE *out);
/* The builtin's name, for messages and the generated C's comments. */
const char *builtin_name(enum builtin b);
/* The i-th builtin's and function's names, NULL past the last: for completion. */
const char *sema_builtin_at(size_t i);
const char *sema_function_at(size_t i);

#endif
