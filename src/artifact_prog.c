// SPDX-License-Identifier: GPL-2.0
/*
 * artifact: the checked program's sections, written from sema's struct
 * checked and read back into one, with everything output and the map
 * printer trust checked: a crafted artifact is refused, never followed
 * past a buffer.  Allocations are sema's, so that checked_free() frees them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "artifact_impl.h"

/* Bounds beyond anything sema makes, so that no size computed from them overflows. */
#define MAX_STR (1u << 20)
#define MAX_TUPLE 64
#define MAX_RECORD (1u << 24)
#define MAX_PRINTF_ARGS 64
#define MAX_KEYS 64
#define MAX_MAP_ENTRIES (1u << 24)
#define MAX_NAME 255
#define NO_FORMAT UINT32_MAX

enum { TYPE_F_SIGNED = 1, TYPE_F_SYSCALL = 2 };
enum {
	FIELD_F_SIGNED = 1, FIELD_F_COMMON = 2, FIELD_F_DATA_LOC = 4, FIELD_F_POINTER = 8,
	FIELD_F_CHAR_ARRAY = 16,
};

/* ---- writing ---- */

static void encode_type(struct strbuf *out, const struct type *t)
{
	wr_u8(out, (uint8_t)t->kind);
	wr_u8(out, (t->is_signed ? TYPE_F_SIGNED : 0) | (t->is_syscall ? TYPE_F_SYSCALL : 0));
	wr_u8(out, (uint8_t)t->strptr);
	wr_u32(out, t->size);
	if (t->kind != TYPE_TUPLE)
		return;
	wr_u32(out, (uint32_t)t->tuple->n);
	for (size_t i = 0; i < t->tuple->n; i++) {
		encode_type(out, &t->tuple->elems[i]);
		wr_u32(out, t->tuple->offsets[i]);
	}
}

/* Each tracepoint with the fields the program reads: what the kernel must still have. */
static void encode_tracepoints(const struct checked *c, struct strbuf *out)
{
	size_t sec = wr_section(out, "TRCP"), n;

	wr_u32(out, (uint32_t)c->nfmts);
	for (size_t i = 0; i < c->nfmts; i++) {
		const struct tp_format *t = c->fmts[i];

		wr_str(out, t->cat);
		wr_str(out, t->ev);
		wr_u32(out, t->id);
		wr_u32(out, t->size);
		n = 0;
		for (size_t j = 0; j < t->nfields; j++)
			n += t->fields[j].used;
		wr_u32(out, (uint32_t)n);
		for (size_t j = 0; j < t->nfields; j++) {
			const struct tp_field *f = &t->fields[j];

			if (!f->used)
				continue;
			wr_str(out, f->name);
			wr_str(out, f->ctype);
			wr_u32(out, f->offset);
			wr_u32(out, f->size);
			wr_u32(out, f->value_size);
			wr_u32(out, f->array_len);
			wr_u8(out, (f->is_signed ? FIELD_F_SIGNED : 0) |
				   (f->is_common ? FIELD_F_COMMON : 0) |
				   (f->data_loc ? FIELD_F_DATA_LOC : 0) |
				   (f->is_pointer ? FIELD_F_POINTER : 0) |
				   (f->is_char_array ? FIELD_F_CHAR_ARRAY : 0));
		}
	}
	wr_section_end(out, sec);
}

static void encode_probes(const struct checked *c, const struct attach_spec *specs,
			  struct strbuf *out)
{
	size_t sec = wr_section(out, "PROB"), f;

	wr_u32(out, (uint32_t)c->nprobes);
	for (size_t i = 0; i < c->nprobes; i++) {
		const struct sema_probe *p = &c->probes[i];

		for (f = 0; f < c->nfmts && c->fmts[f] != p->fmt; f++)
			;
		wr_u8(out, (uint8_t)p->probe.kind);
		wr_str(out, p->probe.name);
		wr_u32(out, p->fmt ? (uint32_t)f : NO_FORMAT);
		wr_u64(out, p->probe.period_ns);
		wr_u32(out, (uint32_t)p->action);
		wr_str(out, specs[i].prog);
	}
	wr_section_end(out, sec);
}

