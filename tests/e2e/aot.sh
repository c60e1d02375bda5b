# SPDX-License-Identifier: GPL-2.0
# Compile once, run later: --aot writes an artifact, which runs as the
# program would (-f json, $1..., -p; the examples in aot_examples.sh)
# without mapping the compiler, and is refused with a clear message when it
# is damaged, foreign, made for other options, or made against tracepoint
# layouts this kernel no longer has.
. "$srcdir/tests/lib.sh"
need_root

AOT_EDIT=${AOT_EDIT:-$builddir/tests/aot_edit}
export PTRACE1_CACHE=off

# aot OUT ARGS...: compile ARGS (a program and options) into artifact OUT.
aot() {
	local out=$1

	shift
	run_ptrace1 --aot "$out" "$@"
	assert_eq 0 "$rc" "--aot $out exit status"
	[[ ! -s $T/out && ! -s $T/err ]] || fail "--aot $out printed something"
	[[ -s $out ]] || fail "--aot wrote no $out"
}

# same_run NAME ARGS...: ARGS run as a program (-e or FILE, as given) and as
# its artifact $T/NAME.pto print the same, exit alike.  The artifact is made
# from the same words with --aot; -c's command is given to both runs.
same_run() {
	local name=$1 args=() prog=() cmd=() words

	shift
	while (($#)); do
		case $1 in
		-c)
			cmd=(-c "$2")
			shift
			;;
		-e)
			prog=(-e "$2")
			shift
			;;
		-f | -B)
			args+=("$1" "$2")
			shift
			;;
		*)
			prog+=("$1")
			;;
		esac
		shift
	done
	run_ptrace1 "${args[@]}" "${cmd[@]}" "${prog[@]}"
	mv "$T/out" "$T/$name.src.out"
	mv "$T/err" "$T/$name.src.err"
	words=$rc
	aot "$T/$name.pto" "${cmd[@]}" "${prog[@]}"
	run_ptrace1 "${args[@]}" "${cmd[@]}" "$T/$name.pto"
	assert_eq "$words" "$rc" "$name: the artifact's exit status"
	diff -u "$T/$name.src.out" "$T/out" || fail "$name: the artifact printed otherwise"
	diff -u "$T/$name.src.err" "$T/err" || fail "$name: the artifact said otherwise"
}

# Every kind of event and map, keyed by what the -c command alone does.
prog='sys_enter_getppid /pid == cpid/ {
	@c[comm] = count(); @s = sum(2); @a = avg(4); @mn = min(3); @mx = max(5); @st = stats(6);
	@h = hist(5); @l[comm, 1] = lhist(3, 0, 10, 1); @v[2] = (cpid - pid, "t"); @w = comm;
	printf("%s %5d %-3x|%c %s\n", comm, 42, 255, 65, syscall_name(args.__syscall_nr));
	print((1, comm)); print(comm);
}
sys_enter_execve /pid == cpid/ { join(args->argv, ","); time("T\n"); }
sys_exit_getppid /pid == cpid/ { @ret = max(ret - ret); }
END { print(@c); clear(@s); zero(@a); print(@h, 1, 2); }'
same_run every -c "$WORKLOAD getppid 3" -e "$prog"
assert_match '^ptwl +42 ff \|A getppid$' "$(cat "$T/out")" "the artifact's printf"
assert_eq 3 "$(count_lines '^ptwl +42 ff' "$T/out")" "the artifact's printf lines"
same_run json -f json -c "$WORKLOAD getppid 2" -e "$prog"
assert_match '^\{"type": "join", "data": "[^"]*/workload,getppid,2"\}$' "$(cat "$T/out")" \
	"the artifact's JSON join"

# $1, $2...: given when compiling, kept in the artifact.
same_run params -e 'BEGIN { printf("%s %d\n", str($1), $2); exit(); }' hello 42
assert_eq "hello 42" "$(cat "$T/out")" "the artifact's \$1 \$2"
run_ptrace1 "$T/params.pto" again
assert_eq 2 "$rc" "words after an artifact"
assert_eq "ptrace1: $T/params.pto is an artifact: its \$1, \$2... were given when it was compiled: it takes no ARGs" \
	"$(cat "$T/err")" "words after an artifact: message"

# A program file, and stdin both ways: --aot - writes stdout, - reads stdin.
printf 'BEGIN { printf("from a file\\n"); exit(); }\n' >"$T/file.pt"
same_run file "$T/file.pt"
"$PTRACE1" --aot - "$T/file.pt" | "$PTRACE1" - >"$T/out" 2>"$T/err" ||
	fail "an artifact through a pipe"
assert_eq "from a file" "$(cat "$T/out")" "an artifact through a pipe"

