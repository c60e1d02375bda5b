// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/capability.h>
#include <linux/perf_event.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "load.h"
#include "strbuf.h"

/* libbpf reports through a global callback; the loader owning it collects the text. */
static struct strbuf *libbpf_log;
static int libbpf_verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list aq;

	if (libbpf_verbose > 1 || (libbpf_verbose && level != LIBBPF_DEBUG)) {
		va_copy(aq, ap);
		vfprintf(stderr, fmt, aq);
		va_end(aq);
	}
	if (libbpf_log && level != LIBBPF_DEBUG)
		sb_vprintf(libbpf_log, fmt, ap);
	return 0;
}

#define CAP_PERFMON_BIT 38
#define CAP_BPF_BIT 39

static bool has_cap(const struct __user_cap_data_struct *data, unsigned int cap)
{
	return data[cap / 32].effective & (1u << (cap % 32));
}

/* Root without the capabilities (a container, a service) cannot trace either. */
int load_check_privileges(struct fault *f)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };
	int err;

	memset(f, 0, sizeof(*f));
	if (syscall(SYS_capget, &hdr, data)) {
		err = -errno;
		snprintf(f->msg, sizeof(f->msg), "cannot read this process's capabilities: %s",
			 strerror(-err));
		return err;
	}
	/* Before Linux 5.8, CAP_SYS_ADMIN alone. */
	if ((has_cap(data, CAP_BPF_BIT) && has_cap(data, CAP_PERFMON_BIT)) ||
	    has_cap(data, CAP_SYS_ADMIN))
		return 0;
	if (geteuid()) {
		snprintf(f->msg, sizeof(f->msg),
			 "tracing needs root (or the CAP_BPF and CAP_PERFMON capabilities)");
	} else {
		snprintf(f->msg, sizeof(f->msg),
			 "tracing needs the CAP_BPF and CAP_PERFMON capabilities (or CAP_SYS_ADMIN), "
			 "and this root process lacks them");
		snprintf(f->hint, sizeof(f->hint),
			 "a container or service that runs as root must be granted them");
	}
	return -EPERM;
}

int load_check_kernel(struct fault *f)
{
	int fd, err;

	memset(f, 0, sizeof(*f));
	/* Any map will do: whether bpf(2) is there, and this process's to use. */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	if (fd < 0) {
		err = -errno;
		if (err == -ENOSYS) {
			snprintf(f->msg, sizeof(f->msg), "this kernel has no BPF (bpf(2): %s)",
				 strerror(-err));
			snprintf(f->hint, sizeof(f->hint),
				 "ptrace1 needs a kernel built with CONFIG_BPF_SYSCALL");
		} else if (err == -EPERM || err == -EACCES) {
			snprintf(f->msg, sizeof(f->msg),
				 "the kernel does not let this process use BPF (bpf(2): %s)",
				 strerror(-err));
			snprintf(f->hint, sizeof(f->hint),
				 "in a user namespace or a container, BPF needs CAP_BPF in the host's "
				 "namespace, and a seccomp profile that allows bpf(2)");
		} else {
			snprintf(f->msg, sizeof(f->msg), "BPF is unavailable (bpf(2): %s)",
				 strerror(-err));
		}
		return err;
	}
	close(fd);
	err = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
	if (err > 0)
		return 0;
	if (!err) {
		snprintf(f->msg, sizeof(f->msg),
			 "this kernel has no BPF ring buffer, which ptrace1 needs (Linux 5.8 or later)");
		return -EOPNOTSUPP;
	}
	snprintf(f->msg, sizeof(f->msg), "cannot ask the kernel for BPF ring buffers: %s",
		 strerror(-err));
	return err;
}

/*
 * Every program and every link holds a file descriptor: a few hundred probes
 * need more than the usual soft limit of 1024.  The -c command, started
 * before, keeps the usual limit; so does whatever runs after load_close.
 */
static void raise_fd_limit(struct loaded *l)
{
	struct rlimit raised;

	if (getrlimit(RLIMIT_NOFILE, &l->nofile) || l->nofile.rlim_cur == l->nofile.rlim_max)
		return;
	raised = (struct rlimit){ .rlim_cur = l->nofile.rlim_max, .rlim_max = l->nofile.rlim_max };
	l->nofile_raised = !setrlimit(RLIMIT_NOFILE, &raised);
}

