// SPDX-License-Identifier: GPL-2.0
/*
 * lower: syscalls:sys_enter_* and sys_exit_* probes served by one raw
 * tracepoint program each, sys_enter and sys_exit, dispatching on the
 * syscall's number.  A raw tracepoint attaches and detaches in well under a
 * millisecond; a perf-attached tracepoint takes ~20 ms to attach and ~70 ms
 * to detach (an RCU grace period), so `sys_enter_*` took seconds.
 *
 * Each probe's function stays as it was, called with the record perf would
 * have given it (runtime/ptrace1_bpf.h builds it from the saved registers),
 * and the probe's number for `probe` when it serves several (lower_share.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lower_impl.h"
#include "syscalls.h"

/* The record is the header, __syscall_nr, then 8-byte slots: as the runtime builds it. */
static bool record_fits(const struct tp_format *f, bool is_exit)
{
	unsigned int slot = 0;

	for (size_t i = 0; i < f->nfields; i++) {
		const struct tp_field *fd = &f->fields[i];

		if (fd->is_common)
			continue;
		if (!slot) {
			if (strcmp(fd->name, "__syscall_nr") || fd->offset != 8)
				return false;
		} else if (fd->offset != 8 + 8 * slot || fd->size != 8 || fd->data_loc) {
			return false;
		}
		slot++;
	}
	return slot >= 1 && slot - 1 <= (is_exit ? 1u : 6u);
}

bool lower_syscall_nr(const struct sema_probe *p, long *nr, bool *is_exit)
{
#ifdef __x86_64__
	if (p->probe.kind != PROBE_TRACEPOINT || strcmp(p->probe.cat, "syscalls"))
		return false;
	*nr = syscall_tracepoint_nr(p->probe.ev);
	*is_exit = !strncmp(p->probe.ev, "sys_exit_", 9);
	return *nr >= 0 && record_fits(p->fmt, *is_exit);
#else
	(void)p, (void)nr, (void)is_exit;
	return false;
#endif
}

const char *lower_syscall_prog(bool is_exit)
{
	return is_exit ? "pt_sys_exit" : "pt_sys_enter";
}

/* The probes of one direction, by syscall: each syscall's in program order. */
struct syscall_set {
	struct syscall_probes {
		long nr;
		size_t *probes;
		size_t n;
	} *v;
	size_t n;
	long max_nr;
	size_t max_probes;		/* on one syscall */
	size_t *leaders;		/* the distinct functions, in program order */
	size_t nleaders;
};

static void syscall_set_free(struct syscall_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i].probes);
	free(set->v);
	free(set->leaders);
}

