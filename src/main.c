// SPDX-License-Identifier: GPL-2.0
/* The command line: options, the program's source, and the exit status. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "artifact.h"
#include "cfile.h"
#include "config.h"
#include "list.h"
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

static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t cap = 4096, n = 0, got;
	char *buf, *p;
	struct stat st;
	int err = 0;

	if (!f)
		return -errno;
	/* fopen opens a directory; reading it would say EIO. */
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		fclose(f);
		return -EISDIR;
	}
	buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			p = realloc(buf, cap *= 2);
			if (!p) {
				free(buf);
				buf = NULL;
			}
			buf = p;
		}
	}
	if (!buf)
		err = -ENOMEM;
	else if (ferror(f))
		err = -EIO;
	if (f != stdin)
		fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	*text = buf;
	*len = n;
	return 0;
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

/* Whether paths @a and @b name one file (both existing). */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Options that cannot go together, or with an artifact: 0, or 2 after saying why. */
static int check_modes(const struct run_opts *o, const char *run_only, bool artifact,
		       const char *name)
{
	const char *why = NULL;

	if (o->cmd && o->pid)
		why = "-c and -p cannot be used together";
	else if (o->aot && (o->dump_ast || o->emit_c || o->list))
		why = "--aot, -l, -d and --emit-c each stop before running: give one";
	else if (o->aot && run_only)
		why = run_only[1] == 'o' ? "--aot writes no trace: -o names the trace's output file when the artifact runs"
					 : "--aot writes no trace: -f and -B apply when the artifact runs";
	if (why) {
		fprintf(stderr, "ptrace1: %s\n", why);
		return 2;
	}
	if (!artifact)
		return 0;
	if (o->aot || o->dump_ast || o->emit_c || o->list)
		why = "it is already compiled: --aot, -l, -d and --emit-c need a program's text";
	else if (o->nparams)
		why = "its $1, $2... were given when it was compiled: it takes no ARGs";
	if (why) {
		fprintf(stderr, "ptrace1: %s is an artifact: %s\n", name, why);
		return 2;
	}
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
	unsigned int ringbuf_kb;
	struct source src = { 0 };
	char *text = NULL;
	const char *prog = NULL, *out_path = NULL, *run_only = NULL;
	bool interactive = false, repl, artifact = false, c_file = false;
	char *sets[MAX_SETS];
	int opt, err, status;
	bool list_glob;

	while ((opt = getopt_long(argc, argv, "e:c:p:o:f:B:lqvdhVi", longopts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			prog = optarg;
			break;
		case 'c':
			o.cmd = optarg;
			break;
		case 'i':
			interactive = true;
			break;
		case 'p':
			if (parse_pid(optarg, &o.pid))
				return 2;
			break;
		case 'o':
			out_path = optarg;
			run_only = "-o";
			break;
		case 'B':
			if (parse_buffering(optarg, &o.buffering))
				return 2;
			run_only = "-B";
			break;
		case 'f':
			run_only = "-f";
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
	if (o.list && (o.cmd || o.pid || o.dump_ast || o.emit_c)) {
		fprintf(stderr, "ptrace1: -l lists probes: it takes no -c, -p, -d or --emit-c\n");
		return 2;
	}
	if (interactive && (prog || o.list)) {
		fprintf(stderr, "ptrace1: -i reads programs at a prompt: it takes no -e or -l\n");
		return 2;
	}
	/* -l's word is a program file when one exists by that name, as in bpftrace. */
	list_glob = o.list && !prog &&
		    (optind == argc || (strcmp(argv[optind], "-") && access(argv[optind], F_OK)));
	if (list_glob && argc - optind > 1) {
		usage(stderr);
		return 2;
	}
	/* No program and no file: the prompt. */
	repl = interactive || (!prog && !list_glob && optind == argc);
	if (repl && (o.cmd || o.aot)) {
		fprintf(stderr, "ptrace1: %s needs a program: -e PROGRAM or a FILE\n",
			o.cmd ? "-c" : "--aot");
		return 2;
	}
	/* The words after the program (-e), its file or -i are $1, $2, ... */
	if (prog || interactive) {
		o.params = argv + optind;
		o.nparams = argc - optind;
	} else if (optind < argc && !list_glob) {
		o.params = argv + optind + 1;
		o.nparams = argc - optind - 1;
	}
	if (prog) {
		src.name = "-e";
		src.text = prog;
		src.len = strlen(prog);
	} else if (!repl && !list_glob) {
		err = read_file(argv[optind], &text, &src.len);
		if (err) {
			fprintf(stderr, "ptrace1: cannot read %s: %s\n", argv[optind], strerror(-err));
			return 2;
		}
		src.name = strcmp(argv[optind], "-") ? argv[optind] : "stdin";
		src.text = text;
		c_file = cfile_is_c(src.name);
	}
	if (!prog && !repl && !list_glob)
		artifact = artifact_is(src.name, src.text, src.len);
	status = check_modes(&o, run_only, artifact, src.name);
	if (!status && o.aot && !prog && !repl && !list_glob && same_file(o.aot, argv[optind])) {
		fprintf(stderr, "ptrace1: --aot %s would write over the program it compiles\n", o.aot);
		status = 2;
	}
	if (status) {
		free(text);
		return status;
	}
	if (o.nsets && !c_file && !artifact) {
		fprintf(stderr, "ptrace1: --set applies to a C file's globals; a program takes $1, $2... after it\n");
		free(text);
		return 2;
	}
	o.out = out_path ? fopen(out_path, "w") : stdout;
	if (!o.out) {
		fprintf(stderr, "ptrace1: cannot write %s: %s\n", out_path, strerror(errno));
		free(text);
		return 1;
	}
	if (o.buffering != BUFFER_LINE)
		setvbuf(o.out, NULL, o.buffering == BUFFER_NONE ? _IONBF : _IOFBF, BUFSIZ);
	/* A closed stdout ends the run or the list through a write error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if (list_glob) {
		err = list_tracepoints(o.out, optind < argc ? argv[optind] : NULL, o.verbose);
		status = err && err != -EPIPE;
	} else if (repl) {
		status = repl_run(&o);
	} else if (artifact) {
		status = run_artifact(&src, &o);
	} else {
		status = c_file ? cfile_run(&src, &o) : run_source(&src, &o);
	}
	if (o.out != stdout && fclose(o.out) && !status) {
		fprintf(stderr, "ptrace1: cannot write %s: %s\n", out_path, strerror(errno));
		status = 1;
	}
	free(text);
	return status;
}
