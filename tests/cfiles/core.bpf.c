// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE, as the libbpf tools write it: kernel types from a vmlinux.h of the
 * running kernel (bpftool btf dump file /sys/kernel/btf/vmlinux format c),
 * read with BPF_CORE_READ; a tp_btf and a raw_tp program.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "comm_filter.h"

char LICENSE[] SEC("license") = "GPL";

struct parent {
	int ppid;
	char comm[TASK_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, int);
	__type(value, struct parent);
} parent_of SEC(".maps");

/* System calls by number. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, long);
	__type(value, u64);
} calls SEC(".maps");

static bool traced(void)
{
	char comm[TASK_COMM_LEN];

	bpf_get_current_comm(comm, sizeof(comm));
	return comm_matches(comm);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct parent p = {};
	int pid;

	if (!traced())
		return 0;
	pid = BPF_CORE_READ(task, tgid);
	p.ppid = BPF_CORE_READ(task, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&p.comm, task, real_parent, comm);
	bpf_map_update_elem(&parent_of, &pid, &p, BPF_ANY);
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(on_raw_enter, struct pt_regs *regs, long id)
{
	u64 one = 1, *n;

	if (!traced())
		return 0;
	n = bpf_map_lookup_elem(&calls, &id);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&calls, &id, &one, BPF_NOEXIST);
	return 0;
}
