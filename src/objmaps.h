/* SPDX-License-Identifier: GPL-2.0 */
/*
 * objmaps: a BPF object's maps at exit, printed with its BTF, in name
 * order, each entry a line (text) or each map an object (JSON):
 *
 *     counts[1234]: 5
 *     stats[{pid: 1234, comm: "ptwl"}]: {calls: 3, bytes: 3}
 *     {"type": "map", "data": {"counts": [{"key": 1234, "value": 5}]}}
 *
 * Hash, LRU hash, array and LPM trie maps and their per-CPU forms; not the
 * .rodata, .data and .bss of globals, nor ring buffers and the like.
 * Entries sorted by key; arrays without their all-zero entries; per-CPU
 * values summed when they are numbers, else one per CPU.
 */
#ifndef PTRACE1_OBJMAPS_H
#define PTRACE1_OBJMAPS_H

#include <stdbool.h>
#include <stdio.h>

struct bpf_object;

/* Returns 0 or -errno. */
int objmaps_print(struct bpf_object *obj, bool json, FILE *out);

#endif
