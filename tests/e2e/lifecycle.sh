# -c ends the run with the child; SIGINT ends it cleanly; no program is left behind.
. "$srcdir/tests/lib.sh"
need_root

before=$(bpf_prog_ids)

# -c: the run ends when the command does (here after 300 ms).
start=$(date +%s%N)
run_ptrace1 -q -e 'sys_enter_getppid /pid == cpid/ < print(pid) >' -c "$WORKLOAD sleep 300"
assert_eq 0 "$rc" "-c exit status"
elapsed=$((($(date +%s%N) - start) / 1000000))
((elapsed < 10000)) || fail "-c run took ${elapsed} ms"
assert_eq "" "$(cat "$T/err")" "-q prints nothing on stderr"
no_leaked_progs "$before"

# SIGINT while streaming: exit 0 after printing what was traced, which the
# ring buffer still held too.
"$PTRACE1" -e "sys_enter_getppid /comm == \"$PTWL\"/ < print(comm) >" >"$T/out" 2>"$T/err" </dev/null &
tracer=$!
wait_attached "$tracer" 1
now=$(bpf_prog_ids)
[[ $now != "$before" ]] || fail "no BPF program loaded while tracing"
"$WORKLOAD" -n "$PTWL" getppid 4 || fail "workload failed"
kill -INT "$tracer"
wait "$tracer"
assert_eq 0 $? "SIGINT exit status"
assert_eq 4 "$(count_lines "^$PTWL\$" "$T/out")" "events before SIGINT"
no_leaked_progs "$before"

# SIGTERM too.
"$PTRACE1" -q -e 'sys_enter_getppid < print(1) >' >/dev/null 2>&1 </dev/null &
tracer=$!
wait_attached "$tracer" 1
kill -TERM "$tracer"
wait "$tracer"
assert_eq 0 $? "SIGTERM exit status"
no_leaked_progs "$before"

# SIGINT while compiling: exit 0 at once, nothing loaded or left.
"$PTRACE1" -e 'sys_enter_openat { @[comm] = count(); }' >"$T/out" 2>"$T/err" </dev/null &
tracer=$!
sleep 0.3
kill -INT "$tracer"
wait "$tracer"
assert_eq 0 $? "SIGINT early exit status"
no_leaked_progs "$before"

# Standard output closed (| head -1): the run ends quietly, exit 0.
"$PTRACE1" -q -e 'sys_enter_getppid /pid == cpid/ { print(comm); }' -c "$WORKLOAD getppid 100000" \
	</dev/null 2>"$T/err" | head -n 1 >"$T/out"
assert_eq "0 0" "${PIPESTATUS[*]}" "exit statuses of ptrace1 | head"
assert_eq "ptwl" "$(cat "$T/out")" "the one line head read"
assert_eq "" "$(cat "$T/err")" "nothing on stderr"
no_leaked_progs "$before"

# exit() from an interval: END runs, maps print, exit 0.
run_ptrace1 -q -e 'interval:ms:10 { exit(); } END { printf("end\n"); }'
assert_eq 0 "$rc" "exit() status"
assert_eq "end" "$(cat "$T/out")" "END after exit()"
no_leaked_progs "$before"
