/* SPDX-License-Identifier: GPL-2.0 */
/* suggest: "did you mean ...?" by edit distance. */
#ifndef PTRACE1_SUGGEST_H
#define PTRACE1_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance of @a and @b; large (>= 1000) for very long words. */
size_t suggest_distance(const char *a, const char *b);
/* The candidate closest to @word when close enough to be a likely typo, else NULL. */
const char *suggest_best(const char *word, const char *const *cands, size_t n);
/* Whether distance @d from @word is close enough to suggest. */
int suggest_close(const char *word, size_t d);

#endif
