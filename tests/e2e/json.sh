# -f json: NDJSON with bpftrace's types; every line parses.
. "$srcdir/tests/lib.sh"
need_root

run_ptrace1 -f json -e 'sys_enter_getppid /pid == cpid/ { printf("tab\there \"q\"\n"); @c[comm] = count(); @h = hist(2); }
	END { print(7); print("s"); @a = avg(4); @st = stats(6); time("T\n"); }' -c "$WORKLOAD getppid 2"
assert_eq 0 "$rc" "exit status"
diff -u - "$T/out" <<'OUT' || fail "json output"
{"type": "attached_probes", "data": {"probes": 2}}
{"type": "printf", "data": "tab\there \"q\"\n"}
{"type": "printf", "data": "tab\there \"q\"\n"}
{"type": "value", "data": 7}
{"type": "value", "data": "s"}
{"type": "time", "data": "T\n"}
{"type": "stats", "data": {"@a": 4}}
{"type": "map", "data": {"@c": {"ptwl": 2}}}
{"type": "hist", "data": {"@h": [{"min": 2, "max": 3, "count": 2}]}}
{"type": "stats", "data": {"@st": {"count": 1, "average": 6, "total": 6}}}
OUT
if command -v python3 >/dev/null; then
	python3 -c 'import json, sys; [json.loads(l) for l in sys.stdin]' <"$T/out" ||
		fail "a line is not JSON"
fi

# The workload's child execs: its comm is the workload's until then.
run_ptrace1 -q -f json -e 'sys_enter_execve /comm == "'"$PTWL"'"/ { join(args->argv, ","); }' \
	-c "$WORKLOAD -n $PTWL exec 1"
assert_eq '{"type": "join", "data": "/bin/true,ptwl-arg1,ptwl-arg2"}' "$(cat "$T/out")" "json join"

run_ptrace1 -f yaml -e 'BEGIN { exit() }'
assert_eq 2 "$rc" "-f with an unknown format"
