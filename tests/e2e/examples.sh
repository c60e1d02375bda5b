# SPDX-License-Identifier: GPL-2.0
# Every program in examples/ runs, on a workload doing known things, and
# reports those things.  The examples trace the whole system, so the checks
# look for the workload's lines among whatever else the machine did.
. "$srcdir/tests/lib.sh"
need_root

ex=$srcdir/examples
# Each example must be checked below; a new one without a check fails here.
checked="execsnoop ids_sensitive_files killsnoop opensnoop pidpersec syscall_latency syscount"
for f in "$ex"/*.pt; do
	n=${f##*/}
	n=${n%.pt}
	[[ " $checked " == *" $n "* ]] || fail "examples/$n.pt has no check in ${BASH_SOURCE[0]}"
	[[ $(head -n 1 "$f") == '#!/usr/bin/env ptrace1' ]] || fail "examples/$n.pt: no #! line"
	[[ -x $f ]] || fail "examples/$n.pt is not executable"
done
# The BPF C files too (minimal.bpf.c is tests/e2e/cfile.sh's).
for f in "$ex"/*.bpf.c; do
	n=${f##*/}
	[[ " minimal.bpf.c opensnoop.bpf.c " == *" $n "* ]] || fail "examples/$n has no check"
done

# example NAME -c COMMAND: run examples/NAME.pt quietly; it must succeed,
# lose nothing and warn about nothing.
example() {
	local name=$1

	shift
	run_ptrace1 -q "$ex/$name.pt" "$@"
	assert_eq 0 "$rc" "$name exit status"
	if grep -Eq '^(ptrace1: warning|Lost [0-9]+ events)' "$T/err"; then
		fail "$name: warnings"
	fi
}

# syscount: the workload's getppid calls head the syscalls, the workload the
# processes; each list is printed once, in END, at most 10 lines.
example syscount -c "$WORKLOAD -n $PTWL getppid 50000"
out=$(cat "$T/out")
assert_match '^Top 10 syscalls:$' "$out" "syscount syscalls header"
assert_match '^Top 10 processes:$' "$out" "syscount processes header"
assert_eq 1 "$(count_lines '^@syscall\[getppid\]: ' "$T/out")" "syscount getppid lines"
n=$(sed -n 's/^@syscall\[getppid\]: //p' "$T/out")
((n >= 50000)) || fail "syscount: getppid counted $n times, not at least 50000"
n=$(sed -n "s/^@process\[$PTWL\]: //p" "$T/out")
((n >= 50000)) || fail "syscount: $PTWL counted $n syscalls, not at least 50000"
(($(count_lines '^@syscall\[' "$T/out") <= 10)) || fail "syscount: more than 10 syscalls"
(($(count_lines '^@process\[' "$T/out") <= 10)) || fail "syscount: more than 10 processes"
# Names, not numbers, and the syscalls before the processes.
assert_eq 0 "$(count_lines '^@syscall\[[0-9]+\]' "$T/out")" "syscount numeric names"
assert_eq "@syscall[getppid]" "$(sed -n '/^Top 10 syscalls:$/,/^Top 10 processes:$/s/: .*//p' "$T/out" |
	grep -F 'getppid')" "syscount getppid in the syscalls list"

# opensnoop: three opens that work, one that fails with ENOENT.
example opensnoop -c "$WORKLOAD openat 3 $T/opened"
assert_match '^PID +COMM +FD +ERR +PATH$' "$(cat "$T/out")" "opensnoop header"
assert_eq 3 "$(count_lines "^[0-9]+ +ptwl +([3-9]|[1-9][0-9]+) +0 $T/opened\$" "$T/out")" \
	"opensnoop lines"
example opensnoop -c "$WORKLOAD openat 1 $T/no/such/dir"
assert_eq 1 "$(count_lines "^[0-9]+ +ptwl +-1 +2 $T/no/such/dir\$" "$T/out")" "opensnoop ENOENT line"

# execsnoop: the -c command's own exec, then the workload's two children,
# which run a path of this test's own: other tests exec /bin/true too.
ln -s /bin/true "$T/true"
example execsnoop -c "$WORKLOAD exec 2 $T/true"
assert_match '^TIME\(ms\) +PID +ARGS$' "$(cat "$T/out")" "execsnoop header"
assert_eq 1 "$(count_lines "^[0-9]+ +[0-9]+ +$WORKLOAD exec 2 $T/true\$" "$T/out")" "execsnoop -c line"
assert_eq 2 "$(count_lines "^[0-9]+ +[0-9]+ +$T/true ptwl-arg1 ptwl-arg2\$" "$T/out")" \
	"execsnoop lines"
