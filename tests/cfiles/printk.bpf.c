// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_printk lines of one process: with up to three arguments
 * (bpf_trace_printk), with more (bpf_trace_vprintk), and one of two lines.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "comm_filter.h"

char LICENSE[] SEC("license") = "GPL";

/* tracepoint/syscalls/sys_enter_write: every argument takes 8 bytes. */
struct write_args {
	__u64 common;
	__s64 nr;
	__u64 fd, buf, count;
};

SEC("tp/syscalls/sys_enter_write")
int on_write(struct write_args *ctx)
{
	char comm[TASK_COMM_LEN];
	int pid = bpf_get_current_pid_tgid() >> 32;

	bpf_get_current_comm(comm, sizeof(comm));
	if (!comm_matches(comm))
		return 0;
	bpf_printk("write of %d by %s", (int)ctx->count, comm);
	bpf_printk("fd %d count %d pid %d comm %s", (int)ctx->fd, (int)ctx->count, pid, comm);
	bpf_printk("first line\nsecond line %d\n", pid);
	return 0;
}
