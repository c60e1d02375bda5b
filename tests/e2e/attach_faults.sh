# Attaching is cut short, with probes already attached: by a probe that
# cannot be attached (exit 1, no END, no maps), or by SIGINT or SIGTERM
# (attaching stops at once; END and the maps print, exit 0).  Nothing stays
# loaded either way.
. "$srcdir/tests/lib.sh"
need_root
command -v strace >/dev/null || skip "strace is missing"

# The sched tracepoints, each attached on its own (a perf event and a link):
# enough to fail or stop part of the way, few enough to detach in moments.
# (Syscall tracepoints would not do: one raw tracepoint serves them all.)
prog='BEGIN { printf("begin\n"); @b = 1; }
tracepoint:sched:* { @[probe] = count(); }
END { printf("end\n"); }'
nprobes=$(grep -c '^sched:' /sys/kernel/tracing/available_events)
((nprobes >= 20)) || skip "only $nprobes sched tracepoints"
# Probes attach in name order (C collation), as sema sorts them.
first=$(grep '^sched:' /sys/kernel/tracing/available_events | LC_ALL=C sort | head -n 1)
before=$(bpf_prog_ids)

# Every program and every attached probe holds file descriptors.  A hard
# limit that leaves room to load the programs but not to attach them all
# fails the attach part of the way: ptrace1 cannot raise it.
(
	ulimit -n $((nprobes + 30)) || exit 99
	run_ptrace1 -e "$prog"
	exit "$rc"
)
rc=$?
((rc != 99)) || fail "cannot lower the file limit"
assert_eq 1 "$rc" "partial attach: exit status"
# BEGIN ran before attaching; END does not run and no map (@b) prints.
assert_eq "begin" "$(cat "$T/out")" "partial attach: standard output"
mapfile -t err <"$T/err"
assert_eq 3 "${#err[@]}" "partial attach: stderr lines"
assert_eq "Attaching $((nprobes + 2)) probes..." "${err[0]}" "partial attach: first line"
assert_match "^ptrace1: cannot attach tracepoint:sched:[a-z0-9_]+: Too many open files\$" \
	"${err[1]}" "partial attach: message"
[[ ${err[1]} != *"tracepoint:$first:"* ]] || fail "the first probe failed: nothing was attached before"
assert_eq "hint: every probe holds file descriptors: raise the hard limit (ulimit -Hn), or trace fewer probes" \
	"${err[2]}" "partial attach: hint"
no_leaked_progs "$before"

# A soft limit alone does not stop ptrace1, which raises it to the hard one
# (the usual soft limit, 1024, is less than some 340 tracepoints need).
(
	ulimit -Sn $((nprobes + 30))
	run_ptrace1 -q -e 'tracepoint:sched:* /pid == cpid/ { @[probe] = count(); }' \
		-c "$WORKLOAD exec 2"
	exit "$rc"
)
assert_eq 0 $? "a low soft limit: exit status"
assert_match '^@\[tracepoint:sched:sched_process_fork\]: 2$' "$(cat "$T/out")" \
	"traced with a low soft limit"
no_leaked_progs "$before"

# A signal while attaching: strace sends it as the fifth probe is attached
# (each takes a perf_event_open).  ptrace1 attaches no more than that one,
# then ends the run as after any signal: detach, END, maps, exit 0.
for sig in INT TERM; do
	"${STRACE[@]}" -o "$T/strace" -e trace=perf_event_open \
		-e inject=perf_event_open:signal="$sig":when=5 \
		"$PTRACE1" -e "$prog" </dev/null >"$T/out" 2>"$T/err"
	assert_eq 0 $? "SIG$sig while attaching: exit status"
	opened=$(grep -c '^perf_event_open(' "$T/strace")
	((opened >= 5 && opened <= 6)) ||
		fail "SIG$sig while attaching: $opened probes attached, not 5 (or 6)"
	assert_eq "begin" "$(sed -n 1p "$T/out")" "SIG$sig while attaching: BEGIN"
	assert_eq "end" "$(sed -n 2p "$T/out")" "SIG$sig while attaching: END"
	# The maps: @b, and no more keys of @ than probes attached.
	assert_eq 1 "$(count_lines '^@b: 1$' "$T/out")" "SIG$sig while attaching: @b"
	keys=$(count_lines '^@\[tracepoint:sched:[a-z0-9_]+\]: [0-9]+$' "$T/out")
	((keys <= opened)) || fail "SIG$sig while attaching: $keys map keys from $opened probes"
	assert_eq "Attaching $((nprobes + 2)) probes..." "$(cat "$T/err")" "SIG$sig while attaching: stderr"
	no_leaked_progs "$before"
done

# A signal as the run is over (a second Ctrl-C, or timeout's second SIGINT):
# strace sends it on the last change of the signal mask, which restores the
# caller's.  ptrace1 exits 0 with its output, not killed by it (status 130).
hi='BEGIN { printf("hi\n"); exit(); }'
"${STRACE[@]}" -o "$T/strace" -e trace=rt_sigprocmask "$PTRACE1" -e "$hi" </dev/null >"$T/out" 2>"$T/err"
assert_eq 0 $? "mask changes: exit status"
changes=$(grep -c '^rt_sigprocmask(' "$T/strace")
for sig in INT TERM; do
	"${STRACE[@]}" -o /dev/null -e trace=rt_sigprocmask \
		-e inject=rt_sigprocmask:signal="$sig":when="$changes" \
		"$PTRACE1" -e "$hi" </dev/null >"$T/out" 2>"$T/err"
	assert_eq 0 $? "SIG$sig after the run: exit status"
	assert_eq hi "$(cat "$T/out")" "SIG$sig after the run: output"
done
