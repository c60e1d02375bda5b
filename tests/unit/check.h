/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the unit tests share: the count of failed checks, which main() turns
 * into the exit status, and CHECK(), which prints a failed condition with
 * its place and counts it.
 */
#ifndef PTRACE1_TEST_CHECK_H
#define PTRACE1_TEST_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond) do {						\
		if (!(cond)) {						\
			printf("FAIL: %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
			failures++;					\
		}							\
	} while (0)

#endif
