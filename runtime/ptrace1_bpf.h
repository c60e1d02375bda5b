/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runtime every generated BPF program starts with.  It stands in for
 * the kernel and libbpf headers, so that a compile reads nothing from disk:
 * fixed-width types, the helpers ptrace1 calls (by their stable ids in
 * include/uapi/linux/bpf.h), BTF-defined map macros, and the maps every
 * program shares with ptrace1's user space.
 */
typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;

#define SEC(name) __attribute__((section(name), used))
#define __pt_inline inline __attribute__((always_inline, unused))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) __typeof__(val) *name
#define __array(name, val) __typeof__(val) *name[]

enum {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PROG_ARRAY = 3,
	BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_RINGBUF = 27,
};

/* A program uses some of these helpers, never all. */
#define PT_HELPER static __attribute__((unused))

PT_HELPER void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
PT_HELPER long (*bpf_map_update_elem)(void *map, const void *key, const void *value,
				   __u64 flags) = (void *)2;
PT_HELPER long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)3;
PT_HELPER __u64 (*bpf_ktime_get_ns)(void) = (void *)5;
PT_HELPER __u32 (*bpf_get_smp_processor_id)(void) = (void *)8;
PT_HELPER long (*bpf_tail_call)(void *ctx, void *prog_array, __u32 index) = (void *)12;
PT_HELPER __u64 (*bpf_get_current_pid_tgid)(void) = (void *)14;
PT_HELPER __u64 (*bpf_get_current_uid_gid)(void) = (void *)15;
PT_HELPER long (*bpf_get_current_comm)(void *buf, __u32 size) = (void *)16;
PT_HELPER long (*bpf_probe_read_user)(void *dst, __u32 size, const void *src) = (void *)112;
PT_HELPER long (*bpf_probe_read_kernel)(void *dst, __u32 size, const void *src) = (void *)113;
PT_HELPER long (*bpf_probe_read_user_str)(void *dst, __u32 size, const void *src) = (void *)114;
PT_HELPER long (*bpf_probe_read_kernel_str)(void *dst, __u32 size, const void *src) = (void *)115;
PT_HELPER __u64 (*bpf_get_attach_cookie)(void *ctx) = (void *)174;
PT_HELPER void *(*bpf_ringbuf_reserve)(void *ringbuf, __u64 size, __u64 flags) = (void *)131;
PT_HELPER void (*bpf_ringbuf_submit)(void *data, __u64 flags) = (void *)132;

/* Records for user space; its size is set by ptrace1 before loading. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ptrace1_events SEC(".maps");

/* Records the ring buffer had no room for, per CPU: reported, never silent. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} ptrace1_lost SEC(".maps");

/* Values ptrace1 knows only when it runs, set after loading. */
struct pt_config {
	__u64 cpid;
	__u64 start_ns;		/* for elapsed */
	__u64 pid;		/* -p: the process traced */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pt_config);
} ptrace1_config SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

static __pt_inline __u64 pt_cpid(void)
{
	__u32 zero = 0;
	struct pt_config *c = bpf_map_lookup_elem(&ptrace1_config, &zero);

	return c ? c->cpid : 0;
}

/* -p: whether the current task belongs to the process traced. */
static __pt_inline int pt_pid_match(void)
{
	__u32 zero = 0;
	struct pt_config *c = bpf_map_lookup_elem(&ptrace1_config, &zero);

	return c && bpf_get_current_pid_tgid() >> 32 == c->pid;
}

static __pt_inline __u64 pt_elapsed(void)
{
	__u32 zero = 0;
	struct pt_config *c = bpf_map_lookup_elem(&ptrace1_config, &zero);

	return c ? bpf_ktime_get_ns() - c->start_ns : 0;
}

/*
 * syscalls:sys_enter_* and sys_exit_* served by the raw sys_enter(regs, id)
 * and sys_exit(regs, ret) tracepoints on x86-64.  The record each probe sees
 * is the one perf gives a syscall tracepoint's program: the regs pointer in
 * the header, the syscall's number, then its arguments (or return value) in
 * 8-byte slots.  Like the syscall tracepoints, 32-bit syscalls are skipped.
 */
struct pt_raw_args {
	__u64 args[2];
};

#define PT_REGS_R10 56		/* r10, r9, r8, ax, cx, dx, si, di follow */
#define PT_REGS_ORIG_AX 120
#define PT_REGS_CS 136
#define PT_USER_CS 0x33		/* 64-bit user code */

static __pt_inline int pt_syscall_native(__u64 regs)
{
	__u64 cs;

	return !bpf_probe_read_kernel(&cs, sizeof(cs), (char *)regs + PT_REGS_CS) &&
	       (cs & 0xffff) == PT_USER_CS;
}

/*
 * @rec: 10 slots, the header and the number; with @args (some probe reads
 * the record) the arguments too, read into 2-9, then put in their order.
 */
