# ret of sys_exit_openat is the fd the workload got, signed (-ENOENT is -2).
. "$srcdir/tests/lib.sh"
need_root

run_ptrace1 -e 'sys_exit_openat /comm == "'"$PTWL"'"/ < printf("ret=%d\n", ret) >' \
	-c "$WORKLOAD -n $PTWL -v openat 3 $T/f"
assert_eq 0 "$rc" "exit status"
# The workload prints fd=N to the same stdout; each fd must match a ret.
fds=$(sed -n 's/^fd=//p' "$T/out" | sort)
rets=$(sed -n 's/^ret=//p' "$T/out" | sort)
assert_eq 3 "$(wc -l <<<"$fds")" "fd lines"
assert_eq "$fds" "$rets" "ret values"

# A failing openat: O_CREAT in a missing directory gives -ENOENT.
run_ptrace1 -e 'sys_exit_openat /comm == "'"$PTWL"'"/ < printf("%d %i\n", ret, args.ret) >' \
	-c "$WORKLOAD -n $PTWL openat 1 $T/no/such/file"
assert_eq 0 "$rc" "exit status (failing openat)"
assert_eq "-2 -2" "$(cat "$T/out")" "negative ret"
