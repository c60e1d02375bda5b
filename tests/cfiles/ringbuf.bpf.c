// SPDX-License-Identifier: GPL-2.0
/*
 * Records through a ring buffer: one per openat(2) of a process named
 * comm_filter, with what ptrace1 decodes from BTF: integers, strings, a
 * bool, an enum.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "comm_filter.h"

#define NAME_LEN 64
#define O_CREAT 0100

enum open_kind { OPEN_READ, OPEN_WRITE, OPEN_READ_WRITE };

struct event {
	int pid;
	unsigned int seq;
	char comm[TASK_COMM_LEN];
	char filename[NAME_LEN];
	long flags;
	bool created;
	enum open_kind kind;
};

/* The records: of type struct event, which the pointer below keeps in BTF. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} records SEC(".maps");
struct event *unused_event __attribute__((unused));

/* The records sent so far: a sequence number for each. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} sent SEC(".maps");

/* A syscall tracepoint's record: the arguments are 8 bytes each. */
struct syscall_args {
	__u64 common;
	__s64 nr;
	__u64 args[6];
};

char LICENSE[] SEC("license") = "GPL";

SEC("tracepoint/syscalls/sys_enter_openat")
int on_openat(struct syscall_args *ctx)
{
	char comm[TASK_COMM_LEN];
	struct event *e;
	__u32 zero = 0, *n;

	bpf_get_current_comm(comm, sizeof(comm));
	if (!comm_matches(comm))
		return 0;
	n = bpf_map_lookup_elem(&sent, &zero);
	if (!n)
		return 0;
	e = bpf_ringbuf_reserve(&records, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->seq = __sync_fetch_and_add(n, 1);
	__builtin_memcpy(e->comm, comm, sizeof(e->comm));
	/* openat(dfd, filename, flags, mode) */
	bpf_probe_read_user_str(e->filename, sizeof(e->filename), (const char *)ctx->args[1]);
	e->flags = ctx->args[2];
	e->created = e->flags & O_CREAT;
	e->kind = (e->flags & 3) == 0 ? OPEN_READ : (e->flags & 3) == 1 ? OPEN_WRITE
									: OPEN_READ_WRITE;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