/* Whether map @name of the object is what ptrace1 reads it as (an artifact may be crafted). */
static bool map_is(struct loaded *l, const char *name, enum bpf_map_type type, uint32_t key_size,
		   uint32_t value_size)
{
	struct bpf_map *map = bpf_object__find_map_by_name(l->obj, name);

	if (!map)
		snprintf(l->mismatch, sizeof(l->mismatch), "it has no map %s", name);
	else if (bpf_map__type(map) != type || bpf_map__key_size(map) != key_size ||
		 bpf_map__value_size(map) != value_size)
		snprintf(l->mismatch, sizeof(l->mismatch),
			 "its map %s has type %d, %u-byte keys and %u-byte values, not type %d, %u and %u",
			 name, (int)bpf_map__type(map), bpf_map__key_size(map),
			 bpf_map__value_size(map), (int)type, key_size, value_size);
	else
		return true;
	return false;
}

/* The runtime's maps, and the program's as its descriptions lay them out. */
static int check_maps(struct loaded *l, const struct load_opts *o, size_t config_size)
{
	struct bpf_map *events = bpf_object__find_map_by_name(l->obj, "ptrace1_events");
	char name[128];

	if (!events || bpf_map__type(events) != BPF_MAP_TYPE_RINGBUF) {
		snprintf(l->mismatch, sizeof(l->mismatch), "it has no ring buffer ptrace1_events");
		return -EBADMSG;
	}
	if (!map_is(l, "ptrace1_config", BPF_MAP_TYPE_ARRAY, 4, (uint32_t)config_size) ||
	    !map_is(l, "ptrace1_lost", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8) ||
	    !map_is(l, "ptrace1_map_full", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8))
		return -EBADMSG;
	for (size_t i = 0; i < o->nmaps; i++) {
		const struct map_desc *m = &o->maps[i];

		snprintf(name, sizeof(name), "AT_%s", m->name);
		if (!map_is(l, name, m->percpu ? BPF_MAP_TYPE_PERCPU_HASH : BPF_MAP_TYPE_HASH,
			    m->key_size, m->value_size))
			return -EBADMSG;
	}
	return 0;
}

/* libbpf's messages from now to capture_end() go to @log. */
static void capture_start(struct strbuf *log, int verbose)
{
	sb_init(log);
	libbpf_log = log;
	libbpf_verbose = verbose;
	libbpf_set_print(libbpf_print);
}

/* ... and are kept, after those of earlier steps, in l->log. */
static void capture_end(struct strbuf *log, struct loaded *l)
{
	struct strbuf all;

	libbpf_log = NULL;
	sb_init(&all);
	sb_add(&all, l->log ? l->log : "", l->log_len);
	sb_add(&all, log->buf ? log->buf : "", log->len);
	sb_free(log);
	free(l->log);
	l->log_len = all.len;
	l->log = sb_steal(&all);
}

int load_open(const void *obj, size_t len, const char *name, int verbose, struct loaded *l)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = name);
	struct strbuf log;
	int err = 0;

	memset(l, 0, sizeof(*l));
	l->verbose = verbose;
	raise_fd_limit(l);
	capture_start(&log, verbose);
	l->obj = bpf_object__open_mem(obj, len, &opts);
	if (!l->obj)
		err = -errno;
	capture_end(&log, l);
	return err;
}

int load_programs(struct loaded *l)
{
	struct strbuf log;
	int err;

	capture_start(&log, l->verbose);
	err = bpf_object__load(l->obj);
	capture_end(&log, l);
	return err;
}

int load_object(const void *obj, size_t len, const struct load_opts *o, struct loaded *l)
{
	/* struct pt_config in runtime/ptrace1_bpf.h */
	uint64_t config[3] = { o->cpid, o->start_ns, o->pid };
	struct bpf_map *map;
	uint32_t zero = 0;
	int err, fd;

	err = load_open(obj, len, "ptrace1", o->verbose, l);
	if (err)
		return err;
	err = check_maps(l, o, sizeof(config));
	if (err)
		return err;
	map = bpf_object__find_map_by_name(l->obj, "ptrace1_events");
	err = bpf_map__set_max_entries(map, (uint32_t)o->ringbuf_bytes);
	if (err)
		return err;
	map = bpf_object__find_map_by_name(l->obj, "ptrace1_map_full");
	err = bpf_map__set_max_entries(map, o->nmaps ? (uint32_t)o->nmaps : 1);
	if (err)
		return err;
	err = load_programs(l);
	if (err)
		return err;
	fd = load_map_fd(l, "ptrace1_config");
	if (fd < 0)
		return fd;
	return bpf_map_update_elem(fd, &zero, config, 0) ? -errno : 0;
}

