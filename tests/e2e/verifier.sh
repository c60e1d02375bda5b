# A program the kernel's verifier refuses: the probe, the verifier's words,
# what to do; the whole log under -v.  Buffers past 32 KiB: refused first.
. "$srcdir/tests/lib.sh"
need_root

cmp=$(printf 'x%.0s' {1..4000})
prog="sys_enter_openat { $(for i in 1 2 3 4 5 6 7; do printf 'if (str(args->filename) == "%s") { print(%d) } ' "$cmp" "$i"; done) }"
before=$(bpf_prog_ids)
PTRACE1_STRLEN=4096 run_ptrace1 -e "$prog"
assert_eq 1 "$rc" "exit status"
assert_match '^ptrace1: the kernel refused the program of tracepoint:syscalls:sys_enter_openat \(action 1\): .*too complex' \
	"$(cat "$T/err")" "the probe and the verdict"
assert_match "^hint: the action is too complex for the kernel's verifier" "$(cat "$T/err")" "the hint"
assert_match "^hint: -v shows the verifier's log$" "$(cat "$T/err")" "the pointer to -v"
no_leaked_progs "$before"

PTRACE1_STRLEN=4096 run_ptrace1 -v -e "$prog"
assert_match '^processed [0-9]+ insns' "$(cat "$T/err")" "-v shows the log"

prog="sys_enter_openat { $(for i in $(seq 1 10); do printf 'if (str(args->filename) == "a%d") { print(%d) } ' "$i" "$i"; done) }"
PTRACE1_STRLEN=4096 run_ptrace1 -e "$prog"
assert_eq 1 "$rc" "too many buffers: exit status"
assert_eq "ptrace1: a probe's strings need more than 32 KiB of buffers (PTRACE1_STRLEN is 4096)" \
	"$(head -n 1 "$T/err")" "too many buffers"
