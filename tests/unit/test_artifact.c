// SPDX-License-Identifier: GPL-2.0
/*
 * Artifacts: what a checked program's artifact reads back as is what was
 * written (every probe, event and map, field by field), it is written again
 * byte for byte, and every truncation, every changed byte and every foreign
 * origin is refused without a crash.  As root, programs with tracepoints
 * too, and the check against the running kernel's layouts, with a stored
 * field moved, a field and a tracepoint that do not exist.
 *
 * Exit 0 pass, 1 fail, 77 skip (not root: the programs without tracepoints
 * passed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "artifact.h"
#include "check.h"
#include "config.h"
#include "hash.h"
#include "lower.h"
#include "parse.h"
#include "sema.h"

/* Pinned: the format's first bytes, and the version after them. */
#define MAGIC "\177PTRACE1 AOT\n"
#define MAGIC_LEN (sizeof(MAGIC) - 1)

/* Every event kind, every map kind, tuples, strings, intervals. */
static const char no_kernel_prog[] =
	"BEGIN {\n"
	"	printf(\"%s %d %5u %-3x %c|%%\\n\", \"str\", -1, 2, 255, 65);\n"
	"	print((1, \"two\", -3)); print(\"s\"); print(7);\n"
	"	@c[\"k\", 1] = count(); @s = sum(-5); @a = avg(4); @mn = min(3); @mx = max(9);\n"
	"	@st = stats(6); @h = hist(100); @l[2] = lhist(5, 0, 100, 10);\n"
	"	@v[1] = (1, \"x\"); @w = \"str\";\n"
	"	time(\"%H\\n\"); print(@c, 2, 10); clear(@s); zero(@a);\n"
	"	printf(\"%s a\\0b\\n\", syscall_name(0));\n"
	"	exit();\n"
	"}\n"
	"interval:ms:100 { @n++; }\n"
	"END { printf(\"end\\n\"); }\n";

/* Tracepoints, perf-attached and syscall ones, with the fields they read. */
static const char kernel_prog[] =
	"t:syscalls:sys_enter_openat /comm == \"x\"/ { printf(\"%s %d\\n\", str(args->filename), args->dfd); @[probe] = count(); }\n"
	"t:syscalls:sys_enter_execve { join(args->argv, \",\"); }\n"
	"t:sched:sched_process_exec { printf(\"%s %d\\n\", args.filename, args.old_pid); }\n"
	"t:sched:sched_switch { @sw = count(); }\n";

/* Not an ELF file: decoding only looks at its first four bytes. */
static const char object[] = "\177ELF and the rest of an object";

/* What an artifact is written from (sema's, lower's, the compiler's), and its bytes. */
struct compiled {
	struct program prog;
	struct artifact view;
	struct strbuf bytes;
};

static int compile(const char *text, struct compiled *out)
{
	struct source src = { .name = "test", .text = text, .len = strlen(text) };
	struct sema_opts so = { .strlen = 64, .map_keys_max = 128 };
	struct diag d;

	memset(out, 0, sizeof(*out));
	sb_init(&out->bytes);
	diag_init(&d, &src, stdout);
	if (parse_program(&src, &d, &out->prog) ||
	    sema_check(&out->prog, &so, &d, &out->view.c)) {
		diag_finish(&d);
		return -EINVAL;
	}
	if (lower_attach_specs(&out->view.c, &out->view.specs))
		return -ENOMEM;
	out->view.obj = (void *)object;
	out->view.obj_len = sizeof(object);
	artifact_origin_here(&out->view.origin, "test");
	return artifact_encode(&out->view, &out->bytes);
}

static void compiled_free(struct compiled *p)
{
	sb_free(&p->bytes);
	free(p->view.specs);
	checked_free(&p->view.c);
	program_free(&p->prog);
}

static bool same_type(const struct type *a, const struct type *b)
{
	if (a->kind != b->kind || a->is_signed != b->is_signed || a->strptr != b->strptr ||
	    a->is_syscall != b->is_syscall || a->size != b->size)
		return false;
	if (a->kind != TYPE_TUPLE)
		return true;
	if (a->tuple->n != b->tuple->n)
		return false;
	for (size_t i = 0; i < a->tuple->n; i++) {
		if (!same_type(&a->tuple->elems[i], &b->tuple->elems[i]) ||
		    a->tuple->offsets[i] != b->tuple->offsets[i])
			return false;
	}
	return true;
}