pids=$(sed -n "s|^[0-9]* *\([0-9]*\) *$T/true ptwl-arg1 ptwl-arg2\$|\1|p" "$T/out" | sort -u | wc -l)
assert_eq 2 "$pids" "execsnoop: distinct pids of the two children"

# killsnoop: signal 0 to a live process, to a dead one, to the sender's
# process group (pid 0: the line must not be lost for it), and a SIGTERM.
sleep 30 &
victim=$!
sleep 0 &
dead=$!
wait "$dead"
example killsnoop -c "sh -c 'echo \$\$ >$T/sender; kill -0 $victim; kill -0 $dead; kill -0 0; kill -TERM $victim'"
sender=$(cat "$T/sender")
assert_match '^TIME +PID +COMM +SIG +NAME +TPID +RESULT$' "$(cat "$T/out")" "killsnoop header"
t='[0-9]{2}:[0-9]{2}:[0-9]{2}'
assert_eq 1 "$(count_lines "^$t $sender +sh +0 +- +$victim +0 ok\$" "$T/out")" "killsnoop kill -0"
assert_eq 1 "$(count_lines "^$t $sender +sh +0 +- +$dead +-3 ESRCH\$" "$T/out")" \
	"killsnoop kill -0 of a dead pid"
assert_eq 1 "$(count_lines "^$t $sender +sh +0 +- +0 +0 ok\$" "$T/out")" "killsnoop kill -0 0"
assert_eq 1 "$(count_lines "^$t $sender +sh +15 +TERM +$victim +0 ok\$" "$T/out")" \
	"killsnoop kill -TERM"
wait "$victim"
assert_eq 143 $? "the victim's exit status (killed by SIGTERM)"

# syscall_latency: 100 getppid calls of the command, in one histogram.
example syscall_latency -c "$WORKLOAD getppid 100"
assert_match '^@ns\[getppid\]: ?$' "$(cat "$T/out")" "syscall_latency getppid histogram"
# A row is "[low, high)   count |bar|", or "[n]   count |bar|" for one value.
n=$(awk '/^@ns\[getppid\]:/ { on = 1; next } !/^\[/ { on = 0 }
	on { sub(/^[^)\]]*[)\]] +/, ""); sum += $1 } END { print sum + 0 }' "$T/out")
assert_eq 100 "$n" "syscall_latency: calls in the getppid histogram"
assert_eq 0 "$(count_lines '^@start' "$T/out")" "syscall_latency: @start printed"
# Only the command's syscalls: none of ptrace1's own, such as bpf(2).
assert_eq 0 "$(count_lines '^@ns\[bpf\]' "$T/out")" "syscall_latency: another process's syscalls"
bad=$(grep -Ev '^(|@ns\[[a-z0-9_]+\]: ?|\[[-0-9KMG]+(, [-0-9KMG]+\)|\]) +[0-9]+ \|[@ ]+\|)$' "$T/out")
[[ -z $bad ]] || fail "syscall_latency: unexpected lines:"$'\n'"$bad"

# ids_sensitive_files: the rules fire for sensitive paths (cat only reads
# them, to /dev/null; the missing ones fail harmlessly with ENOENT), for a
# shell run by a process named nginx and for its exec of an empty path (which
# fails), and stay quiet for near misses.  The rules watch the whole system,
# so the alerts counted are this test's: those of cat, run under a name of
# its own, and of the nginx workloads' children, whose pids the workloads
# report (-v on success, the failed child's on stderr).
mkdir "$T/cwd"
# The shell the workload execs runs ./ptwl-arg1 as its script.
echo 'exit 0' >"$T/cwd/ptwl-arg1"
ln -s "$(command -v cat)" "$T/$PTWL"
cd "$T/cwd" || fail "cd $T/cwd"
files="/etc/shadow /etc/shadow.ptwl /root/.ssh/ptwl-none /home/ptwl/.ssh/authorized_keys"
files+=" /home/ptwl/.ssh/authorized_keys.ptwl /home/ptwl/authorized_keys /etc/hostname $T/opened"
example ids_sensitive_files -c "sh -c '$T/$PTWL $files >/dev/null 2>&1;
	$WORKLOAD -v -n nginx exec 1 /bin/sh >>$T/kids; $WORKLOAD -v -n nginx exec 1 /bin/true >>$T/kids;
	$WORKLOAD -n $PTWL exec 1 /bin/sh; $WORKLOAD -n nginx exec 1 \"\" 2>>$T/kids'"
