#!/bin/bash
# bench/report.sh RESULTS.TSV MACHINE.TSV DIR: turn bench/run's raw rows into
# DIR/RESULTS.md (medians, min–max, ratios, the targets, the machine) and
# DIR/results.png (bench/chart.gp).  The part of an existing RESULTS.md
# after the generated one (the log of optimisations) is kept.

set -u
export LC_ALL=C

raw=$1 machine=$2 dir=$3
bench_dir=$(cd "$(dirname "$0")" && pwd)
begin_mark='<!-- written by bench/run: edit below the end mark only -->'
end_mark='<!-- end of what bench/run writes -->'

# paired_added: P3's ns added per call in each repetition, the tracer's ns
# per call minus that of the run with no tracer of the same repetition, as
# rows of metric added_ns (wall clock) and added_cpu_ns (CPU time).  Pairing
# leaves out the drift of a busy machine from one repetition to the next.
paired_added()
{
	awk -F'\t' -v OFS='\t' '$1 == "P3" && $5 ~ /ns_per_call$/ {
		v[$2, $3, $4, $5] = $6
		if ($3 != "none")
			traced[$2, $3, $4, $5] = 1
	}
	END {
		for (k in traced) {
			split(k, f, SUBSEP)
			base = f[1] SUBSEP "none" SUBSEP f[3] SUBSEP f[4]
			if (base in v)
				print "P3", f[1], f[2], f[3], f[4] == "ns_per_call" ? "added_ns" : "added_cpu_ns",
					v[k] - v[base]
		}
	}' "$raw"
}

# S[MEASURE|CASE|TOOL|METRIC]="N MEDIAN MIN MAX", from rows sorted by value.
declare -A S
while IFS=$'\t' read -r m c t k n med min max; do
	S["$m|$c|$t|$k"]="$n $med $min $max"
done < <({ cat "$raw"; paired_added; } | sort -t$'\t' -k1,1 -k2,2 -k3,3 -k5,5 -k6,6g |
	awk -F'\t' -v OFS='\t' '
	function flush() {
		if (n)
			print key, n, n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2, v[1], v[n]
	}
	{
		k = $1 OFS $2 OFS $3 OFS $5
		if (k != key) { flush(); key = k; n = 0 }
		v[++n] = $6
	}
	END { flush() }')

# get M CASE TOOL METRIC n|med|min|max: one statistic, or nothing.
get()
{
	local s=${S["$1|$2|$3|$4"]:-} i

	[ -n "$s" ] || return 0
	set -- $s "$5"
	case $5 in n) i=1 ;; med) i=2 ;; min) i=3 ;; max) i=4 ;; esac
	echo "${!i}"
}

# op A OPERATOR B [FORMAT]: A OPERATOR B, or n/a when an operand is not a
# number (a measure that did not run) or a division is by zero.
op()
{
	awk -v a="$1" -v o="$2" -v b="$3" -v f="${4:-%.2f}" 'BEGIN {
		num = "^-?[0-9]+([.][0-9]*)?(e[-+]?[0-9]+)?$"
		if (a !~ num || b !~ num || (o == "/" && b == 0)) { print "n/a"; exit }
		printf f "\n", o == "/" ? a / b : o == "*" ? a * b : o == "-" ? a - b : a + b
	}'
}

# cell M CASE TOOL METRIC DIVISOR FORMAT: "median (min–max)", each divided.
cell()
{
	local med min max

	med=$(get "$1" "$2" "$3" "$4" med)
	[ -n "$med" ] || { echo "–"; return; }
	min=$(get "$1" "$2" "$3" "$4" min)
	max=$(get "$1" "$2" "$3" "$4" max)
	if [ "$min" = "$max" ]; then
		op "$med" / "$5" "$6"
	else
		echo "$(op "$med" / "$5" "$6") ($(op "$min" / "$5" "$6")–$(op "$max" / "$5" "$6"))"
	fi
}

