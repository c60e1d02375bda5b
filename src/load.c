// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/capability.h>
#include <linux/perf_event.h>
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

int load_check_privileges(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (geteuid() == 0)
		return 0;
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	if ((data[1].effective & (1u << (CAP_BPF_BIT - 32))) &&
	    (data[1].effective & (1u << (CAP_PERFMON_BIT - 32))))
		return 0;
	return -EPERM;
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
	map = bpf_object__find_map_by_name(l->obj, "ptrace1_events");
	if (!map)
		return -ENOENT;
	err = bpf_map__set_max_entries(map, (uint32_t)o->ringbuf_bytes);
	if (err)
		return err;
	map = bpf_object__find_map_by_name(l->obj, "ptrace1_map_full");
	if (!map)
		return -ENOENT;
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

/* Whether a program serving several probes (a syscall dispatcher) came earlier in @specs. */
static bool attached_before(const struct attach_spec *specs, size_t i)
{
	for (size_t j = 0; j < i; j++) {
		if (!strcmp(specs[j].prog, specs[i].prog))
			return true;
	}
	return false;
}

int load_attach(struct loaded *l, const struct attach_spec *specs, size_t n, const char **failed)
{
	struct bpf_program *prog;
	struct bpf_link *link;

	l->links = calloc(n ? n : 1, sizeof(*l->links));
	if (!l->links)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (specs[i].kind == PROBE_BEGIN || specs[i].kind == PROBE_END ||
		    attached_before(specs, i))
			continue;
		*failed = specs[i].prog;
		prog = bpf_object__find_program_by_name(l->obj, specs[i].prog);
		if (!prog)
			return -ENOENT;
		if (specs[i].kind == PROBE_INTERVAL)
			link = attach_interval(prog, specs[i].period_ns);
		else
			link = bpf_program__attach(prog);
		if (!link)
			return -errno;
		l->links[l->nlinks++] = link;
	}
	*failed = NULL;
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
	memset(l, 0, sizeof(*l));
}