static __pt_inline int pt_syscall_enter_rec(__u64 *rec, const struct pt_raw_args *raw, int args)
{
	__u64 r10, r9, r8, dx, si, di;

	if (!pt_syscall_native(raw->args[0]))
		return 0;
	rec[0] = raw->args[0];
	rec[1] = raw->args[1];
	if (!args)
		return 1;
	if (bpf_probe_read_kernel(rec + 2, 64, (char *)raw->args[0] + PT_REGS_R10))
		return 0;
	r10 = rec[2], r9 = rec[3], r8 = rec[4], dx = rec[7], si = rec[8], di = rec[9];
	rec[2] = di, rec[3] = si, rec[4] = dx, rec[5] = r10, rec[6] = r8, rec[7] = r9;
	return 1;
}

/* The syscall's number at sys_exit, or -1. */
static __pt_inline long pt_syscall_exit_nr(const struct pt_raw_args *raw)
{
	__u64 nr;

	if (bpf_probe_read_kernel(&nr, sizeof(nr), (char *)raw->args[0] + PT_REGS_ORIG_AX))
		return -1;
	return (long)nr;
}

/* Updates each map refused (it was full), per CPU, indexed by the map's number. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} ptrace1_map_full SEC(".maps");

static __pt_inline void pt_map_full(__u32 map)
{
	__u64 *n = bpf_map_lookup_elem(&ptrace1_map_full, &map);

	if (n)
		(*n)++;
}

#define BPF_ANY 0
#define BPF_NOEXIST 1
#define PT_EEXIST 17

/* Insert a zero value unless another CPU just did; count a full map. */
static __pt_inline void pt_map_insert(void *map, const void *key, const void *zero, __u32 id)
{
	long err = bpf_map_update_elem(map, key, zero, BPF_NOEXIST);

	if (err && err != -PT_EEXIST)
		pt_map_full(id);
}

static __pt_inline void pt_map_update(void *map, const void *key, const void *val, __u32 id)
{
	if (bpf_map_update_elem(map, key, val, BPF_ANY))
		pt_map_full(id);
}

/* Per-CPU values of min()/max() and of avg()/stats(): src/mapdesc.h reads them. */
struct pt_minmax {
	__s64 value;
	__u64 set;
};

struct pt_avg {
	__s64 total;
	__u64 count;
};

/* hist() buckets: 0 below zero, 1 for zero, 2 + floor(log2(v)) above. */
static __pt_inline __u64 pt_hist_bucket(__s64 v)
{
	__u64 u = v, b = 2;

	if (v < 0)
		return 0;
	if (v == 0)
		return 1;
	if (u >> 32) { u >>= 32; b += 32; }
	if (u >> 16) { u >>= 16; b += 16; }
	if (u >> 8) { u >>= 8; b += 8; }
	if (u >> 4) { u >>= 4; b += 4; }
	if (u >> 2) { u >>= 2; b += 2; }
	if (u >> 1) b += 1;
	return b;
}

/* lhist() buckets: 0 below min, 1 + (v - min) / step inside, the last from max on. */
static __pt_inline __u64 pt_lhist_bucket(__s64 v, __s64 min, __s64 max, __s64 step)
{
	if (v < min)
		return 0;
	if (v >= max)
		return 1 + (__u64)(max - min) / (__u64)step;
	return 1 + (__u64)(v - min) / (__u64)step;
}

/* Every record starts with the index of its entry in ptrace1's event table. */
struct pt_event_hdr {
	__u32 id;
	__u32 pad;
};

static __pt_inline void *pt_event_reserve(__u64 size, __u32 id)
{
	struct pt_event_hdr *h = bpf_ringbuf_reserve(&ptrace1_events, size, 0);
	__u32 zero = 0;
	__u64 *lost;

	if (h) {
		h->id = id;
		h->pad = 0;
		return h;
	}
	lost = bpf_map_lookup_elem(&ptrace1_lost, &zero);
	if (lost)
		(*lost)++;
	return 0;
}

/*
 * String equality of a buffer with a literal of @n bytes, its NUL included.
 * A bounded loop: the verifier (kernel >= 5.3) walks it, clang may unroll it.
 */
static __pt_inline int pt_streq(const char *buf, __u32 size, const char *lit, __u32 n)
{
	for (__u32 i = 0; i < n && i < size; i++) {
		if (buf[i] != lit[i])
			return 0;
		if (!lit[i])
			return 1;
	}
	/* The literal is longer than the buffer can hold. */
	return n <= size;
}

/* String equality of two buffers. */
static __pt_inline int pt_strbufeq(const char *a, const char *b, __u32 n)
{
	for (__u32 i = 0; i < n; i++) {
		if (a[i] != b[i])
			return 0;
		if (!a[i])
			return 1;
	}
	return 1;
}

/* The BPF instruction set before v4 has only unsigned division. */
static __pt_inline __s64 pt_sdiv(__s64 a, __s64 b)
{
	__u64 ua = a < 0 ? -(__u64)a : (__u64)a;
	__u64 ub = b < 0 ? -(__u64)b : (__u64)b;
	__u64 q;

	if (!b)
		return 0;
	q = ua / ub;
	return (a < 0) != (b < 0) ? -(__s64)q : (__s64)q;
}

static __pt_inline __s64 pt_smod(__s64 a, __s64 b)
{
	__u64 ua = a < 0 ? -(__u64)a : (__u64)a;
	__u64 ub = b < 0 ? -(__u64)b : (__u64)b;
	__u64 r;

	if (!b)
		return a;
	r = ua % ub;
	return a < 0 ? -(__s64)r : (__s64)r;
}
