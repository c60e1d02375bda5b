// SPDX-License-Identifier: GPL-2.0
/* The command line: options, environment, output file, exit status; mode.c says what they ask. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfile.h"
#include "config.h"
#include "list.h"
#include "loop.h"
#include "mode.h"
#include "repl.h"
#include "run.h"

#define MAX_RINGBUF_KB (1u << 20)
#define DEFAULT_MAP_KEYS 4096
#define MAX_SETS 256

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ptrace1 [options] -e 'PROGRAM' [ARG...]\n"
		"       ptrace1 [options] FILE [ARG...]\n"
		"       ptrace1 [options] FILE.c      a BPF C file (libbpf style)\n"
		"       ptrace1 -l[v] [GLOB]\n"
		"       ptrace1 [options] [-i [ARG...]]\n"
		"       ptrace1 --aot ARTIFACT [options] -e 'PROGRAM'|FILE [ARG...]\n"
		"       ptrace1 [options] ARTIFACT\n"
		"\n"
		"  -e PROGRAM    trace with PROGRAM, e.g.\n"
		"                  'sys_enter_openat /comm == \"curl\"/ < print(filename) >'\n"
		"  -l [GLOB]     list the tracepoints GLOB names (all by default), or with\n"
		"                -e or FILE the program's probes; -lv adds their fields\n"
		"  -c COMMAND    run COMMAND, trace while it runs (cpid is its pid)\n"
		"  -p PID        trace only process PID, until it exits\n"
		"  -i            the interactive prompt (also with no program and no FILE)\n"
		"  -o FILE       write the output to FILE\n"
		"  -f text|json  output format; json is one object a line (NDJSON)\n"
		"  -B line|full|none  output buffering (default line)\n"
		"  -q            quiet: no \"Attaching N probes...\" line\n"
		"  -v            verbose: libbpf's and the verifier's messages\n"
		"  -d            print the checked program, with its types, and exit\n"
		"  --emit-c      print the generated BPF C and exit\n"
		"  --set NAME=VALUE  set a C file's const volatile global NAME (repeatable)\n"
		"  --aot ARTIFACT  compile, write ARTIFACT (a .pto) and exit; running\n"
		"                it later needs no compiler\n"
		"  -h, --help    this help\n"
		"  -V, --version print the version\n"
		"\n"
		"ARGs are the program's $1, $2, ...\n"
		"Environment: PTRACE1_STRLEN (string buffer bytes, default %d),\n"
		"PTRACE1_MAP_KEYS_MAX (entries of each map, default %d),\n"
		"PTRACE1_RINGBUF_KB (the event ring buffer, default %d for a program\n"
		"that prints, else %d).\n"
		"See ptrace1(8).\n", RUN_STRLEN_DEFAULT, DEFAULT_MAP_KEYS, RUN_RINGBUF_PRINTS_KB,
		RUN_RINGBUF_QUIET_KB);
}

static int parse_pid(const char *s, pid_t *pid)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n <= 0 || n > INT32_MAX) {
		fprintf(stderr, "ptrace1: -p takes a process id, not '%s'\n", s);
		return -EINVAL;
	}
	*pid = (pid_t)n;
	return 0;
}

static int parse_buffering(const char *s, enum run_buffering *b)
{
	static const char *const names[] = {
		[BUFFER_LINE] = "line", [BUFFER_FULL] = "full", [BUFFER_NONE] = "none",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (!strcmp(s, names[i])) {
			*b = (enum run_buffering)i;
			return 0;
		}
	}
	fprintf(stderr, "ptrace1: -B takes line, full or none, not '%s'\n", s);
	return -EINVAL;
}

/* A number from the environment, or @def when unset. */
static int env_uint(const char *name, unsigned long def, unsigned long min, unsigned long max,
		    unsigned int *out)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	*out = (unsigned int)def;
	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n < min || n > max) {
		fprintf(stderr, "ptrace1: %s must be a number from %lu to %lu, not '%s'\n", name, min,
			max, v);
		return -EINVAL;
	}
	*out = (unsigned int)n;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "emit-c", no_argument, NULL, 'C' },
		{ "set", required_argument, NULL, 'S' },
		{ "aot", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts o = { 0 };
	struct mode_args args = { 0 };
	struct mode m;
	unsigned int ringbuf_kb;
	const char *out_path = NULL;
	char *sets[MAX_SETS];
	struct loop_signals signals;
	int opt, err, status = 0;

	while ((opt = getopt_long(argc, argv, "e:c:p:o:f:B:lqvdhVi", longopts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			args.prog = optarg;
			break;
		case 'c':
			o.cmd = optarg;
			break;
		case 'i':
			args.interactive = true;
			break;
		case 'p':
			if (parse_pid(optarg, &o.pid))
				return 2;
			break;
		case 'o':
			out_path = optarg;
			args.run_only = "-o";
			break;
		case 'B':
			if (parse_buffering(optarg, &o.buffering))
				return 2;
			args.run_only = "-B";
			break;
		case 'f':
			args.run_only = "-f";
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				fprintf(stderr, "ptrace1: -f takes text or json, not '%s'\n", optarg);
				return 2;
			}
			o.json = !strcmp(optarg, "json");
			break;
		case 'l':
			o.list = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'v':
			o.verbose++;
			break;
		case 'd':
			o.dump_ast = true;
			break;
		case 'C':
			o.emit_c = true;
			break;
		case 'S':
			if (o.nsets == MAX_SETS) {
				fprintf(stderr, "ptrace1: at most %d --set\n", MAX_SETS);
				return 2;
			}
			sets[o.nsets++] = optarg;
			o.sets = sets;
			break;
		case 'A':
			o.aot = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ptrace1 %s (LLVM %s)\n", PACKAGE_VERSION, PTRACE1_LLVM_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (env_uint("PTRACE1_STRLEN", RUN_STRLEN_DEFAULT, RUN_STRLEN_MIN, RUN_STRLEN_MAX, &o.strlen) ||
	    env_uint("PTRACE1_MAP_KEYS_MAX", DEFAULT_MAP_KEYS, 1, RUN_MAP_KEYS_MAX,
		     &o.map_keys_max) ||
	    env_uint("PTRACE1_RINGBUF_KB", 0, 4, MAX_RINGBUF_KB, &ringbuf_kb))
		return 2;
	/* The kernel wants a power of two of pages: round up.  Unset, the program decides. */
	for (o.ringbuf_bytes = ringbuf_kb ? 4096 : 0; o.ringbuf_bytes < (size_t)ringbuf_kb * 1024;)
		o.ringbuf_bytes *= 2;
	args.words = argv + optind;
	args.nwords = argc - optind;
	err = mode_select(&args, &o, &m);
	if (err == -E2BIG)
		usage(stderr);
	if (err)
		return 2;
	o.out = out_path ? fopen(out_path, "w") : stdout;
	if (!o.out) {
		fprintf(stderr, "ptrace1: cannot write %s: %s\n", out_path, strerror(errno));
		mode_free(&m);
		return 1;
	}
	if (o.buffering != BUFFER_LINE)
		setvbuf(o.out, NULL, o.buffering == BUFFER_NONE ? _IONBF : _IOFBF, BUFSIZ);
	/* A closed stdout ends the run or the list through a write error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	/*
	 * A run reads SIGINT and SIGTERM, blocked, and restores the mask after
	 * it; blocked from here to the exit, a second Ctrl-C (or timeout's
	 * second SIGINT) cannot kill ptrace1 as it tears down, status 130.
	 */
	if (m.kind != MODE_PROMPT && m.kind != MODE_LIST)
		loop_block_signals(&signals);
	switch (m.kind) {
	case MODE_LIST:
		err = list_tracepoints(o.out, m.glob, o.verbose);
		status = err && err != -EPIPE;
		break;
	case MODE_PROMPT:
		status = repl_run(&o);
		break;
	case MODE_PROGRAM:
		status = run_source(&m.src, &o);
		break;
	case MODE_C_FILE:
		status = cfile_run(&m.src, &o);
		break;
	case MODE_ARTIFACT:
		status = run_artifact(&m.src, &o);
		break;
	}
	if (o.out != stdout && fclose(o.out) && !status) {
		fprintf(stderr, "ptrace1: cannot write %s: %s\n", out_path, strerror(errno));
		status = 1;
	}
	mode_free(&m);
	return status;
}