/* The map's layout follows from its types (layout_maps), as it did in sema. */
static void encode_maps(const struct checked *c, struct strbuf *out)
{
	size_t sec = wr_section(out, "MAPS");

	wr_u32(out, (uint32_t)c->nmaps);
	for (size_t i = 0; i < c->nmaps; i++) {
		const struct map_desc *m = &c->maps[i];

		wr_str(out, m->name);
		wr_u8(out, (uint8_t)m->kind);
		wr_u32(out, (uint32_t)m->nkeys);
		for (size_t k = 0; k < m->nkeys; k++)
			encode_type(out, &m->keys[k].type);
		encode_type(out, &m->tuple_type);
		wr_u64(out, (uint64_t)m->lhist_min);
		wr_u64(out, (uint64_t)m->lhist_max);
		wr_u64(out, (uint64_t)m->lhist_step);
		wr_u32(out, m->max_entries);
	}
	wr_section_end(out, sec);
}

static void encode_events(const struct checked *c, struct strbuf *out)
{
	size_t sec = wr_section(out, "EVNT");

	wr_u32(out, (uint32_t)c->nevents);
	for (size_t i = 0; i < c->nevents; i++) {
		const struct event_desc *e = &c->events[i];

		wr_u8(out, (uint8_t)e->kind);
		/* Its length plus one, 0 for none; printf's is parsed again when read. */
		wr_u32(out, e->fmt.text ? (uint32_t)e->fmt.len + 1 : 0);
		wr_bytes(out, e->fmt.text, e->fmt.text ? e->fmt.len : 0);
		wr_u32(out, e->size);
		wr_u32(out, (uint32_t)e->map);
		wr_u64(out, e->top);
		wr_u64(out, e->div);
		wr_u32(out, (uint32_t)e->nargs);
		for (size_t k = 0; k < e->nargs; k++) {
			encode_type(out, &e->args[k].type);
			wr_u32(out, e->args[k].offset);
		}
	}
	wr_section_end(out, sec);
}

void artifact_encode_prog(const struct checked *c, const struct attach_spec *specs,
			  struct strbuf *out)
{
	size_t sec = wr_section(out, "OPTS");

	wr_u32(out, c->opts.strlen);
	wr_u8(out, c->opts.have_cpid);
	wr_u8(out, c->opts.filter_pid);
	wr_u32(out, c->opts.map_keys_max);
	wr_section_end(out, sec);
	encode_tracepoints(c, out);
	encode_probes(c, specs, out);
	encode_maps(c, out);
	encode_events(c, out);
}

/* ---- reading ---- */

struct decoder {
	struct rd *r;
	struct artifact *a;
	int nomem;
};

static unsigned int value_bytes(const struct type *t)
{
	return t->kind == TYPE_STR ? t->size : 8;
}

/* A type; a tuple (of ints and strings) where @tuple allows one. */
static struct type decode_type(struct decoder *d, struct rd *r, bool tuple, const char *what)
{
	struct type t = { 0 };
	struct tuple_type *tt;
	unsigned int end = 0;
	uint8_t kind = rd_u8(r), flags = rd_u8(r), strptr = rd_u8(r);

