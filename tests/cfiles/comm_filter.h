/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process the test programs trace, by name: set with --set
 * comm_filter=NAME.  Included as "comm_filter.h", from the file's directory.
 */
#define TASK_COMM_LEN 16

const volatile char comm_filter[TASK_COMM_LEN] = "ptwl";

static int comm_matches(const char *comm)
{
	for (int i = 0; i < TASK_COMM_LEN; i++) {
		if (comm[i] != comm_filter[i])
			return 0;
		if (!comm[i])
			return 1;
	}
	return 1;
}
