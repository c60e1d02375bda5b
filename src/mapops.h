/* SPDX-License-Identifier: GPL-2.0 */
/* mapops: what user space does to the program's maps: clear, zero, read counters. */
#ifndef PTRACE1_MAPOPS_H
#define PTRACE1_MAPOPS_H

#include <stdbool.h>
#include <stdint.h>

#include "mapdesc.h"

/* Delete every element.  Returns 0 or -errno. */
int mapops_clear(int fd, const struct map_desc *m);
/* Set every element's value (on every CPU) to zero.  Returns 0 or -errno. */
int mapops_zero(int fd, const struct map_desc *m);
/* Entry @index of a per-CPU array of counters, summed over CPUs. */
int mapops_percpu_sum(int fd, uint32_t index, uint64_t *n);

#endif
