# -l and -lv: tracefs's tracepoints in bpftrace's layout and order, globs,
# a program's probes, and the errors.
. "$srcdir/tests/lib.sh"

need_root
tracefs=/sys/kernel/tracing
[[ -r $tracefs/available_events ]] || tracefs=/sys/kernel/debug/tracing
[[ -r $tracefs/available_events ]] || fail "no tracefs event list"

# bpftrace, when it is here, is an oracle too (its other probe types aside);
# its start is the slowest step, so it lists while the rest runs.
if command -v bpftrace >/dev/null; then
	bpftrace -lv 'tracepoint:*' 2>/dev/null >"$T/bpftrace" &
	bpftrace_pid=$!
fi

# The oracle for names is tracefs itself, sorted as whole names (bytewise):
# bpftrace puts fib6:... before fib:..., since '6' < ':'.
sed 's/^/tracepoint:/' "$tracefs/available_events" | LC_ALL=C sort >"$T/all"
run_ptrace1 -l
assert_eq 0 "$rc" "-l"
cmp -s "$T/all" "$T/out" || fail "-l is not tracefs's list, sorted: $(diff "$T/all" "$T/out" | head)"
[[ ! -s $T/err ]] || fail "-l wrote to stderr"

# The oracle for fields is each format file: every field but the common ones,
# as declared between "field:" and ";", indented by four spaces.  One awk
# reads them all, in the names' order.
awk -v events="$tracefs/events" '{
	print
	split($0, p, ":")
	file = events "/" p[2] "/" p[3] "/format"
	while ((got = getline line <file) > 0) {
		if (line !~ /^\tfield:/)
			continue
		split(line, f, "\t")
		sub(/^field:/, "", f[2])
		sub(/;$/, "", f[2])
		if (f[2] !~ / common_[a-z_]*$/)
			print "    " f[2]
	}
	if (got < 0) {
		print "cannot read " file >"/dev/stderr"
		exit 1
	}
	close(file)
}' "$T/all" >"$T/all_fields" || fail "reading the format files"
run_ptrace1 -lv
assert_eq 0 "$rc" "-lv"
cmp -s "$T/all_fields" "$T/out" || fail "-lv differs from the format files: $(diff "$T/all_fields" "$T/out" | head)"

# bpftrace 0.17's own layout, as its reference records it.
run_ptrace1 -lv tracepoint:syscalls:sys_enter_openat
assert_eq "tracepoint:syscalls:sys_enter_openat
    int __syscall_nr
    int dfd
    const char * filename
    int flags
    umode_t mode" "$(<"$T/out")" "-lv sys_enter_openat"
run_ptrace1 -lv tracepoint:sched:sched_process_exec
assert_eq "tracepoint:sched:sched_process_exec
    __data_loc char[] filename
    pid_t pid
    pid_t old_pid" "$(<"$T/out")" "-lv shows __data_loc"
if [[ $bpftrace_pid ]]; then
	wait "$bpftrace_pid" || fail "bpftrace -lv failed"
	cmp -s "$T/bpftrace" "$T/all_fields" ||
		fail "-lv differs from bpftrace -lv: $(diff "$T/bpftrace" "$T/all_fields" | head)"
fi

# Every form of a probe name; globs anywhere; a short glob spans categories.
grep '^tracepoint:sched:sched_sw' "$T/all" >"$T/sw"
[[ -s $T/sw ]] || fail "no sched:sched_sw* tracepoint to list"
for glob in 'tracepoint:sched:sched_sw*' 't:sched:sched_sw*' 'sched_sw*' 't:sch?d:sched_sw*' \
	'tracepoint:*:sched_sw*'; do
	run_ptrace1 -l "$glob"
	assert_eq 0 "$rc" "-l $glob"
	assert_eq "$(<"$T/sw")" "$(<"$T/out")" "-l $glob"
done
run_ptrace1 -l sys_enter_ope?at
assert_eq "tracepoint:syscalls:sys_enter_openat" "$(<"$T/out")" "-l with ?"
run_ptrace1 -l t:syscalls:sys_enter_openat
assert_eq "tracepoint:syscalls:sys_enter_openat" "$(<"$T/out")" "-l t:CAT:EV"
run_ptrace1 -l '*'
cmp -s "$T/all" "$T/out" || fail "-l '*' is not every tracepoint"
# tracepoint:CAT, as in bpftrace, is the whole category.
run_ptrace1 -l tracepoint:sched
assert_eq "$(grep '^tracepoint:sched:' "$T/all")" "$(<"$T/out")" "-l tracepoint:CAT"
# An event name in several categories is listed in each (a program would
# call it ambiguous).
dup=$(sed 's/.*://' "$T/all" | sort | uniq -d | head -n 1)
if [[ -n $dup ]]; then
	run_ptrace1 -l "$dup"
	assert_eq 0 "$rc" "-l $dup, in several categories"
	assert_eq "$(grep ":$dup\$" "$T/all")" "$(<"$T/out")" "-l $dup"
