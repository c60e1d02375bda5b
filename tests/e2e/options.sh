# -p filters on a process and ends with it; -o writes to a file; -B; -d.
. "$srcdir/tests/lib.sh"
need_root

before=$(bpf_prog_ids) || fail "cannot list BPF programs"

# -p: only the traced process's events count, though another workload of
# the same name runs too, and the run ends when it exits.  The traced process
# waits on a fifo until the probe is attached, then becomes the workload
# (exec keeps its pid).
mkfifo "$T/go"
(
	read -r _ <"$T/go"
	exec "$WORKLOAD" -n "$PTWL" getppid 50
) &
target=$!
"$PTRACE1" -p "$target" -e "sys_enter_getppid /comm == \"$PTWL\"/ { @ = count(); }" \
	>"$T/out" 2>"$T/err" </dev/null &
tracer=$!
wait_attached "$tracer" 1
"$WORKLOAD" -n "$PTWL" getppid 30 || fail "the other workload failed"
echo go >"$T/go"
timeout 30 tail --pid="$tracer" -f /dev/null || fail "-p: ptrace1 did not end with its process"
wait "$tracer"
assert_eq 0 $? "-p exit status"
assert_eq "@: 50" "$(grep '^@' "$T/out")" "-p counts only its process"
wait "$target"

run_ptrace1 -p 1x -e 'BEGIN { exit() }'
assert_eq 2 "$rc" "-p with a bad number"
assert_eq "ptrace1: -p takes a process id, not '1x'" "$(cat "$T/err")" "-p bad number message"
run_ptrace1 -p 1 -c true -e 'BEGIN { exit() }'
assert_eq 2 "$rc" "-p with -c"
assert_eq "ptrace1: -c and -p cannot be used together" "$(cat "$T/err")" "-p -c message"
# A pid no process has: the kernel's pid_max is below 2^22.
run_ptrace1 -p 4194304 -e 'sys_enter_getppid { @ = count(); }'
assert_eq 1 "$rc" "-p with no such process"
assert_eq "ptrace1: -p 4194304: no such process" "$(cat "$T/err")" "-p no process message"

# -o: the output goes to the file, not stdout; errors stay on stderr.
run_ptrace1 -o "$T/file" -c "$WORKLOAD getppid 3" \
	-e 'sys_enter_getppid /pid == cpid/ { printf("x\n"); @n = count(); }'
assert_eq 0 "$rc" "-o exit status"
assert_eq "" "$(cat "$T/out")" "-o leaves stdout empty"
assert_eq 3 "$(count_lines '^x$' "$T/file")" "-o events"
assert_match '^@n: 3$' "$(cat "$T/file")" "-o maps"
run_ptrace1 -o "$T/file" --emit-c -e 'sys_enter_getppid { @ = count(); }'
assert_match '^SEC\("raw_tp/sys_enter"\)$' "$(cat "$T/file")" "-o --emit-c"
run_ptrace1 -o "$T/no/such/dir" -e 'BEGIN { exit() }'
assert_eq 1 "$rc" "-o to an impossible path"
assert_eq "ptrace1: cannot write $T/no/such/dir: No such file or directory" "$(cat "$T/err")" \
	"-o impossible path message"

# -B: every mode prints the same thing; only when it is written differs.
for mode in line full none; do
	run_ptrace1 -B "$mode" -c "$WORKLOAD getppid 5" \
		-e 'sys_enter_getppid /pid == cpid/ { printf("%d\n", 7); }'
	assert_eq 0 "$rc" "-B $mode exit status"
	assert_eq 5 "$(count_lines '^7$' "$T/out")" "-B $mode events"
done
run_ptrace1 -B half -e 'BEGIN { exit() }'
assert_eq 2 "$rc" "-B with a bad mode"
assert_eq "ptrace1: -B takes line, full or none, not 'half'" "$(cat "$T/err")" "-B message"

# -B line: a line is written as soon as it is printed, while the run goes on.
"$PTRACE1" -e 'sys_enter_getppid /comm == "'"$PTWL"'"/ { printf("seen\n"); }' \
	>"$T/live" 2>"$T/err" </dev/null &
tracer=$!
wait_attached "$tracer" 1
"$WORKLOAD" -n "$PTWL" getppid 1 || fail "workload failed"
for _ in {1..100}; do
	grep -q '^seen$' "$T/live" && break
	sleep 0.05
done
grep -q '^seen$' "$T/live" || fail "-B line: the event was not written while tracing"
kill -INT "$tracer"
wait "$tracer"

# -v: programs with their ids and sizes, and what each probe is attached through.
run_ptrace1 -v -c "$WORKLOAD getppid 1" -e 'sys_enter_getppid { @ = count(); } t:sched:sched_process_exit { }'
assert_eq 0 "$rc" "-v exit status"
assert_match '^ptrace1: program pt_sys_enter: id [0-9]+, [0-9]+ instructions, [0-9]+ verified$' \
	"$(cat "$T/err")" "-v program line"
assert_match '^ptrace1: attached tracepoint:syscalls:sys_enter_getppid \(program pt_sys_enter\)$' \
	"$(cat "$T/err")" "-v attach line"
assert_match '^ptrace1: attached tracepoint:sched:sched_process_exit \(program pt_1_sched_process_exit\)$' \
	"$(cat "$T/err")" "-v perf attach line"

# -d: the checked program with its types, its probes and its maps.
run_ptrace1 -d -e 'sys_enter_openat /comm == "cat"/ < @[comm] = count(); $t = (1, "a") >'
assert_eq 0 "$rc" "-d exit status"
assert_eq 'sys_enter_openat /[(== [comm : string[16]] ["cat" : string[4]]) : int64]/ < (= @[[comm : string[16]]] count()); (= [$t : (int64, string[2])] [(tuple [1 : int64] ["a" : string[2]]) : (int64, string[2])]) >
probes: 1
  tracepoint:syscalls:sys_enter_openat (action 1)
maps: 1
  @: count, key (string[16]), value uint64, 4096 entries at most' "$(cat "$T/out")" "-d output"
run_ptrace1 -d -e 'sys_enter_openat < print(nope) >'
assert_eq 1 "$rc" "-d reports program errors"
assert_match "^-e:1:26: error: unknown identifier 'nope'" "$(cat "$T/err")" "-d error"

no_leaked_progs "$before"