# Never the compiler: nothing of clang/LLVM mapped while an artifact runs,
# and none needed (PTRACE1_COMPILER names no file).
aot "$T/live.pto" -e 'sys_enter_getppid /pid == 1/ { @live = count(); }'
before=$(bpf_prog_ids) || fail "cannot list BPF programs"
PTRACE1_COMPILER=$T/none.so "$PTRACE1" "$T/live.pto" >"$T/live" 2>&1 </dev/null &
tracer=$!
wait_attached "$tracer" 1
if grep -Ei 'ptrace1-compiler|llvm|clang' "/proc/$tracer/maps"; then
	fail "an artifact's run mapped the compiler"
fi
kill -INT "$tracer"
wait "$tracer"
assert_eq 0 $? "the artifact's live run"
no_leaked_progs "$before"

# refused ARTIFACT STATUS MESSAGE [HINT]: it runs nothing, and says why.
refused() {
	run_ptrace1 "$1" -c "$WORKLOAD getppid 1"
	assert_eq "$2" "$rc" "$1: exit status"
	assert_eq "ptrace1: $1: $3" "$(head -n 1 "$T/err")" "$1: message"
	[[ -z $4 ]] || assert_eq "hint: $4" "$(sed -n 2p "$T/err")" "$1: hint"
	[[ ! -s $T/out ]] || fail "$1: a refused artifact printed"
}

# Damaged: each truncation, a changed byte, other magic, other format.
aot "$T/good.pto" -c true -e 'sys_enter_getppid /pid == cpid/ { @n = count(); }'
size=$(stat -c %s "$T/good.pto")
again='copy it again, or compile the program again with this ptrace1'"'"'s --aot'
: >"$T/empty.pto"
refused "$T/empty.pto" 1 "an empty file, not a ptrace1 artifact"
for n in 1 12 20 24 40 $((size / 2)) $((size - 8)) $((size - 1)); do
	head -c "$n" "$T/good.pto" >"$T/cut.pto"
	if ((n < 25)); then
		refused "$T/cut.pto" 1 "truncated artifact: $n bytes, not even a header"
	else
		refused "$T/cut.pto" 1 "truncated artifact: $n bytes of $size" "$again"
	fi
done
for at in 30 100 $((size / 2)) $((size - 3)); do
	cp "$T/good.pto" "$T/flip.pto"
	printf '\xff' | dd of="$T/flip.pto" bs=1 seek="$at" conv=notrunc status=none
	refused "$T/flip.pto" 1 "corrupt artifact: its checksum does not match its contents" "$again"
done
{ cat "$T/good.pto"; echo; } >"$T/long.pto"
refused "$T/long.pto" 1 "corrupt artifact: 1 bytes past its end"
cp "$T/good.pto" "$T/format.pto"
printf '\x07' | dd of="$T/format.pto" bs=1 seek=13 conv=notrunc status=none
refused "$T/format.pto" 1 "artifact format 7; this ptrace1 reads format 1" \
	"compile the program again with this ptrace1's --aot"
printf '\177PTRACE2' | dd of="$T/format.pto" bs=1 conv=notrunc status=none
refused "$T/format.pto" 1 "not a ptrace1 artifact"
cp "$WORKLOAD" "$T/elf"
refused "$T/elf" 1 "not a ptrace1 artifact (an ELF file)"
echo 'BEGIN { exit(); }' >"$T/text.pto"
refused "$T/text.pto" 1 "not a ptrace1 artifact"
run_ptrace1 "$T"
assert_eq 2 "$rc" "a directory"
assert_eq "ptrace1: cannot read $T: Is a directory" "$(cat "$T/err")" "a directory: message"
run_ptrace1 "$T/no-such.pto"
assert_eq 2 "$rc" "a missing artifact"

# Made otherwise: by another ptrace1, against a field this kernel has
# elsewhere, for a tracepoint it lacks, with maps the object lacks.
before=$(bpf_prog_ids) || fail "cannot list BPF programs"
aot "$T/open.pto" -c true -e 'sys_enter_openat /pid == cpid/ { @[str(args->filename)] = count(); }'
offset=$(sed -n 's/.*const char \* filename;.*offset:\([0-9]*\);.*/\1/p' \
	/sys/kernel/tracing/events/syscalls/sys_enter_openat/format)
"$AOT_EDIT" "$T/open.pto" "$T/moved.pto" field filename $((offset + 8)) || fail "aot_edit field"
refused "$T/moved.pto" 1 "tracepoint syscalls:sys_enter_openat's field 'filename' has changed: it was 'const char * filename' at offset $((offset + 8)), size 8, it is now 'const char * filename' at offset $offset, size 8" \
	"compile the program again with --aot on this kernel"
