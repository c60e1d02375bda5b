// SPDX-License-Identifier: GPL-2.0
/*
 * artifact: the container (magic, format version, length, checksum), the
 * origin, the check against the running kernel, and the bytes' readers and
 * writers.  The checked program's sections are artifact_prog.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "artifact_impl.h"
#include "config.h"
#include "hash.h"
#include "runtime.h"
#include "tpfmt.h"

/* Starts with the byte ELF starts with, which no program's text can. */
#define MAGIC "\177PTRACE1 AOT\n"
#define MAGIC_LEN (sizeof(MAGIC) - 1)
/* Raised whenever what the sections hold, or how, changes. */
#define FORMAT_VERSION 1
/* What the KIND section says. */
enum { KIND_PROGRAM, KIND_C };
/* At most this many --set, of at most this many bytes each (main.c takes 256). */
#define MAX_SETS 4096
#define MAX_SET_LEN 4096
/* Magic, version, body length. */
#define HEADER_LEN (MAGIC_LEN + 4 + 8)
#define CHECKSUM_LEN 8

static const char recompile[] = "compile the program again with this ptrace1's --aot";

/* ---- writing ---- */

void wr_u8(struct strbuf *out, uint8_t v)
{
	sb_add(out, (const char *)&v, 1);
}

void wr_u32(struct strbuf *out, uint32_t v)
{
	unsigned char b[4];

	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	sb_add(out, (const char *)b, sizeof(b));
}

void wr_u64(struct strbuf *out, uint64_t v)
{
	wr_u32(out, (uint32_t)v);
	wr_u32(out, (uint32_t)(v >> 32));
}

void wr_bytes(struct strbuf *out, const void *p, size_t n)
{
	if (n)
		sb_add(out, p, n);
}

void wr_str(struct strbuf *out, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	wr_u32(out, (uint32_t)n);
	wr_bytes(out, s, n);
}

size_t wr_section(struct strbuf *out, const char *tag)
{
	wr_bytes(out, tag, 4);
	wr_u32(out, 0);
	return out->len;
}

void wr_section_end(struct strbuf *out, size_t at)
{
	uint32_t n = (uint32_t)(out->len - at);

	if (out->err)
		return;
	for (int i = 0; i < 4; i++)
		out->buf[at - 4 + i] = (char)(n >> (8 * i));
}

/* ---- reading ---- */

