# The card one-liner: the workload's path exactly N times, nothing from others.
. "$srcdir/tests/lib.sh"
need_root

before=$(bpf_prog_ids)
run_ptrace1 -e 'sys_enter_openat /comm == "ptwl"/ < print(filename) >' \
	-c "$WORKLOAD openat 7 $T/target"
assert_eq 0 "$rc" "exit status"
assert_eq 7 "$(wc -l <"$T/out")" "output lines"
assert_eq 7 "$(count_lines "^$T/target\$" "$T/out")" "lines naming the path"
assert_eq "Attaching 1 probe..." "$(cat "$T/err")" "stderr"
no_leaked_progs "$before"
