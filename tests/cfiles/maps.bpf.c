// SPDX-License-Identifier: GPL-2.0
/*
 * Maps that ptrace1 prints at exit: a hash with struct keys and values, an
 * array, a string-keyed hash, per-CPU maps; counting the write(2) calls of
 * processes named comm_filter.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "comm_filter.h"
/* How much each call adds to total. */
const volatile __u32 step = 1;
const volatile bool count_bytes = true;
/* Settable by no --set: only integers, bools, enums and char arrays are. */
const volatile struct limits {
	int lo, hi;
} limits = { 0, 100 };

struct task_key {
	int pid;
	char comm[TASK_COMM_LEN];
};

struct write_stats {
	__u64 calls;
	__u64 bytes;
	int last_fd;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct task_key);
	__type(value, struct write_stats);
} by_task SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} by_fd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, char[TASK_COMM_LEN]);
	__type(value, __u64);
} by_comm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} total SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, int);
	__type(value, struct write_stats);
} per_pid SEC(".maps");

/* Per CPU and not a number: printed one value per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[TASK_COMM_LEN]);
} last_comm SEC(".maps");

/* tracepoint/syscalls/sys_enter_write: every argument takes 8 bytes. */
struct write_args {
	__u64 common;
	__s64 syscall_nr;
	__u64 fd;
	const void *buf;
	__u64 count;
};

char LICENSE[] SEC("license") = "GPL";

static void count(struct write_stats *s, struct write_args *ctx)
{
	__sync_fetch_and_add(&s->calls, 1);
	if (count_bytes)
		__sync_fetch_and_add(&s->bytes, ctx->count);
	s->last_fd = ctx->fd;
}

SEC("tracepoint/syscalls/sys_enter_write")
int on_write(struct write_args *ctx)
{
	struct task_key key = { .pid = bpf_get_current_pid_tgid() >> 32 };
	struct write_stats zero_stats = { 0 }, *s;
	__u32 zero = 0, fd = ctx->fd;
	__u64 one = 1, *n;
	char *last;

	bpf_get_current_comm(key.comm, sizeof(key.comm));
	if (!comm_matches(key.comm) || limits.lo > limits.hi)
		return 0;
	bpf_map_update_elem(&by_task, &key, &zero_stats, BPF_NOEXIST);
	s = bpf_map_lookup_elem(&by_task, &key);
	if (s)
		count(s, ctx);
	if (fd < 16) {
		n = bpf_map_lookup_elem(&by_fd, &fd);
		if (n)
			__sync_fetch_and_add(n, 1);
	}
	n = bpf_map_lookup_elem(&by_comm, key.comm);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&by_comm, key.comm, &one, BPF_NOEXIST);
	n = bpf_map_lookup_elem(&total, &zero);
	if (n)
		*n += step;
	bpf_map_update_elem(&per_pid, &key.pid, &zero_stats, BPF_NOEXIST);
	s = bpf_map_lookup_elem(&per_pid, &key.pid);
	if (s)
		count(s, ctx);
	last = bpf_map_lookup_elem(&last_comm, &zero);
	if (last)
		__builtin_memcpy(last, key.comm, TASK_COMM_LEN);
	return 0;
}
