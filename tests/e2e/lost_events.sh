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
