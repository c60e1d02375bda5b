// SPDX-License-Identifier: GPL-2.0
/*
 * The instance's trace_pipe reads like this (options stacktrace, sym-addr):
 *
 *            bash-4148    [001] ...21 11019.578823: bpf_trace_printk: hello
 *            bash-4148    [001] ...21 11019.578909: <stack trace>
 *   => bpf_trace_printk <ffffffff814cd69d>
 *   => bpf_prog_e9aceb51c8cdd885_handle_tp <ffffffffc004e80e>
 *   ...
 *
 * A stack trace follows its line on the same CPU, though lines of other
 * CPUs may come between them; a line's own newlines continue it without a
 * prefix.  The kernel never splits an entry across reads.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "json.h"
#include "printk.h"
#include "tracefs.h"

/* Lines waiting for their stack trace beyond this are shown as they are. */
#define MAX_WAITING 64
/* Reads per wake-up: a flood of other programs' lines must not starve the loop. */
#define MAX_READS 64
#define READ_SIZE 65536

void printk_init(struct printk *p)
{
	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->stack_of = -1;
	p->last = -1;
}

static bool calls_printk(const struct bpf_program *prog)
{
	const struct bpf_insn *insn = bpf_program__insns(prog);
	size_t n = bpf_program__insn_cnt(prog);

	for (size_t i = 0; i < n; i++) {
		if (insn[i].code == (BPF_JMP | BPF_CALL) && insn[i].src_reg == 0 &&
		    (insn[i].imm == BPF_FUNC_trace_printk || insn[i].imm == BPF_FUNC_trace_vprintk))
			return true;
	}
	return false;
}

bool printk_used(const struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		if (calls_printk(prog))
			return true;
	}
	return false;
}

/* The machine code of a loaded program: each of its functions, JIT'ed. */
static int add_ranges(struct printk *p, int prog_fd)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info), n;
	struct printk_range *r;
	__u64 *ksyms = NULL;
	__u32 *lens = NULL;
	int err = 0;

	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return -errno;
	n = info.nr_jited_ksyms;
	/* Not JIT'ed, or its addresses hidden from us: its lines cannot be told apart. */
	if (!n || info.nr_jited_func_lens != n)
		return 0;
	ksyms = calloc(n, sizeof(*ksyms));
	lens = calloc(n, sizeof(*lens));
	r = realloc(p->ranges, (p->nranges + n) * sizeof(*r));
	if (r)
		p->ranges = r;
	if (!ksyms || !lens || !r) {
		err = -ENOMEM;
		goto out;
	}
	memset(&info, 0, sizeof(info));
	info.nr_jited_ksyms = n;
	info.jited_ksyms = (__u64)(uintptr_t)ksyms;
	info.nr_jited_func_lens = n;
	info.jited_func_lens = (__u64)(uintptr_t)lens;
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len)) {
		err = -errno;
		goto out;
	}
	for (__u32 i = 0; i < n; i++) {
		if (ksyms[i])
			r[p->nranges++] = (struct printk_range){ ksyms[i], ksyms[i] + lens[i] };
	}
out:
	free(ksyms);
	free(lens);
	return err;
}

static int write_file(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n < 0 ? -errno : 0;
}

static int open_instance(struct printk *p)
{
	const char *root;
	char path[PATH_MAX];
	int err;

	err = tracefs_root(&root);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/instances/ptrace1-%d", root, (int)getpid());
	/* One left by a ptrace1 that was killed, whose pid we now have: start afresh. */
	if (mkdir(path, 0700) && (errno != EEXIST || rmdir(path) || mkdir(path, 0700)))
		return -errno;
	p->dir = strdup(path);
	if (!p->dir)
		return -ENOMEM;
	/* With each line its stack trace, addresses included: they say whose it is. */
	err = write_file(p->dir, "options/stacktrace", "1");
	if (!err)
		err = write_file(p->dir, "options/sym-addr", "1");
	if (!err)
		err = write_file(p->dir, "events/bpf_trace/bpf_trace_printk/enable", "1");
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/trace_pipe", p->dir);
	p->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	return p->fd < 0 ? -errno : 0;
}

int printk_setup(struct printk *p, const struct bpf_object *obj, struct loop *l, bool json,
		 FILE *out)
{
	struct bpf_program *prog;
	int err;

	if (!printk_used(obj))
		return 0;
	p->out = out;
	p->json = json;
	p->cap = READ_SIZE;
	p->buf = malloc(p->cap);
	if (!p->buf)
		return -ENOMEM;
	bpf_object__for_each_program(prog, obj) {
		if (bpf_program__fd(prog) < 0)
			continue;
		err = add_ranges(p, bpf_program__fd(prog));
		if (err)
			return err;
	}
	err = open_instance(p);
	if (err) {
		fprintf(stderr, "ptrace1: warning: bpf_printk output is not shown: %s\n",
			err == -ENOENT ? "this kernel has no bpf_trace_printk trace event"
				       : strerror(-err));
		printk_close(p);
		printk_init(p);
		return 0;
	}
	return loop_add(l, p->fd, printk_drain, p);
}