	t.size = rd_u32(r);
	if (r->bad)
		return t;
	if (kind != TYPE_INT && kind != TYPE_STR && !(tuple && kind == TYPE_TUPLE)) {
		rd_fail(r, "%s has type kind %u", what, kind);
		return t;
	}
	if (flags & ~(TYPE_F_SIGNED | TYPE_F_SYSCALL) || strptr > AS_KERNEL) {
		rd_fail(r, "%s has flags %#x and address space %u", what, flags, strptr);
		return t;
	}
	t.kind = (enum type_kind)kind;
	t.is_signed = flags & TYPE_F_SIGNED;
	t.is_syscall = flags & TYPE_F_SYSCALL;
	t.strptr = (enum addr_space)strptr;
	if ((kind == TYPE_STR && (!t.size || t.size > MAX_STR)) ||
	    (kind == TYPE_TUPLE && t.size > MAX_RECORD)) {
		rd_fail(r, "%s is %u bytes", what, t.size);
		return t;
	}
	if (kind != TYPE_TUPLE)
		return t;
	tt = prog_alloc(&d->a->arena, sizeof(*tt));
	if (tt)
		tt->n = rd_count(r, 11, MAX_TUPLE, "tuple elements");
	if (tt && !r->bad && !tt->n)
		rd_fail(r, "%s is an empty tuple", what);
	if (tt && tt->n) {
		tt->elems = prog_alloc(&d->a->arena, tt->n * sizeof(*tt->elems));
		tt->offsets = prog_alloc(&d->a->arena, tt->n * sizeof(*tt->offsets));
	}
	if (!tt || (tt->n && (!tt->elems || !tt->offsets))) {
		d->nomem = -ENOMEM;
		return t;
	}
	for (size_t i = 0; i < tt->n && !r->bad; i++) {
		tt->elems[i] = decode_type(d, r, false, what);
		tt->offsets[i] = rd_u32(r);
		/* In order, apart, inside: what print() reads of each element. */
		if (!r->bad && (tt->offsets[i] < end || value_bytes(&tt->elems[i]) > t.size ||
				tt->offsets[i] > t.size - value_bytes(&tt->elems[i])))
			rd_fail(r, "%s's element %zu lies outside it", what, i + 1);
		end = tt->offsets[i] + value_bytes(&tt->elems[i]);
	}
	t.tuple = tt;
	return t;
}

/*
 * Section @tag of a count of @what, which take at least @each bytes apiece,
 * and a zeroed array of @size bytes apiece for them in *@v.  Returns the count.
 */
static size_t decode_array(struct decoder *d, const char *tag, const char *what,
			   struct rd *sec, size_t each, size_t size, void *v)
{
	size_t n;

	rd_section(d->r, tag, sec);
	n = rd_count(sec, each, SIZE_MAX, what);
	*(void **)v = calloc(n ? n : 1, size);
	if (!*(void **)v)
		d->nomem = -ENOMEM;
	return n;
}

static void decode_opts(struct decoder *d)
{
	struct sema_opts *o = &d->a->c.opts;
	struct rd sec;

	rd_section(d->r, "OPTS", &sec);
	o->strlen = rd_u32(&sec);
	o->have_cpid = rd_bool(&sec, "the -c flag");
	o->filter_pid = rd_bool(&sec, "the -p flag");
	o->map_keys_max = rd_u32(&sec);
	if (!sec.bad && (o->strlen < 2 || o->strlen > MAX_STR))
		rd_fail(&sec, "the string size is %u", o->strlen);
	rd_end(d->r, &sec, "OPTS");
}

static void decode_field(struct decoder *d, struct rd *r, struct tp_field *f)
{
	uint8_t flags;

	f->name = rd_strdup(r, MAX_NAME, "a field's name", &d->nomem);
	f->ctype = rd_strdup(r, MAX_NAME, "a field's type", &d->nomem);
	f->offset = rd_u32(r);
	f->size = rd_u32(r);
	f->value_size = rd_u32(r);
	f->array_len = rd_u32(r);
	flags = rd_u8(r);
	f->is_signed = flags & FIELD_F_SIGNED;
	f->is_common = flags & FIELD_F_COMMON;
	f->data_loc = flags & FIELD_F_DATA_LOC;
	f->is_pointer = flags & FIELD_F_POINTER;
	f->is_char_array = flags & FIELD_F_CHAR_ARRAY;
	f->used = true;
	if (!r->bad && f->name && !tpfmt_is_name(f->name))
		rd_fail(r, "a field is named '%s'", f->name);
	if (!r->bad && flags >= FIELD_F_CHAR_ARRAY * 2)
		rd_fail(r, "field %s has flags %#x", f->name, flags);
}

