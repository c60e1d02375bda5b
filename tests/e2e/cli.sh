# Usage errors exit 2, program errors 1; --version, --help; no privileges, one line.
. "$srcdir/tests/lib.sh"

# No program and no file: the interactive prompt, here on an empty input.
run_ptrace1
assert_eq 0 "$rc" "no program"
assert_eq "" "$(cat "$T/out" "$T/err")" "no program: nothing to say"

run_ptrace1 --bogus
assert_eq 2 "$rc" "unknown option"
assert_match '^usage: ptrace1' "$(cat "$T/err")" "usage on stderr"

# Words after the program are its positional parameters, $1 and on.
run_ptrace1 -e 'BEGIN { printf("%d %s %d\n", $1, $2, $1 + 1); exit() }' 41 two
assert_eq 0 "$rc" "positional parameters"
assert_eq "41 two 42" "$(cat "$T/out")" "positional parameters output"
cat >"$T/params.pt" <<'PT'
BEGIN { printf("%s\n", $1); exit() }
PT
run_ptrace1 "$T/params.pt" word
assert_eq "word" "$(cat "$T/out")" "a file's positional parameter"
run_ptrace1 -e 'BEGIN { print($2) }' 1
assert_eq 1 "$rc" "a missing positional parameter"
assert_match "error: positional parameter \\\$2 was not given" "$(cat "$T/err")" "missing parameter message"

run_ptrace1 "$T/missing.pt"
assert_eq 2 "$rc" "missing file"
assert_eq "ptrace1: cannot read $T/missing.pt: No such file or directory" "$(cat "$T/err")" "missing file message"

PTRACE1_STRLEN=1 run_ptrace1 -e 'sys_enter_openat < print(1) >'
assert_eq 2 "$rc" "bad PTRACE1_STRLEN"
assert_eq "ptrace1: PTRACE1_STRLEN must be a number from 2 to 4096, not '1'" "$(cat "$T/err")" "PTRACE1_STRLEN message"

run_ptrace1 --version
assert_eq 0 "$rc" "--version"
assert_match '^ptrace1 [0-9]+\.[0-9]+\.[0-9]+ \(LLVM [0-9.]+\)$' "$(cat "$T/out")" "--version output"
run_ptrace1 -h
assert_eq 0 "$rc" "-h"
assert_match '^usage: ptrace1' "$(cat "$T/out")" "help on stdout"

# A program from standard input is named stdin in messages.
printf 'sys_enter_openat < print(nope) >\n' >"$T/bad.pt"
"$PTRACE1" - <"$T/bad.pt" >/dev/null 2>"$T/err"
assert_eq 1 $? "program error from stdin"
assert_match "^stdin:1:26: error: unknown identifier 'nope'" "$(cat "$T/err")" "stdin name"

# A program file names itself in messages.
"$PTRACE1" "$T/bad.pt" >/dev/null 2>"$T/err" </dev/null
assert_eq 1 $? "program error from a file"
assert_match "^$T/bad.pt:1:26: error: " "$(cat "$T/err")" "file name"

# --emit-c prints C with a function for each probe, and the programs serving them.
run_ptrace1 --emit-c -e 'sys_enter_openat < print(filename) > t:sched:sched_process_exec { }'
assert_eq 0 "$rc" "--emit-c"
assert_match '^/\* action 1, probe tracepoint:syscalls:sys_enter_openat \*/$' "$(cat "$T/out")" \
	"--emit-c probe function"
assert_match '^SEC\("raw_tp/sys_enter"\)$' "$(cat "$T/out")" "--emit-c syscall dispatcher"
assert_match '^SEC\("tracepoint/sched/sched_process_exec"\)$' "$(cat "$T/out")" "--emit-c section"

# Without root or CAP_BPF+CAP_PERFMON: one line, exit 1.
((EUID == 0)) || skip "the privilege check needs root to drop privileges"
command -v setpriv >/dev/null || skip "setpriv is missing"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$PTRACE1" -e 'sys_enter_openat < print(1) >' </dev/null >"$T/out" 2>"$T/err"
assert_eq 1 $? "unprivileged exit status"
assert_eq "ptrace1: tracing needs root (or the CAP_BPF and CAP_PERFMON capabilities)" \
	"$(cat "$T/err")" "unprivileged message"
