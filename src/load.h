/* SPDX-License-Identifier: GPL-2.0 */
/* load: the BPF object -> programs in the kernel, attached; and back out. */
#ifndef PTRACE1_LOAD_H
#define PTRACE1_LOAD_H

#include <stddef.h>
#include <stdint.h>

struct bpf_object;
struct bpf_link;

struct loaded {
	struct bpf_object *obj;
	struct bpf_link **links;
	size_t nlinks;
	char *log;		/* libbpf's and the verifier's messages of the last failure */
	size_t log_len;
};

struct load_opts {
	size_t ringbuf_bytes;	/* a power of two, at least a page */
	uint64_t cpid;
	int verbose;
};

/* Whether this process may load and attach tracing programs. */
int load_check_privileges(void);
/* Open and load @obj; on failure l->log says why.  Returns 0 or -errno. */
int load_object(const void *obj, size_t len, const struct load_opts *o, struct loaded *l);
/* Attach every program to its tracepoint.  Returns 0 or -errno (some may be attached). */
int load_attach(struct loaded *l, const char **failed);
/* File descriptors of the shared maps, for output. */
int load_map_fd(const struct loaded *l, const char *name);
/* Detach, unload, free.  Safe on a zeroed struct. */
void load_close(struct loaded *l);

#endif