static void decode_tracepoints(struct decoder *d)
{
	struct checked *c = &d->a->c;
	struct tp_format *t;
	struct rd sec;
	size_t n, nfields;

	n = decode_array(d, "TRCP", "tracepoints", &sec, 20, sizeof(*c->fmts), &c->fmts);
	for (size_t i = 0; i < n && !sec.bad && !d->nomem; i++) {
		t = c->fmts[c->nfmts++] = calloc(1, sizeof(*t));
		if (!t) {
			d->nomem = -ENOMEM;
			return;
		}
		t->cat = rd_strdup(&sec, MAX_NAME, "a tracepoint's category", &d->nomem);
		t->ev = rd_strdup(&sec, MAX_NAME, "a tracepoint's name", &d->nomem);
		if (t->cat && t->ev && (!tpfmt_is_name(t->cat) || !tpfmt_is_name(t->ev)))
			rd_fail(&sec, "a tracepoint is named '%s:%s'", t->cat, t->ev);
		t->id = rd_u32(&sec);
		t->size = rd_u32(&sec);
		nfields = rd_count(&sec, 25, SIZE_MAX, "fields");
		t->fields = calloc(nfields ? nfields : 1, sizeof(*t->fields));
		if (!t->fields) {
			d->nomem = -ENOMEM;
			return;
		}
		for (size_t k = 0; k < nfields && !sec.bad && !d->nomem; k++)
			decode_field(d, &sec, &t->fields[t->nfields++]);
	}
	rd_end(d->r, &sec, "TRCP");
}

static void decode_probe(struct decoder *d, struct rd *r, size_t i)
{
	struct sema_probe *p = &d->a->c.probes[i];
	struct attach_spec *s = &d->a->specs[i];
	uint8_t kind = rd_u8(r);
	uint32_t fmt;

	rd_str_into(r, p->probe.name, sizeof(p->probe.name), "a probe's name");
	fmt = rd_u32(r);
	p->probe.period_ns = rd_u64(r);
	p->action = rd_u32(r);
	rd_str_into(r, s->prog, sizeof(s->prog), "a probe's program");
	if (r->bad)
		return;
	p->probe.kind = (enum probe_kind)kind;
	s->kind = p->probe.kind;
	s->period_ns = p->probe.period_ns;
	if (kind > PROBE_INTERVAL)
		rd_fail(r, "probe %s has kind %u", p->probe.name, kind);
	else if (kind == PROBE_TRACEPOINT ? fmt >= d->a->c.nfmts : fmt != NO_FORMAT)
		rd_fail(r, "probe %s has tracepoint format %u", p->probe.name, fmt);
	else if ((kind == PROBE_INTERVAL) != (p->probe.period_ns > 0))
		rd_fail(r, "probe %s has period %llu", p->probe.name,
			(unsigned long long)p->probe.period_ns);
	else if (!tpfmt_is_name(s->prog))
		rd_fail(r, "probe %s is served by program '%s'", p->probe.name, s->prog);
	if (r->bad || kind != PROBE_TRACEPOINT)
		return;
	p->fmt = d->a->c.fmts[fmt];
	p->probe.cat = s->cat = p->fmt->cat;
	p->probe.ev = s->ev = p->fmt->ev;
}

static void decode_probes(struct decoder *d)
{
	struct checked *c = &d->a->c;
	struct rd sec;
	size_t n;

	n = decode_array(d, "PROB", "probes", &sec, 25, sizeof(*c->probes), &c->probes);
	if (!sec.bad && !n)
		rd_fail(&sec, "no probes");
	d->a->specs = calloc(n ? n : 1, sizeof(*d->a->specs));
	if (!d->a->specs)
		d->nomem = -ENOMEM;
	if (d->nomem)
		return;
	c->nprobes = c->probes_cap = n;
	for (size_t i = 0; i < n && !sec.bad; i++)
		decode_probe(d, &sec, i);
	rd_end(d->r, &sec, "PROB");
}

/* The value's fields from its type, as sema's set_values() makes them. */
static int map_values(struct map_desc *m)
{
	const struct type *v = &m->tuple_type;

	m->nvalues = v->kind == TYPE_TUPLE ? v->tuple->n : 1;
	m->values = calloc(m->nvalues, sizeof(*m->values));
	if (!m->values)
		return -ENOMEM;
	for (size_t i = 0; i < m->nvalues; i++)
		m->values[i].type = v->kind == TYPE_TUPLE ? v->tuple->elems[i] : *v;
	m->tuple = v->kind == TYPE_TUPLE;
	return 0;
}

