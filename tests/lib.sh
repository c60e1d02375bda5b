# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the e2e scripts, sourced as: . "$srcdir/tests/lib.sh"
#
# Sourcing creates the scratch directory $T, removed (and the script's
# background jobs killed) when the script exits.  A script exits 0 to pass,
# 1 (see fail) to fail and 77 (see need_root) to skip.
#
# Helpers that are meant to stop the script (fail, need_root and the
# asserts) only can when called directly, not inside $(...).

# Defaults let a script be run by hand from the source tree.
srcdir=${srcdir:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
builddir=${builddir:-$srcdir}
PTRACE1=${PTRACE1:-$builddir/src/ptrace1}
WORKLOAD=${WORKLOAD:-$builddir/tests/workload}
PTY=${PTY:-$builddir/tests/pty}
# Seconds run_ptrace1 allows before killing ptrace1.
RUN_TIMEOUT=${RUN_TIMEOUT:-30}
# A comm for this script's workloads (workload -n "$PTWL") that no other
# process has while the script runs, though other test runs may: filter on
# it where pid == cpid will not do.  The -c command's loader opens and reads
# under cpid too, before the workload renames itself, and children the
# workload forks have pids of their own.
# shellcheck disable=SC2034 # for the calling script
PTWL=ptwl$$

_lib_cleanup() {
	local pids

	pids=$(jobs -p)
	# A leftover tracer would keep its BPF programs attached.
	if [[ $pids ]]; then
		# shellcheck disable=SC2086 # one word per pid
		kill $pids 2>/dev/null
		wait 2>/dev/null
	fi
	rm -rf "$T"
}

# "${STRACE[@]}" ARGS...: strace, with a sanitizer build's leak check off
# (LeakSanitizer cannot work under ptrace).
STRACE=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace)

T=$(mktemp -d "${TMPDIR:-/tmp}/ptrace1-test.XXXXXX") || exit 1
trap _lib_cleanup EXIT
# Without these a signal, such as the runner's timeout, skips the EXIT trap.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# fail MSG: report MSG with what the last run_ptrace1 printed, and exit 1.
fail() {
	local f

	echo "fail: $*" >&2
	for f in "$T/out" "$T/err"; do
		if [[ -s $f ]]; then
			echo "--- ptrace1 ${f##*/} (last 20 lines):" >&2
			tail -n 20 "$f" >&2
		fi
	done
	exit 1
}

skip() {
	echo "skip: $*" >&2
	exit 77
}

# need_root: skip unless root and the kernel lets us use BPF.
need_root() {
	local msg

	((EUID == 0)) || skip "needs root"
	if ! command -v bpftool >/dev/null; then
		# No bpftool: the sysctl exists exactly when bpf(2) does.
		[[ -e /proc/sys/kernel/unprivileged_bpf_disabled ]] ||
			skip "kernel without BPF"
		return 0
	fi
	if ! msg=$(bpftool prog list 2>&1 >/dev/null); then
		case $msg in
		*"not permitted"* | *"not implemented"*)
			skip "BPF unavailable: $msg"
			;;
		esac
		fail "bpftool prog list: $msg"
	fi
	return 0
}

# bpf_prog_ids: the ids of all loaded BPF programs, sorted, one a line.
bpf_prog_ids() {
	local json

	if command -v bpftool >/dev/null; then
		json=$(bpftool prog list -j) || return
		# Only the top-level "id" key matches: others are "btf_id", "pid"...
		sed -n 's/^"id":\([0-9]*\).*/\1/p' <<<"${json//\"id\":/$'\n'\"id\":}" | sort -n
	else
		# Without bpftool only programs some process holds an fd to show.
		cat /proc/[0-9]*/fdinfo/* 2>/dev/null |
			sed -n 's/^prog_id:[[:space:]]*//p' | sort -nu
	fi
}

