// SPDX-License-Identifier: GPL-2.0
/* Format-file parsing (fixed texts) and probe resolution (the running kernel). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "probe.h"
#include "tpfmt.h"

static const char openat_fmt[] =
	"name: sys_enter_openat\n"
	"ID: 782\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"dfd: 0x%08lx\", ((unsigned long)(REC->dfd))\n";

static const char exec_fmt[] =
	"name: sched_process_exec\nID: 365\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\tfield:char prev_comm[16];\toffset:16;\tsize:16;\tsigned:0;\n"
	"\tfield:unsigned long args[6];\toffset:32;\tsize:48;\tsigned:0;\n";

static void test_parse(void)
{
	struct tp_format *f = NULL;
	const struct tp_field *fd;

	CHECK(tpfmt_parse("syscalls", "sys_enter_openat", openat_fmt, &f) == 0);
	if (!f)
		return;
	CHECK(f->id == 782);
	CHECK(f->nfields == 9);
	CHECK(f->size == 48);
	fd = tpfmt_field(f, "dfd");
	CHECK(fd && fd->offset == 16 && fd->size == 8 && fd->is_signed && !fd->is_common);
	/* an int in an 8-byte slot is read as an int */
	CHECK(fd && fd->value_size == 4);
	fd = tpfmt_field(f, "filename");
	CHECK(fd && fd->is_pointer && !fd->is_signed && !strcmp(fd->ctype, "const char *"));
	fd = tpfmt_field(f, "mode");
	CHECK(fd && !fd->is_signed && !strcmp(fd->ctype, "umode_t") && fd->value_size == 2);
	fd = tpfmt_field(f, "filename");
	CHECK(fd && fd->value_size == 8);
	fd = tpfmt_field(f, "common_pid");
	CHECK(fd && fd->is_common && fd->is_signed && fd->size == 4);
	CHECK(!tpfmt_field(f, "nope"));
	tpfmt_free(f);

	f = NULL;
	CHECK(tpfmt_parse("sched", "sched_process_exec", exec_fmt, &f) == 0);
	if (!f)
		return;
	fd = tpfmt_field(f, "filename");
	CHECK(fd && fd->data_loc && fd->is_char_array && fd->size == 4);
	/* the declaration as written, for -lv */
	CHECK(fd && !strcmp(fd->decl, "__data_loc char[] filename"));
	fd = tpfmt_field(f, "prev_comm");
	CHECK(fd && fd->is_char_array && fd->array_len == 16 && !fd->data_loc);
	CHECK(fd && !strcmp(fd->decl, "char prev_comm[16]"));
	fd = tpfmt_field(f, "args");
	CHECK(fd && !fd->is_char_array && fd->array_len == 6 && fd->size == 48);
	fd = tpfmt_field(f, "pid");
	CHECK(fd && fd->is_signed);
	tpfmt_free(f);

	CHECK(tpfmt_parse("x", "y", "name: y\nID: 1\nformat:\n", &f) == -EINVAL);
	CHECK(tpfmt_parse("x", "y", "\tfield:int;\toffset:0;\tsize:4;\tsigned:1;\n", &f) == -EINVAL);
	CHECK(tpfmt_load("..", "sys_enter_openat", &f) == -EINVAL);
	CHECK(tpfmt_load("syscalls/../..", "x", &f) == -EINVAL);
}

static void test_resolve(void)
{
	struct probe_error err;
	struct probe *v;
	size_t n;

	CHECK(probe_resolve("tracepoint:syscalls:sys_enter_openat", &v, &n, &err) == 0 && n == 1);
	free(v);
	CHECK(probe_resolve("t:syscalls:sys_enter_openat", &v, &n, &err) == 0 && n == 1);
	free(v);
	CHECK(probe_resolve("sys_enter_openat", &v, &n, &err) == 0 && n == 1 &&
	      !strcmp(v[0].cat, "syscalls"));
	free(v);
	CHECK(probe_resolve("t:syscalls:sys_enter_open*", &v, &n, &err) == 0 && n >= 2);
	free(v);
	CHECK(probe_resolve("t:sysc?lls:sys_exit_openat", &v, &n, &err) == 0 && n == 1);
	free(v);
	CHECK(probe_resolve("t:syscalls:sys_enter_opnat", &v, &n, &err) == -ENOENT);
	CHECK(!strcmp(err.msg, "tracepoint not found: syscalls:sys_enter_opnat"));
	CHECK(strstr(err.hint, "tracepoint:syscalls:sys_enter_openat") != NULL);
	CHECK(probe_resolve("t:nope:*", &v, &n, &err) == -ENOENT);
	CHECK(!strcmp(err.msg, "no tracepoint matches 't:nope:*'"));
	CHECK(probe_resolve("kprobe:a:b", &v, &n, &err) == -EINVAL);
	CHECK(probe_resolve("a:b", &v, &n, &err) == -EINVAL);
	/* sys_enter exists in raw_syscalls only; a glob across categories is ambiguous */
	CHECK(probe_resolve("sys_enter", &v, &n, &err) == 0 && n == 1);
	free(v);
	CHECK(probe_resolve("sys_e*", &v, &n, &err) == -EINVAL);
	CHECK(!strcmp(err.msg, "probe name 'sys_e*' is ambiguous"));
	/* listing: every category, tracepoint:CAT is the category, no BEGIN */
	CHECK(probe_tracepoints("sys_e*", &v, &n, &err) == 0 && n >= 2);
	free(v);
	CHECK(probe_tracepoints("tracepoint:raw_syscalls", &v, &n, &err) == 0 && n >= 2 &&
	      !strcmp(v[0].cat, "raw_syscalls") && !strcmp(v[n - 1].cat, "raw_syscalls"));
	free(v);
	CHECK(probe_resolve("tracepoint:raw_syscalls", &v, &n, &err) == -EINVAL);
	CHECK(probe_tracepoints("BEGIN", &v, &n, &err) == -ENOENT);
	CHECK(probe_tracepoints("interval:s:1", &v, &n, &err) == -EINVAL);
	CHECK(!strcmp(err.msg, "'interval:s:1' is not a tracepoint"));
}

int main(void)
{
	test_parse();
	if (geteuid() != 0) {
		printf("SKIP: probe resolution needs root to read tracefs\n");
		return failures ? 1 : 77;
	}
	test_resolve();
	if (failures)
		return 1;
	printf("tpfmt checks passed\n");
	return 0;
}
