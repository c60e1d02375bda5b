# A program from a file, several lines, comments, a #! line, two actions.
. "$srcdir/tests/lib.sh"
need_root

cat >"$T/prog.pt" <<PT
#!/usr/bin/env ptrace1
// openat and its return, for the workload only
sys_enter_openat /comm == "$PTWL"/ <
	printf("open %s\n", filename)
>
/* the exit side */
tracepoint:syscalls:sys_exit_openat /comm == "$PTWL"/ {
	printf("ret %s\n", ret >= 0 ? "ok" : "fail");
}
PT
run_ptrace1 "$T/prog.pt" -c "$WORKLOAD -n $PTWL openat 2 $T/f"
assert_eq 0 "$rc" "exit status"
assert_eq 2 "$(count_lines "^open $T/f\$" "$T/out")" "open lines"
assert_eq 2 "$(count_lines '^ret ok$' "$T/out")" "ret lines"
assert_eq "Attaching 2 probes..." "$(cat "$T/err")" "probe count"
