# Kernel strings: __data_loc char[] and char[N] fields; string comparisons.
. "$srcdir/tests/lib.sh"
need_root

cp /bin/true "$T/ptwl-true"
run_ptrace1 -e "t:sched:sched_process_exec /args.filename == \"$T/ptwl-true\"/ { printf(\"%s %s\\n\", comm, args.filename) }" \
	-c "$WORKLOAD exec 3 $T/ptwl-true"
assert_eq 0 "$rc" "exit status"
assert_eq 3 "$(count_lines "^ptwl-true $T/ptwl-true\$" "$T/out")" "exec lines"

run_ptrace1 -e 'sched_process_fork /parent_comm == "ptwl"/ < print(child_comm) >' \
	-c "$WORKLOAD exec 2"
assert_eq 0 "$rc" "exit status (char[16])"
assert_eq $'ptwl\nptwl' "$(cat "$T/out")" "char array field"

# comm == "ptw" must not match "ptwl": the literal's NUL is compared too.
run_ptrace1 -e 'sys_enter_getppid /comm == "ptw"/ < print(1) >' -c "$WORKLOAD getppid 3"
assert_eq "" "$(cat "$T/out")" "prefix does not match"
run_ptrace1 -e 'sys_enter_getppid /comm != "ptwl"/ < print(comm) >' -c "$WORKLOAD getppid 3"
assert_eq 0 "$(count_lines '^ptwl$' "$T/out")" "!= excludes ptwl"
