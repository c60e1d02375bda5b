/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lower: the checked program -> one self-contained C translation unit for
 * the BPF target.  It starts with the embedded runtime header and includes
 * nothing else; each (action, tracepoint) pair becomes one function, its
 * context a struct written from the tracepoint's format file: a BPF program
 * in section "tracepoint/CAT/EV", or for a syscall tracepoint a function a
 * raw tracepoint program calls (lower_syscall.c).
 */
#ifndef PTRACE1_LOWER_H
#define PTRACE1_LOWER_H

#include "load.h"
#include "sema.h"
#include "strbuf.h"

/* Append the C source to @out.  Returns 0, -ENOMEM, or -E2BIG when the
 * buffers of one probe exceed what a per-CPU map can hold. */
int lower_program(const struct checked *c, struct strbuf *out);
/* A C string literal for any bytes: nothing the user wrote can end it early. */
void c_string(struct strbuf *out, const char *s, size_t len);
/*
 * How to attach each probe: *@out is malloc'd, one per probe.  A probe's
 * program is its own function, another probe's it shares, or for a syscall
 * tracepoint the raw tracepoint program dispatching to it.  0 or -ENOMEM.
 */
int lower_attach_specs(const struct checked *c, struct attach_spec **out);

#endif