"$AOT_EDIT" "$T/open.pto" "$T/gone.pto" tracepoint sys_enter_ptrace1_none || fail "aot_edit tracepoint"
refused "$T/gone.pto" 1 "this kernel has no tracepoint syscalls:sys_enter_ptrace1_none"
"$AOT_EDIT" "$T/open.pto" "$T/other.pto" version 0.0.0-other || fail "aot_edit version"
refused "$T/other.pto" 1 "compiled by ptrace1 0.0.0-other; this is ptrace1 $("$PTRACE1" -V | cut -d' ' -f2)"
"$AOT_EDIT" "$T/open.pto" "$T/keys.pto" keysize "" 32 || fail "aot_edit keysize"
run_ptrace1 "$T/keys.pto" -c true
assert_eq 1 "$rc" "maps unlike the object's"
assert_match '^ptrace1: the BPF object is not the one its program describes: its map AT_ has type 5, 64-byte keys and 8-byte values, not type 5, 32 and 8$' \
	"$(cat "$T/err")" "maps unlike the object's: message"
no_leaked_progs "$before"
# The one unchanged still runs.
run_ptrace1 "$T/open.pto" -c "$WORKLOAD openat 2 $T/opened"
assert_eq 0 "$rc" "the unedited artifact"
assert_eq "@[$T/opened]: 2" "$(grep -F "@[$T/opened]" "$T/out")" "the unedited artifact's output"

# Options fixed when compiling, and options that need a program's text.
usage() {
	run_ptrace1 "$@"
	assert_eq 2 "$rc" "$* exit status"
	assert_eq "ptrace1: $msg" "$(cat "$T/err")" "$* message"
}
msg="$T/good.pto: it was compiled with -c (its program uses cpid): give -c COMMAND"
usage "$T/good.pto"
aot "$T/all.pto" -e 'sys_enter_getppid { @n = count(); }'
msg="$T/all.pto: it was compiled without -p, so it cannot trace one process: compile it with --aot and -p"
usage "$T/all.pto" -p $$
aot "$T/pid.pto" -p $$ -e 'sys_enter_getppid { @n = count(); }'
msg="$T/pid.pto: it was compiled with -p: give -p PID"
usage "$T/pid.pto"
msg="$T/all.pto is an artifact: it is already compiled: --aot, -l, -d and --emit-c need a program's text"
usage -d "$T/all.pto"
usage -l "$T/all.pto"
usage --emit-c "$T/all.pto"
usage --aot "$T/x.pto" "$T/all.pto"
msg="--aot writes no trace: -o names the trace's output file when the artifact runs"
usage --aot "$T/x.pto" -o "$T/x" -e 'BEGIN { exit(); }'
msg="--aot writes no trace: -f and -B apply when the artifact runs"
usage --aot "$T/x.pto" -f json -e 'BEGIN { exit(); }'
msg="--aot, -l, -d and --emit-c each stop before running: give one"
usage --aot "$T/x.pto" -d -e 'BEGIN { exit(); }'
msg="--aot needs a program: -e PROGRAM or a FILE"
usage --aot "$T/x.pto"
[[ ! -e $T/x.pto ]] || fail "a refused --aot wrote its file"
msg="--aot $T/file.pt would write over the program it compiles"
usage --aot "$T/file.pt" "$T/file.pt"
[[ $(head -c 5 "$T/file.pt") == BEGIN ]] || fail "--aot wrote over its program"
# An artifact made with -p traces the process -p names when it runs, until
# it exits.  The process waits on a fifo until the probe is attached, then
# becomes the workload (exec keeps its pid); another workload runs meanwhile.
mkfifo "$T/go"
(
	read -r _ <"$T/go"
	exec "$WORKLOAD" getppid 7
) &
target=$!
"$PTRACE1" -p "$target" "$T/pid.pto" >"$T/out" 2>"$T/err" </dev/null &
tracer=$!
wait_attached "$tracer" 1
"$WORKLOAD" getppid 3 || fail "the other workload failed"
echo go >"$T/go"
wait "$tracer"
assert_eq 0 $? "-p from an artifact: exit status"
assert_eq "@n: 7" "$(grep '^@' "$T/out")" "-p from an artifact counts its process only"
wait "$target"

# A program with an error writes no artifact, and leaves the old one.
cp "$T/all.pto" "$T/keep.pto"
run_ptrace1 --aot "$T/keep.pto" -e 'BEGIN { @x = nosuch; }'
assert_eq 1 "$rc" "--aot of a wrong program"
cmp -s "$T/all.pto" "$T/keep.pto" || fail "--aot of a wrong program changed the old artifact"
run_ptrace1 --aot "$T/no/such/dir/x.pto" -e 'BEGIN { exit(); }'
assert_eq 1 "$rc" "--aot into a missing directory"
assert_match "^ptrace1: cannot write $T/no/such/dir/x.pto: No such file or directory\$" \
	"$(cat "$T/err")" "--aot into a missing directory: message"

# Settings fixed when compiling are kept, and a run that asks for others is told.
PTRACE1_STRLEN=8 run_ptrace1 -q "$T/params.pto"
assert_eq "hello 42" "$(cat "$T/out")" "PTRACE1_STRLEN at run time"
assert_eq "ptrace1: warning: PTRACE1_STRLEN is 8, but $T/params.pto was compiled with 64, which it keeps" \
	"$(cat "$T/err")" "PTRACE1_STRLEN at run time: warning"
exit 0
