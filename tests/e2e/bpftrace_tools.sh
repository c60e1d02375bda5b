# bpftrace's own tracepoint tools (Debian's bpftrace package installs them)
# run unchanged under ptrace1 and report what the workload did.
. "$srcdir/tests/lib.sh"
need_root

tool() {
	local bt=/usr/sbin/$1.bt

	[[ -r $bt ]] || fail "$bt is missing: apt-get install bpftrace (./bootstrap does)"
	shift
	run_ptrace1 -q "$bt" -c "$*"
	assert_eq 0 "$rc" "$bt exit status"$'\n'"$(cat "$T/err")"
}

tool opensnoop "$WORKLOAD openat 2 $T/opened"
assert_match '^PID +COMM +FD ERR PATH$' "$(cat "$T/out")" "opensnoop header"
assert_eq 2 "$(count_lines "^[0-9]+ +ptwl +[0-9]+ +0 $T/opened\$" "$T/out")" "opensnoop lines"

# A path of this test's own: other tests exec /bin/true too.
ln -s /bin/true "$T/true"
tool execsnoop "$WORKLOAD exec 2 $T/true"
assert_eq 2 "$(count_lines "^[0-9]+ +[0-9]+ +$T/true ptwl-arg1 ptwl-arg2\$" "$T/out")" "execsnoop lines"

tool syscount "$WORKLOAD getppid 500"
assert_match '^Top 10 processes:$' "$(cat "$T/out")" "syscount header"
n=$(sed -n 's/^@process\[ptwl\]: //p' "$T/out")
((n >= 500)) || fail "syscount counted $n syscalls of ptwl, not at least 500"

# The shell's own kill: a minimal system has no /bin/kill.
tool killsnoop 'kill -0 1; true'
assert_match '^[0-9:]+ +[0-9]+ +sh +0 +1 +0$' "$(cat "$T/out")" "killsnoop line"

tool statsnoop stat /etc/hostname
assert_match '^[0-9]+ +stat +0 /etc/hostname$' "$(cat "$T/out")" "statsnoop line"

tool syncsnoop sync
assert_match '^[0-9:]+ +[0-9]+ +sync +tracepoint:syscalls:sys_enter_sync$' "$(cat "$T/out")" \
	"syncsnoop line"

tool setuids setpriv --reuid=65534 /bin/true
assert_match '^[0-9:]+ +[0-9]+ +setpriv +0 +setresuid +ruid=65534 ' "$(cat "$T/out")" "setuids line"

# Forks across more than one interval, so a line has a count to print.
tool pidpersec 'for i in 1 2 3 4 5 6; do /bin/true; sleep 0.25; done'
assert_match '^[0-9]{2}:[0-9]{2}:[0-9]{2} PIDs/sec: @: [0-9]+$' "$(cat "$T/out")" "pidpersec line"
