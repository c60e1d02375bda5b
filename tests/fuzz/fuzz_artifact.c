// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_artifact: libFuzzer over the artifact reader, as run_artifact()
 * calls it, and over what output and the map printer then trust of what it
 * read: a record of every event, laid out as the reader says, is formatted,
 * and every map is printed with entries made of the input's bytes.  Nothing
 * is loaded, and the kernel's layouts are not read.
 *
 * The checksum is made right for every input, so that mutations reach the
 * checks of the contents (a wrong one is refused first, and tested in
 * tests/unit/test_artifact.c).  Beside the sanitizers, it aborts when what
 * the reader accepted, written again, is not read back to the same bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "artifact.h"
#include "hash.h"
#include "mapprint.h"
#include "output.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "w");
	if (!devnull) {
		perror("fuzz_artifact: /dev/null");
		exit(1);
	}
	return 0;
}

/* @n bytes of the input, over and over: what a record or an entry holds. */
static void fill(void *dst, size_t n, const uint8_t *data, size_t size)
{
	unsigned char *p = dst;

	for (size_t i = 0; i < n; i++)
		p[i] = size ? data[i % size] : 0;
}

/* Written again and read again, the same bytes: nothing read was lost or changed. */
static void check_canonical(const struct artifact *a)
{
	struct strbuf once, twice;
	struct artifact_error err;
	struct artifact b;

	sb_init(&once);
	sb_init(&twice);
	if (artifact_encode(a, &once))
		goto out;
	if (artifact_decode(once.buf, once.len, &b, &err)) {
		fprintf(stderr, "fuzz_artifact: an accepted artifact, written again, is refused: %s\n",
			err.msg);
		abort();
	}
	if (!artifact_encode(&b, &twice) &&
	    (once.len != twice.len || memcmp(once.buf, twice.buf, once.len))) {
		fprintf(stderr, "fuzz_artifact: an artifact read back is written otherwise\n");
		abort();
	}
	artifact_free(&b);
out:
	sb_free(&once);
	sb_free(&twice);
}

/* A record of each event that is not about a map, as output formats it. */
static void format_events(const struct artifact *a, const uint8_t *data, size_t size)
{
	struct output out;
	uint32_t id;
	char *rec;

	for (int json = 0; json < 2; json++) {
		output_init(&out, &a->c, NULL, json, devnull);
		for (size_t i = 0; i < a->c.nevents; i++) {
			const struct event_desc *e = &a->c.events[i];

			if (e->kind >= EVENT_MAP_PRINT)
				continue;
			rec = malloc(e->size);
			if (!rec)
				break;
			fill(rec, e->size, data, size);
			id = (uint32_t)i;
			memcpy(rec, &id, sizeof(id));
			output_record(&out, rec, e->size);
			free(rec);
		}
		output_free(&out);
	}
}

/* Each map, with two entries of the input's bytes, printed as print(@m, top, div) would. */
static void print_maps(const struct artifact *a, const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < a->c.nmaps; i++) {
		const struct map_desc *m = &a->c.maps[i];
		struct map_entries e = { 0 };
		struct map_entry *ent;
		struct strbuf text;

		for (size_t k = 0; k < 2; k++) {
			ent = map_entries_add(&e, m, NULL);
			if (!ent)
				break;
			fill(ent->key, m->user_key_size, data + k, size - k);
			if (ent->value)
				fill(ent->value, m->value_size, data, size);
			fill(&ent->val, sizeof(ent->val), data + k, size - k);
			fill(&ent->count, sizeof(ent->count), data, size);
			if (ent->buckets)
				fill(ent->buckets, mapprint_nbuckets(m) * sizeof(*ent->buckets), data,
				     size);
		}
		sb_init(&text);
		mapprint_format(m, &e, 0, 0, &text);
		mapprint_format(m, &e, 1, 3, &text);
		mapprint_format_json(m, &e, 0, 0, &text);
		mapprint_format_json(m, &e, 1, 3, &text);
		sb_free(&text);
		map_entries_free(&e);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct artifact_error err;
	struct artifact a;
	uint64_t sum;
	uint8_t *copy;
	int ret;

	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (size >= 8) {
		sum = hash_fnv1a(HASH_FNV1A_INIT, copy, size - 8);
		for (int i = 0; i < 8; i++)
			copy[size - 8 + i] = (uint8_t)(sum >> (8 * i));
	}
	ret = artifact_decode(copy, size, &a, &err);
	if (!ret) {
		check_canonical(&a);
		format_events(&a, data, size);
		print_maps(&a, data, size);
		artifact_free(&a);
	} else if (ret != -ENOMEM && !err.msg[0]) {
		fprintf(stderr, "fuzz_artifact: refused with no message\n");
		abort();
	}
	free(copy);
	return 0;
}