# ratio M CASE METRIC: ptrace1's median over bpftrace's.
ratio()
{
	op "$(get "$1" "$2" ptrace1 "$3" med)" / "$(get "$1" "$2" bpftrace "$3" med)" "${4:-%.2f}"
}

# added SYSCALL TRACER [cpu_]: the median ns the tracer added per call, of
# wall clock or of CPU time.
added()
{
	op "$(get P3 "$1" "$2" "added_${3:-}ns" med)" + 0 %.0f
}

# verdict VALUE OPERATOR LIMIT: "met", or how far off.
verdict()
{
	awk -v v="$1" -v o="$2" -v l="$3" 'BEGIN {
		num = "^-?[0-9]+([.][0-9]*)?(e[-+]?[0-9]+)?$"
		if (v !~ num || l !~ num) { print "not measured"; exit }
		ok = o == "<=" ? v <= l : o == "<" ? v < l : o == ">=" ? v >= l : v > l
		if (ok)
			print "met"
		else if (o ~ /</ && l > 0)
			printf "missed: %.2f× the limit\n", v / l
		else if (o ~ />/ && v > 0)
			printf "missed: %.2f× short\n", l / v
		else
			print "missed"
	}'
}

about()
{
	awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$machine"
}

chart_data=$(mktemp) || exit 1
trap 'rm -f "$chart_data"' EXIT
# chart LABEL RATIO TARGET: one bar of results.png.
chart()
{
	printf '%s\t%s\t%s\n' "$1" "${2/n\/a/NaN}" "${3/n\/a/NaN}" >>"$chart_data"
}

has()
{
	grep -q "^$1	" "$raw"
}

# section_start_to_exit M CASE...: P1's or P2's table.
section_start_to_exit()
{
	local m=$1 c temp
	shift

	echo "| program | cache | ptrace1 s | bpftrace s | ptrace1 ÷ bpftrace |"
	echo "|---|---|---|---|---|"
	for c in "$@"; do
		for temp in cold warm; do
			echo "| \`${programs[$c]}\` | $temp | $(cell "$m" "$c-$temp" ptrace1 wall_s 1 %.3f) |" \
				"$(cell "$m" "$c-$temp" bpftrace wall_s 1 %.3f) | $(ratio "$m" "$c-$temp" wall_s) |"
		done
	done
	echo
}

section_p3()
{
	local sc tracer counted

	echo "| workload | tracer | ns per call | ns added | CPU ns per call | CPU ns added | calls counted / made |"
	echo "|---|---|---|---|---|---|---|"
	for sc in getppid write; do
		for tracer in none ptrace1-count bpftrace-count ptrace1-comm bpftrace-comm strace; do
			counted=$(get P3 "$sc" "$tracer" counted med)
			echo "| $sc | ${tracer_name[$tracer]} | $(cell P3 "$sc" "$tracer" ns_per_call 1 %.0f) |" \
				"$(cell P3 "$sc" "$tracer" added_ns 1 %.0f) |" \
				"$(cell P3 "$sc" "$tracer" cpu_ns_per_call 1 %.0f) |" \
				"$(cell P3 "$sc" "$tracer" added_cpu_ns 1 %.0f) |" \
				"${counted:-–} / $(get P3 "$sc" "$tracer" calls med) |"
		done
	done
	echo
}

section_p4()
{
	local c tool

	echo "| buffers | tool | delivered | lost | not accounted for | burst s | writes/s in the burst | delivered events/s |"
	echo "|---|---|---|---|---|---|---|---|"
	for c in default contended forced; do
		for tool in ptrace1 bpftrace; do
			echo "| $c | $tool | $(cell P4 $c $tool delivered 1 %.0f) | $(cell P4 $c $tool lost 1 %.0f) |" \
				"$(cell P4 $c $tool unaccounted 1 %.0f) | $(cell P4 $c $tool burst_s 1 %.2f) |" \
				"$(op "$(get P4 $c $tool events med)" / "$(get P4 $c $tool burst_s med)" %.0f) |" \
				"$(cell P4 $c $tool delivered_per_s 1 %.0f) |"
		done
	done
	echo
}

