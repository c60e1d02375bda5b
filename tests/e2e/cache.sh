# Compiled objects are cached: a second run of a program loads its object
# without loading the compiler at all; a damaged or foreign entry is a miss.
. "$srcdir/tests/lib.sh"
need_root

export PTRACE1_CACHE=$T/cache
prog='sys_enter_getppid /pid == cpid/ { @n = count(); }'

# compiler_mapped PID: whether the process has clang/LLVM mapped.
compiler_mapped() {
	grep -q 'ptrace1-compiler.so' "/proc/$1/maps"
}

run_ptrace1 -v -c "$WORKLOAD getppid 5" -e "$prog"
assert_eq 0 "$rc" "first run"
assert_eq "@n: 5" "$(grep '^@' "$T/out")" "first run output"
grep -q 'from the cache' "$T/err" && fail "the first run hit the cache"
assert_eq 1 "$(find "$T/cache" -name '*.o' | wc -l)" "entries after the first run"
entry=$(find "$T/cache" -name '*.o')
[[ $(stat -c %a "$T/cache") == 700 ]] || fail "the cache directory is not private"

run_ptrace1 -v -c "$WORKLOAD getppid 7" -e "$prog"
assert_eq 0 "$rc" "second run"
assert_eq "@n: 7" "$(grep '^@' "$T/out")" "second run output"
assert_match 'the BPF object is from the cache' "$(cat "$T/err")" "second run hit"

# A hit never maps the compiler; a miss does.
before=$(bpf_prog_ids) || fail "cannot list BPF programs"
for run in miss hit; do
	"$PTRACE1" -e 'sys_enter_getppid /pid == 1/ { @live = count(); }' >"$T/live" 2>&1 </dev/null &
	tracer=$!
	wait_attached "$tracer" 1
	if [[ $run == hit ]]; then
		compiler_mapped "$tracer" && fail "a cache hit loaded the compiler"
	else
		compiler_mapped "$tracer" || fail "a cache miss did not load the compiler"
	fi
	kill -INT "$tracer"
	wait "$tracer"
done
no_leaked_progs "$before"

# A damaged entry is a miss, and is written again.
for f in "$T"/cache/*.o; do
	truncate -s 100 "$f"
done
run_ptrace1 -v -c "$WORKLOAD getppid 3" -e "$prog"
assert_eq "@n: 3" "$(grep '^@' "$T/out")" "output after damage"
grep -q 'from the cache' "$T/err" && fail "a damaged entry was used"
(($(stat -c %s "$entry") > 100)) || fail "the damaged entry was not written again"

# A directory others may write to is not used, with a warning.
mkdir -m 777 "$T/open"
PTRACE1_CACHE=$T/open run_ptrace1 -c "$WORKLOAD getppid 2" -e "$prog"
assert_eq 0 "$rc" "open cache directory"
assert_match "^ptrace1: warning: not using the cache $T/open: it must be a directory of yours that nobody else can write to$" \
	"$(cat "$T/err")" "open cache warning"
assert_eq 0 "$(find "$T/open" -type f | wc -l)" "entries in an open directory"

# Off: nothing is written.
PTRACE1_CACHE=off run_ptrace1 -c "$WORKLOAD getppid 2" -e 'sys_enter_getppid { @off = count(); }'
assert_eq 0 "$rc" "cache off"

# Without the compiler, a miss says so.
PTRACE1_CACHE=off PTRACE1_COMPILER=$T/none.so run_ptrace1 -e 'BEGIN { exit(); }'
assert_eq 1 "$rc" "no compiler"
assert_eq "ptrace1: cannot load the compiler $T/none.so: no such file (is ptrace1 installed?)" \
	"$(cat "$T/err")" "no compiler message"