# no_leaked_progs BEFORE: fail if a program not in BEFORE (the output of an
# earlier bpf_prog_ids) stays loaded for 1 s with no live process holding it
# (an fd of it or of its link lists its prog_id in /proc/PID/fdinfo).  The
# kernel frees programs asynchronously; a held program belongs to its holder,
# not to the ptrace1 that exited.  Other tracers, such as other test runs,
# load and free programs all the while, so a listing without a new program
# may never come: one missing from any listing was freed.
no_leaked_progs() {
	local before=$1 left now held orphans id try

	left=$(bpf_prog_ids) || fail "cannot list BPF programs"
	left=$(comm -13 <(sort <<<"$before") <(sort <<<"$left"))
	for try in {1..10}; do
		if ((try > 1)); then
			sleep 0.1
			now=$(bpf_prog_ids) || fail "cannot list BPF programs"
			left=$(comm -12 <(sort <<<"$left") <(sort <<<"$now"))
		fi
		[[ -z $left ]] && return 0
		held=$(cat /proc/[0-9]*/fdinfo/* 2>/dev/null |
			sed -n 's/^prog_id:[[:space:]]*//p' | sort -u)
		orphans=$(comm -23 <(sort <<<"$left") <(sort <<<"$held"))
		[[ -z $orphans ]] && return 0
	done
	for id in $orphans; do
		bpftool prog show id "$id" >&2 2>/dev/null
	done
	fail "BPF programs left loaded: ${orphans//$'\n'/ }"
}

# tracefs_instances: the tracefs instances of ptrace1 runs (bpf_printk), one a line.
tracefs_instances() {
	local d

	for d in /sys/kernel/tracing/instances/ptrace1-*; do
		[[ -d $d ]] && echo "${d##*/}"
	done
	return 0
}

# no_leaked_instances BEFORE: fail if an instance not in BEFORE (an earlier
# tracefs_instances) is left by a ptrace1 that is gone; a running one keeps its own.
no_leaked_instances() {
	local before=$1 i

	for i in $(comm -13 <(sort <<<"$before") <(tracefs_instances | sort)); do
		[[ -d /proc/${i#ptrace1-} ]] || fail "tracefs instance $i left behind"
	done
}

# wait_attached PID N: wait up to 10 s until ptrace1 PID holds N BPF links,
# one per attached tracepoint.  "Attaching N probes..." comes before attaching.
wait_attached() {
	local pid=$1 n=$2 f links _

	for _ in {1..200}; do
		links=0
		for f in /proc/"$pid"/fd/*; do
			[[ $(readlink "$f" 2>/dev/null) == anon_inode:bpf_link ]] && ((links++))
		done
		((links >= n)) && return 0
		kill -0 "$pid" 2>/dev/null || fail "ptrace1 exited before attaching"
		sleep 0.05
	done
	fail "ptrace1 did not attach $n probes"
}

assert_eq() {
	[[ $1 == "$2" ]] || fail "$3: expected '$1', got '$2'"
}

# assert_match REGEX TEXT MSG: some line of TEXT matches extended REGEX.
assert_match() {
	grep -Eq -- "$1" <<<"$2" || fail "$3: no line matches /$1/ in:"$'\n'"$2"
}

# count_lines PATTERN FILE: how many lines of FILE match extended PATTERN.
count_lines() {
	grep -cE -- "$1" "$2"
	# grep says 1 for no match, which is a count of 0 here, not an error.
	(($? <= 1))
}

# run_ptrace1 ARGS...: run ptrace1 with a timeout and no stdin; its stdout
# and stderr land in $T/out and $T/err, its exit status in $rc.
run_ptrace1() {
	timeout -k 5 "$RUN_TIMEOUT" "$PTRACE1" "$@" </dev/null >"$T/out" 2>"$T/err"
	# shellcheck disable=SC2034 # for the calling script
	rc=$?
	# A sanitizer build's UBSan report (Makefile.am): whatever the test expects.
	[[ $rc != 86 ]] || fail "ptrace1 $*: undefined behaviour"
}
