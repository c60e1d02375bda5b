# Predicates on integer fields: arithmetic, comparisons, && and ||.
. "$srcdir/tests/lib.sh"
need_root

# The reads of the loader and of ptrace1's -c handshake are the child's too,
# before the workload takes its name.
prog='sys_enter_read /comm == "'"$PTWL"'" && count == 1 && (fd > 2)/ < printf("%d %d\n", fd, count) >'
run_ptrace1 -e "$prog" -c "$WORKLOAD -n $PTWL read 5"
assert_eq 0 "$rc" "exit status"
assert_eq 5 "$(wc -l <"$T/out")" "matching reads"

run_ptrace1 -e 'sys_enter_read /comm == "'"$PTWL"'" && args->count != 1/ { print(args->count) }' \
	-c "$WORKLOAD -n $PTWL read 5"
assert_eq 0 "$rc" "exit status (no match)"
assert_eq "" "$(cat "$T/out")" "no read has another count"

# Division in a predicate, and the predicate's closing '/' before '{'
run_ptrace1 -e 'sys_enter_write /pid == cpid && count * 6 / 2 % 4 == 3 || 0/ { print(count + 41) }' \
	-c "$WORKLOAD write 3"
assert_eq 0 "$rc" "exit status (arithmetic)"
assert_eq $'42\n42\n42' "$(cat "$T/out")" "arithmetic"

# int args sit in 8-byte slots, zero-extended: they read as their C type.
run_ptrace1 -e 'sys_enter_openat /comm == "'"$PTWL"'" && dfd == -100/ < printf("%d %o\n", args.dfd, mode) >' \
	-c "$WORKLOAD -n $PTWL openat 2 $T/f"
assert_eq 0 "$rc" "exit status (dfd)"
assert_eq $'-100 600\n-100 600' "$(cat "$T/out")" "AT_FDCWD and the mode"

# Signed division and remainder truncate toward zero, as in C.
run_ptrace1 -e 'sys_enter_getppid /pid == cpid/ < printf("%d %d %d %d %u\n", -5 / 2, -5 % 3, 7 / -2, (-8) >> 1, 7 / 2) >' \
	-c "$WORKLOAD getppid 1"
assert_eq "-2 -2 -3 -4 3" "$(cat "$T/out")" "signed division"