void rd_fail(struct rd *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* The first problem is the one to tell, whichever section's reader finds it. */
	if (r->bad || r->err->msg[0]) {
		r->bad = true;
		return;
	}
	r->bad = true;
	n = snprintf(r->err->msg, sizeof(r->err->msg), "corrupt artifact: ");
	va_start(ap, fmt);
	vsnprintf(r->err->msg + n, sizeof(r->err->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	snprintf(r->err->hint, sizeof(r->err->hint), "%s", recompile);
}

const void *rd_bytes(struct rd *r, size_t n)
{
	if (r->bad)
		return NULL;
	if (n > r->len - r->at) {
		rd_fail(r, "%zu bytes wanted at byte %zu, %zu left", n, r->base + r->at,
			r->len - r->at);
		return NULL;
	}
	r->at += n;
	return r->p + r->at - n;
}

uint8_t rd_u8(struct rd *r)
{
	const unsigned char *p = rd_bytes(r, 1);

	return p ? p[0] : 0;
}

uint32_t rd_u32(struct rd *r)
{
	const unsigned char *p = rd_bytes(r, 4);
	uint32_t v = 0;

	for (int i = 0; p && i < 4; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

uint64_t rd_u64(struct rd *r)
{
	uint64_t lo = rd_u32(r);

	return lo | (uint64_t)rd_u32(r) << 32;
}

bool rd_bool(struct rd *r, const char *what)
{
	uint8_t v = rd_u8(r);

	if (v > 1)
		rd_fail(r, "%s is %u, not 0 or 1", what, v);
	return v == 1;
}

const char *rd_str(struct rd *r, size_t max, const char *what, size_t *len)
{
	size_t at = r->base + r->at;
	uint32_t n = rd_u32(r);
	const char *s;

	*len = 0;
	if (!r->bad && n > max) {
		rd_fail(r, "%s at byte %zu is %u bytes long, more than %zu", what, at, n, max);
		return NULL;
	}
	s = rd_bytes(r, n);
	/* Names and types, which messages may quote: no control characters. */
	for (size_t i = 0; s && i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			rd_fail(r, "%s at byte %zu holds byte %#x", what, at, (unsigned char)s[i]);
			return NULL;
		}
	}
	if (s)
		*len = n;
	return s;
}

void rd_str_into(struct rd *r, char *buf, size_t size, const char *what)
{
	size_t n;
	const char *s = rd_str(r, size - 1, what, &n);

	memcpy(buf, s ? s : "", n);
	buf[n] = '\0';
}

char *rd_strdup(struct rd *r, size_t max, const char *what, int *nomem)
{
	size_t n;
	const char *s = rd_str(r, max, what, &n);
	char *d;

	if (!s)
		return NULL;
	d = strndup(s, n);
	if (!d)
		*nomem = -ENOMEM;
	return d;
}

size_t rd_count(struct rd *r, size_t each, size_t max, const char *what)
{
	size_t at = r->base + r->at;
	uint32_t n = rd_u32(r);

	if (r->bad)
		return 0;
	if (n > max || (each && n > (r->len - r->at) / each)) {
		rd_fail(r, "%u %s at byte %zu: more than %s", n, what, at,
			n > max ? "allowed" : "the bytes that follow hold");
		return 0;
	}
	return n;
}

void rd_section(struct rd *r, const char *tag, struct rd *sec)
{
	size_t at = r->base + r->at;
	const char *t = rd_bytes(r, 4);
	uint32_t n = rd_u32(r);
	const void *p;

	*sec = (struct rd){ .err = r->err, .bad = true };
	if (r->bad)
		return;
	if (memcmp(t, tag, 4)) {
		rd_fail(r, "section %s expected at byte %zu", tag, at);
		return;
	}
	p = rd_bytes(r, n);
	if (p)
		*sec = (struct rd){ .p = p, .len = n, .base = r->base + r->at - n, .err = r->err };
}

void rd_end(struct rd *r, struct rd *sec, const char *tag)
{
	if (!sec->bad && sec->at != sec->len)
		rd_fail(sec, "section %s has %zu bytes past its contents", tag, sec->len - sec->at);
	r->bad |= sec->bad;
}

/* ---- the container ---- */

bool artifact_is(const char *name, const void *data, size_t len)
{
	size_t n = strlen(name);

	return (len && *(const unsigned char *)data == 0177) ||
	       (n > 4 && !strcmp(name + n - 4, ".pto"));
}

void artifact_origin_here(struct artifact_origin *o, const char *source)
{
	struct utsname u;

	memset(o, 0, sizeof(*o));
	snprintf(o->version, sizeof(o->version), "%s", PACKAGE_VERSION);
	snprintf(o->llvm, sizeof(o->llvm), "%s", PTRACE1_LLVM_VERSION);
	o->runtime = hash_fnv1a(HASH_FNV1A_INIT, runtime_header, runtime_header_len);
	if (!uname(&u)) {
		snprintf(o->machine, sizeof(o->machine), "%s", u.machine);
		snprintf(o->release, sizeof(o->release), "%s", u.release);
	}
	snprintf(o->source, sizeof(o->source), "%s", source);
}

int artifact_encode(const struct artifact *a, struct strbuf *out)
{
	size_t start = out->len, body, sec;
	uint64_t sum;

	wr_bytes(out, MAGIC, MAGIC_LEN);
	wr_u32(out, FORMAT_VERSION);
	wr_u64(out, 0);
	body = out->len;
	sec = wr_section(out, "ORIG");
	wr_str(out, a->origin.version);
	wr_str(out, a->origin.llvm);
	wr_u64(out, a->origin.runtime);
	wr_str(out, a->origin.machine);
	wr_str(out, a->origin.release);
	wr_str(out, a->origin.source);
	wr_section_end(out, sec);
	sec = wr_section(out, "KIND");
	wr_u8(out, a->is_c ? KIND_C : KIND_PROGRAM);
	wr_section_end(out, sec);
	if (a->is_c) {
		sec = wr_section(out, "SETS");
		wr_u32(out, (uint32_t)a->nsets);
		for (size_t i = 0; i < a->nsets; i++)
			wr_str(out, a->sets[i]);
		wr_section_end(out, sec);
	} else {
		artifact_encode_prog(&a->c, a->specs, out);
	}
	sec = wr_section(out, "BPFO");
	wr_bytes(out, a->obj, a->obj_len);
	wr_section_end(out, sec);
	if (out->err)
		return out->err;
	for (int i = 0; i < 8; i++)
		out->buf[body - 8 + i] = (char)((uint64_t)(out->len - body) >> (8 * i));
	sum = hash_fnv1a(HASH_FNV1A_INIT, out->buf + start, out->len - start);
	wr_u64(out, sum);
	return out->err;
}

/* The magic, the format and the length; 0 with the body's length in *@body. */
static int check_header(const unsigned char *p, size_t len, size_t *body,
			struct artifact_error *err)
{
	struct rd r = { .p = p, .len = len, .err = err };
	uint32_t version;
	uint64_t n;

	if (!len) {
		snprintf(err->msg, sizeof(err->msg), "an empty file, not a ptrace1 artifact");
		return -ENOEXEC;
	}
	if (memcmp(p, MAGIC, len < MAGIC_LEN ? len : MAGIC_LEN)) {
		snprintf(err->msg, sizeof(err->msg), "not a ptrace1 artifact%s",
			 len >= 4 && !memcmp(p, "\177ELF", 4) ? " (an ELF file)" : "");
		snprintf(err->hint, sizeof(err->hint),
			 "ptrace1 runs programs, which are text, and artifacts, which ptrace1 --aot writes; a file named .pto is taken for an artifact");
		return -ENOEXEC;
	}
	if (len < HEADER_LEN) {
		snprintf(err->msg, sizeof(err->msg), "truncated artifact: %zu bytes, not even a header", len);
		return -EBADMSG;
	}
	r.at = MAGIC_LEN;
	version = rd_u32(&r);
	n = rd_u64(&r);
	if (version != FORMAT_VERSION) {
		snprintf(err->msg, sizeof(err->msg), "artifact format %u; this ptrace1 reads format %d",
			 version, FORMAT_VERSION);
		snprintf(err->hint, sizeof(err->hint), "%s", recompile);
		return -EPROTO;
	}
	if (len < HEADER_LEN + CHECKSUM_LEN || n > len - HEADER_LEN - CHECKSUM_LEN) {
		if (n > UINT32_MAX)
			snprintf(err->msg, sizeof(err->msg), "corrupt artifact: its length is %llu",
				 (unsigned long long)n);
		else
			snprintf(err->msg, sizeof(err->msg), "truncated artifact: %zu bytes of %llu",
				 len, (unsigned long long)n + HEADER_LEN + CHECKSUM_LEN);
		snprintf(err->hint, sizeof(err->hint), "copy it again, or %s", recompile);
		return -EBADMSG;
	}
	if (n < len - HEADER_LEN - CHECKSUM_LEN) {
		snprintf(err->msg, sizeof(err->msg), "corrupt artifact: %zu bytes past its end",
			 (size_t)(len - HEADER_LEN - CHECKSUM_LEN - n));
		snprintf(err->hint, sizeof(err->hint), "%s", recompile);
		return -EBADMSG;
	}
	*body = (size_t)n;
	return 0;
}

/* An artifact runs on the ptrace1 that compiled it: the records' layouts are its. */
static int check_origin(const struct artifact_origin *o, struct artifact_error *err)
{
	struct artifact_origin here;

	artifact_origin_here(&here, "");
	if (strcmp(o->version, here.version))
		snprintf(err->msg, sizeof(err->msg), "compiled by ptrace1 %s; this is ptrace1 %s",
			 o->version, here.version);
	else if (o->runtime != here.runtime)
		snprintf(err->msg, sizeof(err->msg),
			 "compiled by another build of ptrace1 %s, with runtime %016llx; this one's is %016llx",
			 o->version, (unsigned long long)o->runtime, (unsigned long long)here.runtime);
	else if (strcmp(o->machine, here.machine))
		snprintf(err->msg, sizeof(err->msg), "compiled for %s; this machine is %s",
			 o->machine, here.machine);
	else
		return 0;
	snprintf(err->hint, sizeof(err->hint), "%s", recompile);
	return -EPROTO;
}

/* A C file's --set values: kept as given, checked against its globals when it runs. */
static int decode_sets(struct rd *r, struct artifact *a)
{
	struct rd sec;
	int nomem = 0;
	size_t n;

	rd_section(r, "SETS", &sec);
	n = rd_count(&sec, 4, MAX_SETS, "--set values");
	a->sets = calloc(n ? n : 1, sizeof(*a->sets));
	if (!a->sets)
		return -ENOMEM;
	for (size_t i = 0; i < n && !sec.bad && !nomem; i++) {
		a->sets[i] = rd_strdup(&sec, MAX_SET_LEN, "a --set value", &nomem);
		a->nsets += a->sets[i] != NULL;
	}
	rd_end(r, &sec, "SETS");
	return nomem;
}

static int decode_object(struct rd *r, struct artifact *a)
{
	struct rd sec;

	rd_section(r, "BPFO", &sec);
	if (sec.bad)
		return 0;
	if (sec.len < 4 || memcmp(sec.p, "\177ELF", 4)) {
		rd_fail(r, "its BPF object is not an ELF file");
		return 0;
	}
	a->obj = malloc(sec.len);
	if (!a->obj)
		return -ENOMEM;
	memcpy(a->obj, sec.p, sec.len);
	a->obj_len = sec.len;
	return 0;
}

int artifact_decode(const void *data, size_t len, struct artifact *a, struct artifact_error *err)
{
	const unsigned char *p = data;
	struct rd r = { .err = err }, sec;
	uint8_t kind;
	size_t body;
	uint64_t sum;
	int ret;

	memset(a, 0, sizeof(*a));
	memset(err, 0, sizeof(*err));
	ret = check_header(p, len, &body, err);
	if (ret)
		return ret;
	r.p = p + HEADER_LEN + body;
	r.len = CHECKSUM_LEN;
	sum = rd_u64(&r);
	if (sum != hash_fnv1a(HASH_FNV1A_INIT, p, HEADER_LEN + body)) {
		snprintf(err->msg, sizeof(err->msg), "corrupt artifact: its checksum does not match its contents");
		snprintf(err->hint, sizeof(err->hint), "copy it again, or %s", recompile);
		return -EBADMSG;
	}
	r = (struct rd){ .p = p + HEADER_LEN, .len = body, .base = HEADER_LEN, .err = err };
	rd_section(&r, "ORIG", &sec);
	rd_str_into(&sec, a->origin.version, sizeof(a->origin.version), "the version");
	rd_str_into(&sec, a->origin.llvm, sizeof(a->origin.llvm), "the LLVM version");
	a->origin.runtime = rd_u64(&sec);
	rd_str_into(&sec, a->origin.machine, sizeof(a->origin.machine), "the machine");
	rd_str_into(&sec, a->origin.release, sizeof(a->origin.release), "the kernel release");
	rd_str_into(&sec, a->origin.source, sizeof(a->origin.source), "the source's name");
	rd_end(&r, &sec, "ORIG");
	if (r.bad)
		return -EBADMSG;
	ret = check_origin(&a->origin, err);
	if (ret)
		return ret;
	rd_section(&r, "KIND", &sec);
	kind = rd_u8(&sec);
	if (!sec.bad && kind > KIND_C)
		rd_fail(&sec, "its kind is %u", kind);
	rd_end(&r, &sec, "KIND");
	a->is_c = kind == KIND_C;
	if (r.bad)
		ret = -EBADMSG;
	else if (a->is_c)
		ret = decode_sets(&r, a);
	else
		ret = artifact_decode_prog(&r, a);
	if (!ret)
		ret = decode_object(&r, a);
	if (!ret && r.at != r.len)
		rd_fail(&r, "%zu bytes after its last section", r.len - r.at);
	if (!ret && r.bad)
		ret = -EBADMSG;
	if (ret)
		artifact_free(a);
	return ret;
}

void artifact_free(struct artifact *a)
{
	checked_free(&a->c);
	program_free(&a->arena);
	free(a->specs);
	for (size_t i = 0; i < a->nsets; i++)
		free(a->sets[i]);
	free(a->sets);
	free(a->obj);
	memset(a, 0, sizeof(*a));
}

/* "'const char * filename' at offset 24, size 8" */
static void describe_field(const struct tp_field *f, char *buf, size_t size)
{
	char arr[16] = "";

	if (f->array_len)
		snprintf(arr, sizeof(arr), "[%u]", f->array_len);
	snprintf(buf, size, "'%s%s %s%s' at offset %u, size %u", f->data_loc ? "__data_loc " : "",
		 f->ctype, f->name, arr, f->offset, f->size);
}

static int check_tracepoint(const struct tp_format *want, struct artifact_error *err)
{
	char was[160], now[160];
	struct tp_format *have;
	const struct tp_field *f;
	int ret;

	ret = tpfmt_load(want->cat, want->ev, &have);
	if (ret == -ENOENT) {
		snprintf(err->msg, sizeof(err->msg), "this kernel has no tracepoint %s:%s",
			 want->cat, want->ev);
		return ret;
	}
	if (ret) {
		snprintf(err->msg, sizeof(err->msg), "cannot read the format of tracepoint %s:%s: %s",
			 want->cat, want->ev, strerror(-ret));
		return ret;
	}
	for (size_t i = 0; i < want->nfields && !ret; i++) {
		f = tpfmt_field(have, want->fields[i].name);
		if (!f) {
			snprintf(err->msg, sizeof(err->msg),
				 "tracepoint %s:%s has no field '%s' on this kernel", want->cat,
				 want->ev, want->fields[i].name);
			ret = -ESTALE;
		} else if (!tpfmt_same_layout(f, &want->fields[i])) {
			describe_field(&want->fields[i], was, sizeof(was));
			describe_field(f, now, sizeof(now));
			snprintf(err->msg, sizeof(err->msg),
				 "tracepoint %s:%s's field '%s' has changed: it was %s, it is now %s",
				 want->cat, want->ev, f->name, was, now);
			ret = -ESTALE;
		}
	}
	tpfmt_free(have);
	return ret;
}

int artifact_check_kernel(const struct artifact *a, struct artifact_error *err)
{
	struct utsname u;
	int ret;

	memset(err, 0, sizeof(*err));
	for (size_t i = 0; i < a->c.nfmts; i++) {
		ret = check_tracepoint(a->c.fmts[i], err);
		if (!ret)
			continue;
		if (!uname(&u) && strcmp(u.release, a->origin.release))
			snprintf(err->hint, sizeof(err->hint),
				 "it was compiled on Linux %s; this is Linux %s: compile the program again with --aot on this kernel",
				 a->origin.release, u.release);
		else
			snprintf(err->hint, sizeof(err->hint),
				 "compile the program again with --aot on this kernel");
		return ret;
	}
	return 0;
}

int artifact_save(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX];
	mode_t mask;
	FILE *f;
	int fd, err = 0;

	if (!strcmp(path, "-"))
		return fwrite(data, 1, len, stdout) == len && !fflush(stdout) ? 0 : -errno;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* As any file written: mkostemp's 0600, widened as the umask allows. */
	mask = umask(0);
	umask(mask);
	f = fdopen(fd, "w");
	if (!f || fchmod(fd, 0666 & ~mask) || fwrite(data, 1, len, f) != len)
		err = -(errno ?: EIO);
	if (f ? fclose(f) : close(fd))
		err = err ?: -errno;
	/* Whole or not at all: the file may be running elsewhere. */
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int artifact_write(const char *path, const char *source, struct artifact *a)
{
	struct strbuf bytes;
	int err;

	artifact_origin_here(&a->origin, source);
	sb_init(&bytes);
	err = artifact_encode(a, &bytes);
	if (!err)
		err = artifact_save(path, bytes.buf, bytes.len);
	sb_free(&bytes);
	return err;
}