static void decode_map(struct decoder *d, struct rd *r, struct map_desc *m)
{
	size_t len;
	const char *name = rd_str(r, 63, "a map's name", &len);
	uint8_t kind = rd_u8(r);

	m->name = prog_strndup(&d->a->arena, name ? name : "", len);
	m->nkeys = rd_count(r, 7, MAX_KEYS, "map keys");
	m->keys = calloc(m->nkeys ? m->nkeys : 1, sizeof(*m->keys));
	if (!m->name || !m->keys) {
		d->nomem = -ENOMEM;
		return;
	}
	if (!r->bad && len && !tpfmt_is_name(m->name))
		rd_fail(r, "a map is named '%s'", m->name);
	else if (!r->bad && kind > MAP_LHIST)
		rd_fail(r, "map @%s has kind %u", m->name, kind);
	m->kind = (enum map_kind)kind;
	m->percpu = m->kind != MAP_VALUE;
	for (size_t k = 0; k < m->nkeys; k++)
		m->keys[k].type = decode_type(d, r, false, "a map's key");
	m->tuple_type = decode_type(d, r, m->kind == MAP_VALUE, "a map's value");
	m->lhist_min = (int64_t)rd_u64(r);
	m->lhist_max = (int64_t)rd_u64(r);
	m->lhist_step = (int64_t)rd_u64(r);
	m->max_entries = rd_u32(r);
	if (r->bad || d->nomem)
		return;
	if (m->kind != MAP_VALUE && m->tuple_type.kind != TYPE_INT)
		rd_fail(r, "map @%s aggregates a %s", m->name,
			m->tuple_type.kind == TYPE_STR ? "string" : "tuple");
	else if (m->kind == MAP_LHIST ?
		 lhist_check(m->lhist_min, m->lhist_max, m->lhist_step) != LHIST_OK :
		 m->lhist_min || m->lhist_max || m->lhist_step)
		rd_fail(r, "map @%s has lhist bounds %lld, %lld, %lld", m->name,
			(long long)m->lhist_min, (long long)m->lhist_max, (long long)m->lhist_step);
	else if (!m->max_entries || m->max_entries > MAX_MAP_ENTRIES)
		rd_fail(r, "map @%s has %u entries", m->name, m->max_entries);
	else if (map_values(m))
		d->nomem = -ENOMEM;
}

static void decode_maps(struct decoder *d)
{
	struct checked *c = &d->a->c;
	struct rd sec;
	size_t n;

	n = decode_array(d, "MAPS", "maps", &sec, 44, sizeof(*c->maps), &c->maps);
	for (size_t i = 0; i < n && !sec.bad && !d->nomem; i++) {
		decode_map(d, &sec, &c->maps[c->nmaps++]);
		for (size_t k = 0; k < i && !sec.bad; k++) {
			if (!strcmp(c->maps[k].name, c->maps[i].name))
				rd_fail(&sec, "two maps are named @%s", c->maps[i].name);
		}
	}
	rd_end(d->r, &sec, "MAPS");
	if (!d->r->bad && !d->nomem)
		layout_maps(c);
}

/* printf's arguments against its conversions, as sema matched them. */
static void check_printf(struct rd *r, const struct event_desc *e, size_t i)
{
	for (size_t k = 0; k < e->nargs && !r->bad; k++) {
		const struct type *t = &e->args[k].type;
		bool str = e->fmt.convs[k].want == FMT_WANT_STR;

		if (t->kind == TYPE_TUPLE ||
		    (str ? t->kind != TYPE_STR && !t->is_syscall : t->kind != TYPE_INT))
			rd_fail(r, "event %zu's argument %zu does not fit its %%%c", i, k + 1,
				e->fmt.convs[k].conv);
	}
}

