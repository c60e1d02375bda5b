// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "suggest.h"

/* Edit distance where swapping two neighbours is one edit (pdi -> pid). */
size_t suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), rows[3][128], best;
	size_t *pp, *prev, *cur;

	if (la >= 128 || lb >= 128)
		return 1000;
	prev = rows[1];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	pp = rows[0];
	cur = rows[2];
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			cur[j] = best;
		}
		/* Rotate: the row before last, the last, the next. */
		{
			size_t *t = pp;

			pp = prev;
			prev = cur;
			cur = t;
		}
	}
	return prev[lb];
}

int suggest_close(const char *word, size_t d)
{
	size_t len = strlen(word);

	return d <= 3 && d * 3 <= len + 1;
}

const char *suggest_best(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, d;

	for (size_t i = 0; i < n; i++) {
		d = suggest_distance(word, cands[i]);
		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	return best && suggest_close(word, bestd) ? best : NULL;
}
