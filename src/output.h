/* SPDX-License-Identifier: GPL-2.0 */
/* output: ring-buffer records -> text, formatted in user space from the event table. */
#ifndef PTRACE1_OUTPUT_H
#define PTRACE1_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sema.h"
#include "strbuf.h"

struct output {
	const struct checked *c;
	FILE *out;
	const int *map_fds;	/* one per c->maps */
	struct strbuf text;	/* reused for every record */
	uint64_t bad;		/* records that match no event: a ptrace1 bug if ever seen */
	bool exit;		/* the program called exit() */
	bool json;		/* -f json: one JSON object a line, bpftrace's types */
};

void output_init(struct output *o, const struct checked *c, const int *map_fds, bool json,
		 FILE *out);
/* "Attaching N probes..." on stderr, or the attached_probes object. */
void output_attached(struct output *o, size_t nprobes);
/* Records the ring buffer had no room for: "Lost N events", or lost_events. */
void output_lost(struct output *o, uint64_t n);
/* A libbpf ring_buffer_sample_fn: @ctx is the struct output. */
int output_record(void *ctx, void *data, size_t size);
/* Every non-empty map, in name order, as bpftrace prints them at exit. */
int output_maps(struct output *o);
void output_free(struct output *o);

#endif