/* One CPU-clock event on CPU 0: an interval fires once per period, not once per CPU. */
static struct bpf_link *attach_interval(struct bpf_program *prog, uint64_t period_ns)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = period_ns,
	};
	struct bpf_link *link;
	int fd, err;

	fd = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return NULL;
	link = bpf_program__attach_perf_event(prog, fd);
	if (!link) {
		err = errno;
		close(fd);
		errno = err;
	}
	return link;
}

/*
 * Whether another spec than @specs[i] names its program: one program serves
 * several probes.  *@earlier: one before @i does.
 */
static bool prog_shared(const struct attach_spec *specs, size_t n, size_t i, bool *earlier)
{
	for (size_t j = 0; j < n; j++) {
		if (j != i && !strcmp(specs[j].prog, specs[i].prog)) {
			*earlier = j < i;
			return true;
		}
	}
	*earlier = false;
	return false;
}

/* One program on many tracepoints: the cookie tells the program which probe fired. */
static struct bpf_link *attach_tracepoint(struct bpf_program *prog, const struct attach_spec *spec,
					  size_t idx)
{
	LIBBPF_OPTS(bpf_tracepoint_opts, opts, .bpf_cookie = idx);

	return bpf_program__attach_tracepoint_opts(prog, spec->cat, spec->ev, &opts);
}

int load_attach(struct loaded *l, const struct attach_spec *specs, size_t n, bool (*stop)(void),
		size_t *failed)
{
	struct bpf_program *prog;
	struct bpf_link *link;
	bool shared, earlier;

	l->links = calloc(n ? n : 1, sizeof(*l->links));
	if (!l->links)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (specs[i].kind == PROBE_BEGIN || specs[i].kind == PROBE_END)
			continue;
		/* Ctrl-C need not wait for hundreds of tracepoints to attach. */
		if (stop())
			return -EINTR;
		*failed = i;
		prog = bpf_object__find_program_by_name(l->obj, specs[i].prog);
		if (!prog)
			return -ENOENT;
		shared = prog_shared(specs, n, i, &earlier);
		if (shared && bpf_program__type(prog) == BPF_PROG_TYPE_TRACEPOINT)
			link = attach_tracepoint(prog, &specs[i], i);
		else if (earlier)	/* a syscall dispatcher, attached once */
			continue;
		else if (specs[i].kind == PROBE_INTERVAL)
			link = attach_interval(prog, specs[i].period_ns);
		else
			link = bpf_program__attach(prog);
		if (!link)
			return -errno;
		l->links[l->nlinks++] = link;
	}
	*failed = n;
	return 0;
}

int load_attach_all(struct loaded *l, const char **failed)
{
	struct bpf_program *prog;
	struct bpf_link *link;
	size_t n = 0;

	bpf_object__for_each_program(prog, l->obj)
		n++;
	l->links = calloc(n ? n : 1, sizeof(*l->links));
	if (!l->links)
		return -ENOMEM;
	bpf_object__for_each_program(prog, l->obj) {
		if (!bpf_program__autoload(prog))
			continue;
		*failed = bpf_program__name(prog);
		link = bpf_program__attach(prog);
		if (!link)
			return -errno;
		l->links[l->nlinks++] = link;
	}
	*failed = NULL;
	return 0;
}

int load_run(struct loaded *l, const char *name)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct bpf_program *prog = bpf_object__find_program_by_name(l->obj, name);

	if (!prog)
		return -ENOENT;
	return bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) ? -errno : 0;
}

struct detach_slice {
	struct bpf_link **links;
	size_t n;
};

static void *detach_thread(void *arg)
{
	struct detach_slice *d = arg;

	for (size_t i = 0; i < d->n; i++)
		bpf_link__destroy(d->links[i]);
	return NULL;
}