section_p5()
{
	local m c prog temp

	echo "| program | cache | ptrace1 MB | bpftrace MB | ptrace1 ÷ bpftrace |"
	echo "|---|---|---|---|---|"
	for m in P1 P2; do
		for c in "${cases[@]}"; do
			has "$m	$c-cold" || continue
			prog=${programs[$c]}
			for temp in cold warm; do
				echo "| \`$prog\` | $temp | $(cell $m "$c-$temp" ptrace1 rss_kb 1024 %.1f) |" \
					"$(cell $m "$c-$temp" bpftrace rss_kb 1024 %.1f) | $(ratio $m "$c-$temp" rss_kb) |"
			done
		done
	done
	echo
}

# target TEXT MEASURED VERDICT
target()
{
	echo "| $1 | $2 | $3 |"
}

section_targets()
{
	local c r v t sc kind pt bt st rate_pt rate_bt lost_bt lost_pt

	echo "| target | measured | verdict |"
	echo "|---|---|---|"
	if has P1; then
		for c in openat begin; do
			r=$(ratio P1 $c-cold wall_s)
			target "P1 \`${programs[$c]}\` cold ≤ 0.3× bpftrace" "$r×" "$(verdict "$r" "<=" 0.3)"
			chart "P1 ${labels[$c]} cold" "$r" 0.3
			r=$(ratio P1 $c-warm wall_s)
			target "P1 \`${programs[$c]}\` warm ≤ 0.1× bpftrace" "$r×" "$(verdict "$r" "<=" 0.1)"
			chart "P1 ${labels[$c]} warm" "$r" 0.1
		done
	fi
	if has P2; then
		for t in cold warm; do
			v=$(get P2 sys_enter_all-$t ptrace1 wall_s med)
			v=$(op "$v" + 0 %.3f)
			target "P2 all syscalls ($t) ≤ 1 s" "$v s" "$(verdict "$v" "<=" 1)"
		done
		# The chart's ratios keep what two decimals would round to 0.
		chart "P2 sys_enter_* cold" "$(ratio P2 sys_enter_all-cold wall_s %.4f)" \
			"$(op 1 / "$(get P2 sys_enter_all-cold bpftrace wall_s med)" %.4f)"
		for t in cold warm; do
			r=$(ratio P2 sched_all-$t wall_s)
			target "P2 \`sched:*\` ($t) ≤ 0.1× bpftrace" "$r×" "$(verdict "$r" "<=" 0.1)"
		done
		chart "P2 sched:* cold" "$(ratio P2 sched_all-cold wall_s %.4f)" 0.1
	fi
	if has P3; then
		for sc in getppid write; do
			for kind in count comm; do
				pt=$(added $sc ptrace1-$kind cpu_)
				bt=$(added $sc bpftrace-$kind cpu_)
				target "P3 $sc, ${tracer_name[ptrace1-$kind]}: CPU ns added ≤ bpftrace's" \
					"$pt vs $bt ns" "$(verdict "$pt" "<=" "$bt")"
				chart "P3 $sc $kind (CPU)" "$(op "$pt" / "$bt")" 1
			done
			pt=$(added $sc ptrace1-count)
			st=$(added $sc strace)
			target "P3 $sc: ptrace1 \`@ = count()\` adds ≤ 1/10 of the wall clock strace -c -f adds" \
				"$pt vs $st ns" "$(verdict "$pt" "<=" "$(op "$st" / 10)")"
		done
	fi
	if has P4; then
		# Over the cases with the default buffers, alone and contended.
		lost_bt=$(printf '%s\n' "$(get P4 default bpftrace lost max)" \
			"$(get P4 contended bpftrace lost max)" | sort -n | tail -n 1)
		lost_pt=$(printf '%s\n' "$(get P4 default ptrace1 lost max)" \
			"$(get P4 contended ptrace1 lost max)" | sort -n | tail -n 1)
		if [ "${lost_bt:-0}" = 0 ]; then
			v="not reached: bpftrace lost nothing at these rates"
		else
			v=$(verdict "$lost_pt" "<=" 0)
		fi
		target "P4 no loss where bpftrace loses (alone and contended)" \
			"lost at most $lost_pt vs $lost_bt" "$v"
		rate_pt=$(get P4 default ptrace1 delivered_per_s med)
		rate_bt=$(get P4 default bpftrace delivered_per_s med)
		target "P4 more delivered events/s than bpftrace" "$rate_pt vs $rate_bt" \
			"$(verdict "${rate_pt:-n/a}" ">" "${rate_bt:-n/a}")"
		chart "P4 time per event" "$(op "$rate_bt" / "$rate_pt")" 1
		for tool in ptrace1 bpftrace; do
			v=$(cell P4 default $tool unaccounted 1 %.0f)
			t=$(cell P4 forced $tool unaccounted 1 %.0f)
			target "P4 every loss counted ($tool): delivered + lost = writes" \
				"unaccounted for: $v with the default buffers, $t forced" \
				"$( [ "$v/$t" = 0/0 ] && echo met || echo missed)"
		done
	fi
	if has P1; then
		for c in openat begin; do
			r=$(ratio P1 $c-cold rss_kb)
			target "P5 \`${programs[$c]}\` cold RSS ≤ 0.6× bpftrace" "$r×" "$(verdict "$r" "<=" 0.6)"
			v=$(op "$(get P1 $c-warm ptrace1 rss_kb med)" / 1024 %.1f)
			target "P5 \`${programs[$c]}\` ≤ 15 MB on a compile-cache hit (warm)" "$v MB" \
				"$(verdict "$v" "<=" 15)"
		done
		chart "P5 RSS openat cold" "$(ratio P1 openat-cold rss_kb)" 0.6
		chart "P5 RSS openat warm" "$(ratio P1 openat-warm rss_kb)" \
			"$(op 15360 / "$(get P1 openat-warm bpftrace rss_kb med)")"
	fi
	if has P2; then
		for c in sys_enter_all sched_all; do
			r=$(ratio P2 $c-cold rss_kb)
			target "P5 \`${programs[$c]}\` cold RSS ≤ 0.6× bpftrace" "$r×" "$(verdict "$r" "<=" 0.6)"
		done
	fi
	echo
}

