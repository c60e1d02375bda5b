# SPDX-License-Identifier: GPL-2.0
# The workload itself: the other e2e tests rely on its counts and comm.
. "$srcdir/tests/lib.sh"

"$WORKLOAD" -v openat 3 "$T/f" >"$T/wl" || fail "openat run failed"
assert_eq 3 "$(wc -l <"$T/wl")" "openat output lines"
assert_eq 3 "$(count_lines '^fd=[0-9]+$' "$T/wl")" "openat fd= lines"
[[ -f $T/f ]] || fail "openat did not create $T/f"

for op in read write getppid exec; do
	"$WORKLOAD" -v $op 2 >"$T/wl" || fail "$op run failed"
	assert_eq 2 "$(wc -l <"$T/wl")" "$op output lines"
done
assert_eq 2 "$(count_lines '^pid=[0-9]+ exit=0$' "$T/wl")" "exec results"

"$WORKLOAD" bogus 1 2>/dev/null
assert_eq 2 $? "usage error status"
"$WORKLOAD" openat 1 "$T/no/such/dir" 2>/dev/null
assert_eq 1 $? "failure status"

# The comm must be set before the -d delay, so an attaching test sees it.
check_comm() {
	local want=$1 pid comm _

	shift
	"$WORKLOAD" "$@" &
	pid=$!
	for _ in {1..20}; do
		comm=$(</proc/$pid/comm)
		[[ $comm == "$want" ]] && break
		sleep 0.05
	done
	assert_eq "$want" "$comm" "comm of '$*'"
	wait $pid || fail "'$*' failed"
}
check_comm ptwl -d 300 sleep 1
check_comm ptwl-other -n ptwl-other -d 300 sleep 1

# Exact syscall counts, where strace is there to count them.
if command -v strace >/dev/null; then
	st() {
		strace -qq -f -o "$T/st" -e trace="$1" "$WORKLOAD" "${@:2}" ||
			fail "strace $* failed"
	}
	st openat openat 4 "$T/f"
	assert_eq 4 "$(count_lines "openat\(AT_FDCWD, \"$T/f\"" "$T/st")" "openat calls"
	st read read 5
	assert_eq 5 "$(count_lines 'read\([0-9]+, "\\0", 1\) += 1$' "$T/st")" "read calls"
	st write write 6
	assert_eq 6 "$(count_lines 'write\([0-9]+, "\\0", 1\) += 1$' "$T/st")" "write calls"
	st getppid getppid 7
	assert_eq 7 "$(count_lines 'getppid\(\)' "$T/st")" "getppid calls"
	st execve exec 3
	assert_eq 3 "$(count_lines 'execve\("/bin/true", \["/bin/true", "ptwl-arg1", "ptwl-arg2"\]' "$T/st")" \
		"execve calls"
fi