/* What output reads of a record of this kind lies inside it; @i counts from 1. */
static void check_event(struct decoder *d, struct rd *r, const struct event_desc *e, size_t i)
{
	unsigned int slot = (d->a->c.opts.strlen + 7) & ~7u;
	size_t want_args = e->kind == EVENT_PRINT ? 1 : 0;

	if (e->kind == EVENT_PRINTF)
		want_args = e->fmt.nconvs;
	if (e->nargs != want_args)
		rd_fail(r, "event %zu has %zu arguments, not %zu", i, e->nargs, want_args);
	else if ((e->kind == EVENT_PRINTF || e->kind == EVENT_TIME || e->kind == EVENT_JOIN) !=
		 (e->fmt.text != NULL))
		rd_fail(r, "event %zu has %s text", i, e->fmt.text ? "a" : "no");
	else if (e->kind == EVENT_JOIN &&
		 e->size < EVENT_HDR_SIZE + 8 + (uint64_t)JOIN_MAX_ARGS * slot)
		rd_fail(r, "event %zu's join() record is %u bytes", i, e->size);
	else if (e->kind >= EVENT_MAP_PRINT && e->map >= d->a->c.nmaps)
		rd_fail(r, "event %zu is about map %zu of %zu", i, e->map, d->a->c.nmaps);
	else if (e->kind == EVENT_PRINTF)
		check_printf(r, e, i);
}

static void decode_event(struct decoder *d, struct rd *r, struct event_desc *e, size_t i)
{
	uint8_t kind = rd_u8(r);
	uint32_t text = rd_u32(r);
	const char *bytes = text ? rd_bytes(r, text - 1) : NULL;
	struct fmt_error ferr;
	int err;

	e->kind = (enum event_kind)kind;
	e->size = rd_u32(r);
	e->map = rd_u32(r);
	e->top = rd_u64(r);
	e->div = rd_u64(r);
	e->nargs = rd_count(r, 11, MAX_PRINTF_ARGS, "arguments");
	e->args = calloc(e->nargs ? e->nargs : 1, sizeof(*e->args));
	if (!e->args) {
		d->nomem = -ENOMEM;
		return;
	}
	if (r->bad)
		return;
	if (kind > EVENT_MAP_ZERO || e->size < EVENT_HDR_SIZE || e->size > MAX_RECORD) {
		rd_fail(r, "event %zu has kind %u and %u bytes", i, kind, e->size);
		return;
	}
	for (size_t k = 0; k < e->nargs && !r->bad; k++) {
		struct event_arg *a = &e->args[k];

		a->type = decode_type(d, r, kind == EVENT_PRINT, "an event's argument");
		a->offset = rd_u32(r);
		a->size = a->type.kind == TYPE_INT ? 8 : a->type.size;
		if (!r->bad && (a->offset < EVENT_HDR_SIZE || a->offset > e->size ||
				a->size > e->size - a->offset))
			rd_fail(r, "event %zu's argument %zu lies outside its record", i, k + 1);
	}
	if (r->bad || d->nomem || !bytes)
		return;
	if (kind == EVENT_PRINTF) {
		err = fmt_parse(bytes, text - 1, &e->fmt, &ferr);
		if (err == -ENOMEM)
			d->nomem = err;
		else if (err)
			rd_fail(r, "event %zu's format: %s", i, ferr.msg);
		return;
	}
	/* As sema copies a literal: its bytes, NULs too, then one more. */
	e->fmt.text = malloc(text);
	if (!e->fmt.text) {
		d->nomem = -ENOMEM;
		return;
	}
	memcpy(e->fmt.text, bytes, text - 1);
	e->fmt.text[text - 1] = '\0';
	e->fmt.len = text - 1;
}

static void decode_events(struct decoder *d)
{
	struct checked *c = &d->a->c;
	struct rd sec;
	size_t n;

	n = decode_array(d, "EVNT", "events", &sec, 33, sizeof(*c->events), &c->events);
	for (size_t i = 0; i < n && !sec.bad && !d->nomem; i++) {
		decode_event(d, &sec, &c->events[c->nevents++], i + 1);
		if (!sec.bad && !d->nomem)
			check_event(d, &sec, &c->events[i], i + 1);
	}
	rd_end(d->r, &sec, "EVNT");
}

int artifact_decode_prog(struct rd *r, struct artifact *a)
{
	struct decoder d = { .r = r, .a = a };

	a->c.prog = &a->arena;
	decode_opts(&d);
	if (!r->bad)
		decode_tracepoints(&d);
	if (!r->bad && !d.nomem)
		decode_probes(&d);
	if (!r->bad && !d.nomem)
		decode_maps(&d);
	if (!r->bad && !d.nomem)
		decode_events(&d);
	if (d.nomem)
		return d.nomem;
	return r->bad ? -EBADMSG : 0;
}