declare -A programs=(
	[openat]='tracepoint:syscalls:sys_enter_openat { @ = count(); } BEGIN { exit(); }'
	[begin]='BEGIN { exit(); }'
	[sys_enter_all]='tracepoint:syscalls:sys_enter_* { @[probe] = count(); } BEGIN { exit(); }'
	[sched_all]='tracepoint:sched:* { @[probe] = count(); } BEGIN { exit(); }'
)
cases=(openat begin sys_enter_all sched_all)
declare -A labels=([openat]=openat [begin]=BEGIN)
declare -A tracer_name=(
	[none]='no tracer' [strace]='`strace -c -f`'
	[ptrace1-count]='ptrace1 `@ = count()`' [bpftrace-count]='bpftrace `@ = count()`'
	[ptrace1-comm]='ptrace1 `/comm == "ptbench"/ @ = count()`'
	[bpftrace-comm]='bpftrace `/comm == "ptbench"/ @ = count()`'
)

method()
{
	cat <<'EOF'
### How the figures are taken

`bench/run` (or `make bench`) runs ptrace1 and bpftrace in the same run, in
turn: repetition by repetition, with the order swapped every other one.  Wall
clock is bash's `EPOCHREALTIME` around `/usr/bin/time -v`, which gives the
peak RSS.  hyperfine is not used: it runs all the repetitions of one command
before the next, and cannot alternate.

- **Cold**: before every cold run ptrace1's compile cache (`PTRACE1_CACHE`,
  `/var/cache/ptrace1`; there is none yet) is emptied and the page cache
  dropped (`sync; echo 3 > /proc/sys/vm/drop_caches`): both tools, the LLVM
  libraries and tracefs are read again.  bpftrace has no compile cache, so
  for it cold and warm differ by the page cache only.
- **Warm**: one run of each tool that is not measured, then nothing dropped.
  Until ptrace1 has a compile cache, its warm runs compile as its cold ones do.
