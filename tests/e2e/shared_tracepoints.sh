# Perf-attached tracepoints of one action whose records hold what it reads
# alike share one BPF program, attached to each tracepoint with the probe's
# number as the link's BPF cookie: `probe` and the fields stay each one's own.
. "$srcdir/tests/lib.sh"
need_root

before=$(bpf_prog_ids)

# The programs -v says each probe was attached with.
programs() {
	sed -n 's/^ptrace1: attached \(tracepoint:[^ ]*\) (program \([^)]*\))$/\1 \2/p' "$T/err"
}

# Nothing read from the records: one program, and each probe counts what
# only it saw (the workload forks 3 children, which exec and exit).
run_ptrace1 -v -e 'tracepoint:sched:sched_process_fork, tracepoint:sched:sched_process_exec,
	tracepoint:sched:sched_process_exit /pid == cpid/ { @[probe] = count(); }' \
	-c "$WORKLOAD exec 3"
assert_eq 0 "$rc" "no reads: exit status"
assert_eq 3 "$(programs | wc -l)" "no reads: probes attached"
assert_eq 1 "$(programs | awk '{ print $2 }' | sort -u | wc -l)" "no reads: programs"
assert_eq "@[tracepoint:sched:sched_process_exec]: 1
@[tracepoint:sched:sched_process_exit]: 1
@[tracepoint:sched:sched_process_fork]: 3" "$(grep '^@' "$T/out")" "no reads: counts"

# A field at the same place in both records: one program, which reads it.
run_ptrace1 -v -e 'tracepoint:sched:sched_waking, tracepoint:sched:sched_wakeup
	/args.pid == cpid/ { @[probe] = count(); }' -c "$WORKLOAD sleep 20"
assert_eq 0 "$rc" "same layout: exit status"
assert_eq 1 "$(programs | awk '{ print $2 }' | sort -u | wc -l)" "same layout: programs"
assert_match '^@\[tracepoint:sched:sched_wakeup\]: [1-9]' "$(cat "$T/out")" "same layout: sched_wakeup"
assert_match '^@\[tracepoint:sched:sched_waking\]: [1-9]' "$(cat "$T/out")" "same layout: sched_waking"

# pid lies at different offsets in these two records: a program each.
run_ptrace1 -v -e 'tracepoint:sched:sched_process_exec, tracepoint:sched:sched_process_exit
	/pid == cpid/ { printf("%s %d %d\n", probe, args.pid, cpid); }' -c "$WORKLOAD exec 1"
assert_eq 0 "$rc" "other layouts: exit status"
assert_eq 2 "$(programs | awk '{ print $2 }' | sort -u | wc -l)" "other layouts: programs"
assert_eq "tracepoint:sched:sched_process_exec same
tracepoint:sched:sched_process_exit same" \
	"$(awk '/^tracepoint:/ { print $1, ($2 == $3 ? "same" : $2 " is not " $3) }' "$T/out")" \
	"other layouts: args.pid"

# The C: one function with the cookie, and the table of names.
"$PTRACE1" --emit-c -e 'tracepoint:sched:sched_process_fork, tracepoint:sched:sched_process_exec
	{ @[probe] = count(); }' >"$T/c" || fail "--emit-c"
assert_eq 1 "$(count_lines '^SEC\("tracepoint/' "$T/c")" "--emit-c: tracepoint programs"
assert_eq 1 "$(count_lines 'bpf_get_attach_cookie\(ctx\);$' "$T/c")" "--emit-c: the cookie"

no_leaked_progs "$before"
