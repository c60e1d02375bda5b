/* SPDX-License-Identifier: GPL-2.0 */
/* output: ring-buffer records -> text, formatted in user space from the event table. */
#ifndef PTRACE1_OUTPUT_H
#define PTRACE1_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sema.h"
#include "strbuf.h"

struct output {
	const struct checked *c;
	FILE *out;
	struct strbuf text;	/* reused for every record */
	uint64_t bad;		/* records that match no event: a ptrace1 bug if ever seen */
};

void output_init(struct output *o, const struct checked *c, FILE *out);
/* A libbpf ring_buffer_sample_fn: @ctx is the struct output. */
int output_record(void *ctx, void *data, size_t size);
/* Sum of the per-CPU count of records the ring buffer had no room for. */
int output_lost(int lost_map_fd, uint64_t *total);
void output_free(struct output *o);

#endif