static bool same_fields(const struct map_field *a, const struct map_field *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!same_type(&a[i].type, &b[i].type) || a[i].offset != b[i].offset ||
		    a[i].size != b[i].size)
			return false;
	}
	return true;
}

static void check_maps(const struct checked *w, const struct checked *r)
{
	CHECK(w->nmaps == r->nmaps);
	for (size_t i = 0; i < w->nmaps && i < r->nmaps; i++) {
		const struct map_desc *a = &w->maps[i], *b = &r->maps[i];

		CHECK(!strcmp(a->name, b->name));
		CHECK(a->kind == b->kind && a->percpu == b->percpu);
		CHECK(a->nkeys == b->nkeys && same_fields(a->keys, b->keys, a->nkeys));
		CHECK(a->user_key_size == b->user_key_size && a->key_size == b->key_size);
		CHECK(a->nvalues == b->nvalues && same_fields(a->values, b->values, a->nvalues));
		CHECK(a->tuple == b->tuple && same_type(&a->tuple_type, &b->tuple_type));
		CHECK(a->value_size == b->value_size);
		CHECK(a->lhist_min == b->lhist_min && a->lhist_max == b->lhist_max &&
		      a->lhist_step == b->lhist_step);
		CHECK(a->max_entries == b->max_entries);
	}
}

static void check_events(const struct checked *w, const struct checked *r)
{
	CHECK(w->nevents == r->nevents);
	for (size_t i = 0; i < w->nevents && i < r->nevents; i++) {
		const struct event_desc *a = &w->events[i], *b = &r->events[i];

		CHECK(a->kind == b->kind && a->size == b->size && a->nargs == b->nargs);
		CHECK(!a->fmt.text == !b->fmt.text && a->fmt.len == b->fmt.len);
		CHECK(!a->fmt.text || !memcmp(a->fmt.text, b->fmt.text, a->fmt.len + 1));
		CHECK(a->fmt.nconvs == b->fmt.nconvs);
		for (size_t k = 0; k < a->fmt.nconvs && k < b->fmt.nconvs; k++)
			CHECK(!memcmp(&a->fmt.convs[k], &b->fmt.convs[k], sizeof(a->fmt.convs[k])));
		if (a->kind >= EVENT_MAP_PRINT)
			CHECK(a->map == b->map && a->top == b->top && a->div == b->div);
		for (size_t k = 0; k < a->nargs && k < b->nargs; k++) {
			CHECK(same_type(&a->args[k].type, &b->args[k].type));
			CHECK(a->args[k].offset == b->args[k].offset && a->args[k].size == b->args[k].size);
		}
	}
}

static void check_tracepoints(const struct checked *w, const struct checked *r)
{
	CHECK(w->nfmts == r->nfmts);
	for (size_t i = 0; i < w->nfmts && i < r->nfmts; i++) {
		const struct tp_format *a = w->fmts[i], *b = r->fmts[i];
		size_t k = 0;

		CHECK(!strcmp(a->cat, b->cat) && !strcmp(a->ev, b->ev) && a->size == b->size);
		for (size_t j = 0; j < a->nfields; j++) {
			const struct tp_field *f = &a->fields[j];

			if (!f->used)
				continue;
			CHECK(k < b->nfields);
			if (k >= b->nfields)
				break;
			CHECK(!strcmp(f->name, b->fields[k].name) && !strcmp(f->ctype, b->fields[k].ctype));
			CHECK(tpfmt_same_layout(f, &b->fields[k]) && f->is_common == b->fields[k].is_common);
			k++;
		}
		CHECK(k == b->nfields);
	}
}

