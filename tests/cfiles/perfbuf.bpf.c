// SPDX-License-Identifier: GPL-2.0
/*
 * Records through a perf buffer: one per getppid(2) of a process named
 * comm_filter, numbered by a global counter (in .bss, not printed as a map).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "comm_filter.h"

struct call {
	__u32 pid;
	__u32 tid;
	__u64 nr;
	char comm[TASK_COMM_LEN];
	__s16 delta[2];
};

/* Keeps struct call in BTF: the records' type (ptrace1(8), BPF C FILES). */
const struct call *unused_call __attribute__((unused));

__u64 calls;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} calls_out SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

SEC("tp/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct call c = { .pid = id >> 32, .tid = (__u32)id, .delta = { -1, 1 } };

	bpf_get_current_comm(c.comm, sizeof(c.comm));
	if (!comm_matches(c.comm))
		return 0;
	c.nr = __sync_fetch_and_add(&calls, 1) + 1;
	bpf_perf_event_output(ctx, &calls_out, BPF_F_CURRENT_CPU, &c, sizeof(c));
	return 0;
}
