# bench/measures.sh: the measures P1 to P4 (P5 is read from the runs of P1
# and P2).  Each runs ptrace1 and bpftrace in turn, repetition by
# repetition, and writes raw rows (lib.sh's record); bench/report.sh turns
# them into RESULTS.md.  Sourced by bench/run after lib.sh.

# The comm the workload takes: no test of make check uses it, so a test
# running at the same time adds nothing to the counts.
BENCH_COMM=ptbench

P1_OPENAT='tracepoint:syscalls:sys_enter_openat { @ = count(); } BEGIN { exit(); }'
P1_BEGIN='BEGIN { exit(); }'
P2_SYSCALLS='tracepoint:syscalls:sys_enter_* { @[probe] = count(); } BEGIN { exit(); }'
P2_SCHED='tracepoint:sched:* { @[probe] = count(); } BEGIN { exit(); }'

# start_to_exit MEASURE CASE REPS PROGRAM: the wall clock and peak RSS of
# each tracer running PROGRAM, which exits at once: cold (caches dropped
# before every run) then warm (after one run of each that is not measured).
start_to_exit()
{
	local measure=$1 case=$2 reps=$3 prog=$4 temp rep tool

	for temp in cold warm; do
		if [ "$temp" = warm ]; then
			for tool in ptrace1 bpftrace; do
				tool_cmd "$tool"
				run_timed "$measure-$case-warmup-$tool" "${CMD[@]}" -e "$prog"
			done
		fi
		for rep in $(seq "$reps"); do
			for tool in $(tools_in_turn "$rep"); do
				say "$measure $case $temp $tool $rep/$reps"
				tool_cmd "$tool"
				[ "$temp" = cold ] && caches_drop
				run_timed "$measure-$case-$temp-$tool-$rep" "${CMD[@]}" -e "$prog"
				record "$measure" "$case-$temp" "$tool" "$rep" wall_s "$(seconds "$START" "$END")"
				record "$measure" "$case-$temp" "$tool" "$rep" rss_kb "$RSS_KB"
			done
		done
	done
}

p1()
{
	start_to_exit P1 openat "$REPS_P1" "$P1_OPENAT"
	start_to_exit P1 begin "$REPS_P1" "$P1_BEGIN"
}

p2()
{
	start_to_exit P2 sys_enter_all "$REPS_P2" "$P2_SYSCALLS"
	start_to_exit P2 sched_all "$REPS_P2" "$P2_SCHED"
}

# map_count FILE: the value of the map @ as ptrace1 and bpftrace print it
# ("@: N"), or nothing.
map_count()
{
	sed -n 's/^@: \([0-9]*\)$/\1/p' "$1"
}

# timeit_read FILE: bench/timeit's figures, into T_START, T_END (wall clock)
# and T_CPU (the command's user and system CPU seconds).
timeit_read()
{
	local figures

	figures=$(awk 'function s(t) { sub(/s$/, "", t); split(t, f, "m"); return f[1] * 60 + f[2] }
		NR == 1 { wall = $0 } NR == 3 { printf "%s %.3f\n", wall, s($1) + s($2) }' "$1")
	read -r T_START T_END T_CPU <<<"$figures"
	[ -n "$T_CPU" ] || die "$1: no times from bench/timeit"
}

# overhead_run SYSCALL TRACER REP: one run of the workload making
# P3_COUNT calls of SYSCALL (P3_STRACE_COUNT under strace, which is slow),
# timed by bench/timeit from inside the tracer, which runs it with -c.
# Records the workload's ns per call, wall clock and CPU time, and the
# calls the tracer counted.  A BPF program runs in the traced task, so its
# cost is in the task's CPU time, which other load moves less than the wall
# clock; strace's is mostly in strace, which only the wall clock shows.
overhead_run()
{
	local sc=$1 tracer=$2 rep=$3 n=$P3_COUNT name="P3-$1-$2-$3" counted
	local probe="tracepoint:syscalls:sys_enter_$1" times="$WORK/P3-$1-$2-$3.times"
	local workload=(/bin/bash "$BENCH_DIR/timeit" "$times" "$WORKLOAD" -n "$BENCH_COMM" "$sc")

	case $tracer in
	none)
		run_timed "$name" "${workload[@]}" "$n"
		;;
	strace)
		n=$P3_STRACE_COUNT
		run_timed "$name" strace -f -c -o "$WORK/$name.strace" "${workload[@]}" "$n"
		;;
	*-count | *-comm)
		tool_cmd "${tracer%-*}"
		if [ "${tracer#*-}" = comm ]; then
			probe="$probe /comm == \"$BENCH_COMM\"/"
		fi
		run_timed "$name" "${CMD[@]}" -e "$probe { @ = count(); }" -c "${workload[*]} $n"
		;;
	esac
	timeit_read "$times"
	record P3 "$sc" "$tracer" "$rep" ns_per_call \
		"$(awk -v a="$T_START" -v b="$T_END" -v n="$n" 'BEGIN { printf "%.1f\n", (b - a) * 1e9 / n }')"
	record P3 "$sc" "$tracer" "$rep" cpu_ns_per_call \
		"$(awk -v t="$T_CPU" -v n="$n" 'BEGIN { printf "%.1f\n", t * 1e9 / n }')"
	record P3 "$sc" "$tracer" "$rep" calls "$n"
	case $tracer in
	none) return ;;
	strace) counted=$(awk -v sc="$sc" '$NF == sc { print $4 }' "$WORK/$name.strace") ;;
	*) counted=$(map_count "$WORK/$name.out") ;;
	esac
	[ -n "$counted" ] || die "$name: the tracer counted nothing"
	record P3 "$sc" "$tracer" "$rep" counted "$counted"
}

