# bpftrace's syntax: args->f, str(), printf with pid and comm; pid is the -c child's.
. "$srcdir/tests/lib.sh"
need_root

run_ptrace1 -e 'tracepoint:syscalls:sys_enter_openat /comm == "'"$PTWL"'"/ { printf("%d %d %s %s\n", pid, cpid, comm, str(args->filename)); }' \
	-c "$WORKLOAD -n $PTWL openat 4 $T/f"
assert_eq 0 "$rc" "exit status"
assert_eq 4 "$(wc -l <"$T/out")" "output lines"
# pid == cpid on every line: the events are the child's own.
assert_eq 4 "$(awk -v c="$PTWL" -v f="$T/f" '$1 == $2 && $1 > 0 && $3 == c && $4 == f' "$T/out" | wc -l)" \
	"lines with pid == cpid, comm and path"

# args.f is the same field as args->f; t: is tracepoint:
run_ptrace1 -e 't:syscalls:sys_enter_openat /comm == "'"$PTWL"'"/ { printf("<%s>\n", args.filename) }' \
	-c "$WORKLOAD -n $PTWL openat 2 $T/g"
assert_eq 0 "$rc" "exit status (args.f)"
assert_eq "<$T/g>"$'\n'"<$T/g>" "$(cat "$T/out")" "args.f output"
