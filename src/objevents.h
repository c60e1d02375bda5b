/* SPDX-License-Identifier: GPL-2.0 */
/*
 * objevents: the records a BPF object's programs send to user space through
 * its ring buffers (BPF_MAP_TYPE_RINGBUF) and perf buffers
 * (BPF_MAP_TYPE_PERF_EVENT_ARRAY), printed with the object's BTF.
 *
 * BTF does not say what a record is.  The type is the struct that a global
 * pointer variable points to, the convention bpf2go, eunomia-bpf and
 * Inspektor Gadget programs follow to keep it in BTF:
 *
 *     struct event *unused_event __attribute__((unused));
 *
 * When several such structs exist, the one named `event`; when there is no
 * such variable, a struct named `event`; else records print as bytes.
 */
#ifndef PTRACE1_OBJEVENTS_H
#define PTRACE1_OBJEVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/types.h>

#include "loop.h"
#include "strbuf.h"

struct bpf_object;
struct btf;
struct ring_buffer;
struct perf_buffer;

/* One ring buffer or perf buffer map. */
struct objevent_map {
	struct objevents *ev;
	const char *name;
	struct perf_buffer *pb;	/* perf buffers: each has its own */
};

struct objevents {
	const struct btf *btf;
	__u32 type;		/* the records' struct, or 0: bytes */
	FILE *out;
	bool json;
	bool named;		/* more than one map: each record says which */
	struct ring_buffer *rb;	/* every ring buffer map */
	struct objevent_map *maps;
	size_t nmaps;
	struct strbuf text;	/* reused for every record */
	uint64_t lost;		/* perf buffer records the kernel dropped */
	int err;		/* a write failed */
};

/* The struct the records of @btf's programs are, or 0. */
__u32 objevents_type(const struct btf *btf);
/*
 * Consume every ring buffer and perf buffer of @obj (loaded) through @l,
 * records written to @out as text or JSON.  Returns 0 or -errno.
 */
int objevents_open(struct objevents *ev, struct bpf_object *obj, struct loop *l, bool json,
		   FILE *out);
/* Everything still in the buffers, and a warning if records were lost. */
int objevents_finish(struct objevents *ev);
/* Safe on a zeroed struct. */
void objevents_close(struct objevents *ev);

#endif
