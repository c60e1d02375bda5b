# The bash completion: its function called as bash calls it (COMP_WORDS split
# at ':' and with a quoted word's quote, $2 the part readline replaces, $3 the
# word before), checked by what it leaves in COMPREPLY.
. "$srcdir/tests/lib.sh"

# shellcheck source=../../completion/ptrace1
. "$srcdir/completion/ptrace1"
assert_eq "complete -o default -F _ptrace1 ptrace1" "$(complete -p ptrace1)" "the completion spec"

# complete WORD...: complete the last WORD of `ptrace1 WORD...`; the result,
# one candidate a line, in $got.
complete_words() {
	local part

	COMP_WORDS=("$PTRACE1" "$@")
	COMP_CWORD=$#
	part=${COMP_WORDS[COMP_CWORD]}
	[[ $part == [\'\"]* ]] && part=${part:1}
	COMPREPLY=(unset)
	_ptrace1 "$PTRACE1" "$part" "${COMP_WORDS[COMP_CWORD - 1]}" 2>"$T/err" ||
		fail "_ptrace1 failed for: $*"
	[[ ! -s $T/err ]] || fail "_ptrace1 wrote to stderr for: $*"
	got=$(printf '%s\n' "${COMPREPLY[@]}")
}

# Options: the ones ptrace1 has, each of them in its --help.
complete_words -
for opt in -e -l -c -p -o -f -B -q -v -d --emit-c -h --help -V --version; do
	grep -qx -- "$opt" <<<"$got" || fail "option $opt not offered: $got"
done
help=$("$PTRACE1" --help)
while read -r opt; do
	grep -q -- "${opt}[ ,]" <<<"$help" || fail "offered $opt, which --help does not have"
done <<<"$got"
complete_words --em
assert_eq "--emit-c" "$got" "a long option"
# Option values: fixed words, commands; file names are readline's (-o default).
complete_words -f j
assert_eq "json" "$got" "-f j"
complete_words -qf ''
assert_eq $'text\njson' "$got" "-f after -q"
complete_words -B ''
assert_eq $'line\nfull\nnone' "$got" "-B"
complete_words -p "$$"
grep -qx "$$" <<<"$got" || fail "-p does not offer this shell's pid $$: $got"
grep -qvx '[0-9]*' <<<"$got" && fail "-p offers what is not a pid: $got"
complete_words -c tru
grep -qx true <<<"$got" || fail "-c tru does not offer true: $got"
complete_words -c 'ptrace1_no_such_command'
assert_eq "" "$got" "-c of no command"
complete_words -o ''
assert_eq "" "$got" "-o leaves file names to readline"
complete_words ''
assert_eq "" "$got" "a program file is readline's"

# Probe names come from ptrace1 -l, which needs root.
need_root
"$PTRACE1" -l >"$T/all" || fail "ptrace1 -l failed"
# check_probes SED LABEL: $got is the tracepoints' names through sed -n SED,
# once each (in any order), and that is not nothing.
check_probes() {
	local want

	want=$(sed -n "$1" "$T/all" | LC_ALL=C sort -u)
	[[ -n $want ]] || fail "$2: this kernel has nothing to complete"
	assert_eq "$want" "$(LC_ALL=C sort <<<"$got")" "$2"
}

# tracepoint:, then the category, then the event; readline replaces the part
# after the last ':' (bash splits words there).
complete_words -l tracepoint : sysc
check_probes 's/^tracepoint:\(sysc[^:]*:\).*/\1/p' "-l tracepoint:sysc"
complete_words -l tracepoint : syscalls : sys_enter_openat
check_probes 's/^tracepoint:syscalls:\(sys_enter_openat.*\)/\1/p' \
	"-l tracepoint:syscalls:sys_enter_openat"
complete_words -l t : sched : sched_sw
check_probes 's/^tracepoint:sched:\(sched_sw.*\)/\1/p' "-l t:sched:sched_sw"
complete_words -l t : ''
check_probes 's/^tracepoint:\([^:]*:\).*/\1/p' "-l t: offers every category"
# Short names, and the start of tracepoint: and t:.
complete_words -l sched_sw
check_probes 's/^tracepoint:[^:]*:\(sched_sw.*\)/\1/p' "-l sched_sw"
complete_words -l tr
grep -qx tracepoint: <<<"$got" || fail "-l tr does not offer tracepoint:"
got=$(grep -vx tracepoint: <<<"$got")
check_probes 's/^tracepoint:[^:]*:\(tr.*\)/\1/p' "-l tr"
complete_words -l sys_enter_openat2 ''
assert_eq "" "$got" "-l's second word is the program's argument"
complete_words -l /tm
assert_eq "" "$got" "-l FILE is readline's"

# At the start of -e's program, BEGIN, END and intervals too.  In a quoted
# program, a single match comes twice (a blank after the second) so that
# readline does not close the quote.
complete_words -e "'sys_enter_openat2"
assert_eq $'sys_enter_openat2\nsys_enter_openat2 ' "$got" "-e 'sys_enter_openat2"
complete_words -e "'tracepoint:sysc"
assert_eq $'tracepoint:syscalls:\ntracepoint:syscalls: ' "$got" "-e 'tracepoint:sysc"
complete_words -e 'BE'
assert_eq "BEGIN" "$got" "-e BE"
complete_words -e '"interval:m'
assert_eq $'interval:ms:\ninterval:ms: ' "$got" '-e "interval:m'
complete_words -e "'BEGIN { ex"
assert_eq "" "$got" "nothing inside a program"
complete_words -e 'BEGIN { exit() }' ''
assert_eq "" "$got" "-e's arguments are readline's"
exit 0
