# A BPF C file's maps at exit, printed with its BTF: struct keys and values,
# strings, arrays without their zero entries, per-CPU values summed or one
# per CPU; text and JSON.  --set of integers, bools and strings changes
# what the program counts.
. "$srcdir/tests/lib.sh"
need_root

C=$srcdir/tests/cfiles
before=$(bpf_prog_ids)
comm=ptmp$$

# The pid is the workload's, the fd its /dev/null's: the same in every line.
normalize() {
	sed -E 's/pid: [0-9]+/pid: P/; s/^per_pid\[[0-9]+\]/per_pid[P]/; s/^by_fd\[[0-9]+\]/by_fd[F]/;
		s/last_fd: [0-9]+/last_fd: F/' "$T/out"
}

run_ptrace1 -q "$C/maps.bpf.c" --set comm_filter=$comm --set step=3 \
	-c "$WORKLOAD -n $comm write 5"
assert_eq 0 "$rc" "exit status"
assert_eq "" "$(cat "$T/err")" "stderr"
cat >"$T/want" <<EOF

by_comm["$comm"]: 5
by_fd[F]: 5
by_task[{pid: P, comm: "$comm"}]: {calls: 5, bytes: 5, last_fd: F}
per_pid[P]: {calls: 5, bytes: 5, last_fd: F}
total[0]: 15
EOF
# last_comm is per CPU, a string: one value a CPU, ours on the CPUs the workload ran on.
normalize | grep -v '^last_comm' >"$T/got"
diff -u "$T/want" "$T/got" || fail "maps"
assert_match "^last_comm\\[0\\]: \\[(\"[a-z0-9]*\", )*\"$comm\"(, \"[a-z0-9]*\")*\\]\$" \
	"$(cat "$T/out")" "per-CPU strings"
pid=$(sed -n 's/^by_task\[{pid: \([0-9]*\),.*/\1/p' "$T/out")
assert_match "^per_pid\\[$pid\\]: " "$(cat "$T/out")" "the same pid in both maps"
no_leaked_progs "$before"

# A bool: no bytes counted.
run_ptrace1 -q "$C/maps.bpf.c" --set comm_filter=$comm --set count_bytes=false \
	-c "$WORKLOAD -n $comm write 2"
assert_eq 0 "$rc" "bool --set: exit status"
assert_match "^by_task\\[\\{pid: [0-9]+, comm: \"$comm\"\\}\\]: \\{calls: 2, bytes: 0, " \
	"$(cat "$T/out")" "bool --set"
assert_match "^total\\[0\\]: 2\$" "$(cat "$T/out")" "step stays 1"

# JSON: a map a line, its entries a list of keys and values.
run_ptrace1 -f json "$C/maps.bpf.c" --set comm_filter=$comm -c "$WORKLOAD -n $comm write 3"
assert_eq 0 "$rc" "JSON exit status"
assert_match "^\\{\"type\": \"map\", \"data\": \\{\"by_comm\": \\[\\{\"key\": \"$comm\", \"value\": 3\\}\\]\\}\\}\$" \
	"$(cat "$T/out")" "JSON string key"
assert_match "^\\{\"type\": \"map\", \"data\": \\{\"by_task\": \\[\\{\"key\": \\{\"pid\": [0-9]+, \"comm\": \"$comm\"\\}, \"value\": \\{\"calls\": 3, \"bytes\": 3, \"last_fd\": [0-9]+\\}\\}\\]\\}\\}\$" \
	"$(cat "$T/out")" "JSON struct key and value"
assert_match "^\\{\"type\": \"map\", \"data\": \\{\"total\": \\[\\{\"key\": 0, \"value\": 3\\}\\]\\}\\}\$" \
	"$(cat "$T/out")" "JSON per-CPU sum"
no_leaked_progs "$before"

# Nothing traced: no map prints.
run_ptrace1 -q "$C/maps.bpf.c" --set comm_filter=nobody-$$ -c "$WORKLOAD -n $comm write 1"
assert_eq 0 "$rc" "empty maps: exit status"
assert_eq "" "$(cat "$T/out")" "empty maps print nothing"
no_leaked_progs "$before"
