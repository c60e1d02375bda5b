# SPDX-License-Identifier: GPL-2.0
# --aot of a BPF C file: the artifact holds its object and the --set values
# given then (checked at once), runs as the C file does, a run's --set
# after them, without the compiler; -p and a program's options refused.
# A C file --emit-c wrote becomes its program's artifact.
. "$srcdir/tests/lib.sh"
need_root

export PTRACE1_CACHE=off
O=$srcdir/examples/opensnoop.bpf.c
M=$srcdir/examples/minimal.bpf.c
before=$(bpf_prog_ids) || fail "cannot list BPF programs"
instances=$(tracefs_instances)

# A cat of a name no other process has while this runs: the program counts
# the opens of every process of that name.  Its output goes elsewhere: cat
# copies with copy_file_range, which does not share the file's position
# with ptrace1's writes to the same file, and could write over a line.
catcomm=ptaot$$
cp /bin/cat "$T/$catcomm"
catcmd="$T/$catcomm /etc/hostname >/dev/null"
# The lines of the -c command's opens of the file it reads, pid masked.
opens() {
	sed -En "s/^\{pid: [0-9]+, (comm: \"$catcomm\", flags: [0-9]+, filename: \"[^\"]*hostname\")\}$/\1/p" "$1"
	grep '^opens\[' "$1"
}

run_ptrace1 -q --set targ_comm=$catcomm -c "$catcmd" "$O"
assert_eq 0 "$rc" "the C file's exit status"
opens "$T/out" >"$T/c.lines"
[[ $(grep -c hostname "$T/c.lines") -ge 1 ]] || fail "the C file saw no open of /etc/hostname"

run_ptrace1 --aot "$T/open.pto" --set targ_comm=$catcomm "$O"
assert_eq 0 "$rc" "--aot of a C file"
[[ ! -s $T/out && ! -s $T/err ]] || fail "--aot of a C file printed something"
run_ptrace1 -q -c "$catcmd" "$T/open.pto"
assert_eq 0 "$rc" "the C artifact's exit status"
opens "$T/out" >"$T/pto.lines"
diff -u "$T/c.lines" "$T/pto.lines" || fail "the C artifact's output differs from the C file's"

# A run's --set comes after the artifact's: no open is that cat's any more.
run_ptrace1 -q --set targ_comm=nosuchcomm -c "$catcmd" "$T/open.pto"
assert_eq 0 "$rc" "a run's --set"
assert_eq 0 "$(count_lines hostname "$T/out")" "a run's --set wins"

# Never the compiler, not even its module.
PTRACE1_COMPILER=$T/none.so "$PTRACE1" -q "$T/open.pto" >"$T/live" 2>&1 </dev/null &
tracer=$!
wait_attached "$tracer" 1
if grep -Ei 'ptrace1-compiler|llvm|clang' "/proc/$tracer/maps"; then
	fail "a C artifact's run mapped the compiler"
fi
kill -INT "$tracer"
wait "$tracer"
assert_eq 0 $? "the C artifact's live run"

# bpf_printk lines, as from the C file.
run_ptrace1 --aot "$T/min.pto" "$M"
assert_eq 0 "$rc" "--aot of minimal.bpf.c"
cat >"$T/writes.sh" <<EOF
#!/bin/sh
"$WORKLOAD" write 3 &
echo \$! >"$T/pid"
wait
EOF
chmod +x "$T/writes.sh"
run_ptrace1 -B full "$T/min.pto" -c "$T/writes.sh"
assert_eq 0 "$rc" "minimal's artifact"
pid=$(cat "$T/pid")
# The command before the pid is the kernel's record of it, which may lag
# the workload's renaming itself: the pid alone says whose a line is.
assert_eq 3 "$(count_lines "^[^ ]+-$pid: BPF triggered sys_enter_write from PID $pid\.\$" "$T/out")" \
	"minimal's artifact: the workload's lines"

# A --set the file has no global for: refused when compiling, nothing written.
run_ptrace1 --aot "$T/bad.pto" --set nosuch=1 "$O"
assert_eq 2 "$rc" "--aot with a bad --set"
assert_match "^ptrace1: --set nosuch=1: $O has no settable global 'nosuch'\$" "$(cat "$T/err")" \
	"--aot with a bad --set: message"
[[ ! -e $T/bad.pto ]] || fail "--aot with a bad --set wrote its file"

# Options that do not fit.
run_ptrace1 -p $$ "$T/open.pto"
assert_eq 2 "$rc" "-p with a C artifact"
assert_eq "ptrace1: $T/open.pto: it holds a C file's programs, which choose what they trace: -p applies to ptrace1 programs" \
	"$(cat "$T/err")" "-p with a C artifact: message"
run_ptrace1 --aot "$T/prog.pto" -e 'BEGIN { exit(); }'
run_ptrace1 --set x=1 "$T/prog.pto"
assert_eq 2 "$rc" "--set with a program's artifact"
assert_eq "ptrace1: $T/prog.pto: it holds a ptrace1 program: --set applies to a C file's globals" \
	"$(cat "$T/err")" "--set with a program's artifact: message"

# A damaged C artifact is refused like any other.
head -c 100 "$T/open.pto" >"$T/cut.pto"
run_ptrace1 "$T/cut.pto"
assert_eq 1 "$rc" "a truncated C artifact"
assert_match "^ptrace1: $T/cut.pto: truncated artifact: 100 bytes of [0-9]+\$" "$(head -n 1 "$T/err")" \
	"a truncated C artifact: message"

# The C of --emit-c carries its program: its artifact is that program's.
prog='sys_enter_getppid /pid == cpid/ { @n = count(); }'
run_ptrace1 --emit-c -c true -e "$prog"
cp "$T/out" "$T/gen.bpf.c"
run_ptrace1 --aot "$T/gen.pto" -c true "$T/gen.bpf.c"
assert_eq 0 "$rc" "--aot of a generated C file"
run_ptrace1 -c "$WORKLOAD getppid 4" "$T/gen.pto"
assert_eq 0 "$rc" "a generated C file's artifact"
assert_eq "@n: 4" "$(grep '^@' "$T/out")" "a generated C file's artifact: output"
run_ptrace1 "$T/gen.pto"
assert_eq 2 "$rc" "a generated C file's artifact without -c"

no_leaked_progs "$before"
no_leaked_instances "$instances"
exit 0