/*
 * Detaching a perf-attached tracepoint waits for an RCU grace period in the
 * kernel (~70 ms here).  Waiters at the same time share grace periods, so
 * many links are destroyed from several threads: 360 tracepoints take well
 * under a second instead of 25.
 */
#define DETACH_THREADS 64

void load_detach(struct loaded *l)
{
	struct detach_slice slices[DETACH_THREADS];
	pthread_t threads[DETACH_THREADS];
	size_t nthreads = l->nlinks / 4, per, at = 0, started = 0;

	if (nthreads > DETACH_THREADS)
		nthreads = DETACH_THREADS;
	if (nthreads < 2) {
		for (size_t i = 0; i < l->nlinks; i++)
			bpf_link__destroy(l->links[i]);
		l->nlinks = 0;
		return;
	}
	per = (l->nlinks + nthreads - 1) / nthreads;
	for (size_t t = 0; t < nthreads && at < l->nlinks; t++) {
		slices[t].links = l->links + at;
		slices[t].n = l->nlinks - at < per ? l->nlinks - at : per;
		at += slices[t].n;
		/* No thread: this slice is destroyed here, in order. */
		if (pthread_create(&threads[t], NULL, detach_thread, &slices[t])) {
			detach_thread(&slices[t]);
			threads[t] = 0;
		}
		started = t + 1;
	}
	for (size_t t = 0; t < started; t++) {
		if (threads[t])
			pthread_join(threads[t], NULL);
	}
	l->nlinks = 0;
}

/* The verifier's words, and what they mean for the user's program. */
static const struct {
	const char *words;
	const char *hint;
} verdicts[] = {
	{ "too complex", "the action is too complex for the kernel's verifier: string comparisons "
	  "and reads cost per byte, so use a smaller PTRACE1_STRLEN, or split the action" },
	{ "too large", "the action is too large for the kernel's verifier: split it into smaller actions" },
	{ "stack", "the action needs more BPF stack than the kernel allows: use fewer or shorter strings" },
	{ "unknown func", "this kernel lacks a BPF helper the program needs" },
	{ "invalid func", "this kernel lacks a BPF helper the program needs" },
};

void load_explain(const struct loaded *l, struct load_failure *f)
{
	const char *log = l->log ? l->log : "", *p, *end, *line;
	size_t len;

	memset(f, 0, sizeof(*f));
	/* "libbpf: prog 'NAME': BPF program load failed: ..." */
	p = strstr(log, "prog '");
	if (p) {
		p += 6;
		end = strchr(p, '\'');
		if (end && (size_t)(end - p) < sizeof(f->prog))
			memcpy(f->prog, p, end - p);
	}
	/* The verdict is the verifier's last line before its statistics. */
	end = strstr(log, "\nprocessed ");
	if (!end)
		end = strstr(log, "-- END PROG LOAD LOG --");
	if (!end)
		return;
	while (end > log && end[-1] == '\n')
		end--;
	for (line = end; line > log && line[-1] != '\n'; line--)
		;
	len = (size_t)(end - line);
	if (len >= sizeof(f->reason))
		len = sizeof(f->reason) - 1;
	memcpy(f->reason, line, len);
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(*verdicts); i++) {
		if (strstr(f->reason, verdicts[i].words)) {
			f->hint = verdicts[i].hint;
			break;
		}
	}
}

void load_report(const struct loaded *l, FILE *out)
{
	struct bpf_prog_info info;
	struct bpf_program *prog;
	__u32 len;

	bpf_object__for_each_program(prog, l->obj) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			continue;
		fprintf(out, "ptrace1: program %s: id %u, %u instructions, %u verified\n",
			bpf_program__name(prog), info.id, info.xlated_prog_len / 8,
			info.verified_insns);
	}
}

int load_map_fd(const struct loaded *l, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(l->obj, name);

	return map ? bpf_map__fd(map) : -ENOENT;
}

void load_close(struct loaded *l)
{
	load_detach(l);
	free(l->links);
	bpf_object__close(l->obj);
	free(l->log);
	if (l->nofile_raised)
		setrlimit(RLIMIT_NOFILE, &l->nofile);
	memset(l, 0, sizeof(*l));
}
