# The language against the workload, with exact expected output.
. "$srcdir/tests/lib.sh"
need_root

# Keyed counts, a count map keyed by a comparison, and the exit separator.
run_ptrace1 -q -e "sys_enter_getppid /comm == \"$PTWL\"/ { @[comm] = count(); @n[pid == cpid] = count(); }" \
	-c "$WORKLOAD -n $PTWL getppid 7"
assert_eq 0 "$rc" "count exit status"
assert_eq $'\n\n'"@[$PTWL]: 7"$'\n@n[1]: 7' "$(cat "$T/out")" "count maps"

# opensnoop's shape: a char * stored at entry, read with str() at exit.
run_ptrace1 -q -e 'sys_enter_openat /comm == "'"$PTWL"'"/ { @fname[tid] = args->filename; }
	sys_exit_openat /@fname[tid]/ { printf("%s %s\n", str(@fname[tid]), args->ret >= 0 ? "ok" : "err");
	delete(@fname[tid]); }' -c "$WORKLOAD -n $PTWL openat 3 $T/f"
assert_eq 0 "$rc" "opensnoop exit status"
assert_eq "$T/f ok"$'\n'"$T/f ok"$'\n'"$T/f ok" "$(cat "$T/out")" "pointer kept in a map"

# Variables, if/else if/else, compound assignment, ++, ternary strings.
run_ptrace1 -q -e 'sys_enter_read /comm == "'"$PTWL"'"/ { $n = args->count * 10; $n += 5; $n <<= 1;
	if ($n > 100) { $s = "big"; } else if ($n == 30) { $s = "thirty"; } else { $s = "other"; }
	@i++; printf("%d %s %s %d\n", $n, $s, $n > 20 ? "gt" : "le", @i); }' -c "$WORKLOAD -n $PTWL read 2"
assert_eq $'30 thirty gt 1\n30 thirty gt 2\n\n\n@i: 2' "$(cat "$T/out")" "variables and control flow"

# probe, retval, elapsed, several probes in one action.
run_ptrace1 -q -e "t:syscalls:sys_enter_getppid, t:syscalls:sys_enter_getpid /comm == \"$PTWL\"/ { @[probe] = count(); }
	sys_exit_openat /comm == \"$PTWL\"/ { @r = retval >= 3; @e = elapsed > 0; }" -c "$WORKLOAD -n $PTWL getppid 2"
assert_eq $'\n\n@[tracepoint:syscalls:sys_enter_getppid]: 2' "$(cat "$T/out")" "probe builtin"
run_ptrace1 -q -e "sys_exit_openat /comm == \"$PTWL\"/ { @r = retval >= 3; @e = elapsed > 0; }" \
	-c "$WORKLOAD -n $PTWL openat 2 $T/f"
assert_eq $'\n\n@e: 1\n@r: 1' "$(cat "$T/out")" "retval and elapsed"

# Aggregations over tracepoint values, min/max of negative values done right.
run_ptrace1 -q -e 'sys_enter_write /pid == cpid/ { @s = sum(args.count); @mn = min(-(int64)args.count);
	@mx = max(-5 - (int64)args.count); @a = avg(args.count * 10); @h = hist(args.count); }' \
	-c "$WORKLOAD write 4"
diff -u - "$T/out" <<'OUT' || fail "aggregations"


@a: 10

@h: 
[1]                    4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@mn: -1
@mx: -6
@s: 4
OUT

# interval, exit(), END after exit, END's output before the maps.
run_ptrace1 -q -e 'interval:ms:50 { @i++; if (@i == 3) { exit(); } } END { printf("END %d\n", @i); }'
assert_eq 0 "$rc" "interval exit status"
assert_eq $'END 3\n\n\n@i: 3' "$(cat "$T/out")" "interval, exit and END"

# join() of execve's argv, with and without a separator; time() prints.
run_ptrace1 -q -e 'sys_enter_execve /comm == "'"$PTWL"'"/ { join(args->argv); join(args.argv, ","); time("t\n"); }' \
	-c "$WORKLOAD -n $PTWL exec 1"
assert_eq $'/bin/true ptwl-arg1 ptwl-arg2\n/bin/true,ptwl-arg1,ptwl-arg2\nt' "$(cat "$T/out")" "join"
run_ptrace1 -q -e 'BEGIN { time(); exit(); }'
assert_match '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' "$(cat "$T/out")" "time() default format"

# A full map is reported, not silent.
PTRACE1_MAP_KEYS_MAX=2 run_ptrace1 -q -e 'sys_enter_getppid /pid == cpid/ { @[nsecs] = count(); }' \
	-c "$WORKLOAD getppid 5"
assert_eq 0 "$rc" "full map exit status"
assert_eq 2 "$(grep -c '^@\[' "$T/out")" "entries of a full map"
assert_eq "ptrace1: warning: map @ is full (2 keys): 3 updates were dropped" "$(cat "$T/err")" \
	"full map warning"

# Tuples: values, variables, .N, map values and keys, in text and JSON.
run_ptrace1 -q -e 'sys_enter_getppid /pid == cpid/ { $t = (pid == cpid, "two", comm); print($t);
	printf("%d %s %s\n", $t.0, $t.1, $t.2); @m = (1, "two", -3); @k[(1, "a")] = count();
	@k[2, "b"] = count(); @v["x"] = (4, comm); print(@v["x"].1); $u = @v["x"]; print($u); }' \
	-c "$WORKLOAD getppid 1"
diff -u - "$T/out" <<'OUT' || fail "tuples"
(1, two, ptwl)
1 two ptwl
ptwl
(4, ptwl)


@k[1, a]: 1
@k[2, b]: 1
@m: (1, two, -3)
@v[x]: (4, ptwl)
OUT
run_ptrace1 -q -f json -e 'BEGIN { print((1, "two")); @t = (1, "x"); exit() }'
assert_eq $'{"type": "value", "data": [1,"two"]}\n{"type": "map", "data": {"@t": [1,"x"]}}' \
	"$(cat "$T/out")" "tuples in JSON"