static int emit(struct printk *p, struct printk_line *l)
{
	struct strbuf *m = &l->msg, out;
	int err = 0;

	while (m->len && m->buf[m->len - 1] == '\n')
		m->len--;
	sb_init(&out);
	if (p->json) {
		sb_puts(&out, "{\"type\": \"printk\", \"data\": {\"comm\": ");
		json_string(&out, l->comm, strlen(l->comm));
		sb_printf(&out, ", \"pid\": %d, \"cpu\": %d, \"time\": %s, \"message\": ", l->pid,
			  l->cpu, l->time);
		json_string(&out, m->buf ? m->buf : "", m->len);
		sb_puts(&out, "}}\n");
	} else {
		sb_printf(&out, "%s-%d: ", l->comm, l->pid);
		sb_add(&out, m->buf ? m->buf : "", m->len);
		sb_putc(&out, '\n');
	}
	if (out.err)
		err = out.err;
	else if (fwrite(out.buf, 1, out.len, p->out) != out.len)
		err = -errno ?: -EIO;
	sb_free(&out);
	return err;
}

/* Line @i leaves the queue: shown unless it is another program's. */
static int release(struct printk *p, size_t i)
{
	struct printk_line *l = &p->lines[i];
	int err = l->whose == PRINTK_OTHERS ? 0 : emit(p, l);

	sb_free(&l->msg);
	memmove(l, l + 1, (p->nlines - i - 1) * sizeof(*l));
	p->nlines--;
	if (p->last == (ssize_t)i)
		p->last = -1;
	else if (p->last > (ssize_t)i)
		p->last--;
	return err;
}

/* A stack trace being read is complete: its line can go. */
static int end_stack(struct printk *p)
{
	ssize_t i = p->stack_of;

	p->stack_of = -1;
	return i >= 0 ? release(p, (size_t)i) : 0;
}

struct header {
	const char *comm;
	size_t comm_len;
	int pid;
	int cpu;
	const char *time;
	size_t time_len;
	const char *body;
};

static bool is_time(const char *s, const char *end)
{
	const char *dot = memchr(s, '.', (size_t)(end - s));

	if (!dot || dot == s || dot + 1 == end)
		return false;
	for (const char *c = s; c < end; c++) {
		if (c != dot && !isdigit((unsigned char)*c))
			return false;
	}
	return true;
}

/* "COMM-PID [CPU] FLAGS TIME: BODY"; COMM may hold blanks and dashes. */
static bool parse_header(const char *line, struct header *h)
{
	const char *open, *p, *t, *dash, *start;

	for (open = strstr(line, " ["); open; open = strstr(open + 1, " [")) {
		for (p = open + 2; isdigit((unsigned char)*p); p++)
			;
		if (p == open + 2 || p[0] != ']' || p[1] != ' ')
			continue;
		for (t = open; t > line && t[-1] == ' '; t--)
			;
		for (dash = t; dash > line && isdigit((unsigned char)dash[-1]); dash--)
			;
		if (dash == t || dash == line || dash[-1] != '-')
			continue;
		for (start = line; *start == ' '; start++)
			;
		h->comm = start;
		h->comm_len = (size_t)(dash - 1 - start);
		h->pid = atoi(dash);
		h->cpu = atoi(open + 2);
		/* The flags, if shown, then the time and a colon. */
		for (p += 2; *p; p = t) {
			while (*p == ' ')
				p++;
			for (t = p; *t && *t != ' '; t++)
				;
			if (t - p >= 2 && t[-1] == ':' && is_time(p, t - 1)) {
				h->time = p;
				h->time_len = (size_t)(t - 1 - p);
				h->body = *t ? t + 1 : t;
				return true;
			}
		}
		return false;
	}
	return false;
}

static int add_line(struct printk *p, const struct header *h, const char *msg)
{
	struct printk_line *l;
	int err;

	if (p->nlines == MAX_WAITING) {
		err = release(p, 0);
		if (err)
			return err;
	}
	if (!p->lines) {
		p->lines = calloc(MAX_WAITING, sizeof(*p->lines));
		if (!p->lines)
			return -ENOMEM;
	}
	l = &p->lines[p->nlines];
	memset(l, 0, sizeof(*l));
	l->cpu = h->cpu;
	l->pid = h->pid;
	snprintf(l->comm, sizeof(l->comm), "%.*s", (int)h->comm_len, h->comm);
	snprintf(l->time, sizeof(l->time), "%.*s", (int)h->time_len, h->time);
	sb_init(&l->msg);
	sb_puts(&l->msg, msg);
	p->last = (ssize_t)p->nlines++;
	return l->msg.err;
}

