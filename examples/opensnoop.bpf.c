// SPDX-License-Identifier: GPL-2.0
/*
 * opensnoop.bpf.c: the files processes open, as they open them, and how
 * many each command opened.  A BPF C file in the libbpf style, which
 * ptrace1 compiles and runs itself (ptrace1(8), BPF C FILES):
 *
 *     ptrace1 examples/opensnoop.bpf.c
 *     ptrace1 --set targ_comm=cat -c 'cat /etc/hostname' examples/opensnoop.bpf.c
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define TASK_COMM_LEN 16
#define PATH_LEN 128

/* Set with --set: a process id and a command name; 0 and "" trace all. */
const volatile int targ_pid = 0;
const volatile char targ_comm[TASK_COMM_LEN] = "";

struct event {
	int pid;
	char comm[TASK_COMM_LEN];
	int flags;
	char filename[PATH_LEN];
};

/* Keeps struct event in BTF, which tells ptrace1 what a record is. */
struct event *unused_event __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* Opens by command, printed when the run ends. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, char[TASK_COMM_LEN]);
	__type(value, __u64);
} opens SEC(".maps");

/* The record of tracepoint syscalls:sys_enter_openat: each argument takes 8 bytes. */
struct openat_args {
	__u64 common;
	__s64 syscall_nr;
	__s64 dfd;
	const char *filename;
	__s64 flags;
	__s64 mode;
};

static int wanted(const char *comm)
{
	if (!targ_comm[0])
		return 1;
	for (int i = 0; i < TASK_COMM_LEN; i++) {
		if (comm[i] != targ_comm[i])
			return 0;
		if (!comm[i])
			break;
	}
	return 1;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int trace_openat(struct openat_args *ctx)
{
	int pid = bpf_get_current_pid_tgid() >> 32;
	char comm[TASK_COMM_LEN];
	struct event *e;
	__u64 one = 1, *n;

	if (targ_pid && pid != targ_pid)
		return 0;
	bpf_get_current_comm(comm, sizeof(comm));
	if (!wanted(comm))
		return 0;
	n = bpf_map_lookup_elem(&opens, comm);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&opens, comm, &one, BPF_NOEXIST);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = pid;
	__builtin_memcpy(e->comm, comm, sizeof(e->comm));
	e->flags = ctx->flags;
	bpf_probe_read_user_str(e->filename, sizeof(e->filename), ctx->filename);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