- **P1, P2**: from the start of the tool to its exit; the programs exit from
  BEGIN, so this is parse, compile, load, attach, detach and teardown.
- **P3**: `tests/workload` (comm `ptbench`) makes the calls; `bench/timeit`
  times it from inside the tracer, which starts it with `-c` once attached,
  so the tracer's own start and exit are left out.  ns added per call is
  the ns per call under the tracer minus that with no tracer in the same
  repetition (the median of those differences), of wall clock and of the
  workload's CPU time (user and system, bash's `times`).  A BPF program runs
  in the traced task: its cost is in that CPU time, which other load on the
  machine hardly changes, so ptrace1 and bpftrace are compared on it.
  strace's cost is mostly in strace's own process: it is compared on the
  wall clock, and runs fewer calls (it is slow; per call, figures compare
  all the same).  "counted" is the tracer's own count: every call was seen.
- **P4**: the workload writes one byte at a time, as fast as it can, and the
  tracer prints a line for each write (`printf("%d %s %d\n", pid, comm,
  args->count)`).  Delivered lines are counted in the output; lost events
  are the sum of the tool's "Lost N events" reports (bpftrace's on stdout,
  ptrace1's on stderr).  Events/s is delivered lines over the time from the
  burst's start to the tracer's exit.  "contended" runs two busy loops a
  CPU meanwhile, so the reader waits its turn as on a busy machine.
  "forced" shrinks the buffers to the least each takes
  (`PTRACE1_RINGBUF_KB=4`, `BPFTRACE_PERF_RB_PAGES=1`): delivered plus lost
  must then be every write.
- **P5**: the peak RSS of P1's and P2's runs.

bpftrace 0.17 warns on every start that it cannot raise RLIMIT_MEMLOCK in
this container; the kernel does not need it, and its programs run.
EOF
}

generated()
{
	local k

	echo "$begin_mark"
	echo "# ptrace1 against bpftrace and strace"
	echo
	echo "## The last run"
	echo
	echo "A $(about mode) run on $(about date), $(about duration)." \
		"Repetitions: $(about repetitions | sed 's/; $//')."
	echo "Load average $(about 'load average at start') at the start, $(about 'load average at end') at the end."
	echo "Every figure is a median, with the min–max of the runs in parentheses."
	echo
	echo "![ptrace1 ÷ bpftrace for the key measures, and the targets](results.png)"
	echo
	echo "### Machine"
	echo
	echo "| | |"
	echo "|---|---|"
	for k in CPU cores memory kernel Debian ptrace1 bpftrace strace; do
		echo "| $k | $(about "$k") |"
	done
	echo
	echo "### Targets"
	echo
	section_targets
	if has P1; then
		echo "### P1: start to exit"
		echo
		section_start_to_exit P1 openat begin
	fi
	if has P2; then
		echo "### P2: wildcards, start to exit"
		echo
		section_start_to_exit P2 sys_enter_all sched_all
	fi
	if has P3; then
		echo "### P3: overhead on the traced workload"
		echo
		section_p3
	fi
	if has P4; then
		echo "### P4: streaming, a printf for every write of a burst"
		echo
		section_p4
	fi
	if has P1 || has P2; then
		echo "### P5: peak RSS"
		echo
		section_p5
	fi
	method
	echo "$end_mark"
}

out=$dir/RESULTS.md
{
	generated
	if [ -f "$out" ] && grep -qF "$end_mark" "$out"; then
		sed "1,/^$(printf '%s' "$end_mark" | sed 's/[]\/$*.^[]/\\&/g')\$/d" "$out"
	else
		printf '\n## Optimisations\n\nEach optimisation, what it changed, and the figures before and after.\n\nNone yet.\n'
	fi
} >"$out.new" && mv "$out.new" "$out" || exit 1

gnuplot -e "data='$chart_data'; out='$dir/results.png'" "$bench_dir/chart.gp" ||
	{ echo "bench: gnuplot failed" >&2; exit 1; }
