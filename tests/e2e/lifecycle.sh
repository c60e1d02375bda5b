# -c ends the run with the child; SIGINT ends it cleanly; no program is left behind.
. "$srcdir/tests/lib.sh"
need_root

before=$(bpf_prog_ids)

# -c: the run ends when the command does (here after 300 ms).
start=$(date +%s%N)
run_ptrace1 -q -e 'sys_enter_getppid /comm == "ptwl"/ < print(pid) >' -c "$WORKLOAD sleep 300"
assert_eq 0 "$rc" "-c exit status"
elapsed=$((($(date +%s%N) - start) / 1000000))
((elapsed < 10000)) || fail "-c run took ${elapsed} ms"
assert_eq "" "$(cat "$T/err")" "-q prints nothing on stderr"
no_leaked_progs "$before"

# SIGINT while streaming: exit 0 after printing what was traced.
"$PTRACE1" -e 'sys_enter_getppid /comm == "ptwl"/ < print(comm) >' >"$T/out" 2>"$T/err" </dev/null &
tracer=$!
for _ in {1..100}; do
	grep -q Attaching "$T/err" && break
	sleep 0.05
done
grep -q Attaching "$T/err" || fail "ptrace1 did not attach"
now=$(bpf_prog_ids)
[[ $now != "$before" ]] || fail "no BPF program loaded while tracing"
"$WORKLOAD" getppid 4 || fail "workload failed"
sleep 0.2
kill -INT "$tracer"
wait "$tracer"
assert_eq 0 $? "SIGINT exit status"
assert_eq 4 "$(count_lines '^ptwl$' "$T/out")" "events before SIGINT"
no_leaked_progs "$before"

# SIGTERM too.
"$PTRACE1" -q -e 'sys_enter_getppid < print(1) >' >/dev/null 2>&1 </dev/null &
tracer=$!
sleep 1
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
"$PTRACE1" -q -e 'sys_enter_getppid /comm == "ptwl"/ { print(comm); }' -c "$WORKLOAD getppid 100000" \
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
