# bench/lib.sh: what bench/run's measures are made of: running a tool timed
# (wall clock and peak RSS), cold caches, the raw rows that every figure of
# RESULTS.md is computed from, and the description of the machine.
# Sourced by bench/run, which sets PTRACE1, WORKLOAD, WORK (a scratch
# directory), RAW (the rows) and PTRACE1_CACHE.

say()
{
	printf 'bench: %s\n' "$*" >&2
}

die()
{
	say "$*"
	exit 1
}

# record MEASURE CASE TOOL REP METRIC VALUE: one raw row.
record()
{
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RAW"
}

# seconds A B: the seconds from EPOCHREALTIME A to B.
seconds()
{
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f\n", b - a }'
}

# run_timed NAME COMMAND...: run COMMAND with stdout and stderr in
# $WORK/NAME.out and .err, under /usr/bin/time -v.  Sets START and END (the
# wall clock around it, EPOCHREALTIME: bash reads it without a fork) and
# RSS_KB (the peak resident set).  A failing command ends the run: its
# numbers would mean nothing.
run_timed()
{
	local name=$1 status
	shift

	START=$EPOCHREALTIME
	/usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
	status=$?
	END=$EPOCHREALTIME
	if [ "$status" != 0 ]; then
		tail -n 5 "$WORK/$name.err" >&2
		die "$* exited with status $status"
	fi
	RSS_KB=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$WORK/$name.time")
}

# tool_cmd TOOL: the command line of TOOL (ptrace1 or bpftrace), into CMD.
tool_cmd()
{
	case $1 in
	ptrace1) CMD=("$PTRACE1") ;;
	bpftrace) CMD=(bpftrace) ;;
	*) die "unknown tool $1" ;;
	esac
}

# tools_in_turn REP: the two tracers, in the order of repetition REP.  Odd
# repetitions run ptrace1 first, even ones bpftrace, so that neither always
# runs on the caches or the load the other leaves.
tools_in_turn()
{
	if [ $(($1 % 2)) = 1 ]; then
		echo ptrace1 bpftrace
	else
		echo bpftrace ptrace1
	fi
}

# caches_drop: make the next run cold.  ptrace1's compile cache is emptied
# (when there is one) and the page cache dropped, so the tool, the LLVM
# libraries and the tracefs files are read again.
caches_drop()
{
	if [ -d "$PTRACE1_CACHE" ]; then
		find "$PTRACE1_CACHE" -mindepth 1 -delete || die "cannot empty $PTRACE1_CACHE"
	fi
	sync
	echo 3 >/proc/sys/vm/drop_caches || die "cannot drop the page cache: run as root"
}

# machine_describe FILE: what the numbers were taken on, a key and a value
# a line, tab-separated.
machine_describe()
{
	local top=$1 file=$2 commit

	commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null) || commit=unknown
	if [ "$commit" != unknown ] && [ -n "$(git -C "$top" status --porcelain -- src grammar runtime 2>/dev/null)" ]; then
		commit="$commit (with uncommitted changes)"
	fi
	{
		printf 'CPU\t%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
		printf 'cores\t%s\n' "$(nproc)"
		printf 'memory\t%s MB\n' "$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 }' /proc/meminfo)"
		printf 'kernel\t%s\n' "$(uname -r)"
		printf 'Debian\t%s\n' "$(cat /etc/debian_version)"
		printf 'ptrace1\t%s, commit %s\n' "$("$PTRACE1" -V)" "$commit"
		printf 'bpftrace\t%s\n' "$(bpftrace --version)"
		printf 'strace\t%s\n' "$(strace -V | head -n 1)"
		printf 'load average at start\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
	} >"$file"
}
