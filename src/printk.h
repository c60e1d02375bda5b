/* SPDX-License-Identifier: GPL-2.0 */
/*
 * printk: the lines bpf_printk() (bpf_trace_printk, bpf_trace_vprintk)
 * writes, shown as they come.
 *
 * The kernel writes them as events "bpf_trace:bpf_trace_printk" into every
 * tracefs instance that enables that event.  ptrace1 reads them from an
 * instance of its own (instances/ptrace1-PID), so that no other reader of
 * trace_pipe takes them and no other tracing mixes in; the instance records
 * a kernel stack trace with each line, and a line whose stack holds none of
 * this run's BPF programs (by their JIT addresses) is another program's,
 * and is not shown.
 */
#ifndef PTRACE1_PRINTK_H
#define PTRACE1_PRINTK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "loop.h"
#include "strbuf.h"

struct bpf_object;

/* A program's machine code: stack addresses in it are the program's. */
struct printk_range {
	uint64_t start, end;
};

/* Whose a line is, by its stack trace. */
enum printk_whose {
	PRINTK_UNKNOWN,		/* no stack trace yet, or no BPF program in it */
	PRINTK_OURS,		/* a program of this run's */
	PRINTK_OTHERS,		/* only other BPF programs */
};

/* A line read, waiting for the stack trace that tells whose it is. */
struct printk_line {
	int cpu;
	int pid;
	char comm[32];
	char time[32];
	struct strbuf msg;
	enum printk_whose whose;
};

struct printk {
	int fd;			/* the instance's trace_pipe, or -1 */
	char *dir;		/* the instance, removed at close */
	FILE *out;
	bool json;
	struct printk_range *ranges;
	size_t nranges;
	char *buf;		/* what was read; a line cut by the read waits here */
	size_t len, cap;
	struct printk_line *lines;
	size_t nlines;
	ssize_t stack_of;	/* the line whose stack trace is being read, or -1 */
	ssize_t last;		/* the line a line with no prefix continues, or -1 */
	uint64_t lost;		/* entries the full trace buffer dropped */
};

void printk_init(struct printk *p);
/* Whether a program of @obj (loaded) calls bpf_trace_printk or bpf_trace_vprintk. */
bool printk_used(const struct bpf_object *obj);
/*
 * When a program of @obj (loaded, not yet attached) prints, create the
 * instance and add its pipe to @l; lines go to @out, as text or JSON.  A
 * kernel without the event or tracefs instances is a warning, not an
 * error.  Returns 0 or -errno.
 */
int printk_setup(struct printk *p, const struct bpf_object *obj, struct loop *l, bool json,
		 FILE *out);
/* What the pipe has now (a loop_drain_fn). */
int printk_drain(void *p);
/*
 * After the programs are detached: the rest of the pipe, lines still
 * waiting for their stack trace, and a warning if lines were lost.
 * Returns 0 or -errno.
 */
int printk_finish(struct printk *p);
/* Remove the instance and free.  Safe after printk_init(). */
void printk_close(struct printk *p);

#endif
