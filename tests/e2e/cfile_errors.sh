# A BPF C file that does not compile, load or attach, and --set values that
# do not fit: the messages, exact, and the exit statuses (1, or 2 for --set).
. "$srcdir/tests/lib.sh"
need_root

C=$srcdir/tests/cfiles
before=$(bpf_prog_ids)
instances=$(tracefs_instances)

# expect STATUS ARGS...: stderr is $T/want exactly, stdout empty.
expect() {
	local status=$1

	shift
	run_ptrace1 "$@"
	assert_eq "$status" "$rc" "exit status of $*"
	diff -u "$T/want" "$T/err" || fail "stderr of $*"
	assert_eq "" "$(cat "$T/out")" "stdout of $*"
}

# Compile errors as clang shows them, named as the file was.
cd "$T" || fail "cd $T"
cat >bad.bpf.c <<'EOF'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_write")
int handle(void *ctx)
{
	int x = 1;

	return undeclared_thing + x;
}
EOF
cat >"$T/want" <<'EOF'
bad.bpf.c:9:9: error: use of undeclared identifier 'undeclared_thing'
        return undeclared_thing + x;
               ^
1 error generated.
EOF
expect 1 bad.bpf.c

# A header of the file's own directory, as clang finds it.
mkdir -p sub
printf '#define ANSWER 42\n' >sub/answer.h
cat >sub/inc.bpf.c <<'EOF'
#include "answer.h"
int x[ANSWER == 42 ? -1 : 1];
EOF
cat >"$T/want" <<'EOF'
sub/inc.bpf.c:2:7: error: 'x' declared as an array with a negative size
int x[ANSWER == 42 ? -1 : 1];
      ^~~~~~~~~~~~~~~~~~~~~
sub/answer.h:1:16: note: expanded from macro 'ANSWER'
#define ANSWER 42
               ^
1 error generated.
EOF
expect 1 sub/inc.bpf.c

# A warning is shown as clang shows it, and the run goes on.
cat >warn.bpf.c <<'EOF'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp/syscalls/sys_enter_getppid")
int narrow(void *ctx)
{
	return (int)ctx == 0;
}
EOF
run_ptrace1 warn.bpf.c -c true
assert_eq 0 "$rc" "exit status after a warning"
cat >"$T/want" <<'EOF'
warn.bpf.c:9:9: warning: cast to smaller integer type 'int' from 'void *' [-Wvoid-pointer-to-int-cast]
        return (int)ctx == 0;
               ^~~~~~~~
1 warning generated.
Attaching 1 program...
EOF
diff -u "$T/want" "$T/err" || fail "stderr of a warning"

# A section libbpf cannot attach by itself.
cat >kprobe.bpf.c <<'EOF'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("kprobe")
int no_target(void *ctx)
{
	return 0;
}
EOF
cat >"$T/want" <<'EOF'
Attaching 1 program...
ptrace1: cannot attach program no_target (section "kprobe"): libbpf cannot attach this section by itself
hint: name what to attach to in the section, as in SEC("tp/syscalls/sys_enter_write") or SEC("kprobe/do_unlinkat")
EOF
expect 1 kprobe.bpf.c
no_leaked_progs "$before"

# The verifier's verdict, and where the rest is.
cat >deref.bpf.c <<'EOF'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp/syscalls/sys_enter_getppid")
int bad_read(void *ctx)
{
	return *(int *)(long)bpf_get_current_pid_tgid();
}
EOF
cat >"$T/want" <<'EOF'
ptrace1: the kernel refused program bad_read: R0 invalid mem access 'scalar'
hint: -v shows the verifier's log
EOF
expect 1 deref.bpf.c
no_leaked_progs "$before"

# --set: names and values checked against BTF before anything loads.
cd "$C" || fail "cd $C"
cat >"$T/want" <<'EOF'
ptrace1: --set stepp=1: maps.bpf.c has no settable global 'stepp'
hint: did you mean 'step'?
hint: its const volatile globals: comm_filter, step, count_bytes, limits
EOF
expect 2 maps.bpf.c --set stepp=1
cat >"$T/want" <<'EOF'
ptrace1: --set step=-1: step (__u32) takes an integer from 0 to 4294967295, not '-1'
ptrace1: --set step=4294967296: step (__u32) takes an integer from 0 to 4294967295, not '4294967296'
ptrace1: --set step=many: step (__u32) takes an integer from 0 to 4294967295, not 'many'
EOF
expect 2 maps.bpf.c --set step=-1 --set step=4294967296 --set step=many
cat >"$T/want" <<'EOF'
ptrace1: --set count_bytes=yes: count_bytes (_Bool) takes true or false, not 'yes'
ptrace1: --set comm_filter=sixteen-chars-xx: comm_filter (char[16]) takes a string of at most 15 bytes, not 'sixteen-chars-xx'
ptrace1: --set limits=1: limits is a struct limits: only integers, bools, enums and char arrays can be set
ptrace1: --set takes NAME=VALUE, not 'step'
EOF
expect 2 maps.bpf.c --set count_bytes=yes --set comm_filter=sixteen-chars-xx --set limits=1 \
	--set step
# minimal.bpf.c's pid_filter is const, not const volatile: clang folded its 0.
cat >"$T/want" <<'EOF'
ptrace1: --set pid_filter=1: pid_filter is const but not volatile, so the compiler has already used its value
hint: declare it const volatile pid_t pid_filter
EOF
cd "$srcdir/examples" || fail "cd $srcdir/examples"
expect 2 minimal.bpf.c --set pid_filter=1
cat >"$T/want" <<'EOF'
ptrace1: --set x=1: kprobe.bpf.c has no settable global 'x'
hint: kprobe.bpf.c has no const volatile globals: declare one as
      const volatile int x = 0;
EOF
cd "$T" || fail "cd $T"
expect 2 kprobe.bpf.c --set x=1
no_leaked_progs "$before"
no_leaked_instances "$instances"