fi

# Nothing matching is an error, as grep's: exit 1 and a message.
run_ptrace1 -l 'nosuch_event_*'
assert_eq 1 "$rc" "-l with no match"
assert_eq "" "$(<"$T/out")" "-l with no match prints no list"
assert_eq "ptrace1: no tracepoint matches 'nosuch_event_*'" "$(<"$T/err")" "no match message"
run_ptrace1 -l sys_enter_opnat
assert_eq 1 "$rc" "-l with a typo"
assert_eq "ptrace1: tracepoint not found: sys_enter_opnat
hint: did you mean tracepoint:syscalls:sys_enter_openat?" "$(<"$T/err")" "typo message"
run_ptrace1 -l 'kprobe:vfs_*'
assert_eq 1 "$rc" "-l of another probe type"
assert_eq "ptrace1: 'kprobe:vfs_*' is not a tracepoint
hint: -l lists tracepoints: tracepoint:CATEGORY:EVENT, t:CATEGORY:EVENT or EVENT, with * and ? globs" \
	"$(<"$T/err")" "another probe type's message"

# -o writes the list to a file, as it does a trace.
run_ptrace1 -l -o "$T/list" 'sched_sw*'
assert_eq 0 "$rc" "-l -o"
assert_eq "" "$(<"$T/out")" "-l -o prints nothing on stdout"
assert_eq "$(<"$T/sw")" "$(<"$T/list")" "-l -o FILE"
run_ptrace1 -lv -o "$T/list" -e 'sched_switch { exit() }'
want=$(awk '$0 == "tracepoint:sched:sched_switch" { p = 1; print; next }
	p && /^    / { print; next } { p = 0 }' "$T/all_fields")
assert_eq "$want" "$(<"$T/list")" "-lv -o FILE -e"

# A closed pipe ends the list quietly.
"$PTRACE1" -lv 2>"$T/err" | head -n 1 >/dev/null
assert_eq "0 0" "${PIPESTATUS[*]}" "-lv | head"
assert_eq "" "$(<"$T/err")" "-lv | head on stderr"

# With a program: its probes, in program order, each once; -v adds fields.
prog='BEGIN { @n = 0 } sys_enter_openat, tracepoint:sched:sched_sw* { @[probe] = count() }
interval:s:5 { exit() } t:syscalls:sys_enter_openat { @o = count() } END { }'
run_ptrace1 -l -e "$prog"
assert_eq 0 "$rc" "-l -e"
assert_eq "BEGIN
tracepoint:syscalls:sys_enter_openat
$(<"$T/sw")
interval:s:5
END" "$(<"$T/out")" "-l -e lists the program's probes"
run_ptrace1 -lv -e 'BEGIN { exit() } sys_enter_openat { exit() }'
assert_eq "BEGIN
tracepoint:syscalls:sys_enter_openat
    int __syscall_nr
    int dfd
    const char * filename
    int flags
    umode_t mode" "$(<"$T/out")" "-lv -e"
# A program file: the word names one when the file exists, as in bpftrace.
printf 'sys_enter_openat { exit() }\n' >"$T/prog.pt"
run_ptrace1 -l "$T/prog.pt"
assert_eq "tracepoint:syscalls:sys_enter_openat" "$(<"$T/out")" "-l FILE"
"$PTRACE1" -l - <"$T/prog.pt" >"$T/out" 2>"$T/err"
assert_eq "tracepoint:syscalls:sys_enter_openat" "$(<"$T/out")" "-l - (stdin)"
# A program's errors are reported as for a run.
run_ptrace1 -l -e 'sys_enter_opnat { exit() }'
assert_eq 1 "$rc" "-l -e with an unknown probe"
assert_match '^-e:1:1: error: tracepoint not found: sys_enter_opnat$' "$(<"$T/err")" "-l -e error"
assert_eq "" "$(<"$T/out")" "-l -e error prints no list"

# Usage errors.
run_ptrace1 -l sys_enter_openat sys_exit_openat
assert_eq 2 "$rc" "-l with two globs"
run_ptrace1 -l -p 1
assert_eq 2 "$rc" "-l with -p"
run_ptrace1 -l -c true
assert_eq 2 "$rc" "-l with -c"
assert_eq "ptrace1: -l lists probes: it takes no -c, -p, -d or --emit-c" "$(<"$T/err")" "-l -c message"

# Without root, a clear reason.
command -v setpriv >/dev/null || skip "setpriv is missing"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$PTRACE1" -l sys_enter_openat </dev/null >"$T/out" 2>"$T/err"
assert_eq 1 $? "-l unprivileged"
assert_match '^hint: tracefs is root.s: listing needs root, as tracing does$' "$(<"$T/err")" \
	"-l unprivileged message"
exit 0
