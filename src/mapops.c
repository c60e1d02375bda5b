// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "mapops.h"

/* Bytes of one lookup: per-CPU maps return a value per possible CPU, each rounded to 8. */
static size_t value_bytes(const struct map_desc *m)
{
	size_t one = (m->value_size + 7) & ~(size_t)7;
	int ncpus = m->percpu ? libbpf_num_possible_cpus() : 1;

	return one * (ncpus > 0 ? (size_t)ncpus : 1);
}

int mapops_clear(int fd, const struct map_desc *m)
{
	void *key = calloc(1, m->key_size);
	int err = 0;

	if (!key)
		return -ENOMEM;
	/* Deleting while walking skips keys; take the first one again each time. */
	while (!bpf_map_get_next_key(fd, NULL, key)) {
		if (bpf_map_delete_elem(fd, key) && errno != ENOENT) {
			err = -errno;
			break;
		}
	}
	free(key);
	return err;
}

int mapops_zero(int fd, const struct map_desc *m)
{
	void *key = calloc(1, m->key_size), *next = calloc(1, m->key_size);
	void *zero = calloc(1, value_bytes(m));
	void *prev = NULL;
	int err = 0;

	if (!key || !next || !zero) {
		err = -ENOMEM;
		goto out;
	}
	while (!bpf_map_get_next_key(fd, prev, next)) {
		if (bpf_map_update_elem(fd, next, zero, BPF_EXIST) && errno != ENOENT) {
			err = -errno;
			break;
		}
		memcpy(key, next, m->key_size);
		prev = key;
	}
out:
	free(key);
	free(next);
	free(zero);
	return err;
}

int mapops_percpu_sum(int fd, uint32_t index, uint64_t *n)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t *vals;

	*n = 0;
	if (ncpus <= 0)
		return ncpus ?: -EINVAL;
	vals = calloc(ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &index, vals)) {
		free(vals);
		return -errno;
	}
	for (int i = 0; i < ncpus; i++)
		*n += vals[i];
	free(vals);
	return 0;
}