/* Read back is what was written; written again, the same bytes. */
static void check_round_trip(const struct compiled *p, struct artifact *a)
{
	struct fault err;
	struct strbuf again;

	CHECK(artifact_decode(p->bytes.buf, p->bytes.len, a, &err) == 0);
	if (!a->c.probes) {
		printf("decode: %s\n", err.msg);
		return;
	}
	CHECK(a->c.opts.strlen == p->view.c.opts.strlen && a->c.opts.have_cpid == p->view.c.opts.have_cpid &&
	      a->c.opts.filter_pid == p->view.c.opts.filter_pid);
	CHECK(a->c.nprobes == p->view.c.nprobes);
	for (size_t i = 0; i < p->view.c.nprobes && i < a->c.nprobes; i++) {
		const struct sema_probe *w = &p->view.c.probes[i], *r = &a->c.probes[i];
		const struct attach_spec *ws, *rs;

		CHECK(w->probe.kind == r->probe.kind && !strcmp(w->probe.name, r->probe.name));
		CHECK(w->probe.period_ns == r->probe.period_ns && w->action == r->action);
		CHECK(!w->fmt == !r->fmt);
		CHECK(!w->fmt || (!strcmp(w->probe.cat, r->probe.cat) && !strcmp(w->probe.ev, r->probe.ev)));
		ws = &p->view.specs[i];
		rs = &a->specs[i];
		CHECK(!strcmp(ws->prog, rs->prog) && ws->kind == rs->kind &&
		      ws->period_ns == rs->period_ns);
		CHECK(!w->fmt || (!strcmp(ws->cat, rs->cat) && !strcmp(ws->ev, rs->ev)));
	}
	check_tracepoints(&p->view.c, &a->c);
	check_events(&p->view.c, &a->c);
	check_maps(&p->view.c, &a->c);
	CHECK(a->obj_len == sizeof(object) && !memcmp(a->obj, object, sizeof(object)));
	CHECK(!strcmp(a->origin.source, "test"));
	sb_init(&again);
	CHECK(artifact_encode(a, &again) == 0);
	CHECK(again.len == p->bytes.len && !memcmp(again.buf, p->bytes.buf, again.len));
	sb_free(&again);
}

/* The checksum of @buf made right again, so that the contents' checks are reached. */
static void fix_checksum(char *buf, size_t len)
{
	uint64_t h = hash_fnv1a(HASH_FNV1A_INIT, buf, len - 8);

	for (int i = 0; i < 8; i++)
		buf[len - 8 + i] = (char)(h >> (8 * i));
}

static int decode(const char *buf, size_t len, struct fault *err)
{
	struct artifact a;
	int ret = artifact_decode(buf, len, &a, err);

	artifact_free(&a);
	return ret;
}

/* Every prefix is refused; every byte changed is refused or read, never a crash. */
static void check_damage(const struct strbuf *bytes)
{
	size_t len = bytes->len;
	char *buf = malloc(len);
	struct fault err;
	int ret;

	if (!buf)
		return;
	for (size_t n = 0; n < len; n++) {
		ret = decode(bytes->buf, n, &err);
		CHECK(ret == -EBADMSG || (n == 0 && ret == -ENOEXEC));
		CHECK(err.msg[0]);
	}
	/* Without the fixed checksum, any change is caught by it (or by the header). */
	for (size_t i = 0; i < len; i++) {
		memcpy(buf, bytes->buf, len);
		buf[i] ^= 0x20;
		CHECK(decode(buf, len, &err) != 0);
	}
	/* With it, the checks of the contents: the object's bytes are not theirs to judge. */
	for (size_t i = MAGIC_LEN + 12; i < len - 8 - sizeof(object); i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			memcpy(buf, bytes->buf, len);
			buf[i] ^= (char)(1 << bit);
			fix_checksum(buf, len);
			ret = decode(buf, len, &err);
			CHECK(ret == 0 || ret == -EBADMSG || ret == -EPROTO);
			CHECK(ret == 0 || err.msg[0]);
		}
	}
	free(buf);
}

static void check_refusals(const struct artifact *view, const struct strbuf *bytes)
{
	size_t len = bytes->len;
	char *buf = malloc(len);
	struct fault err;
	struct artifact other = *view;
	struct strbuf again;

	if (!buf)
		return;
	memcpy(buf, bytes->buf, len);
	buf[MAGIC_LEN] = 2;
	CHECK(decode(buf, len, &err) == -EPROTO);
	CHECK(!strcmp(err.msg, "artifact format 2; this ptrace1 reads format 1"));
	memcpy(buf, "\177ELF", 4);
	CHECK(decode(buf, len, &err) == -ENOEXEC);
	CHECK(!strcmp(err.msg, "not a ptrace1 artifact (an ELF file)"));
	free(buf);

	snprintf(other.origin.version, sizeof(other.origin.version), "0.0.1-other");
	sb_init(&again);
	CHECK(artifact_encode(&other, &again) == 0);
	CHECK(decode(again.buf, again.len, &err) == -EPROTO);
	CHECK(!strcmp(err.msg, "compiled by ptrace1 0.0.1-other; this is ptrace1 " PACKAGE_VERSION));
	again.len = 0;
	other.origin = view->origin;
	other.origin.runtime ^= 1;
	CHECK(artifact_encode(&other, &again) == 0);
	CHECK(decode(again.buf, again.len, &err) == -EPROTO);
	CHECK(strstr(err.msg, "compiled by another build of ptrace1 ") == err.msg);
	again.len = 0;
	other.origin = view->origin;
	snprintf(other.origin.machine, sizeof(other.origin.machine), "pdp11");
	CHECK(artifact_encode(&other, &again) == 0);
	CHECK(decode(again.buf, again.len, &err) == -EPROTO);
	CHECK(strstr(err.msg, "compiled for pdp11; this machine is ") == err.msg);
	sb_free(&again);
}

