# A BPF C file, libbpf style: the minimal.bpf.c of the tutorials, verbatim
# (examples/minimal.bpf.c), and bpf_printk lines: only this run's (two runs
# at once see their own), as text and JSON; options that mean nothing for a
# C file.
. "$srcdir/tests/lib.sh"
need_root

M=$srcdir/examples/minimal.bpf.c
before=$(bpf_prog_ids)
instances=$(tracefs_instances)

# The program traces every write(2) of the system: count those of the
# workload, whose pid the script behind -c writes down.
cat >"$T/writes.sh" <<EOF
#!/bin/sh
"$WORKLOAD" write 5 &
echo \$! >"$T/pid"
wait
EOF
chmod +x "$T/writes.sh"

# -B full: ptrace1's own writes are traced too, one per flush.  The command
# before the pid is the kernel's record of it, "<...>" when its table of
# commands has no room, or the shell's name when it was recorded before the
# workload renamed itself: the pid alone says whose a line is.
run_ptrace1 -B full "$M" -c "$T/writes.sh"
assert_eq 0 "$rc" "exit status"
assert_eq "Attaching 1 program..." "$(cat "$T/err")" "stderr"
pid=$(cat "$T/pid")
assert_eq 5 "$(count_lines "^[^ ]+-$pid: " "$T/out")" "lines of the workload"
assert_eq 5 "$(count_lines "^[^ ]+-$pid: BPF triggered sys_enter_write from PID $pid\.\$" "$T/out")" \
	"the workload's lines, whole"
no_leaked_progs "$before"
no_leaked_instances "$instances"

# Lines of one process (tests/cfiles/printk.bpf.c): by bpf_trace_printk,
# by bpf_trace_vprintk (more than three arguments), of two lines.  The
# command before the pid is the kernel's record of that pid: "<...>", the
# workload's, or an earlier process's of the same pid (the record lags, and
# outlives the process).  It becomes C, and the pid P: the pid alone says
# whose a line is.
comm=ptpk$$
P=$srcdir/tests/cfiles/printk.bpf.c
normalize() {
	sed -E "s/\<$1\>/P/g; s/fd [0-9]+ /fd F /; s/^[^ ]+-P: /C-P: /;
		s/\"[^\"]*\", \"pid\": P, \"cpu\": [0-9]+, \"time\": [0-9.]+,/C P T/" "$2"
}
for _ in 1 2; do
	cat <<EOF
C-P: write of 1 by $comm
C-P: fd F count 1 pid P comm $comm
C-P: first line
second line P
EOF
done >"$T/want"

# Two runs of it at once: each shows its own program's lines, not the
# other's, though both programs see the same writes.
"$PTRACE1" -q "$P" --set comm_filter=$comm >"$T/bg" 2>"$T/bgerr" </dev/null &
bg=$!
wait_attached "$bg" 1
cat >"$T/writes.sh" <<EOF
#!/bin/sh
"$WORKLOAD" -n $comm write 2 &
echo \$! >"$T/pid"
wait
EOF
run_ptrace1 -q "$P" --set comm_filter=$comm -c "$T/writes.sh"
assert_eq 0 "$rc" "exit status beside another run"
kill -INT "$bg"
wait "$bg"
assert_eq 0 $? "SIGINT exit status"
pid=$(cat "$T/pid")
normalize "$pid" "$T/out" >"$T/got"
diff -u "$T/want" "$T/got" || fail "lines beside another run"
normalize "$pid" "$T/bg" >"$T/got"
diff -u "$T/want" "$T/got" || fail "lines of the other run"
assert_eq "" "$(cat "$T/bgerr")" "stderr of the other run"
no_leaked_progs "$before"
no_leaked_instances "$instances"

# JSON: one object a line, the two lines of the last message in one string.
run_ptrace1 -f json "$P" --set comm_filter=$comm -c "$T/writes.sh"
assert_eq 0 "$rc" "JSON exit status"
pid=$(cat "$T/pid")
normalize "$pid" "$T/out" >"$T/got"
cat >"$T/want" <<EOF
{"type": "attached_probes", "data": {"probes": 1}}
EOF
for _ in 1 2; do
	cat <<EOF
{"type": "printk", "data": {"comm": C P T "message": "write of 1 by $comm"}}
{"type": "printk", "data": {"comm": C P T "message": "fd F count 1 pid P comm $comm"}}
{"type": "printk", "data": {"comm": C P T "message": "first line\\nsecond line P"}}
EOF
done >>"$T/want"
diff -u "$T/want" "$T/got" || fail "JSON lines"
no_leaked_progs "$before"

# What does not apply to a C file is a usage error.
usage() {
	local want=$1

	shift
	run_ptrace1 "$@"
	assert_eq 2 "$rc" "exit status of $*"
	assert_eq "$want" "$(head -n 1 "$T/err")" "message of $*"
	assert_eq "" "$(cat "$T/out")" "stdout of $*"
}
usage "ptrace1: -p applies to ptrace1 programs: the programs of $M choose what they trace" \
	"$M" -p $$
usage "ptrace1: $M is a C file: it takes no arguments after its name" \
	"$M" 42
usage "ptrace1: --emit-c applies to ptrace1 programs, not to a C file" --emit-c "$M"
usage "ptrace1: -d applies to ptrace1 programs, not to a C file" -d "$M"
usage "ptrace1: -l applies to ptrace1 programs, not to a C file" -l "$M"
usage "ptrace1: --set applies to a C file's globals; a program takes \$1, \$2... after it" \
	--set x=1 -e 'BEGIN { exit(); }'
no_leaked_progs "$before"
