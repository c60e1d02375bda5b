# The card one-liner: the workload's path exactly N times, nothing from others.
# The workload has a comm of its own, as other test runs may run theirs.
. "$srcdir/tests/lib.sh"
need_root

before=$(bpf_prog_ids)
run_ptrace1 -e "sys_enter_openat /comm == \"$PTWL\"/ < print(filename) >" \
	-c "$WORKLOAD -n $PTWL openat 7 $T/target"
assert_eq 0 "$rc" "exit status"
assert_eq 7 "$(wc -l <"$T/out")" "output lines"
assert_eq 7 "$(count_lines "^$T/target\$" "$T/out")" "lines naming the path"
assert_eq "Attaching 1 probe..." "$(cat "$T/err")" "stderr"
no_leaked_progs "$before"