static int syscall_set_add(struct syscall_set *set, const size_t *leaders, size_t idx, long nr)
{
	struct syscall_probes *sp = NULL;
	size_t *p;
	size_t i;

	for (i = 0; i < set->n && set->v[i].nr != nr; i++)
		;
	if (i == set->n) {
		sp = realloc(set->v, (set->n + 1) * sizeof(*set->v));
		if (!sp)
			return -ENOMEM;
		set->v = sp;
		set->v[set->n++] = (struct syscall_probes){ .nr = nr };
	}
	sp = &set->v[i];
	p = realloc(sp->probes, (sp->n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	sp->probes = p;
	sp->probes[sp->n++] = idx;
	if (sp->n > set->max_probes)
		set->max_probes = sp->n;
	if (nr > set->max_nr)
		set->max_nr = nr;
	for (i = 0; i < set->nleaders && set->leaders[i] != leaders[idx]; i++)
		;
	if (i == set->nleaders) {
		p = realloc(set->leaders, (set->nleaders + 1) * sizeof(*p));
		if (!p)
			return -ENOMEM;
		set->leaders = p;
		set->leaders[set->nleaders++] = leaders[idx];
	}
	return 0;
}

static int syscall_set_collect(const struct checked *c, const size_t *leaders, bool is_exit,
			       struct syscall_set *set)
{
	bool ex;
	long nr;
	int err;

	*set = (struct syscall_set){ .max_nr = -1 };
	for (size_t i = 0; i < c->nprobes; i++) {
		if (!lower_syscall_nr(&c->probes[i], &nr, &ex) || ex != is_exit)
			continue;
		err = syscall_set_add(set, leaders, i, nr);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The record of syscall `nr` in `rec`, or return: for a program of struct
 * pt_raw_args.  @args: a C expression, whether the arguments are read.
 */
static void build_record(bool is_exit, const char *args, struct strbuf *out)
{
	if (is_exit)
		sb_puts(out, "\tif (!pt_syscall_native(raw->args[0]))\n\t\treturn 0;\n"
			"\trec[1] = nr;\n");
	else
		sb_printf(out, "\tif (!pt_syscall_enter_rec(rec, raw, %s))\n\t\treturn 0;\n", args);
}

/* Whether a probe on syscall @sp reads its record. */
static bool any_reads(const struct checked *c, const struct syscall_probes *sp)
{
	for (size_t k = 0; k < sp->n; k++) {
		if (lower_reads_record(c, sp->probes[k]))
			return true;
	}
	return false;
}

static void declare_record(bool is_exit, struct strbuf *out)
{
	sb_puts(out, is_exit ? "\t__u64 rec[3] = { raw->args[0], 0, raw->args[1] };\n" :
		"\t__u64 rec[10];\n");
}

/* The raw tracepoint's program, up to `nr`, the syscall's number. */
static void dispatch_head(bool is_exit, struct strbuf *out)
{
	sb_printf(out, "\nSEC(\"raw_tp/sys_%s\")\nint %s(struct pt_raw_args *raw)\n{\n",
		  is_exit ? "exit" : "enter", lower_syscall_prog(is_exit));
	sb_puts(out, is_exit ? "\tlong nr = pt_syscall_exit_nr(raw);\n" :
		"\tlong nr = raw->args[1];\n");
}

/*
 * Few functions: one program calls them, a table saying which (and for
 * which probe) by syscall number.  A syscall nobody traces costs a lookup.
 */
#define DIRECT_MAX_FUNCS 16

static void direct_dispatch(const struct checked *c, const size_t *leaders,
			    const struct syscall_set *set, bool is_exit, struct strbuf *out)
{
	const char *dir = is_exit ? "exit" : "enter";
	char name[192];

	sb_printf(out, "\nstruct pt_sys_%s_slot {\n"
		  "\t__u16 fn[%zu];\t/* 1 + the function's number; 0: no more */\n"
		  "\t__u16 probe[%zu];\n\t__u8 args;\t/* some probe reads the record */\n};\n\n"
		  "static const struct pt_sys_%s_slot pt_sys_%s_slots[%ld] = {\n",
		  dir, set->max_probes, set->max_probes, dir, dir, set->max_nr + 1);
	for (size_t i = 0; i < set->n; i++) {
		const struct syscall_probes *sp = &set->v[i];

		sb_printf(out, "\t[%ld] = { {", sp->nr);
		for (size_t k = 0; k < sp->n; k++) {
			size_t f = 0;

			while (set->leaders[f] != leaders[sp->probes[k]])
				f++;
			sb_printf(out, "%s%zu", k ? ", " : " ", f + 1);
		}
		sb_puts(out, " }, {");
		for (size_t k = 0; k < sp->n; k++)
			sb_printf(out, "%s%zu", k ? ", " : " ", sp->probes[k]);
		sb_printf(out, " }, %d },\n", any_reads(c, sp));
	}
	sb_puts(out, "};\n");
	dispatch_head(is_exit, out);
	declare_record(is_exit, out);
	sb_printf(out, "\tconst struct pt_sys_%s_slot *s;\n\n"
		  "\tif ((__u64)nr > %ld)\n\t\treturn 0;\n"
		  "\ts = &pt_sys_%s_slots[nr];\n\tif (!s->fn[0])\n\t\treturn 0;\n",
		  dir, set->max_nr, dir);
	build_record(is_exit, "s->args", out);
	sb_printf(out, "#pragma unroll\n\tfor (int k = 0; k < %zu; k++) {\n"
		  "\t\tswitch (s->fn[k]) {\n", set->max_probes);
	for (size_t f = 0; f < set->nleaders; f++) {
		lower_prog_name(c, set->leaders[f], name, sizeof(name));
		sb_printf(out, "\t\tcase %zu:\n\t\t\t%s((void *)rec, s->probe[k]);\n"
			  "\t\t\tbreak;\n", f + 1, name);
	}
	sb_puts(out, "\t\tdefault:\n\t\t\treturn 0;\n\t\t}\n\t}\n\treturn 0;\n}\n");
}

/*
 * Many functions (more than one program may call): a program a syscall,
 * which the raw tracepoint's program tail-calls through a program array
 * libbpf fills from its initializer.
 */
static void tail_call_dispatch(const struct checked *c, const size_t *leaders,
			       const struct syscall_set *set, bool is_exit, struct strbuf *out)
{
	const char *dir = is_exit ? "exit" : "enter";
	char name[192];

	for (size_t i = 0; i < set->n; i++) {
		const struct syscall_probes *sp = &set->v[i];

		sb_printf(out, "\nSEC(\"raw_tp\")\nint pt_sys_%s_%ld(struct pt_raw_args *raw)\n{\n",
			  dir, sp->nr);
		sb_printf(out, "\tlong nr = %ld;\n", sp->nr);
		declare_record(is_exit, out);
		sb_puts(out, "\n");
		build_record(is_exit, any_reads(c, sp) ? "1" : "0", out);
		for (size_t k = 0; k < sp->n; k++) {
			lower_prog_name(c, leaders[sp->probes[k]], name, sizeof(name));
			sb_printf(out, "\t%s((void *)rec, %zu);\n", name, sp->probes[k]);
		}
		sb_puts(out, "\treturn 0;\n}\n");
	}
	sb_printf(out, "\nstruct {\n\t__uint(type, BPF_MAP_TYPE_PROG_ARRAY);\n"
		  "\t__uint(max_entries, %ld);\n\t__type(key, __u32);\n"
		  "\t__array(values, int (struct pt_raw_args *));\n"
		  "} ptrace1_sys_%s SEC(\".maps\") = {\n\t.values = {\n", set->max_nr + 1, dir);
	for (size_t i = 0; i < set->n; i++)
		sb_printf(out, "\t\t[%ld] = (void *)&pt_sys_%s_%ld,\n", set->v[i].nr, dir,
			  set->v[i].nr);
	sb_puts(out, "\t},\n};\n");
	dispatch_head(is_exit, out);
	sb_printf(out, "\n\tbpf_tail_call(raw, &ptrace1_sys_%s, nr);\n"
		  "\treturn 0;\n}\n", dir);
}

void lower_syscall_dispatch(const struct checked *c, const size_t *leaders, struct strbuf *out)
{
	struct syscall_set set;

	for (int is_exit = 0; is_exit < 2; is_exit++) {
		if (syscall_set_collect(c, leaders, is_exit, &set)) {
			out->err = -ENOMEM;
		} else if (set.n) {
			sb_printf(out, "\n/* syscalls:sys_%s_* probes, by syscall number */\n",
				  is_exit ? "exit" : "enter");
			if (set.nleaders <= DIRECT_MAX_FUNCS)
				direct_dispatch(c, leaders, &set, is_exit, out);
			else
				tail_call_dispatch(c, leaders, &set, is_exit, out);
		}
		syscall_set_free(&set);
	}
}