/* The running kernel's layouts: as stored, a field moved, one gone, a tracepoint gone. */
static void check_kernel(struct artifact *a)
{
	struct fault err;
	struct tp_format *openat = NULL;
	struct tp_field *f;
	char *name;

	CHECK(artifact_check_kernel(a, &err) == 0);
	for (size_t i = 0; i < a->c.nfmts; i++) {
		if (!strcmp(a->c.fmts[i]->ev, "sys_enter_openat"))
			openat = a->c.fmts[i];
	}
	f = openat ? (struct tp_field *)tpfmt_field(openat, "filename") : NULL;
	CHECK(f != NULL);
	if (!f)
		return;
	f->offset += 8;
	CHECK(artifact_check_kernel(a, &err) == -ESTALE);
	CHECK(strstr(err.msg, "tracepoint syscalls:sys_enter_openat's field 'filename' has changed: it was 'const char * filename' at offset 32, size 8, it is now 'const char * filename' at offset 24, size 8"));
	CHECK(!strcmp(err.hint, "compile the program again with --aot on this kernel"));
	f->offset -= 8;
	/* Another C type of the same width and sign reads alike. */
	name = f->ctype;
	f->ctype = "const unsigned char *";
	CHECK(artifact_check_kernel(a, &err) == 0);
	f->ctype = name;
	name = f->name;
	f->name = "no_such_field";
	CHECK(artifact_check_kernel(a, &err) == -ESTALE);
	CHECK(!strcmp(err.msg, "tracepoint syscalls:sys_enter_openat has no field 'no_such_field' on this kernel"));
	f->name = name;
	name = openat->ev;
	openat->ev = "sys_enter_no_such_call";
	CHECK(artifact_check_kernel(a, &err) == -ENOENT);
	CHECK(!strcmp(err.msg, "this kernel has no tracepoint syscalls:sys_enter_no_such_call"));
	openat->ev = name;
	CHECK(artifact_check_kernel(a, &err) == 0);
}

static void test_program(const char *text, bool kernel)
{
	struct compiled p;
	struct artifact a = { 0 };

	CHECK(compile(text, &p) == 0);
	if (!p.bytes.len) {
		compiled_free(&p);
		return;
	}
	check_round_trip(&p, &a);
	if (kernel && a.c.probes)
		check_kernel(&a);
	artifact_free(&a);
	check_damage(&p.bytes);
	check_refusals(&p.view, &p.bytes);
	compiled_free(&p);
}

/* A C file's object, and the --set values it was compiled with. */
static void test_c_object(void)
{
	char *sets[] = { "targ_comm=cat", "min_us=10" };
	struct artifact view = { .is_c = true, .sets = sets, .nsets = 2, .obj = (void *)object,
				 .obj_len = sizeof(object) };
	struct fault err;
	struct strbuf bytes, again;
	struct artifact a;

	sb_init(&bytes);
	sb_init(&again);
	artifact_origin_here(&view.origin, "minimal.bpf.c");
	CHECK(artifact_encode(&view, &bytes) == 0);
	CHECK(artifact_decode(bytes.buf, bytes.len, &a, &err) == 0);
	CHECK(a.is_c && !a.c.nprobes && !a.c.nmaps && !a.c.nevents);
	CHECK(a.nsets == 2 && !strcmp(a.sets[0], sets[0]) && !strcmp(a.sets[1], sets[1]));
	CHECK(a.obj_len == sizeof(object) && !memcmp(a.obj, object, sizeof(object)));
	CHECK(!strcmp(a.origin.source, "minimal.bpf.c"));
	CHECK(artifact_encode(&a, &again) == 0);
	CHECK(again.len == bytes.len && !memcmp(again.buf, bytes.buf, bytes.len));
	artifact_free(&a);
	check_damage(&bytes);
	check_refusals(&view, &bytes);
	sb_free(&bytes);
	sb_free(&again);
}

int main(void)
{
	test_c_object();
	test_program(no_kernel_prog, false);
	if (geteuid() != 0) {
		printf("skip: programs with tracepoints need root\n");
		return failures ? 1 : 77;
	}
	test_program(kernel_prog, true);
	return failures ? 1 : 0;
}
