/* SPDX-License-Identifier: GPL-2.0 */
/* FNV-1a, 64 bits: the cache's keys, the artifact's checksum. */
#ifndef PTRACE1_HASH_H
#define PTRACE1_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV1A_INIT 0xcbf29ce484222325ull

/* Continue hash @h over @len bytes: any one byte changed changes it. */
static inline uint64_t hash_fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

#endif