p3()
{
	local sc rep tracer order tracers="none ptrace1-count bpftrace-count ptrace1-comm bpftrace-comm strace"

	for sc in getppid write; do
		for rep in $(seq "$REPS_P3"); do
			# Reversed every other repetition, as tools_in_turn does.
			order=$tracers
			if [ $((rep % 2)) = 0 ]; then
				order=$(printf '%s\n' $tracers | tac)
			fi
			for tracer in $order; do
				say "P3 $sc $tracer $rep/$REPS_P3"
				overhead_run "$sc" "$tracer" "$rep"
			done
		done
	done
}

# stream_run CASE TOOL REP: the workload writes P4_COUNT bytes one write at
# a time, and the tracer prints a line for every write.  Records the lines
# delivered, the events the tool says it lost, the burst's own duration and
# the window from its start to the tracer's exit, when every line is out.
stream_run()
{
	local case=$1 tool=$2 rep=$3 name="P4-$1-$2-$3" delivered lost
	local times="$WORK/P4-$1-$2-$3.times"
	local prog="tracepoint:syscalls:sys_enter_write /comm == \"$BENCH_COMM\"/ { printf(\"%d %s %d\\n\", pid, comm, args->count); }"
	local env=()

	local hogs=()

	if [ "$case" = forced ]; then
		# The smallest buffers each tool takes: losses are certain.
		env=(PTRACE1_RINGBUF_KB=4 BPFTRACE_PERF_RB_PAGES=1)
	elif [ "$case" = contended ]; then
		# Two busy loops a CPU: the reader waits its turn, as on a busy
		# machine, and the burst must fit the buffers meanwhile.
		for _ in $(seq $((2 * $(nproc)))); do
			bash -c 'while :; do :; done' &
			hogs+=($!)
		done
	fi
	tool_cmd "$tool"
	run_timed "$name" env "${env[@]}" "${CMD[@]}" -e "$prog" \
		-c "/bin/bash $BENCH_DIR/timeit $times $WORKLOAD -n $BENCH_COMM write $P4_COUNT"
	if [ ${#hogs[@]} -gt 0 ]; then
		kill "${hogs[@]}"
		wait "${hogs[@]}" 2>/dev/null
	fi
	timeit_read "$times"
	delivered=$(grep -c "^[0-9]* $BENCH_COMM 1\$" "$WORK/$name.out")
	# bpftrace reports losses on stdout as they happen, ptrace1 on stderr
	# at exit: the same words, so both files are read for both tools.
	lost=$(cat "$WORK/$name.out" "$WORK/$name.err" |
		awk '/^Lost [0-9]+ events$/ { n += $2 } END { print n + 0 }')
	record P4 "$case" "$tool" "$rep" events "$P4_COUNT"
	record P4 "$case" "$tool" "$rep" delivered "$delivered"
	record P4 "$case" "$tool" "$rep" lost "$lost"
	record P4 "$case" "$tool" "$rep" unaccounted $((P4_COUNT - delivered - lost))
	record P4 "$case" "$tool" "$rep" burst_s "$(seconds "$T_START" "$T_END")"
	record P4 "$case" "$tool" "$rep" window_s "$(seconds "$T_START" "$END")"
	record P4 "$case" "$tool" "$rep" delivered_per_s \
		"$(awk -v d="$delivered" -v a="$T_START" -v b="$END" 'BEGIN { printf "%.0f\n", d / (b - a) }')"
}

p4()
{
	local case rep tool

	for case in default contended forced; do
		for rep in $(seq "$REPS_P4"); do
			for tool in $(tools_in_turn "$rep"); do
				say "P4 $case $tool $rep/$REPS_P4"
				stream_run "$case" "$tool" "$rep"
			done
		done
	done
}