/* The newest line of @cpu: the one a stack trace of @cpu belongs to. */
static ssize_t waiting_on(const struct printk *p, int cpu)
{
	for (size_t i = p->nlines; i-- > 0;) {
		if (p->lines[i].cpu == cpu)
			return (ssize_t)i;
	}
	return -1;
}

static bool ours(const struct printk *p, uint64_t addr)
{
	for (size_t i = 0; i < p->nranges; i++) {
		if (addr >= p->ranges[i].start && addr < p->ranges[i].end)
			return true;
	}
	return false;
}

/* " => SYMBOL <ADDRESS>" of the stack being read. */
static void frame(struct printk *p, const char *line)
{
	struct printk_line *l = &p->lines[p->stack_of];
	const char *lt = strrchr(line, '<');
	uint64_t addr = lt ? strtoull(lt + 1, NULL, 16) : 0;

	/* Without addresses (ours or the stack's), nobody's lines can be told apart. */
	if (!addr || !p->nranges)
		return;
	if (ours(p, addr))
		l->whose = PRINTK_OURS;
	else if (l->whose == PRINTK_UNKNOWN && strstr(line, " bpf_prog_"))
		l->whose = PRINTK_OTHERS;
}

static int handle_line(struct printk *p, const char *line)
{
	unsigned long long lost;
	struct header h;
	int cpu, err;

	if (parse_header(line, &h)) {
		/* A stack trace ends where the next entry starts. */
		err = end_stack(p);
		if (err)
			return err;
		p->last = -1;
		if (!strcmp(h.body, "<stack trace>"))
			p->stack_of = waiting_on(p, h.cpu);
		else if (!strncmp(h.body, "bpf_trace_printk: ", 18))
			return add_line(p, &h, h.body + 18);
		return 0;
	}
	if (sscanf(line, "CPU:%d [LOST %llu EVENTS]", &cpu, &lost) == 2) {
		p->lost += lost;
		return 0;
	}
	if (p->stack_of >= 0) {
		if (!strncmp(line, " => ", 4))
			frame(p, line);
		return 0;
	}
	if (p->last >= 0) {
		sb_putc(&p->lines[p->last].msg, '\n');
		sb_puts(&p->lines[p->last].msg, line);
		return p->lines[p->last].msg.err;
	}
	return 0;
}

/* The complete lines of the buffer; a cut one stays for the next read. */
static int handle_buffer(struct printk *p)
{
	char *line = p->buf, *nl;
	int err = 0;

	while (!err && (nl = memchr(line, '\n', p->len - (size_t)(line - p->buf)))) {
		*nl = '\0';
		err = handle_line(p, line);
		line = nl + 1;
	}
	p->len -= (size_t)(line - p->buf);
	memmove(p->buf, line, p->len);
	/* A line longer than the buffer: take it as it is. */
	if (!err && p->len == p->cap - 1) {
		p->buf[p->len] = '\0';
		err = handle_line(p, p->buf);
		p->len = 0;
	}
	return err;
}

/* Up to MAX_READS reads; *@empty when the pipe had no more. */
static int drain(struct printk *p, bool *empty)
{
	ssize_t n = 0;
	int err;

	*empty = false;
	for (int i = 0; i < MAX_READS; i++) {
		n = read(p->fd, p->buf + p->len, p->cap - p->len - 1);
		if (n <= 0)
			break;
		p->len += (size_t)n;
		err = handle_buffer(p);
		if (err)
			return err;
	}
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		return -errno;
	if (n > 0)
		return 0;
	*empty = true;
	/* Entries are never cut: a stack trace read is whole. */
	return end_stack(p);
}

int printk_drain(void *ctx)
{
	struct printk *p = ctx;
	bool empty;

	return p->fd < 0 ? 0 : drain(p, &empty);
}

int printk_finish(struct printk *p)
{
	bool empty = false;
	int err;

	if (p->fd < 0)
		return 0;
	/* Ours are detached; with no new lines of others, the pipe empties. */
	err = write_file(p->dir, "events/bpf_trace/bpf_trace_printk/enable", "0");
	while (!err && !empty)
		err = drain(p, &empty);
	/* Lines whose stack trace never came: whose they are cannot be told. */
	while (!err && p->nlines)
		err = release(p, 0);
	if (p->lost)
		fprintf(stderr, "ptrace1: warning: the trace buffer was full: %llu bpf_printk lines "
			"or their stack traces were lost\n", (unsigned long long)p->lost);
	return err;
}

void printk_close(struct printk *p)
{
	for (size_t i = 0; i < p->nlines; i++)
		sb_free(&p->lines[i].msg);
	free(p->lines);
	if (p->fd >= 0)
		close(p->fd);
	/* The instance goes once nothing has it open. */
	if (p->dir)
		rmdir(p->dir);
	free(p->dir);
	free(p->ranges);
	free(p->buf);
	printk_init(p);
}
