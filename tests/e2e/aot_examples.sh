# SPDX-License-Identifier: GPL-2.0
# Every example runs from its artifact (--aot) as from its file: on the
# workloads of examples.sh, the lines those decide are the same, with pids,
# times and counts that change from run to run masked.
. "$srcdir/tests/lib.sh"
need_root

export PTRACE1_CACHE=off
ex=$srcdir/examples

# filter NAME FILE: the lines of FILE that example NAME's workload below
# decides, masked.  Each example needs one here.  Another test's workload
# may exec or alert alike meanwhile: those lines are counted once.
t='[0-9]{2}:[0-9]{2}:[0-9]{2}'
filter() {
	case $1 in
	syscount)
		sed -En 's/^(@syscall\[getppid\]|@process\[ptwl\]): [0-9]+$/\1: N/p; /^[^@]/p' "$2"
		;;
	opensnoop)
		sed -En "s|^[0-9]+ +ptwl +[0-9]+ +0 $T/opened\$|N ptwl N 0 opened|p; /^PID/p" "$2"
		;;
	execsnoop)
		sed -En "s/^[0-9]+ +[0-9]+ +/TIME PID /; \\%ptwl-arg1|$WORKLOAD exec 2|^TIME\\(ms\\)%p" "$2" |
			sort -u
		;;
	killsnoop)
		sed -En "s/^$t $(cat "$T/sender") +sh /TIME SENDER sh /p; /^TIME +PID/p" "$2"
		;;
	syscall_latency)
		awk '/^@ns\[getppid\]:/ { on = 1; print; next } !/^\[/ { on = 0 }
			on { sub(/^[^)\]]*[)\]] +/, ""); n += $1 } END { print n + 0 " calls" }' "$2"
		;;
	ids_sensitive_files)
		sed -En "s/^$t ALERT ([a-z-]+) pid=[0-9]+ /TIME ALERT \\1 pid=PID /p; /^Watching/p" "$2" |
			sort -u
		;;
	pidpersec)
		sed -E "s/^$t PIDs\\/sec: @: [0-9]+\$/TIME PIDs\\/sec: @: N/" "$2" | uniq
		;;
	*)
		return 1
		;;
	esac
}

sleep 60 &
victim=$!
declare -A cmds=(
	[syscount]="$WORKLOAD getppid 20000"
	[opensnoop]="$WORKLOAD openat 3 $T/opened"
	[execsnoop]="$WORKLOAD exec 2"
	[killsnoop]="sh -c 'echo \$\$ >$T/sender; kill -0 $victim; kill -0 0'"
	[syscall_latency]="$WORKLOAD getppid 100"
	[ids_sensitive_files]="sh -c 'cat /root/.ssh/ptwl-aot-$$ 2>/dev/null; $WORKLOAD -n nginx exec 1 /bin/sh'"
	[pidpersec]="sh -c '$WORKLOAD exec 3; $WORKLOAD sleep 1200'"
)
# ids_sensitive_files's shell runs ./ptwl-arg1, from here.
mkdir "$T/cwd"
echo 'exit 0' >"$T/cwd/ptwl-arg1"
cd "$T/cwd" || fail "cd $T/cwd"
for f in "$ex"/*.pt; do
	n=${f##*/}
	n=${n%.pt}
	[[ ${cmds[$n]} ]] || fail "examples/$n.pt has no round trip in ${BASH_SOURCE[0]}"
	run_ptrace1 --aot "$T/$n.pto" -c "${cmds[$n]}" "$f"
	assert_eq 0 "$rc" "--aot of $n"
	for run in "$f" "$T/$n.pto"; do
		run_ptrace1 -q -c "${cmds[$n]}" "$run"
		assert_eq 0 "$rc" "$n from $run: exit status"
		if grep -Eq '^(ptrace1|Lost)' "$T/err"; then
			fail "$n from $run: errors or warnings"
		fi
		filter "$n" "$T/out" >"$T/$n.${run##*.}.lines" || fail "no filter for $n"
	done
	(($(wc -l <"$T/$n.pt.lines") > 1)) || fail "$n: nothing of the workload's in its output"
	diff -u "$T/$n.pt.lines" "$T/$n.pto.lines" || fail "$n: the artifact's output differs"
done
cd "$srcdir" || fail "cd $srcdir"
kill "$victim"
wait "$victim"
exit 0
