# A ring buffer too small for a flood: the loss is counted and reported, never silent.
. "$srcdir/tests/lib.sh"
need_root

prog='sys_enter_getppid /pid == cpid/ { printf("%s %s %d\n", comm, comm, nsecs); @n = count(); }'
PTRACE1_RINGBUF_KB=4 run_ptrace1 -q -e "$prog" -c "$WORKLOAD getppid 200000"
assert_eq 0 "$rc" "exit status"
lost=$(sed -n 's/^Lost \([0-9]*\) events$/\1/p' "$T/err")
[[ -n $lost ]] || fail "no 'Lost N events' on stderr: $(cat "$T/err")"
# Every event is either printed or counted as lost.
printed=$(grep -c '^ptwl ptwl' "$T/out")
assert_eq 200000 $((printed + lost)) "printed + lost"

PTRACE1_RINGBUF_KB=4 run_ptrace1 -q -f json -e "$prog" -c "$WORKLOAD getppid 200000"
assert_match '^\{"type": "lost_events", "data": \{"events": [0-9]+\}\}$' "$(cat "$T/out")" \
	"lost_events in JSON"

# The ring buffer's size: PTRACE1_RINGBUF_KB's, rounded up to a power of two;
# unset, large for a program that prints and small for one that only counts.
ringbuf() {
	sed -n 's/^ptrace1: event ring buffer: \([0-9]*\) KiB$/\1/p' "$T/err"
}
PTRACE1_RINGBUF_KB=5 run_ptrace1 -v -e 'BEGIN { exit(); }'
assert_eq 0 "$rc" "PTRACE1_RINGBUF_KB=5: exit status"
assert_eq 8 "$(ringbuf)" "PTRACE1_RINGBUF_KB=5"
for p in 'printf("x\n")' 'print(1)' 'time("%s")' '@ = count(); print(@)' '@[1] = 1; clear(@)' \
	'@ = 1; zero(@)'; do
	run_ptrace1 -v -e "BEGIN { $p; exit(); }"
	assert_eq 0 "$rc" "$p: exit status"
	case $p in
	*count*|*clear*|*zero*) want=256 ;;
	*) want=8192 ;;
	esac
	assert_eq $want "$(ringbuf)" "$p: the ring buffer"
done