cd "$srcdir" || fail "cd $srcdir"
kids=$(sed -En 's/^(pid=|workload: child )([0-9]+).*/\2/p' "$T/kids" | paste -sd '|')
[[ $kids =~ ^[0-9]+\|[0-9]+\|[0-9]+$ ]] || fail "ids: the pids of the nginx children: $(cat "$T/kids")"
a="^$t ALERT sensitive-file pid=[0-9]+ uid=0 comm=$PTWL"
assert_eq 1 "$(count_lines "$a ret=[0-9]+ path=/etc/shadow\$" "$T/out")" "ids: /etc/shadow"
assert_eq 1 "$(count_lines "$a ret=-2 path=/root/.ssh/ptwl-none\$" "$T/out")" "ids: /root/.ssh/"
assert_eq 1 "$(count_lines "$a ret=-2 path=/home/ptwl/.ssh/authorized_keys\$" "$T/out")" \
	"ids: authorized_keys"
assert_eq 3 "$(count_lines "ALERT sensitive-file .* comm=$PTWL " "$T/out")" "ids: sensitive-file alerts"
n="pid=($kids) uid=0 comm=nginx"
assert_eq 1 "$(count_lines "^$t ALERT daemon-shell $n path=/bin/sh argv=/bin/sh ptwl-arg1 ptwl-arg2\$" "$T/out")" \
	"ids: nginx runs /bin/sh"
assert_eq 1 "$(count_lines "^$t ALERT daemon-exec-nopath $n argv= ptwl-arg1 ptwl-arg2\$" "$T/out")" \
	"ids: nginx execs an empty path"
assert_eq 5 "$(count_lines "ALERT [a-z-]+ ($n|pid=[0-9]+ uid=[0-9]+ comm=$PTWL) " "$T/out")" \
	"ids: alerts in all"

# pidpersec: a line a second, "TIME PIDs/sec: @: N", and the workload's six
# forks (the shell's and its five children) in the first second.
start=$(date +%s%N)
example pidpersec -c "sh -c '$WORKLOAD exec 5; $WORKLOAD sleep 2500'"
secs_max=$((($(date +%s%N) - start) / 1000000000))
bad=$(grep -Ev "^(|Tracing new processes\.\.\. Hit Ctrl-C to end\.|$t PIDs/sec: @: [0-9]+|@: 0)\$" "$T/out")
[[ -z $bad ]] || fail "pidpersec: unexpected lines:"$'\n'"$bad"
mapfile -t secs < <(sed -En 's/^([0-9]{2}):([0-9]{2}):([0-9]{2}) PIDs\/sec: @: [0-9]+$/\1 \2 \3/p' "$T/out")
# The run takes 2.5 s and more on a busy machine, but no more than it took.
((${#secs[@]} >= 2 && ${#secs[@]} <= secs_max)) ||
	fail "pidpersec: ${#secs[@]} seconds in a run of at least 2.5 s, at most $secs_max s"
prev=
for hms in "${secs[@]}"; do
	read -r h m s <<<"$hms"
	now=$((10#$h * 3600 + 10#$m * 60 + 10#$s))
	if [[ $prev ]]; then
		d=$(((now - prev + 86400) % 86400))
		((d == 1 || d == 2)) || fail "pidpersec: $d s between two lines"
	fi
	prev=$now
done
# The first second has the forks; the exit prints the cleared count.
n=$(sed -En '0,/PIDs\/sec: @: /s/^.* PIDs\/sec: @: ([0-9]+)$/\1/p' "$T/out")
((n >= 6)) || fail "pidpersec: ${n:-no} forks in the first second, not at least 6"
assert_eq "@: 0" "$(tail -n 1 "$T/out")" "pidpersec: the count at exit"

# opensnoop.bpf.c: the opens of the command --set names, a record each, and
# their count by command at exit.
comm=ptos$$
run_ptrace1 -q "$ex/opensnoop.bpf.c" --set targ_comm=$comm -c "$WORKLOAD -n $comm openat 3 $T/opened"
assert_eq 0 "$rc" "opensnoop.bpf.c exit status"
assert_eq "" "$(cat "$T/err")" "opensnoop.bpf.c stderr"
assert_eq 3 "$(count_lines "^\\{pid: [0-9]+, comm: \"$comm\", flags: 64, filename: \"$T/opened\"\\}\$" "$T/out")" \
	"opensnoop.bpf.c records"
assert_eq "opens[\"$comm\"]: 3" "$(tail -n 1 "$T/out")" "opensnoop.bpf.c map"

exit 0
