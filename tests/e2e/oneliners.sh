# Issue 3's one-liners, verbatim; the workload plays curl where they want it.
. "$srcdir/tests/lib.sh"
need_root

run_ptrace1 -q -e 'tracepoint:syscalls:sys_enter_* { @[probe] = count(); }' -c "$WORKLOAD getppid 3"
assert_eq 0 "$rc" "sys_enter_* exit status"
n=$(sed -n 's/^@\[tracepoint:syscalls:sys_enter_getppid\]: //p' "$T/out")
((n >= 3)) || fail "sys_enter_getppid counted '$n' times"

run_ptrace1 -q -e 'tracepoint:syscalls:sys_enter_openat { printf("PID %d called openat(\"%s\")\n", pid, str(args->filename)); }' \
	-c "$WORKLOAD openat 2 $T/f"
assert_eq 2 "$(count_lines "^PID [0-9]+ called openat\\(\"$T/f\"\\)\$" "$T/out")" "openat printf"

run_ptrace1 -q -e 'tracepoint:syscalls:sys_enter_read /comm == "curl"/ { printf("curl is reading fd %d\n", args->fd); }' \
	-c "$WORKLOAD -n curl read 3"
assert_eq $'curl is reading fd 3\ncurl is reading fd 3\ncurl is reading fd 3' "$(cat "$T/out")" "read by curl"

# These trace the whole system: the workload, and the program it execs, have
# names of this test's own.
run_ptrace1 -q -e 'tracepoint:syscalls:sys_exit_openat { printf("Process: %s (PID: %d) returned FD: %d\n", comm, pid, args.ret); }' \
	-c "$WORKLOAD -n $PTWL openat 2 $T/f"
assert_eq 2 "$(count_lines "^Process: $PTWL \\(PID: [0-9]+\\) returned FD: 3\$" "$T/out")" "args.ret"

ln -s /bin/true "$T/$PTWL"
run_ptrace1 -q -e 'tracepoint:sched:sched_process_exec { printf("exec: %s\n", comm); }' -c "$WORKLOAD exec 2 $T/$PTWL"
assert_eq 2 "$(count_lines "^exec: $PTWL\$" "$T/out")" "sched_process_exec"

run_ptrace1 -q -e 'sys_enter_openat /comm == "curl"/ < print(filename) >' -c "$WORKLOAD -n curl openat 2 $T/g"
assert_eq "$T/g"$'\n'"$T/g" "$(cat "$T/out")" "the card one-liner"
