/* SPDX-License-Identifier: GPL-2.0 */
/* load: the BPF object -> programs in the kernel, attached; and back out. */
#ifndef PTRACE1_LOAD_H
#define PTRACE1_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>

#include "fault.h"
#include "mapdesc.h"
#include "probe.h"

struct bpf_object;
struct bpf_link;

struct loaded {
	struct bpf_object *obj;
	struct bpf_link **links;
	size_t nlinks;
	char *log;		/* libbpf's and the verifier's messages (not its debug ones) */
	size_t log_len;
	char mismatch[256];	/* how the object's maps differ from what ptrace1 reads, or "" */
	int verbose;		/* libbpf's messages to stderr too: 1 but debug, 2 all */
	struct rlimit nofile;	/* the file limit as it was, restored by load_close */
	bool nofile_raised;
};

struct load_opts {
	size_t ringbuf_bytes;	/* a power of two, at least a page */
	uint64_t cpid;
	uint64_t pid;		/* -p */
	uint64_t start_ns;	/* CLOCK_MONOTONIC at start, for elapsed */
	const struct map_desc *maps;	/* the program's maps, as output reads them */
	size_t nmaps;
	int verbose;
};

/* How to attach one program. */
struct attach_spec {
	char prog[192];		/* the BPF program's name */
	enum probe_kind kind;
	uint64_t period_ns;	/* intervals */
	const char *cat, *ev;	/* tracepoints: the probe's own, which a shared program's SEC is not */
};

/* Why loading failed, read from the verifier's log. */
struct load_failure {
	char prog[192];		/* the program the kernel refused, or "" */
	char reason[256];	/* the verifier's own words, or "" */
	const char *hint;	/* what to do about it, or NULL */
};

void load_explain(const struct loaded *l, struct load_failure *f);

/* Whether this process may load and attach tracing programs; if not, @f says why. */
int load_check_privileges(struct fault *f);
/*
 * Whether the kernel gives this process bpf(2) and the BPF ring buffer
 * (Linux 5.8); if not, @f says why.  Returns 0 or -errno.
 */
int load_check_kernel(struct fault *f);
/*
 * Open and load ptrace1's @obj; on failure l->log says why, or for -EBADMSG
 * (its maps are not the runtime's and @o's) l->mismatch.  Raises the soft
 * file limit to the hard one until load_close.  Returns 0 or -errno.
 */
int load_object(const void *obj, size_t len, const struct load_opts *o, struct loaded *l);
/*
 * Any BPF object, in two steps, to change it in between: open @obj as
 * object @name, then load its programs and maps into the kernel.  On
 * failure l->log says why.  Return 0 or -errno.
 */
int load_open(const void *obj, size_t len, const char *name, int verbose, struct loaded *l);
int load_programs(struct loaded *l);
/*
 * Attach every program of @specs but BEGIN and END, in order, until @stop
 * says to.  A tracepoint program several specs name is attached to each
 * one's tracepoint with the spec's index as the link's BPF cookie.  Returns
 * 0, -EINTR when stopped, or -errno with *@failed the index of the spec
 * that failed; either way those attached stay attached.
 */
int load_attach(struct loaded *l, const struct attach_spec *specs, size_t n, bool (*stop)(void),
		size_t *failed);
/*
 * Attach every program as libbpf does by its section name.  Returns 0, or
 * -errno with *@failed naming the program (some may be attached).
 */
int load_attach_all(struct loaded *l, const char **failed);
/* Run a BEGIN or END program once.  Returns 0 or -errno. */
int load_run(struct loaded *l, const char *prog);
/* Detach every attached program; they stay loaded. */
void load_detach(struct loaded *l);
/* -v: each loaded program's id and size, and what the verifier went through. */
void load_report(const struct loaded *l, FILE *out);
/* File descriptors of the shared maps, for output. */
int load_map_fd(const struct loaded *l, const char *name);
/* Detach, unload, free.  Safe on a zeroed struct. */
void load_close(struct loaded *l);

#endif
