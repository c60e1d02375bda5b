// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "suggest.h"

size_t suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[128], prev, tmp, best;

	if (la >= 128 || lb >= 128)
		return 1000;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
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
