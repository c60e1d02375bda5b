# Syscall tracepoints served by the raw sys_enter/sys_exit tracepoints see
# the same arguments and return values as perf-attached ones: bpftrace, which
# attaches each syscall tracepoint through perf, is the reference.
. "$srcdir/tests/lib.sh"
need_root
command -v bpftrace >/dev/null || fail "bpftrace is missing: apt-get install bpftrace (./bootstrap does)"

before=$(bpf_prog_ids) || fail "cannot list BPF programs"

# Every argument slot (mmap has six) and return values, negative ones too.
# Both tracers write to a pipe, as cat copies differently to a file.  The
# tracers' own -c handshakes differ (a read before exec, seen when the child
# comes to it only after the probes are attached), so reads count from fd 3
# only and of more than the byte ptrace1's reads; file names are left out,
# as a string not yet paged in reads as "" in either.
prog='tracepoint:syscalls:sys_enter_mmap /pid == cpid/ {
	printf("mmap %d %d %d %d\n", args->len, args->prot, args->flags, args->off); }
tracepoint:syscalls:sys_enter_openat /pid == cpid/ { printf("openat %d %d\n", args->dfd, args->flags); }
tracepoint:syscalls:sys_exit_openat /pid == cpid/ { printf("openat = %d\n", args->ret); }
tracepoint:syscalls:sys_enter_read /pid == cpid && args->fd == 3 && args->count > 1/ { printf("read %d\n", args->count); }'
cmd="/usr/bin/cat /etc/hostname /nonexistent"
timeout 60 bpftrace -e "$prog" -c "$cmd" 2>/dev/null | grep -E '^(mmap|openat|read) ' >"$T/bpftrace"
timeout 60 "$PTRACE1" -e "$prog" -c "$cmd" 2>"$T/err" </dev/null |
	grep -E '^(mmap|openat|read) ' >"$T/ptrace1"
[[ -s $T/ptrace1 ]] || fail "ptrace1 traced nothing"
grep -q '^openat = -2$' "$T/ptrace1" || fail "no failed openat in:"$'\n'"$(cat "$T/ptrace1")"
grep -q '^mmap .* [1-9][0-9]*$' "$T/ptrace1" || fail "no mmap with an offset in:"$'\n'"$(cat "$T/ptrace1")"
diff "$T/bpftrace" "$T/ptrace1" >&2 || fail "ptrace1 and bpftrace saw different syscalls"

# Several actions on one syscall run in program order, mixed with a
# perf-attached tracepoint.
run_ptrace1 -e 'sys_enter_getppid /pid == cpid/ { printf("a\n"); }
	t:sched:sched_process_exit /pid == cpid/ { printf("exit\n"); }
	sys_enter_getppid /pid == cpid/ { printf("b\n"); }' -c "$WORKLOAD getppid 3"
assert_eq 0 "$rc" "program order exit status"
assert_eq "a b a b a b exit" "$(grep -E '^(a|b|exit)$' "$T/out" | tr '\n' ' ' | sed 's/ $//')" \
	"program order"

# Every syscall tracepoint at once, entry and exit.
run_ptrace1 -e 'tracepoint:syscalls:sys_enter_* /pid == cpid/ { @e[probe] = count(); }
	tracepoint:syscalls:sys_exit_* /pid == cpid/ { @x[probe] = count(); }' \
	-c "$WORKLOAD getppid 100"
assert_eq 0 "$rc" "wildcard exit status"
assert_match '^@e\[tracepoint:syscalls:sys_enter_getppid\]: 100$' "$(cat "$T/out")" "wildcard entries"
assert_match '^@x\[tracepoint:syscalls:sys_exit_getppid\]: 100$' "$(cat "$T/out")" "wildcard exits"



# Many functions on the syscalls (seventeen actions here) dispatch through a
# program per syscall and tail calls instead of one table.
prog='sys_enter_getppid /pid == cpid/ { printf("getppid\n"); }'
for sc in getpid gettid getuid geteuid getgid getegid sync umask alarm pause \
	sched_yield times getpgrp setsid vhangup munlockall; do
	prog+=" sys_enter_$sc /pid == cpid/ { printf(\"$sc\\n\"); }"
done
run_ptrace1 --emit-c -c true -e "$prog"
assert_match 'bpf_tail_call\(raw, &ptrace1_sys_enter, nr\);' "$(cat "$T/out")" "tail calls"
run_ptrace1 -e "$prog" -c "$WORKLOAD getppid 3"
assert_eq 0 "$rc" "tail-call dispatch exit status"
assert_eq 3 "$(count_lines '^getppid$' "$T/out")" "tail-call dispatch events"
no_leaked_progs "$before"
